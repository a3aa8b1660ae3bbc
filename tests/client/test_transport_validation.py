"""Input validation and wire encoding: bad input never reaches the network."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ultracart_async as uc
from tests.helpers import Script, make_client, reply
from ultracart_async import models


@pytest.mark.anyio
@pytest.mark.parametrize(
    "oid", [True, False, "56", 56.0, None, 0, -1, 2**31, models.Customer()], ids=repr
)
async def test_oids_must_be_positive_int32(oid: Any) -> None:
    script = Script(reply(200, {}))
    async with make_client(script) as client:
        with pytest.raises(uc.InvalidInputError, match="customer_profile_oid"):
            await client.get_customer(oid)
        with pytest.raises(uc.InvalidInputError, match="customer_wishlist_item_oid"):
            await client.get_customer_wish_list_item(1, oid)
    assert script.requests == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"limit": "100"}, "limit"),
        ({"limit": True}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 1.5}, "offset"),
        ({"sort": 1}, "sort"),
        ({"expand": ["billing"]}, "expand"),
        ({"since": b"2024-01-01"}, "since"),
        ({"email": 5}, "email"),
        ({"pricing_tier_oid": "7"}, "pricing_tier_oid"),
        ({"pricing_tier_oid": 2**40}, "pricing_tier_oid"),
    ],
)
async def test_bad_query_values_are_rejected(kwargs: dict[str, Any], name: str) -> None:
    script = Script(reply(200, {}))
    async with make_client(script) as client:
        with pytest.raises(uc.InvalidInputError, match=name):
            await client.get_customers(**kwargs)
    assert script.requests == []


@pytest.mark.anyio
async def test_limit_bounds_are_inclusive() -> None:
    script = Script(reply(200, {}))
    async with make_client(script) as client:
        await client.get_customers(limit=1, offset=0)
        await client.get_customers(limit=200, offset=10_000)
    assert [r.url.params["_limit"] for r in script.requests] == ["1", "200"]


@pytest.mark.anyio
async def test_body_must_be_the_right_model() -> None:
    script = Script(reply(200, {}))
    async with make_client(script) as client:
        with pytest.raises(uc.InvalidInputError, match="CustomerStoreCreditAddRequest"):
            await client.add_customer_store_credit(7, {"amount": 5})  # type: ignore[arg-type]
        with pytest.raises(uc.InvalidInputError, match="customer_query"):
            await client.get_customers_by_query(models.Customer())  # type: ignore[arg-type]
        with pytest.raises(uc.InvalidInputError, match="customer"):
            await client.insert_customer(None)  # type: ignore[arg-type]
        wrapped_wrong = uc.with_nulls(models.Customer(), "email")
        with pytest.raises(uc.InvalidInputError, match="CustomerQuery"):
            await client.get_customers_by_query(wrapped_wrong)  # type: ignore[arg-type]
    assert script.requests == []


@pytest.mark.anyio
async def test_swapped_arguments_get_a_hint_where_one_order_is_accepted() -> None:
    script = Script(reply(200, {}))
    credit = models.CustomerStoreCreditAddRequest(amount=1.0)
    async with make_client(script) as client:
        with pytest.raises(uc.InvalidInputError, match="swapped"):
            await client.add_customer_store_credit(credit, 7)  # type: ignore[arg-type]
    assert script.requests == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    "email",
    [
        "a/b@example.com",
        "..",
        ".",
        "../../customers/1",
        "first+tag@example.com",
        "100%@example.com",
        "x#y@example.com",
        "x?y=1@example.com",
        "jürgen@exämple.de",
        "a b@example.com",
        "semi;colon@example.com",
    ],
)
async def test_email_is_exactly_one_encoded_path_segment(email: str) -> None:
    script = Script(reply(200, {}))
    async with make_client(script) as client:
        await client.get_customer_by_email(email)
    (request,) = script.requests
    raw_path = request.url.raw_path.decode("ascii")
    prefix = "/rest/v2/customer/customers/by_email/"
    assert raw_path.startswith(prefix)
    segment = raw_path[len(prefix) :]
    assert "/" not in segment
    assert "?" not in segment
    assert "#" not in segment
    assert segment not in {".", ".."}
    assert request.url.query == b""
    assert httpx.URL("http://h/" + segment).path == "/" + email  # decodes back unchanged


@pytest.mark.anyio
async def test_dot_dot_cannot_traverse_to_another_route() -> None:
    script = Script(reply(200, {}))
    async with make_client(script) as client:
        await client.get_customer_by_email("..")
        await client.get_magic_link(7, "..")
    assert [r.url.raw_path for r in script.requests] == [
        b"/rest/v2/customer/customers/by_email/%2E%2E",
        b"/rest/v2/customer/customers/7/magic_link/%2E%2E",
    ]


@pytest.mark.anyio
async def test_empty_path_string_is_rejected() -> None:
    script = Script(reply(200, {}))
    async with make_client(script) as client:
        with pytest.raises(uc.InvalidInputError, match="email"):
            await client.get_customer_by_email("")
    assert script.requests == []


@settings(max_examples=60, deadline=None)
@given(email=st.text(min_size=1, max_size=40))
def test_any_text_round_trips_as_one_segment(email: str) -> None:
    from ultracart_async._operations import GET_CUSTOMER_BY_EMAIL
    from ultracart_async._validate import encode_path

    path = encode_path(GET_CUSTOMER_BY_EMAIL, {"email": email})
    segment = path.rsplit("/", 1)[1]
    assert path == "/customer/customers/by_email/" + segment
    url = httpx.URL("http://h" + path)
    assert url.raw_path == path.encode("ascii")  # httpx neither normalises nor re-encodes it
    assert url.path == "/customer/customers/by_email/" + email


@pytest.mark.anyio
async def test_sort_plus_and_date_offsets_are_percent_encoded() -> None:
    script = Script(reply(200, {}))
    async with make_client(script) as client:
        await client.get_customers(
            sort="+billing.last_name,-signup_dts",
            since="2024-01-31T00:00:00+05:00",
            expand="billing,shipping",
            billing_state="TX",
            limit=200,
            offset=400,
        )
    (request,) = script.requests
    query = request.url.query.decode("ascii")
    assert "+" not in query
    assert "_sort=%2Bbilling.last_name%2C-signup_dts" in query
    assert "_since=2024-01-31T00%3A00%3A00%2B05%3A00" in query
    assert dict(request.url.params) == {
        "billing_state": "TX",
        "_limit": "200",
        "_offset": "400",
        "_since": "2024-01-31T00:00:00+05:00",
        "_sort": "+billing.last_name,-signup_dts",
        "_expand": "billing,shipping",
    }


@pytest.mark.anyio
async def test_unset_query_parameters_are_not_sent() -> None:
    script = Script(reply(200, {}))
    async with make_client(script) as client:
        await client.get_customers()
        await client.search_customers(search_string="smith")
    assert script.requests[0].url.query == b""
    assert dict(script.requests[1].url.params) == {"search_string": "smith"}


@pytest.mark.anyio
async def test_lone_surrogates_are_rejected() -> None:
    script = Script(reply(200, {}))
    async with make_client(script) as client:
        with pytest.raises(uc.InvalidInputError, match="email"):
            await client.get_customer_by_email("a\ud800@example.com")
        with pytest.raises(uc.InvalidInputError, match="search_string"):
            await client.search_customers(search_string="\udfff")
    assert script.requests == []
