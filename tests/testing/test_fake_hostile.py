"""FakeUltraCart's hostile faults: trickled heads and bodies, oversized and compressed-bomb
bodies, echoed credentials and ignored offsets, on both carriers, each bounded in time."""

from __future__ import annotations

import base64
import contextlib
import gzip
import itertools
import socket
import time
import zlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import anyio
import httpx
import orjson
import pytest

from ultracart_async._constants import HEADER_REST_ERROR, HEADER_SIMPLE_KEY
from ultracart_async.testing import (
    FAULT_KINDS,
    RESPONSE_FAULTS,
    SOCKET_FAULTS,
    FakeTransport,
    FakeUltraCart,
)
from ultracart_async.testing._big_bodies import gzip_bomb
from ultracart_async.testing._drip import Drip, StreamedBody
from ultracart_async.testing._faults import CHANNEL_KEY, SocketFaultOrder
from ultracart_async.testing._server import LoopbackServer
from ultracart_async.testing._types import Receive, Scope, Send

pytestmark = pytest.mark.anyio

GUARD = 15.0  # no test here may run longer
KEY = "sk+ECHO/key=0123456789abcdef"  # its URL-encoded and base64 forms differ from it
NEW_CUSTOMER = {"email": "hostile.fault@example.com"}


@pytest.fixture(params=["in_process", "loopback"])
def carrier(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake() -> FakeUltraCart:
    return FakeUltraCart(customers=60, seed=3, simple_key=KEY)


@pytest.fixture
def base_url(carrier: str, fake: FakeUltraCart) -> Iterator[str]:
    """ "" for in-process, else the loopback server's URL."""
    if carrier == "in_process":
        yield ""
    else:
        with fake.serve_in_thread() as url:
            yield url


def _client(fake: FakeUltraCart, base_url: str, **kwargs: Any) -> httpx.AsyncClient:
    kwargs.setdefault("headers", fake.headers())
    if base_url:
        return httpx.AsyncClient(base_url=base_url, **kwargs)
    return httpx.AsyncClient(transport=fake.transport(), base_url=fake.base_url, **kwargs)


def _forms(secret: str) -> list[str]:
    """The forms `key_echo` quotes a credential in."""
    return [
        secret,
        quote(secret, safe=""),
        base64.b64encode(secret.encode()).decode(),
        base64.b64encode(f"user:{secret}".encode()).decode(),
    ]


# -- slow drips ---------------------------------------------------------------------------------


async def test_slow_drip_body_outlasts_the_read_timeout_piece_by_piece(
    fake: FakeUltraCart, base_url: str
) -> None:
    rule = fake.inject("slow_drip_body", operation="get_customer", delay=0.02, piece_bytes=64)
    oid = fake.customer_oids()[0]
    pieces: list[bytes] = []
    with anyio.fail_after(GUARD):
        async with _client(fake, base_url, timeout=httpx.Timeout(5, read=0.25)) as http:
            started = time.monotonic()
            async with http.stream("GET", f"/customer/customers/{oid}") as response:
                head_after = time.monotonic() - started
                pieces = [piece async for piece in response.aiter_raw()]
            took = time.monotonic() - started
    body = b"".join(pieces)
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(body)
    assert orjson.loads(body)["customer"]["customer_profile_oid"] == oid
    expected = (len(body) // 64) * 0.02
    assert expected > 0.25  # longer than one read timeout: only a deadline can stop it
    assert took >= expected * 0.8
    assert head_after < expected / 2  # the head came at once
    assert len(pieces) >= 5
    assert max(map(len, pieces)) <= 64 * 4  # small pieces (a socket may merge a few)
    assert (rule.fired, fake.requests[-1].fault, fake.requests[-1].status) == (
        1,
        "slow_drip_body",
        200,
    )


async def test_slow_drip_body_processes_the_write(fake: FakeUltraCart, base_url: str) -> None:
    fake.inject("slow_drip_body", delay=0.001, piece_bytes=256)
    with anyio.fail_after(GUARD):
        async with _client(fake, base_url) as http:
            response = await http.post("/customer/customers", json=NEW_CUSTOMER)
    assert response.status_code == 200
    assert fake.find_customer_oid(NEW_CUSTOMER["email"]) is not None
    assert fake.requests[-1].applied


async def test_slow_drip_head_outlasts_the_read_timeout(fake: FakeUltraCart, base_url: str) -> None:
    fake.inject("slow_drip_head", delay=0.02, piece_bytes=8)
    with anyio.fail_after(GUARD):
        async with _client(fake, base_url, timeout=httpx.Timeout(5, read=0.25)) as http:
            started = time.monotonic()
            response = await http.get("/customer/editor_values")
            took = time.monotonic() - started
            plain = await http.get("/customer/editor_values")
    assert response.status_code == 200
    assert response.json() == plain.json()
    assert took > 0.3  # longer than the read timeout: a head of 150+ bytes, 8 every 0.02 s


def test_slow_drip_head_trickles_the_bytes_on_the_socket(fake: FakeUltraCart) -> None:
    fake.inject("slow_drip_head", delay=0.05, piece_bytes=4, max_seconds=0.4)
    with fake.serve_in_thread() as url, socket.create_connection(_address(url), 5) as sock:
        sock.sendall(
            b"GET /rest/v2/customer/editor_values HTTP/1.1\r\nHost: x\r\n"
            + f"{HEADER_SIMPLE_KEY}: {KEY}\r\nX-UltraCart-Api-Version: 2017-03-01\r\n\r\n".encode()
        )
        first = sock.recv(65536)
        received = first
        started = time.monotonic()
        while chunk := sock.recv(65536):  # ends when the fake gives up at max_seconds
            received += chunk
        took = time.monotonic() - started
    assert 1 <= len(first) <= 4
    assert received.startswith(b"HTTP/1.1 200 ")
    assert b"\r\n\r\n" not in received  # capped before the head was complete
    assert 0.2 < took < 3.0


@pytest.mark.parametrize("kind", ["slow_drip_body", "slow_drip_head"])
async def test_a_drip_stops_at_max_seconds(fake: FakeUltraCart, base_url: str, kind: Any) -> None:
    fake.inject(kind, delay=0.05, piece_bytes=1, max_seconds=0.3)
    with anyio.fail_after(GUARD):
        async with _client(fake, base_url, timeout=httpx.Timeout(5)) as http:
            started = time.monotonic()
            with pytest.raises(httpx.RemoteProtocolError):
                await http.get("/customer/editor_values")
            took = time.monotonic() - started
            follow_up = await http.get("/customer/editor_values")
    assert 0.25 < took < 3.0
    assert follow_up.status_code == 200


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


# -- large bodies -------------------------------------------------------------------------------


async def test_oversized_body_is_a_streamed_json_page_of_the_size_asked(
    fake: FakeUltraCart, base_url: str
) -> None:
    size = 3 * 1024 * 1024 + 17
    fake.inject("oversized_body", operation="get_customers", size_bytes=size)
    params = {"_limit": 5}
    with anyio.fail_after(GUARD):
        async with (
            _client(fake, base_url) as http,
            http.stream("GET", "/customer/customers", params=params) as response,
        ):
            pieces = [piece async for piece in response.aiter_raw()]
    body = b"".join(pieces)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert int(response.headers["content-length"]) == size == len(body)
    assert max(map(len, pieces)) <= 256 * 1024  # streamed, not one piece
    page = orjson.loads(body)
    assert page["success"] is True
    assert len(page["customers"]) > 100
    assert "customer_profile_oid" in page["customers"][0]


async def test_oversized_body_can_be_endless(fake: FakeUltraCart, base_url: str) -> None:
    fake.inject("oversized_body", size_bytes=None)
    with anyio.fail_after(GUARD):
        async with _client(fake, base_url) as http:
            async with http.stream("GET", "/customer/editor_values") as response:
                received = await _read_at_most(response, 8 * 1024 * 1024)
            follow_up = await http.get("/customer/editor_values")
    assert received > 8 * 1024 * 1024
    assert "content-length" not in response.headers
    if base_url:
        assert response.headers["transfer-encoding"] == "chunked"
    assert follow_up.status_code == 200


async def test_compressed_bomb_inflates_to_the_size_asked(
    fake: FakeUltraCart, base_url: str
) -> None:
    size = 16 * 1024 * 1024
    fake.inject("compressed_bomb", size_bytes=size)
    with anyio.fail_after(GUARD):
        async with (
            _client(fake, base_url) as http,
            http.stream("GET", "/customer/customers") as response,
        ):
            raw = b"".join([piece async for piece in response.aiter_raw()])
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) == len(raw) < size // 500
    inflated = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(raw)
    assert len(inflated) == size
    assert orjson.loads(inflated) == {"customers": [], "metadata": {}, "success": True}


def test_the_bomb_is_built_once() -> None:
    assert gzip_bomb(1024 * 1024) is gzip_bomb(1024 * 1024)
    assert len(gzip.decompress(gzip_bomb(1000))) == 1000


# -- credentials echoed -------------------------------------------------------------------------


async def test_key_echo_quotes_the_credential_in_each_place(
    fake: FakeUltraCart, base_url: str
) -> None:
    places: list[Any] = ["401_json", "502_html", "header", "200_html"]
    for where in places:
        fake.inject("key_echo", where=where)
    with anyio.fail_after(GUARD):
        async with _client(fake, base_url) as http:
            answers = [await http.get("/customer/editor_values") for _ in places]
    json_401, html_502, header, html_200 = answers
    assert json_401.status_code == 401
    message = json_401.json()["error"]["developer_message"]
    assert html_502.status_code == 502
    assert html_502.headers["content-type"].startswith("text/html")
    assert header.status_code == 401
    assert html_200.status_code == 200
    assert html_200.headers["content-type"].startswith("text/html")
    for form in _forms(KEY):
        assert form in message
        assert form in html_502.text
        assert form in header.headers[HEADER_REST_ERROR]
        assert form not in header.text
        assert form in html_200.text
    assert [r.fault for r in fake.requests] == ["key_echo"] * 4
    assert KEY not in fake.format_requests()  # the fake's own log still redacts it


async def test_key_echo_quotes_whichever_credential_came(fake: FakeUltraCart) -> None:
    fake.inject("key_echo", times=None)
    headers = {"Authorization": "Bearer not-the-token-42", "X-UltraCart-Api-Version": "x"}
    with anyio.fail_after(GUARD):
        async with _client(fake, "", headers=headers) as http:
            response = await http.get("/customer/editor_values")
    for form in _forms("not-the-token-42"):
        assert form in response.json()["error"]["developer_message"]
    assert fake.counters.writes == {}


# -- ignored offsets ----------------------------------------------------------------------------


async def test_offset_ignored_answers_the_first_page_with_more(
    fake: FakeUltraCart, base_url: str
) -> None:
    rule = fake.inject("offset_ignored", times=None)
    with anyio.fail_after(GUARD):
        async with _client(fake, base_url) as http:
            single = await http.get(f"/customer/customers/{fake.customer_oids()[0]}")
            pages = [
                (await http.get("/customer/customers", params={"_limit": 10, "_offset": o})).json()
                for o in (0, 20, 50)
            ]
            searched = await http.get(
                "/customer/customers/search", params={"_limit": 10, "_offset": 30}
            )
    assert single.status_code == 200
    assert rule.fired == 4  # the listings only, by default
    first = [c["customer_profile_oid"] for c in pages[0]["customers"]]
    assert first == fake.customer_oids()[:10]
    for offset, page in zip((0, 20, 50), pages, strict=True):
        assert [c["customer_profile_oid"] for c in page["customers"]] == first
        result_set = page["metadata"]["result_set"]
        assert result_set["offset"] == offset
        assert result_set["more"] is True
        assert result_set["next_offset"] == offset + 10
        assert result_set["count"] == 10
    assert searched.json()["metadata"]["result_set"]["next_offset"] == 40
    assert [r.fault for r in fake.requests] == [None, *["offset_ignored"] * 4]


# -- where faults fire, and their parameters ----------------------------------------------------


async def test_streamed_faults_need_a_carrier_and_response_faults_do_not(
    fake: FakeUltraCart,
) -> None:
    streamed = [fake.inject(k) for k in ("slow_drip_body", "slow_drip_head", "oversized_body")]
    answered = [fake.inject("compressed_bomb", size_bytes=1024), fake.inject("key_echo")]
    transport = httpx.ASGITransport(app=fake.app)
    async with httpx.AsyncClient(
        transport=transport, base_url=fake.base_url, headers=fake.headers()
    ) as http:
        statuses = [(await http.get("/customer/editor_values")).status_code for _ in range(3)]
    assert statuses == [200, 401, 200]
    assert [rule.fired for rule in streamed] == [0, 0, 0]
    assert [rule.fired for rule in answered] == [1, 1]


def test_fault_kinds_are_sorted_into_their_carriers() -> None:
    assert {"slow_drip_body", "slow_drip_head", "oversized_body"} <= SOCKET_FAULTS
    assert {"compressed_bomb", "key_echo", "offset_ignored"} <= RESPONSE_FAULTS
    assert len(FAULT_KINDS) == 18


@pytest.mark.parametrize(
    ("kind", "options", "match"),
    [
        ("oversized_body", {"size_bytes": 0}, "size_bytes"),
        ("compressed_bomb", {"size_bytes": None}, "size_bytes"),
        ("slow_drip_body", {"piece_bytes": 0}, "piece_bytes"),
        ("slow_drip_head", {"max_seconds": 0}, "max_seconds"),
        ("slow_drip_body", {"delay": -1}, "delay"),
        ("key_echo", {"where": "everywhere"}, "where"),
    ],
)
def test_inject_checks_the_new_parameters(
    fake: FakeUltraCart, kind: Any, options: dict[str, Any], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        fake.inject(kind, **options)


def test_drips_default_to_short_pauses(fake: FakeUltraCart) -> None:
    assert fake.inject("slow_drip_body").delay < 1
    assert fake.inject("slow").delay == 30.0


def _address(url: str) -> tuple[str, int]:
    host_port = url.split("//", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    return host, int(port)
