"""httpx and httpx2 side by side: a caller's client of either stack works, every failure maps to
the same `uc.*` error, and the client builds its own pool on the stack it is told to."""

from __future__ import annotations

import importlib
import socket
import threading
from types import ModuleType
from typing import Any, cast

import anyio
import orjson
import pytest

import ultracart_async as uc
from tests.hostile import response_head, serve
from ultracart_async._http import StackName

pytestmark = pytest.mark.anyio

KEY = "sk-STACK-0123456789abcdef"
BODY = orjson.dumps({"customer": {"customer_profile_oid": 7}, "success": True})


# In the suite's httpx2 session the name httpx is httpx2 (tests/conftest.py): side by side
# comparisons need the real httpx.
ALIASED = importlib.import_module("httpx").__name__ == "httpx2"
needs_both = pytest.mark.skipif(ALIASED, reason="this session runs on httpx2 alone")


def _stack(name: str) -> ModuleType:
    if ALIASED and name == "httpx":
        pytest.skip("this session runs on httpx2 alone")
    try:
        return importlib.import_module(name)
    except ImportError:
        pytest.skip(f"{name} is not installed here (`pip install 'ultracart-async[httpx2]'`)")


@pytest.fixture(params=["httpx", "httpx2"])
def stack(request: pytest.FixtureRequest) -> ModuleType:
    return _stack(request.param)


def _ok(conn: socket.socket, head: bytes, stopping: threading.Event) -> None:
    conn.sendall(response_head("200 OK", {"Content-Length": str(len(BODY))}) + BODY)


def _silent(conn: socket.socket, head: bytes, stopping: threading.Event) -> None:
    stopping.wait(10)


def _reset_mid_body(conn: socket.socket, head: bytes, stopping: threading.Event) -> None:
    conn.sendall(response_head("200 OK", {"Content-Length": "1000"}) + b'{"customer":')
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_callers_client_of_either_stack_works(stack: ModuleType) -> None:
    with serve(_ok) as (url, heads):
        async with stack.AsyncClient() as http:
            client = uc.CustomerClient(KEY, base_url=url, http_client=http)
            assert client.http_stack == stack.__name__
            response = await client.get_customer(7)
    assert response.customer is not None
    assert response.customer.customer_profile_oid == 7
    assert b"x-ultracart-simple-key: " + KEY.encode() in heads[0]


async def test_a_refused_connection_is_api_connection_error(stack: ModuleType) -> None:
    url = f"http://127.0.0.1:{_free_port()}/rest/v2"
    async with stack.AsyncClient() as http:
        client = uc.CustomerClient(KEY, base_url=url, http_client=http, max_retries=0)
        with pytest.raises(uc.APIConnectionError) as caught:
            await client.get_customer(7)
    assert isinstance(caught.value, uc.NotSentError)
    assert isinstance(caught.value.__cause__, stack.ConnectError)


async def test_a_slow_server_is_api_timeout_error(stack: ModuleType) -> None:
    with serve(_silent) as (url, _):
        async with stack.AsyncClient() as http:
            client = uc.CustomerClient(KEY, base_url=url, http_client=http, max_retries=0)
            with anyio.fail_after(10), pytest.raises(uc.APITimeoutError):
                await client.with_options(timeout=0.3).get_customer(7)


async def test_a_reset_mid_body_is_a_connection_error_and_a_write_outcome_unknown(
    stack: ModuleType,
) -> None:
    with serve(_reset_mid_body) as (url, heads):
        async with stack.AsyncClient() as http:
            client = uc.CustomerClient(KEY, base_url=url, http_client=http, max_retries=2)
            with anyio.fail_after(10), pytest.raises(uc.APIConnectionError):
                await client.get_customer(7)
            assert len(heads) == 3
            credit = uc.CustomerStoreCreditAddRequest(amount=1.0)
            with anyio.fail_after(10), pytest.raises(uc.WriteOutcomeUnknownError):
                await client.add_customer_store_credit(7, credit)
            assert len(heads) == 4


