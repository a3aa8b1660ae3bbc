"""Raw responses, per-call headers, and both SDK argument orders, against FakeUltraCart."""

from __future__ import annotations

from typing import Any

import pytest

import ultracart_async as uc
from ultracart_async import models
from ultracart_async.testing import FakeUltraCart

pytestmark = pytest.mark.anyio


@pytest.fixture
def fake() -> FakeUltraCart:
    return FakeUltraCart(customers=5, seed=3)


def _client(fake: FakeUltraCart, **kwargs: Any) -> uc.CustomerClient:
    kwargs.setdefault("retry_policy", uc.RetryPolicy(backoff_initial=0, retry_after_cap=0))
    return fake.client(**kwargs)


# -- raw responses ------------------------------------------------------------------------------


async def test_raw_response_has_the_exchange_and_the_same_model(fake: FakeUltraCart) -> None:
    oid = fake.customer_oids()[0]
    async with _client(fake) as client:
        raw = await client.with_raw_response.get_customer(oid, expand="billing")
        plain = await client.get_customer(oid, expand="billing")
    assert raw.status_code == 200
    assert raw.request_id == raw.headers["X-UltraCart-Request-Id"] == fake.requests[0].request_id
    assert raw.elapsed.total_seconds() > 0
    assert raw.attempts == 1
    assert raw.parse() == plain
    assert "RawResponse(status_code=200" in repr(raw)


async def test_raw_response_counts_retries_and_failures_still_raise(fake: FakeUltraCart) -> None:
    oid = fake.customer_oids()[0]
    async with _client(fake) as client:
        fake.inject("server_error", operation="get_customer", times=1)
        raw = await client.with_raw_response.get_customer(oid)
        assert raw.attempts == 2
        with pytest.raises(uc.BadRequestError):
            await client.with_raw_response.get_customer(oid + 10_000)


async def test_raw_response_of_an_operation_without_a_body(fake: FakeUltraCart) -> None:
    oid = fake.customer_oids()[-1]
    async with _client(fake) as client:
        raw = await client.with_raw_response.delete_customer(oid)
    assert raw.status_code == 204
    assert raw.parse() is None


async def test_with_raw_response_offers_every_operation(fake: FakeUltraCart) -> None:
    from ultracart_async._operations import OPERATIONS

    async with _client(fake) as client:
        facade = client.with_raw_response
        for name in OPERATIONS:
            assert callable(getattr(facade, name)), name
        assert not client.is_closed


# -- per-call headers ---------------------------------------------------------------------------


async def test_per_call_headers_are_sent_by_the_view_only(fake: FakeUltraCart) -> None:
    oid = fake.customer_oids()[0]
    async with _client(fake) as client:
        traced = client.with_options(headers={"X-Trace-Id": "t-1", "User-Agent": "job/2"})
        await traced.with_options(headers={"X-Tenant": "eu"}).get_customer(oid)
        await client.get_customer(oid)
    first, second = fake.requests[0].headers, fake.requests[1].headers
    assert (first["x-trace-id"], first["x-tenant"], first["user-agent"]) == ("t-1", "eu", "job/2")
    assert "x-trace-id" not in second
    assert second["user-agent"].startswith("ultracart-async/")


@pytest.mark.parametrize(
    "name",
    [
        "x-ultracart-simple-key",
        "Authorization",
        "X-UltraCart-Browser-Key",
        "x-ultracart-api-version",
        "Host",
        "Content-Length",
    ],
)
def test_credential_version_and_framing_headers_cannot_be_overridden(name: str) -> None:
    client = uc.CustomerClient("k" * 16)
    with pytest.raises(uc.InvalidInputError, match="cannot be set per call"):
        client.with_options(headers={name: "x"})


@pytest.mark.parametrize("headers", [{"X-A": "a\r\nX-B: b"}, {"X A": "a"}, {"X-A": 1}, ["X-A"]])
def test_malformed_headers_are_refused(headers: Any) -> None:
    with pytest.raises(uc.InvalidInputError, match="headers"):
        uc.CustomerClient("k" * 16).with_options(headers=headers)


# -- both argument orders -----------------------------------------------------------------------


async def test_update_customer_in_either_order_sends_the_same_request(fake: FakeUltraCart) -> None:
    oid = fake.customer_oids()[0]
    change = models.Customer(email="both-orders@example.com")
    async with _client(fake) as client:
        new = await client.update_customer(oid, change, expand="billing")
        old = await client.update_customer(change, oid, expand="billing")
        by_name = await client.update_customer(customer=change, customer_profile_oid=oid)
        mixed = await client.update_customer(change, customer_profile_oid=oid)
    assert new == old
    assert by_name.customer is not None
    assert mixed.customer is not None
    sent = [(r.method, r.path, r.json) for r in fake.requests]
    assert sent[0] == sent[1] == sent[2] == sent[3]


async def test_merge_customer_in_either_order_sends_the_same_request(fake: FakeUltraCart) -> None:
    keep, gone, gone2 = fake.customer_oids()[:3]
    async with _client(fake) as client:
        await client.merge_customer(keep, models.CustomerMergeRequest(customer_profile_oid=gone))
        await client.merge_customer(models.CustomerMergeRequest(customer_profile_oid=gone2), keep)
    assert [r.path for r in fake.requests] == [f"/rest/v2/customer/customers/{keep}/merge"] * 2
    assert [r.json for r in fake.requests] == [
        {"customer_profile_oid": gone},
        {"customer_profile_oid": gone2},
    ]


async def test_either_order_still_checks_types_and_shapes(fake: FakeUltraCart) -> None:
    change = models.Customer(email="x@example.com")
    async with _client(fake) as client:
        with pytest.raises(uc.InvalidInputError, match="customer_profile_oid must be an int"):
            await client.update_customer(change, change)  # type: ignore[call-overload]
        with pytest.raises(uc.InvalidInputError, match=r"customer must be a models\.Customer"):
            await client.update_customer(5, 6)  # type: ignore[call-overload]
        with pytest.raises(TypeError, match="takes"):
            await client.update_customer(5, change, 7)  # type: ignore[call-overload]
        with pytest.raises(TypeError, match="missing"):
            await client.update_customer(5)  # type: ignore[call-overload]
        with pytest.raises(TypeError, match="multiple values"):
            await client.update_customer(5, customer_profile_oid=5)  # type: ignore[call-overload]
    assert fake.requests == []
