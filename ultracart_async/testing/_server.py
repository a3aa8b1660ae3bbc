"""The loopback carrier: an HTTP/1.1 server (h11 on anyio sockets) running the app.

h11 parses requests (keep-alive, pipelining, Content-Length and chunked bodies) and frames the
answers. Socket faults really happen on the socket: `reset` and `connect_error` send a TCP RST,
`commit_then_drop` closes without an answer, `truncated` closes mid-body, drips trickle the head
or the body, and streamed bodies are sent as they are made (chunked when their length is
unknown) until the client goes or their `max_seconds` pass. A request h11 cannot
parse, or one over the size limits, drops the connection without an answer.
"""

from __future__ import annotations

import contextlib
import socket
import struct
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any, Final

import anyio
import h11
from anyio.abc import SocketAttribute, SocketStream, TaskStatus

from ._bridge import BridgedAnswer, BridgedRequest, Headers, call_app
from ._constants import FAKE_MAX_REQUEST_BODY, FAKE_MAX_REQUEST_HEAD
from ._drip import Drip, DripCappedError
from ._types import ASGIApp

RECEIVE_SIZE: Final = 65536
SERVER_HEADER: Final = (b"Server", b"FakeUltraCart")
_NO_BODY_STATUSES: Final = frozenset({204, 304})
_STREAM_ERRORS: Final = (
    anyio.BrokenResourceError,
    anyio.ClosedResourceError,
    anyio.IncompleteRead,
    OSError,
)


class _DropConnectionError(Exception):
    """The request cannot be served: close the connection without an answer."""


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
            await _HTTPConnection(self.app, stream).serve()
        except (*_STREAM_ERRORS, h11.ProtocolError, _DropConnectionError, DripCappedError):
            pass
        finally:
            with anyio.CancelScope(shield=True):
                await stream.aclose()