async def test_the_client_builds_its_pool_on_the_stack_named(stack: ModuleType) -> None:
    with serve(_ok) as (url, _):
        async with uc.CustomerClient(
            KEY, base_url=url, http_stack=cast("StackName", stack.__name__)
        ) as client:
            assert client.http_stack == stack.__name__
            assert (await client.get_customer(7)).customer is not None


async def test_either_stacks_timeout_object_is_accepted(stack: ModuleType) -> None:
    client = uc.CustomerClient(KEY, timeout=stack.Timeout(3.0, connect=1.0))
    assert (client.timeout.connect, client.timeout.read) == (1.0, 3.0)
    await client.aclose()


@needs_both
def test_the_stack_comes_from_the_environment_not_from_what_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ULTRACART_HTTP_STACK", raising=False)
    assert uc.CustomerClient(KEY).http_stack == "httpx"
    _stack("httpx2")
    monkeypatch.setenv("ULTRACART_HTTP_STACK", "httpx2")
    assert uc.CustomerClient(KEY).http_stack == "httpx2"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"http_stack": "requests"}, "http_stack must be one of"),
        ({"http_client": object()}, "http_client must be an httpx.AsyncClient"),
    ],
)
def test_bad_stack_options_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(uc.InvalidInputError, match=message):
        uc.CustomerClient(KEY, **kwargs)


@needs_both
async def test_a_stack_that_disagrees_with_the_client_given_is_refused() -> None:
    import httpx

    async with httpx.AsyncClient() as http:
        with pytest.raises(uc.InvalidInputError, match="http_stack='httpx2' but http_client"):
            uc.CustomerClient(KEY, http_client=http, http_stack="httpx2")


def test_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ULTRACART_BASE_URL", "http://127.0.0.1:8765/rest/v2/")
    assert "127.0.0.1:8765/rest/v2'" in repr(uc.CustomerClient(KEY))
    monkeypatch.setenv("ULTRACART_BASE_URL", "http://x\r\n/rest/v2")
    with pytest.raises(uc.InvalidInputError, match="base_url"):
        uc.CustomerClient(KEY)
    monkeypatch.delenv("ULTRACART_BASE_URL")
    assert "secure.ultracart.com" in repr(uc.CustomerClient(KEY))


async def test_fakeultracarts_in_process_transport_serves_either_stack(stack: ModuleType) -> None:
    from ultracart_async.testing import FakeUltraCart

    fake = FakeUltraCart(customers=3, seed=2)
    oid = fake.customer_oids()[0]
    name = cast("StackName", stack.__name__)
    async with fake.client(http_stack=name, max_retries=0) as client:
        assert client.http_stack == stack.__name__
        assert (await client.get_customer(oid)).customer is not None
        fake.inject("connect_error", operation="get_customer")
        with pytest.raises(uc.NotSentError) as refused:
            await client.get_customer(oid)
        assert isinstance(refused.value.__cause__, stack.ConnectError)
        fake.inject("truncated", operation="get_customer")
        with pytest.raises(uc.APIConnectionError):
            await client.get_customer(oid)
        fake.inject("slow_drip_body", operation="get_customer", delay=0.2)
        with anyio.fail_after(10), pytest.raises(uc.APITimeoutError):
            await client.with_options(deadline=0.5).get_customer(oid)
    async with stack.AsyncClient(transport=fake.transport(), base_url=fake.base_url) as http:
        response = await http.get(f"/customer/customers/{oid}", headers=fake.headers())
        assert isinstance(response, stack.Response)
        assert response.json()["customer"]["customer_profile_oid"] == oid


def test_a_timeout_object_of_another_library_is_refused() -> None:
    class Timeout:
        connect = read = write = pool = 1.0

    with pytest.raises(uc.InvalidInputError, match="timeout must be"):
        uc.CustomerClient(KEY, timeout=Timeout())  # type: ignore[arg-type]
