"""FakeUltraCart's carriers stream an answer's body as it is made, piece by piece, and stop
when the client goes."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator

import anyio
import httpx
import pytest

from ultracart_async.testing import FakeTransport
from ultracart_async.testing._drip import Drip, StreamedBody
from ultracart_async.testing._faults import CHANNEL_KEY, SocketFaultOrder
from ultracart_async.testing._server import LoopbackServer
from ultracart_async.testing._types import Receive, Scope, Send

pytestmark = pytest.mark.anyio

GUARD = 15.0  # no test here may run longer


# -- carriers stop streaming when the client goes -----------------------------------------------


class _EndlessApp:
    """An ASGI app whose answer the carrier streams from an endless, counted source."""

    def __init__(self, drip: Drip) -> None:
        self.drip = drip
        self.pulled = 0

    def _source(self) -> Iterator[bytes]:
        for _ in itertools.count():
            self.pulled += 1
            yield b"x" * 4096

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await receive()
        order = scope["extensions"][CHANNEL_KEY]
        assert isinstance(order, SocketFaultOrder)
        order.body = StreamedBody(self._source(), None)
        order.body_drip = self.drip
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _read_at_most(response: httpx.Response, limit: int) -> int:
    """Read about `limit` bytes of the body, then close it (as the client does: closed, then
    its stream run to the end, so that nothing stays suspended for the garbage collector)."""
    received = 0
    raw = response.aiter_raw()
    try:
        async for piece in raw:
            received += len(piece)
            if received > limit:
                break
    finally:
        with anyio.CancelScope(shield=True), anyio.move_on_after(1):
            await response.aclose()
            with contextlib.suppress(Exception):
                async for _ in raw:
                    pass
    return received


async def _read_some_then_leave(http: httpx.AsyncClient, url: str) -> None:
    async with http.stream("GET", url) as response:
        await _read_at_most(response, 64 * 1024)


@pytest.mark.parametrize("delay", [0.0, 0.01])
async def test_the_loopback_server_stops_streaming_when_the_client_goes(delay: float) -> None:
    app = _EndlessApp(Drip(delay=delay, piece_bytes=4096, max_seconds=60))
    server = LoopbackServer(app)
    with anyio.fail_after(GUARD):
        async with anyio.create_task_group() as group:
            port = await group.start(server.serve)
            async with httpx.AsyncClient() as http:
                await _read_some_then_leave(http, f"http://127.0.0.1:{port}/")
            await anyio.sleep(0.3)  # the server notices the close within a few pieces
            stopped_at = app.pulled
            await anyio.sleep(0.3)
            assert app.pulled == stopped_at
            await server.shutdown()
    assert stopped_at < 10_000  # far from the 60 s cap


async def test_the_in_process_transport_stops_streaming_when_the_client_goes() -> None:
    app = _EndlessApp(Drip(delay=0.0, piece_bytes=4096, max_seconds=60))
    with anyio.fail_after(GUARD):
        async with httpx.AsyncClient(transport=FakeTransport(app)) as http:
            await _read_some_then_leave(http, "http://fake.test/")
            stopped_at = app.pulled
            await anyio.sleep(0.2)
    assert app.pulled == stopped_at
    assert stopped_at < 100
