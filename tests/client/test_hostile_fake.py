"""The client against FakeUltraCart's hostile faults ends as promised, in-process and over the
loopback server: deadlines fire, bodies stay under their cap, echoed credentials never reach
errors or logs, and a walk over pages that ignore `_offset` stops."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote, quote_plus

import anyio
import pytest

import ultracart_async as uc
from ultracart_async._constants import REDACTED
from ultracart_async.testing import FakeUltraCart

pytestmark = pytest.mark.anyio

KEY = "sk+ECHOED/key=0123456789abcdef"
GUARD = 15.0  # a call that has not ended by then has no deadline at all
MIB = 1024 * 1024


@pytest.fixture(params=["in_process", "loopback"])
def carrier(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake() -> FakeUltraCart:
    return FakeUltraCart(customers=100, seed=7, simple_key=KEY)


@asynccontextmanager
async def _client(fake: FakeUltraCart, carrier: str, **kwargs: Any) -> AsyncIterator[Any]:
    """A client of `fake` over `carrier`, no retries unless asked for."""
    kwargs.setdefault("max_retries", 0)
    if carrier == "in_process":
        async with fake.client(**kwargs) as client:
            yield client
        return
    with fake.serve_in_thread() as url:
        async with uc.CustomerClient(KEY, base_url=url, **kwargs) as client:
            yield client


def _credit() -> uc.CustomerStoreCreditAddRequest:
    return uc.CustomerStoreCreditAddRequest(amount=5.0, description="goodwill")


# -- deadlines ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["slow_drip_body", "slow_drip_head"])
async def test_a_drip_cannot_outlast_the_deadline(
    fake: FakeUltraCart, carrier: str, kind: Any
) -> None:
    fake.inject(kind, delay=0.05, piece_bytes=1)
    oid = fake.customer_oids()[0]
    async with _client(fake, carrier, timeout=2, deadline=0.3) as client:
        started = time.monotonic()
        with anyio.fail_after(GUARD), pytest.raises(uc.APITimeoutError, match="deadline"):
            await client.get_customer(oid)
        took = time.monotonic() - started
    assert took < 3.0
    assert fake.requests[-1].fault == kind


async def test_a_dripped_money_write_is_outcome_unknown_not_retried(
    fake: FakeUltraCart, carrier: str
) -> None:
    fake.inject("slow_drip_body", operation="add_customer_store_credit", delay=0.05)
    oid = fake.customer_oids()[0]
    async with _client(fake, carrier, timeout=2, deadline=0.3, max_retries=3) as client:
        with anyio.fail_after(GUARD), pytest.raises(uc.WriteOutcomeUnknownError):
            await client.add_customer_store_credit(oid, _credit())
    assert [(r.operation, r.applied) for r in fake.requests] == [
        ("add_customer_store_credit", True)
    ]


# -- bounded bodies -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "size"),
    [("oversized_body", 4 * MIB), ("oversized_body", None), ("compressed_bomb", 8 * MIB)],
    ids=["oversized", "endless", "bomb"],
)
async def test_a_body_past_the_cap_is_a_typed_error(
    fake: FakeUltraCart, carrier: str, kind: Any, size: int | None
) -> None:
    fake.inject(kind, size_bytes=size)
    async with _client(fake, carrier, max_response_bytes=MIB) as client:
        with anyio.fail_after(GUARD), pytest.raises(uc.ResponseTooLargeError) as caught:
            await client.get_customers(limit=5)
        again = await client.get_customers(limit=5)  # the connection is usable afterwards
    assert caught.value.limit == MIB
    assert "max_response_bytes" in str(caught.value)
    assert again.customers is not None
    assert len(again.customers) == 5


async def test_the_default_cap_stops_the_default_bomb(fake: FakeUltraCart, carrier: str) -> None:
    fake.inject("compressed_bomb")
    async with _client(fake, carrier) as client:
        with anyio.fail_after(GUARD), pytest.raises(uc.ResponseTooLargeError):
            await client.get_customer(fake.customer_oids()[0])


# -- credentials echoed by the server -----------------------------------------------------------

_FORMS = [
    KEY,
    quote(KEY, safe=""),
    quote_plus(KEY, safe=""),
    base64.b64encode(KEY.encode()).decode(),
    base64.b64encode(f"user:{KEY}".encode()).decode(),
]
_PLACES = {
    "401_json": uc.AuthenticationError,
    "502_html": uc.ServerError,
    "header": uc.AuthenticationError,
    "200_html": uc.ResponseDecodeError,
}


@pytest.mark.parametrize("where", list(_PLACES))
async def test_an_echoed_key_never_reaches_the_error_or_the_log(
    fake: FakeUltraCart, carrier: str, where: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ultracart_async")
    fake.inject("key_echo", where=where)
    async with _client(fake, carrier) as client:
        with anyio.fail_after(GUARD), pytest.raises(uc.APIError) as caught:
            await client.get_customer(fake.customer_oids()[0])
    error = caught.value
    assert isinstance(error, _PLACES[where])
    assert fake.requests[-1].fault == "key_echo"
    texts = [str(error), repr(error), caplog.text, repr(vars(error))]
    if isinstance(error, uc.APIStatusError):
        assert error.response is not None
        texts += [error.response.text, repr(error.response.headers.multi_items())]
    else:
        assert isinstance(error, uc.ResponseDecodeError)
        texts.append(error.body_excerpt)
    assert REDACTED in "".join(texts)  # the echo reached the client, scrubbed
    for text in texts:
        for form in _FORMS:
            assert form not in text


# -- a walk over pages that ignore _offset ------------------------------------------------------


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_pages_that_ignore_the_offset_stop_the_walk(
    fake: FakeUltraCart, carrier: str, concurrency: int
) -> None:
    fake.inject("offset_ignored", times=None)
    seen: list[int | None] = []

    async def walk(client: uc.CustomerClient) -> None:
        async for customer in client.iter_customers(page_size=10, concurrency=concurrency):
            seen.append(customer.customer_profile_oid)

    async with _client(fake, carrier) as client:
        with anyio.fail_after(GUARD), pytest.raises(uc.PaginationError) as caught:
            await walk(client)
    assert seen == fake.customer_oids()[:10]  # the first page, each customer once
    pages = [r for r in fake.requests if r.operation == "get_customers"]
    assert all(r.fault == "offset_ignored" for r in pages)
    if concurrency == 1:
        assert len(pages) == 4  # the first page and three that added nothing
    assert len(pages) <= 4 + concurrency
    assert caught.value.pages >= 3


async def test_an_unsafe_write_answered_with_an_undecodable_2xx_is_outcome_unknown() -> None:
    """The credit may have been booked: never a plain APIError a retry handler would repeat."""
    fake = FakeUltraCart(customers=2, seed=5)
    oid = fake.customer_oids()[0]
    async with fake.client(max_retries=3) as client:
        fake.inject("malformed_json", operation="add_customer_store_credit")
        credit = uc.CustomerStoreCreditAddRequest(amount=5.0)
        with pytest.raises(uc.WriteOutcomeUnknownError) as caught:
            await client.add_customer_store_credit(oid, credit)
        assert isinstance(caught.value.__cause__, uc.ResponseDecodeError)
        fake.inject("malformed_json", operation="get_customer")
        with pytest.raises(uc.ResponseDecodeError):
            await client.get_customer(oid)
    assert [r.operation for r in fake.requests] == ["add_customer_store_credit", "get_customer"]
