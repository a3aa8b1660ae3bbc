"""A small HTTP/1.1 loopback server (anyio) serving FakeUltraCart's ASGI app over real sockets.

Keep-alive, Content-Length (and chunked request) bodies. Socket-level faults really happen on the
socket: `reset` sends a TCP RST, `commit_then_drop` closes without an answer, `truncated` closes
mid-body, `connect_error` resets the connection before the request is processed.
"""

from __future__ import annotations

import contextlib
import socket
import struct
from http import HTTPStatus
from typing import Any, Final

import anyio
from anyio.abc import SocketAttribute, SocketStream, TaskStatus
from anyio.streams.buffered import BufferedByteReceiveStream

from ._bridge import BridgedRequest, call_app
from ._types import ASGIApp

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

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1", port: int = 0) -> None:
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
        local: Any = stream.extra(SocketAttribute.local_address)  # noqa: S610
        remote: Any = stream.extra(SocketAttribute.remote_address)  # noqa: S610
        request = BridgedRequest(
            method=method,
            raw_path=raw_path.encode("latin-1"),
            query_string=query.encode("latin-1"),
            headers=headers,
            body=body,
            server=tuple(local[:2]),
            client=tuple(remote[:2]),
            http_version=version.removeprefix("HTTP/"),
        )
        answer = await call_app(self.app, request)
        fault = answer.order.kind
        if fault in ("connect_error", "reset"):
            _abort(stream)
            return False
        if fault == "commit_then_drop" or answer.status is None:
            return False
        content = answer.body
        response_headers = [
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in answer.headers
        ]
        close = (
            fields.get("connection", "").lower() == "close"
            or version == "HTTP/1.0"
            or any(
                name.lower() == "connection" and value.lower() == "close"
                for name, value in response_headers
            )
        )
        status = answer.status
        lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", "Server: FakeUltraCart"]
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
            cut = answer.order.truncate_at
            cut = len(content) // 2 if cut is None else cut
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
