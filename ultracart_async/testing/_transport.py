"""In-process httpx transport for FakeUltraCart's ASGI app; socket faults become httpx errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import anyio
import httpx

from ._app import CHANNEL_KEY, Message

if TYPE_CHECKING:
    from ._app import FakeApp


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

    def __init__(self, app: FakeApp) -> None:
        self._app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        channel: dict[str, Any] = {}
        url = request.url
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": url.scheme,
            "path": url.path,
            "raw_path": url.raw_path.split(b"?", 1)[0],
            "query_string": url.query,
            "root_path": "",
            "headers": [(name.lower(), value) for name, value in request.headers.raw],
            "client": ("127.0.0.1", 50000),
            "server": (url.host, url.port or (443 if url.scheme == "https" else 80)),
            "extensions": {CHANNEL_KEY: channel},
        }
        sent_request = False
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        done = anyio.Event()

        async def receive() -> Message:
            nonlocal sent_request
            if not sent_request:
                sent_request = True
                return {"type": "http.request", "body": body, "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    done.set()

        timeout = request.extensions.get("timeout", {})
        read_timeout = timeout.get("read")
        try:
            with anyio.fail_after(read_timeout):
                await self._app(scope, receive, send)
        except TimeoutError:
            raise httpx.ReadTimeout(
                "timed out waiting for FakeUltraCart", request=request
            ) from None
        finally:
            done.set()
        fault = channel.get("fault")
        if fault == "connect_error":
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        if fault == "reset":
            raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
        if fault == "commit_then_drop":
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        content = b"".join(chunks)
        if fault == "truncated":
            cut = int(channel.get("truncate_at", len(content) // 2))
            return httpx.Response(
                status,
                headers=headers,
                stream=_TruncatedStream(content[:cut], len(content), request),
                request=request,
                extensions={"http_version": b"HTTP/1.1"},
            )
        return httpx.Response(
            status,
            headers=headers,
            stream=httpx.ByteStream(content),
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )
