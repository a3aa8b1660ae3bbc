"""A loopback HTTP server that misbehaves on purpose, one scripted behaviour per test.

It runs in a thread with plain sockets so that it can do what no well-behaved server does:
trickle bytes, send endless or compressed-bomb bodies, echo credentials. Every loop it runs is
bounded in time, and `stop()` ends it.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator

Behaviour = Callable[[socket.socket, bytes, threading.Event], None]
BOUND = 20.0  # seconds any scripted loop may run


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        conn: socket.socket = self.request
        conn.settimeout(BOUND)
        head = b""
        with contextlib.suppress(OSError):
            while b"\r\n\r\n" not in head and len(head) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            self.server.heads.append(head)
            self.server.behaviour(conn, head, self.server.stopping)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = behaviour
        self.heads: list[bytes] = []
        self.stopping = threading.Event()


@contextlib.contextmanager
def serve(behaviour: Behaviour) -> Iterator[tuple[str, list[bytes]]]:
    """Serve `behaviour` on loopback; yields (base URL, heads of the requests received)."""
    server = _Server(behaviour)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/rest/v2", server.heads
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(BOUND)


def trickle(conn: socket.socket, data: bytes, stopping: threading.Event, every: float) -> None:
    """Send `data` one byte at a time, `every` seconds apart, until done or stopped."""
    deadline = time.monotonic() + BOUND
    for byte in data:
        if stopping.is_set() or time.monotonic() > deadline:
            return
        conn.sendall(bytes([byte]))
        time.sleep(every)


def response_head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode("latin-1")


def send_forever(conn: socket.socket, stopping: threading.Event, chunk: bytes) -> int:
    """Send `chunk` as HTTP chunks until the peer goes or the bound passes; bytes sent."""
    sent = 0
    deadline = time.monotonic() + BOUND
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    with contextlib.suppress(OSError):
        while not stopping.is_set() and time.monotonic() < deadline:
            conn.sendall(framed)
            sent += len(chunk)
    return sent