class _HTTPConnection:
    """One client connection: its requests in turn, each answered through the app."""

    def __init__(self, app: ASGIApp, stream: SocketStream) -> None:
        self._app = app
        self._stream = stream
        self._h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=FAKE_MAX_REQUEST_HEAD)

    async def serve(self) -> None:
        while await self._exchange():
            self._h11.start_next_cycle()

    async def _exchange(self) -> bool:
        """Serve one request; True to keep the connection open for the next."""
        event = await self._next_event()
        if not isinstance(event, h11.Request):
            return False  # the client closed the connection
        body = await self._read_body(event)
        answer = await call_app(self._app, self._bridged(event, body))
        return await self._send_answer(event, answer)

    async def _next_event(self) -> object:
        while True:
            event = self._h11.next_event()
            if event is not h11.NEED_DATA:
                return event
            try:
                data = await self._stream.receive(RECEIVE_SIZE)
            except anyio.EndOfStream:
                data = b""
            self._h11.receive_data(data)

    async def _read_body(self, request: h11.Request) -> bytes:
        if _declared_length(request) > FAKE_MAX_REQUEST_BODY:
            raise _DropConnectionError("request body too large")
        if self._h11.they_are_waiting_for_100_continue:
            go_on = h11.InformationalResponse(status_code=100, headers=[], reason=b"Continue")
            await self._stream.send(self._h11.send(go_on))
        chunks: list[bytes] = []
        size = 0
        while True:
            event = await self._next_event()
            if isinstance(event, h11.EndOfMessage):
                return b"".join(chunks)
            if not isinstance(event, h11.Data):
                raise _DropConnectionError(f"unexpected {event!r} in a request body")
            size += len(event.data)
            if size > FAKE_MAX_REQUEST_BODY:
                raise _DropConnectionError("request body too large")
            chunks.append(bytes(event.data))

    def _bridged(self, request: h11.Request, body: bytes) -> BridgedRequest:
        raw_path, _, query = bytes(request.target).partition(b"?")
        local: Any = self._stream.extra(SocketAttribute.local_address)  # noqa: S610
        remote: Any = self._stream.extra(SocketAttribute.remote_address)  # noqa: S610
        return BridgedRequest(
            method=request.method.decode("latin-1"),
            raw_path=raw_path,
            query_string=query,
            headers=[(bytes(name), bytes(value)) for name, value in request.headers],
            body=body,
            server=tuple(local[:2]),
            client=tuple(remote[:2]),
            http_version=request.http_version.decode("latin-1"),
        )

    async def _send_answer(self, request: h11.Request, answer: BridgedAnswer) -> bool:
        """Send the answer (or carry out its socket fault); True to keep the connection."""
        order = answer.order
        kind = order.kind
        if kind in ("connect_error", "reset"):
            _abort(self._stream)
            return False
        if kind == "commit_then_drop" or answer.status is None:
            return False
        body = answer.body
        length = len(body) if order.body is None else order.body.length
        head = self._h11.send(
            h11.Response(
                status_code=answer.status,
                headers=_answer_headers(request, answer.status, answer.headers, length),
                reason=_reason(answer.status),
            )
        )
        if kind == "truncated":
            cut = order.truncate_at
            cut = len(body) // 2 if cut is None else cut
            await self._stream.send(head + body[:cut])
            return False
        if order.head_drip is not None or order.body_drip is not None:
            chunks = [body] if order.body is None else order.body.chunks
            await self._send_paced(request, head, chunks, order.head_drip, order.body_drip)
        else:
            payload = [head]
            if body and request.method != b"HEAD":
                payload.append(self._h11.send(h11.Data(data=body)))
            payload.append(self._h11.send(h11.EndOfMessage()))
            await self._stream.send(b"".join(part for part in payload if part))
        return self._h11.our_state is h11.DONE and self._h11.their_state is h11.DONE

    async def _send_paced(
        self,
        request: h11.Request,
        head: bytes,
        chunks: Iterable[bytes],
        head_drip: Drip | None,
        body_drip: Drip | None,
    ) -> None:
        """Send the head, then the body, each piece by piece if it drips, within the drip's
        `max_seconds` (a send the client does not read counts too); DripCappedError past it."""
        drip = head_drip or body_drip
        assert drip is not None
        with anyio.move_on_after(drip.max_seconds) as scope:
            await self._send_dripped([head], head_drip)
            if request.method != b"HEAD":
                framed = (self._h11.send(h11.Data(data=chunk)) or b"" for chunk in chunks if chunk)
                await self._send_dripped(framed, body_drip)
            await self._stream.send(self._h11.send(h11.EndOfMessage()) or b"")
        if scope.cancelled_caught:
            raise DripCappedError(f"still sending after max_seconds={drip.max_seconds:g}")

    async def _send_dripped(self, chunks: Iterable[bytes], drip: Drip | None) -> None:
        if drip is None:
            for chunk in chunks:
                await self._stream.send(chunk)
            return
        paced = drip.pace(chunks)
        while (piece := await paced.next()) is not None:
            await self._stream.send(piece)


def _declared_length(request: h11.Request) -> int:
    """The request's Content-Length (0 when it has none; h11 has checked it is a number)."""
    for name, value in request.headers:
        if name == b"content-length":
            return int(value)
    return 0


def _answer_headers(
    request: h11.Request, status: int, headers: Headers, length: int | None
) -> Headers:
    """The app's headers plus `Server`, a `Content-Length` if missing and known (else h11
    frames the body as chunked), and `Connection`."""
    close = _closes(request, headers)
    sent = [SERVER_HEADER]
    sent += [(name, value) for name, value in headers if name.lower() != b"connection"]
    if (
        length is not None
        and status not in _NO_BODY_STATUSES
        and not any(name.lower() == b"content-length" for name, _ in headers)
    ):
        sent.append((b"Content-Length", str(length).encode()))
    sent.append((b"Connection", b"close" if close else b"keep-alive"))
    return sent


def _closes(request: h11.Request, headers: Headers) -> bool:
    """Whether the connection closes after this answer: either side said so, or HTTP/1.0."""

    return (
        request.http_version == b"1.0" or _says_close(list(request.headers)) or _says_close(headers)
    )


def _says_close(headers: Headers) -> bool:
    return any(
        name.lower() == b"connection"
        and b"close" in (token.strip().lower() for token in value.split(b","))
        for name, value in headers
    )


def _reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode("latin-1")
    except ValueError:
        return b"Unknown"


def _abort(stream: SocketStream) -> None:
    """Make the coming close send a TCP RST instead of a FIN."""
    raw = stream.extra(SocketAttribute.raw_socket)  # noqa: S610
    with contextlib.suppress(OSError):
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
