"""A small HTTP/1.1 loopback server (anyio) serving FakeUltraCart's ASGI app over real sockets.

Keep-alive, Content-Length (and chunked request) bodies. Socket-level faults really happen on the
socket: `reset` sends a TCP RST, `commit_then_drop` closes without an answer, `truncated` closes
mid-body, `connect_error` resets the connection before the request is processed.
"""

from __future__ import annotations

import contextlib
import socket
import struct
from typing import Any, Final

import anyio
from anyio.abc import SocketAttribute, SocketStream, TaskStatus
from anyio.streams.buffered import BufferedByteReceiveStream

from ._app import CHANNEL_KEY, FakeApp, Message, reason_phrase

MAX_HEAD: Final = 65536
MAX_BODY: Final = 32 * 1024 * 1024
_STREAM_ERRORS: Final = (
    anyio.EndOfStream,
    anyio.IncompleteRead,
    anyio.BrokenResourceError,
    anyio.ClosedResourceError,
    anyio.DelimiterNotFound,
    OSError,
)


class _BadRequestError(Exception):
    pass


class LoopbackServer:
    """Serves `app` on host:port until `shutdown()` (or cancellation)."""

    def __init__(self, app: FakeApp, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._scope: anyio.CancelScope | None = None

    async def serve(self, *, task_status: TaskStatus[int] = anyio.TASK_STATUS_IGNORED) -> None:
        """Listen; reports the bound port through `task_status`; returns after `shutdown()`."""
        listener = await anyio.create_tcp_listener(local_host=self.host, local_port=self.port)
        async with listener:
            port = int(listener.extra(SocketAttribute.local_port))  # noqa: S610
            with anyio.CancelScope() as scope:
                self._scope = scope
                task_status.started(port)
                await listener.serve(self._connection)

    async def shutdown(self) -> None:
        if self._scope is not None:
            self._scope.cancel()

    async def _connection(self, stream: SocketStream) -> None:
        try:
            reader = BufferedByteReceiveStream(stream)
            while await self._exchange(stream, reader):
                pass
        except (*_STREAM_ERRORS, _BadRequestError):
            pass
        finally:
            with anyio.CancelScope(shield=True):
                await stream.aclose()

    async def _exchange(self, stream: SocketStream, reader: BufferedByteReceiveStream) -> bool:
        """Serve one request; True to keep the connection open."""
        try:
            head = await reader.receive_until(b"\r\n\r\n", MAX_HEAD)
        except anyio.IncompleteRead:
            return False
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        try:
            method, target, version = request_line.split(" ")
        except ValueError:
            raise _BadRequestError(request_line) from None
        headers: list[tuple[bytes, bytes]] = []
        fields: dict[str, str] = {}
        for line in header_lines:
            name, sep, value = line.partition(":")
            if not sep:
                raise _BadRequestError(line)
            name, value = name.strip().lower(), value.strip()
            headers.append((name.encode("latin-1"), value.encode("latin-1")))
            fields[name] = value
        body = await self._read_body(reader, fields)
        raw_path, _, query = target.partition("?")
        channel: dict[str, Any] = {}
        local: Any = stream.extra(SocketAttribute.local_address)  # noqa: S610
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": version.removeprefix("HTTP/"),
            "method": method.upper(),
            "scheme": "http",
            "path": raw_path,
            "raw_path": raw_path.encode("latin-1"),
            "query_string": query.encode("latin-1"),
            "root_path": "",
            "headers": headers,
            "client": stream.extra(SocketAttribute.remote_address)[:2],  # noqa: S610
            "server": tuple(local[:2]),
            "extensions": {CHANNEL_KEY: channel},
        }
        sent = False
        start: Message = {}
        chunks: list[bytes] = []

        async def receive() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await anyio.sleep_forever()
            raise AssertionError("unreachable")  # pragma: no cover

        async def send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        fault = channel.get("fault")
        if fault in ("connect_error", "reset"):
            _abort(stream)
            return False
        if fault == "commit_then_drop" or not start:
            return False
        content = b"".join(chunks)
        response_headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in start.get("headers", [])
        ]
        close = (
            fields.get("connection", "").lower() == "close"
            or version == "HTTP/1.0"
            or any(
                name.lower() == "connection" and value.lower() == "close"
                for name, value in response_headers
            )
        )
        status = int(start["status"])
        lines = [f"HTTP/1.1 {status} {reason_phrase(status)}", "Server: FakeUltraCart"]
        has_length = False
        for name, value in response_headers:
            if name.lower() == "connection":
                continue
            has_length = has_length or name.lower() == "content-length"
            lines.append(f"{name}: {value}")
        if not has_length and status not in (204, 304):
            lines.append(f"Content-Length: {len(content)}")
        lines.append("Connection: close" if close else "Connection: keep-alive")
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if fault == "truncated":
            cut = int(channel.get("truncate_at", len(content) // 2))
            await stream.send(payload + content[:cut])
            return False
        await stream.send(payload + (b"" if method.upper() == "HEAD" else content))
        return not close

    async def _read_body(self, reader: BufferedByteReceiveStream, fields: dict[str, str]) -> bytes:
        if "chunked" in fields.get("transfer-encoding", "").lower():
            parts: list[bytes] = []
            total = 0
            while True:
                size_line = await reader.receive_until(b"\r\n", 1024)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while await reader.receive_until(b"\r\n", MAX_HEAD):
                        pass  # trailers
                    return b"".join(parts)
                total += size
                if total > MAX_BODY:
                    raise _BadRequestError("body too large")
                parts.append(await reader.receive_exactly(size))
                await reader.receive_exactly(2)
        length = int(fields.get("content-length", "0") or "0")
        if length < 0 or length > MAX_BODY:
            raise _BadRequestError("bad content-length")
        return await reader.receive_exactly(length) if length else b""


def _abort(stream: SocketStream) -> None:
    """Make the coming close send a TCP RST instead of a FIN."""
    raw = stream.extra(SocketAttribute.raw_socket)  # noqa: S610
    with contextlib.suppress(OSError):
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
