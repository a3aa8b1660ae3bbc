"""The in-process carrier: an httpx transport running the app, socket faults as httpx errors.

It serves clients of either HTTP stack, httpx or httpx2: responses, streams and errors are
made of the stack the request comes from.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from types import ModuleType

import anyio
import httpx

from ultracart_async._http import HttpStack

from ._bridge import BridgedAnswer, BridgedRequest, call_app
from ._drip import Drip, DripCappedError, Paced
from ._types import ASGIApp

_DISCONNECTED = "Server disconnected without sending a response."


class _TruncatedStream:
    """A body that ends early, as httpx reports a connection closed mid-body."""

    def __init__(self, part: bytes, expected: int, request: httpx.Request) -> None:
        self._part = part
        self._expected = expected
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._part:
            yield self._part
        raise _http(self._request).RemoteProtocolError(
            "peer closed connection without sending complete message body "
            f"(received {len(self._part)} bytes, expected {self._expected})",
            request=self._request,
        )


class _PacedStream:
    """A body made as it is read, piece by piece; it stops when the response is closed, and
    ends as a connection closed mid-body past its drip's `max_seconds`."""

    def __init__(self, paced: Paced, request: httpx.Request) -> None:
        self._paced = paced
        self._request = request
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while not self._closed:
            try:
                piece = await self._paced.next()
            except DripCappedError as exc:
                message = f"peer closed connection without sending complete message body ({exc})"
                error = _http(self._request).RemoteProtocolError
                raise error(message, request=self._request) from None
            if piece is None:
                return
            yield piece

    async def aclose(self) -> None:
        self._closed = True


class FakeTransport(httpx.AsyncBaseTransport):
    """Runs the fake's ASGI app in-process (asyncio or trio).

    Like a real socket: `connect_error` raises httpx.ConnectError (nothing processed); `reset`
    raises httpx.ReadError and `commit_then_drop` httpx.RemoteProtocolError after the request was
    processed; `truncated` gives a response whose body read raises httpx.RemoteProtocolError; a
    read timeout (`slow`, latency) raises httpx.ReadTimeout. Drips and oversized bodies are
    made as the body is read (no read timeout applies between pieces: each comes in time); a
    dripped head delays the response as long as its pieces take. Past a drip's `max_seconds`
    the read raises httpx.RemoteProtocolError.
    """

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        bridged = BridgedRequest(
            method=request.method,
            raw_path=request.url.raw_path.split(b"?", 1)[0],
            query_string=request.url.query,
            headers=list(request.headers.raw),
            body=await request.aread(),
            scheme=request.url.scheme,
            server=(request.url.host, request.url.port or _default_port(request.url)),
        )
        read_timeout = request.extensions.get("timeout", {}).get("read")
        try:
            with anyio.fail_after(read_timeout):
                answer = await call_app(self._app, bridged)
        except TimeoutError:
            raise _http(request).ReadTimeout(
                "timed out waiting for FakeUltraCart", request=request
            ) from None
        if answer.order.head_drip is not None and answer.status is not None:
            await _drip_head(answer, answer.order.head_drip, request)
        return _response(answer, request)


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


async def _drip_head(answer: BridgedAnswer, drip: Drip, request: httpx.Request) -> None:
    """Take the time a socket would take to trickle the answer's head."""
    lines = [b"HTTP/1.1 %d" % (answer.status or 0)]
    lines += [name + b": " + value for name, value in answer.headers]
    paced = drip.pace([b"\r\n".join([*lines, b"", b""])])
    try:
        while await paced.next() is not None:
            pass
    except DripCappedError:
        raise _http(request).RemoteProtocolError(_DISCONNECTED, request=request) from None


def _http(request: httpx.Request) -> ModuleType:
    """The HTTP stack (httpx or httpx2) `request` comes from."""
    return HttpStack.of(request).module


@functools.cache
def _of_stack(stream_class: type, stack: ModuleType) -> type:
    """`stream_class` as a byte stream of `stack`, which checks the type of a body's stream."""
    return type(stream_class.__name__, (stream_class, stack.AsyncByteStream), {})


def _response(answer: BridgedAnswer, request: httpx.Request) -> httpx.Response:
    """The httpx response of `answer`, or the httpx error its socket fault gives."""
    order = answer.order
    kind = order.kind
    http = _http(request)
    if kind == "connect_error":
        raise http.ConnectError("[Errno 111] Connection refused", request=request)
    if kind == "reset":
        raise http.ReadError("[Errno 104] Connection reset by peer", request=request)
    if kind == "commit_then_drop" or answer.status is None:
        raise http.RemoteProtocolError(_DISCONNECTED, request=request)
    content = answer.body
    stream: httpx.AsyncByteStream = http.ByteStream(content)
    if kind == "truncated":
        cut = order.truncate_at
        cut = len(content) // 2 if cut is None else cut
        stream = _of_stack(_TruncatedStream, http)(content[:cut], len(content), request)
    elif order.body is not None or order.body_drip is not None:
        chunks = order.body.chunks if order.body is not None else [content]
        drip = order.body_drip or Drip(0.0, max(len(content), 1), float("inf"))
        stream = _of_stack(_PacedStream, http)(drip.pace(chunks), request)
    response: httpx.Response = http.Response(
        answer.status,
        headers=answer.headers,
        stream=stream,
        request=request,
        extensions={"http_version": b"HTTP/1.1"},
    )
    return response
