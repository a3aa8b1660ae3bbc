"""Request bodies through the client: checked in full before anything is sent, nested nulls
sent exactly as named (against FakeUltraCart, in-process)."""

from __future__ import annotations

import math
from typing import Any, TypeVar

import pytest

import ultracart_async as uc
from ultracart_async import models
from ultracart_async.testing import FakeUltraCart

T = TypeVar("T")


def _make(cls: type[T], **kwargs: Any) -> T:
    """`cls(**kwargs)` without static checks: these tests build wrongly typed models."""
    return cls(**kwargs)


@pytest.mark.anyio
async def test_money_with_a_wrong_amount_never_reaches_the_server() -> None:
    fake = FakeUltraCart(customers=10)
    oid = fake.customer_oids()[0]
    before = fake.store_credit(oid)
    async with fake.client() as client:
        for amount, reason in [
            ("lots", "expected number, got str"),
            (math.nan, "expected a finite number, got nan"),
            (True, "expected number, got bool"),
        ]:
            credit = _make(models.CustomerStoreCreditAddRequest, amount=amount)
            with pytest.raises(uc.InvalidInputError) as caught:
                await client.add_customer_store_credit(oid, credit)
            assert str(caught.value) == (
                f"add_customer_store_credit: store_credit_request.amount: {reason}"
            )
        assert fake.requests == []
        assert fake.store_credit(oid) == before
        # The same call with a number goes through: the refusals above were about the amount.
        await client.add_customer_store_credit(
            oid, models.CustomerStoreCreditAddRequest(amount=5, description="goodwill")
        )
    assert [(r.operation, r.json) for r in fake.requests] == [
        ("add_customer_store_credit", {"amount": 5, "description": "goodwill"})
    ]


BAD_CUSTOMERS = [
    (
        _make(models.Customer, billing=[_make(models.CustomerBilling, day_phone=5551234)]),
        "customer.billing[0].day_phone: expected string, got int",
    ),
    (
        _make(models.Customer, billing=[{"address1": "1 Main St"}]),
        "customer.billing[0]: expected models.CustomerBilling, got dict",
    ),
    (
        _make(models.Customer, shipping=[models.CustomerBilling(address1="1 Main St")]),
        "customer.shipping[0]: expected models.CustomerShipping, got CustomerBilling",
    ),
    (
        _make(
            models.Customer,
            billing=[uc.with_nulls(models.CustomerBilling(address1="x"), "day_phone")],
        ),
        "customer.billing[0]: expected models.CustomerBilling, got WithNulls",
    ),
    (
        _make(models.Customer, tags=[models.CustomerTag(tag_value="vip"), "vip"]),
        "customer.tags[1]: expected models.CustomerTag, got str",
    ),
    (
        _make(models.Customer, customer_profile_oid=True),
        "customer.customer_profile_oid: expected integer, got bool",
    ),
    (
        _make(models.Customer, free_shipping_minimum=math.inf),
        "customer.free_shipping_minimum: expected a finite number, got inf",
    ),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("customer", "message"), BAD_CUSTOMERS, ids=[m for _, m in BAD_CUSTOMERS])
async def test_bad_customers_are_refused_before_the_network(
    customer: models.Customer, message: str
) -> None:
    fake = FakeUltraCart(customers=10)
    oid = fake.customer_oids()[0]
    async with fake.client() as client:
        with pytest.raises(uc.InvalidInputError) as caught:
            await client.insert_customer(customer)
        assert str(caught.value).startswith(f"insert_customer: {message}")
        with pytest.raises(uc.InvalidInputError) as caught:
            await client.update_customer(customer, oid)
        assert str(caught.value).startswith(f"update_customer: {message}")
        with pytest.raises(uc.InvalidInputError, match="update_customer: customer"):
            await client.update_customer(uc.with_nulls(customer, "tax_id"), oid)
    assert fake.requests == []


@pytest.mark.anyio
async def test_a_bad_query_is_refused_before_the_network() -> None:
    fake = FakeUltraCart(customers=10)
    query = _make(models.CustomerQuery, emails=["a@example.com", None])
    async with fake.client() as client:
        with pytest.raises(uc.InvalidInputError) as caught:
            await client.get_customers_by_query(query)
    assert str(caught.value) == (
        "get_customers_by_query: customer_query.emails[1]: expected string, got None"
    )
    assert fake.requests == []


@pytest.mark.anyio
async def test_nested_nulls_are_sent_exactly() -> None:
    fake = FakeUltraCart(customers=10)
    oid = fake.customer_oids()[0]
    customer = models.Customer(
        customer_profile_oid=oid,
        billing=[models.CustomerBilling(address1="1 Main St", city="Austin")],
    )
    body = uc.with_nulls(customer, "billing[0].day_phone", "billing[0].company", "fax")
    async with fake.client() as client:
        await client.update_customer(body, oid, expand="billing")
    (request,) = fake.requests
    assert request.operation == "update_customer"
    assert request.json == {
        "billing": [
            {"address1": "1 Main St", "city": "Austin", "company": None, "day_phone": None}
        ],
        "customer_profile_oid": oid,
        "fax": None,
    }
