"""The in-process carrier: an httpx transport running the app, socket faults as httpx errors."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import httpx

from ._bridge import BridgedAnswer, BridgedRequest, call_app
from ._types import ASGIApp


class _TruncatedStream(httpx.AsyncByteStream):
    """A body that ends early, as httpx reports a connection closed mid-body."""

    def __init__(self, part: bytes, expected: int, request: httpx.Request) -> None:
        self._part = part
        self._expected = expected
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._part:
            yield self._part
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body "
            f"(received {len(self._part)} bytes, expected {self._expected})",
            request=self._request,
        )


class FakeTransport(httpx.AsyncBaseTransport):
    """Runs the fake's ASGI app in-process (asyncio or trio).

    Like a real socket: `connect_error` raises httpx.ConnectError (nothing processed); `reset`
    raises httpx.ReadError and `commit_then_drop` httpx.RemoteProtocolError after the request was
    processed; `truncated` gives a response whose body read raises httpx.RemoteProtocolError; a
    read timeout (`slow`, latency) raises httpx.ReadTimeout.
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
            raise httpx.ReadTimeout(
                "timed out waiting for FakeUltraCart", request=request
            ) from None
        return _response(answer, request)


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


def _response(answer: BridgedAnswer, request: httpx.Request) -> httpx.Response:
    """The httpx response of `answer`, or the httpx error its socket fault gives."""
    kind = answer.order.kind
    if kind == "connect_error":
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
    if kind == "reset":
        raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
    if kind == "commit_then_drop" or answer.status is None:
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        )
    content = answer.body
    stream: httpx.AsyncByteStream = httpx.ByteStream(content)
    if kind == "truncated":
        cut = answer.order.truncate_at
        cut = len(content) // 2 if cut is None else cut
        stream = _TruncatedStream(content[:cut], len(content), request)
    return httpx.Response(
        answer.status,
        headers=answer.headers,
        stream=stream,
        request=request,
        extensions={"http_version": b"HTTP/1.1"},
    )
