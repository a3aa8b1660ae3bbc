"""FakeUltraCart: all 29 operations with plain httpx, in-process and over the loopback server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from ultracart_async._constants import (
    CUSTOMER_EXPANSIONS,
    HEADER_BROWSER_KEY,
    HEADER_REQUEST_ID,
    HEADER_SIMPLE_KEY,
)
from ultracart_async.testing import OPERATIONS, WRITE_OPERATIONS, FakeUltraCart

#: Operations whose spec request body is `application/json; charset=UTF-8`.
CHARSET_BODY_OPERATIONS = frozenset(
    {
        "insert_customer",
        "update_customer",
        "adjust_internal_certificate",
        "adjust_loyalty_points",
        "update_customer_email_lists",
        "update_customer_email_suppression",
        "merge_customer",
        "add_customer_store_credit",
        "insert_wish_list_item",
        "update_wish_list_item",
    }
)
EMAIL_LIST = "5f1f8a52-0000-4000-8000-000000000001"


@dataclass
class Carrier:
    """How a test reaches the fake: in-process transport or the loopback server."""

    fake: FakeUltraCart
    base_url: str
    in_process: bool

    @asynccontextmanager
    async def http(self, **kwargs: Any) -> AsyncIterator[httpx.AsyncClient]:
        kwargs.setdefault("headers", self.fake.headers())
        transport = self.fake.transport() if self.in_process else None
        async with httpx.AsyncClient(base_url=self.base_url, transport=transport, **kwargs) as c:
            yield c


@pytest.fixture(params=["in_process", "loopback"])
def carrier(request: pytest.FixtureRequest, fake_ultracart: FakeUltraCart) -> Iterator[Carrier]:
    if request.param == "in_process":
        yield Carrier(fake_ultracart, fake_ultracart.base_url, True)
    else:
        with fake_ultracart.serve_in_thread() as base_url:
            yield Carrier(fake_ultracart, base_url, False)


def _json_body(operation: str, payload: Any) -> dict[str, Any]:
    """Request kwargs sending `payload` with the content type the spec names."""
    import orjson

    content_type = "application/json"
    if operation in CHARSET_BODY_OPERATIONS:
        content_type += "; charset=UTF-8"
    return {"content": orjson.dumps(payload), "headers": {"Content-Type": content_type}}


async def exercise_all_operations(
    http: httpx.AsyncClient, fake: FakeUltraCart
) -> dict[str, httpx.Response]:
    """Call every one of the 29 operations once (successfully); their responses by operationId.

    `http` must send the fake's simple key and API version; it may go through a proxy (Prism).
    """
    responses: dict[str, httpx.Response] = {}
    first, second, third = fake.customer_oids()[:3]

    async def call(operation: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = await http.request(method, path, **kwargs)
        responses[operation] = response
        assert response.status_code in (200, 204), (operation, response.text)
        return response

    await call(
        "get_customers",
        "GET",
        "/customer/customers",
        params={"_limit": 5, "_offset": 1, "_expand": "billing,shipping", "_sort": "-email"},
    )
    await call(
        "get_customers_by_query",
        "POST",
        "/customer/customers/query",
        params={"_limit": 3, "_expand": "tags", "_sort": "+billing.last_name"},
        **_json_body("get_customers_by_query", {"billing_country_code": "US"}),
    )
    await call(
        "search_customers",
        "GET",
        "/customer/customers/search",
        params={"search_string": "a", "_limit": 3},
    )
    await call(
        "get_customers_for_data_tables",
        "POST",
        "/customer/customers/dataTables",
        params={"_expand": "billing"},
    )
    customer = (
        await call(
            "get_customer",
            "GET",
            f"/customer/customers/{first}",
            params={"_expand": ",".join(CUSTOMER_EXPANSIONS)},
        )
    ).json()["customer"]
    await call(
        "get_customer_by_email",
        "GET",
        f"/customer/customers/by_email/{quote(customer['email'], safe='')}",
        params={"_expand": "billing"},
    )
    new = (
        await call(
            "insert_customer",
            "POST",
            "/customer/customers",
            params={"_expand": "billing"},
            **_json_body(
                "insert_customer",
                {
                    "email": "new.customer@example.com",
                    "billing": [{"first_name": "New", "last_name": "Customer", "city": "Austin"}],
                    "tags": [{"tag_value": "api"}],
                },
            ),
        )
    ).json()["customer"]
    new_oid = new["customer_profile_oid"]
    await call(
        "update_customer",
        "PUT",
        f"/customer/customers/{new_oid}",
        params={"_expand": "billing"},
        **_json_body(
            "update_customer",
            {"billing": [{"first_name": "Renamed", "last_name": "Customer"}], "fax": "555"},
        ),
    )
    await call("get_customer_loyalty", "GET", f"/customer/customers/{first}/loyalty")
    await call(
        "adjust_loyalty_points",
        "POST",
        f"/customer/customers/{first}/adjust_loyalty_points",
        **_json_body("adjust_loyalty_points", {"loyalty_points": 50, "description": "Promo"}),
    )
    await call(
        "adjust_internal_certificate",
        "POST",
        f"/customer/customers/{first}/adjust_cashback_balance",
        **_json_body(
            "adjust_internal_certificate", {"adjustment_amount": 5.25, "description": "Cashback"}
        ),
    )
    await call(
        "add_customer_store_credit",
        "POST",
        f"/customer/customers/{first}/store_credit",
        **_json_body("add_customer_store_credit", {"amount": 10.0, "description": "Refund"}),
    )
    await call("get_customer_store_credit", "GET", f"/customer/customers/{first}/store_credit")
    await call("get_customer_email_lists", "GET", "/customer/email_lists")
    await call(
        "update_customer_email_lists",
        "POST",
        f"/customer/customers/{first}/email_lists",
        **_json_body("update_customer_email_lists", {"add_to_lists": [EMAIL_LIST]}),
    )
    await call(
        "update_customer_email_suppression",
        "POST",
        f"/customer/customers/{first}/email_suppression",
        **_json_body(
            "update_customer_email_suppression",
            {"clear_spam_complaint": True, "consent_source": "email"},
        ),
    )
    token = (
        await call(
            "get_email_verification_token",
            "POST",
            "/customer/customers/email_verify/get_token",
            **_json_body(
                "get_email_verification_token",
                {"email": customer["email"], "password": "hunter2-secret"},
            ),
        )
    ).json()["token"]
    await call(
        "validate_email_verification_token",
        "POST",
        "/customer/customers/email_verify/validate_token",
        **_json_body("validate_email_verification_token", {"token": token}),
    )
    await call("get_magic_link", "PUT", f"/customer/customers/{first}/magic_link/shop.example.com")
    item = (
        await call(
            "insert_wish_list_item",
            "POST",
            f"/customer/customers/{first}/wishlist",
            **_json_body("insert_wish_list_item", {"merchant_item_oid": 9123, "priority": 2}),
        )
    ).json()
    item_oid = item["customer_wishlist_item_oid"]
    await call("get_customer_wish_list", "GET", f"/customer/customers/{first}/wishlist")
    await call(
        "get_customer_wish_list_item", "GET", f"/customer/customers/{first}/wishlist/{item_oid}"
    )
    await call(
        "update_wish_list_item",
        "PUT",
        f"/customer/customers/{first}/wishlist/{item_oid}",
        **_json_body("update_wish_list_item", {"comments": "for the holidays"}),
    )
    await call(
        "delete_wish_list_item", "DELETE", f"/customer/customers/{first}/wishlist/{item_oid}"
    )
    await call("get_customer_editor_values", "GET", "/customer/editor_values")
    await call(
        "get_quick_books_online_customers",
        "GET",
        "/customer/quickbooks_online/customers",
        params={"q": "a"},
    )
    browser_headers = {
        name: value
        for name, value in http.headers.items()
        if name.lower() != HEADER_SIMPLE_KEY.lower()
    }
    browser_headers[HEADER_BROWSER_KEY] = fake.browser_key
    lookup = http.build_request(
        "POST",
        "/customer/search",
        **_json_body("search_customer_profile_values", {"category": "billing_state"}),
    )
    lookup.headers.pop(HEADER_SIMPLE_KEY)
    lookup.headers[HEADER_BROWSER_KEY] = fake.browser_key
    responses["search_customer_profile_values"] = response = await http.send(lookup)
    assert response.status_code == 200, response.text
    await call(
        "merge_customer",
        "PUT",
        f"/customer/customers/{second}/merge",
        **_json_body("merge_customer", {"customer_profile_oid": third}),
    )
    await call("delete_customer", "DELETE", f"/customer/customers/{new_oid}")
    return responses


@pytest.mark.anyio
async def test_every_operation_answers(carrier: Carrier) -> None:
    fake = carrier.fake
    first, _, third = fake.customer_oids()[:3]
    async with carrier.http() as http:
        responses = await exercise_all_operations(http, fake)
    assert sorted(responses) == sorted(OPERATIONS)
    assert len(OPERATIONS) == 29
    for operation, response in responses.items():
        assert response.headers[HEADER_REQUEST_ID], operation
        if response.status_code == 204:
            assert response.content == b"", operation
        else:
            assert response.headers["content-type"].startswith("application/json"), operation
    assert fake.counters.writes == dict.fromkeys(WRITE_OPERATIONS, 1)
    assert {record.operation for record in fake.requests} == set(OPERATIONS)
    # the writes really happened
    assert fake.get_customer(third) is None
    assert fake.find_customer_oid("new.customer@example.com") is None
    assert _credit(fake, first)["available"] >= 10.0


@pytest.mark.anyio
async def test_customer_round_trip(carrier: Carrier) -> None:
    async with carrier.http() as http:
        created = await http.post(
            "/customer/customers",
            params={"_expand": "billing,shipping,cards"},
            json={
                "email": "ada@example.com",
                "billing": [{"first_name": "Ada", "last_name": "Lovelace", "state_region": "TX"}],
                "cards": [{"card_number": "4111111111111111", "card_type": "VISA"}],
                "do_not_send_mail": True,
            },
        )
        assert created.status_code == 200, created.text
        customer = created.json()["customer"]
        oid = customer["customer_profile_oid"]
        assert customer["billing"][0]["default_billing"] is True
        assert customer["billing"][0]["customer_profile_oid"] == oid
        assert customer["cards"][0]["card_number"] == "************1111"
        assert customer["shipping"] == []
        by_email = await http.get("/customer/customers/by_email/ADA@example.com")
        assert by_email.json()["customer"]["customer_profile_oid"] == oid
        assert "billing" not in by_email.json()["customer"]  # limited without _expand
        duplicate = await http.post("/customer/customers", json={"email": "ada@example.com"})
        assert duplicate.status_code == 400
        deleted = await http.delete(f"/customer/customers/{oid}")
        assert deleted.status_code == 204
        again = await http.delete(f"/customer/customers/{oid}")
        assert again.status_code == 400
        assert again.json()["success"] is False
        gone = await http.get(f"/customer/customers/{oid}")
        assert gone.status_code == 400


@pytest.mark.anyio
async def test_partial_update_touches_only_expanded_parts(
    fake_ultracart: FakeUltraCart,
) -> None:
    fake = fake_ultracart
    oid = fake.customer_oids()[5]
    before = fake.get_customer(oid)
    assert before is not None
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers=fake.headers()
    ) as http:
        response = await http.put(
            f"/customer/customers/{oid}",
            params={"_expand": "shipping"},
            json={
                "shipping": [{"first_name": "Only", "last_name": "Shipping", "city": "Boston"}],
                "billing": [],  # not expanded: ignored
                "tags": None,
                "do_not_send_mail": None,  # null: no change
                "referral_source": "Podcast",
            },
        )
    assert response.status_code == 200, response.text
    assert set(response.json()["customer"]) & {"billing", "tags"} == set()
    after = fake.get_customer(oid)
    assert after is not None
    assert after["billing"] == before["billing"]
    assert after["tags"] == before["tags"]
    assert after["do_not_send_mail"] == before["do_not_send_mail"]
    assert after["referral_source"] == "Podcast"
    assert [s["city"] for s in after["shipping"]] == ["Boston"]
    assert after["last_modified_dts"] > before["last_modified_dts"]


@pytest.mark.anyio
async def test_new_sub_record_ids_follow_the_body_order(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    parts = {
        "shipping": [{"first_name": "Ship"}],
        "properties": [{"name": "crm_id", "value": "7"}],
        "billing": [{"first_name": "Bill"}, {"first_name": "Bill2"}],
        "cards": [{"card_number": "4111111111111111"}],
    }
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers=fake.headers()
    ) as http:
        response = await http.post(
            "/customer/customers", json={"email": "ordered@example.com", **parts}
        )
    assert response.status_code == 200, response.text
    oid = fake.find_customer_oid("ordered@example.com")
    assert oid is not None
    customer = fake.get_customer(oid)
    assert customer is not None
    ids = [
        customer["shipping"][0]["customer_shipping_oid"],
        customer["properties"][0]["customer_profile_property_oid"],
        customer["billing"][0]["customer_billing_oid"],
        customer["billing"][1]["customer_billing_oid"],
        customer["cards"][0]["customer_profile_credit_card_id"],
    ]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


@pytest.mark.anyio
async def test_merge_folds_and_deletes_the_other_profile(
    fake_ultracart: FakeUltraCart,
) -> None:
    fake = fake_ultracart
    target, source = fake.customer_oids()[10:12]
    before_target, before_source = fake.get_customer(target), fake.get_customer(source)
    assert before_target is not None
    assert before_source is not None
    credit = _credit(fake, target)["total"] + _credit(fake, source)["total"]
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers=fake.headers()
    ) as http:
        response = await http.put(
            f"/customer/customers/{target}/merge", json={"email": before_source["email"]}
        )
        assert response.status_code == 204
        assert response.content == b""
        missing = await http.put(
            f"/customer/customers/{target}/merge", json={"customer_profile_oid": source}
        )
        assert missing.status_code == 400
        itself = await http.put(
            f"/customer/customers/{target}/merge", json={"customer_profile_oid": target}
        )
        assert itself.status_code == 400
    merged = fake.get_customer(target)
    assert merged is not None
    assert fake.get_customer(source) is None
    assert len(merged["billing"]) == len(before_target["billing"]) + len(before_source["billing"])
    assert merged["loyalty"]["current_points"] == (
        before_target["loyalty"]["current_points"] + before_source["loyalty"]["current_points"]
    )
    assert _credit(fake, target)["total"] == pytest.approx(credit)
    assert sum(1 for b in merged["billing"] if b["default_billing"]) == 1


@pytest.mark.anyio
async def test_money_and_points_ledgers(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    oid = fake.customer_oids()[0]
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers=fake.headers()
    ) as http:
        base = f"/customer/customers/{oid}"
        start = (await http.get(f"{base}/store_credit")).json()["customer_store_credit"]
        await http.post(f"{base}/store_credit", json={"amount": 12.5, "description": "Refund"})
        await http.post(f"{base}/store_credit", json={"amount": 7.5, "vesting_days": 10})
        credit = (await http.get(f"{base}/store_credit")).json()["customer_store_credit"]
        assert credit["available"] == pytest.approx(start["available"] + 12.5)
        assert credit["vesting"] == pytest.approx(start["vesting"] + 7.5)
        assert len(credit["future_ledgers"]) == len(start["future_ledgers"]) + 1
        bad = await http.post(f"{base}/store_credit", json={"amount": -1})
        assert bad.status_code == 400

        loyalty = (await http.get(f"{base}/loyalty")).json()["customer_loyalty"]
        points = await http.post(f"{base}/adjust_loyalty_points", json={"loyalty_points": 25})
        assert points.json()["current_points"] == loyalty["current_points"] + 25
        pending = await http.post(
            f"{base}/adjust_loyalty_points", json={"loyalty_points": 5, "vesting_days": 30}
        )
        assert pending.json()["pending_points"] == loyalty["pending_points"] + 5
        too_many = await http.post(
            f"{base}/adjust_loyalty_points", json={"loyalty_points": -(10**7)}
        )
        assert too_many.status_code == 400

        balance = float(loyalty["internal_gift_certificate_balance"])
        cashback = await http.post(
            f"{base}/adjust_cashback_balance", json={"adjustment_amount": 3.5}
        )
        assert cashback.json()["balance_amount"] == pytest.approx(balance + 3.5)
        overdraw = await http.post(
            f"{base}/adjust_cashback_balance", json={"adjustment_amount": -(balance + 100)}
        )
        assert overdraw.status_code == 400
    assert fake.counters.writes["add_customer_store_credit"] == 2
    assert fake.counters.writes["adjust_loyalty_points"] == 2
    assert fake.counters.writes["adjust_internal_certificate"] == 1


@pytest.mark.anyio
async def test_lists_tokens_wishlist_and_lookups(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    oid = fake.customer_oids()[1]
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers=fake.headers()
    ) as http:
        lists = (await http.get("/customer/email_lists")).json()["lists"]
        count = {entry["email_list_uuid"]: entry["member_count"] for entry in lists}
        await http.post(
            f"/customer/customers/{oid}/email_lists", json={"remove_from_lists": [EMAIL_LIST]}
        )
        await http.post(
            f"/customer/customers/{oid}/email_lists", json={"add_to_lists": [EMAIL_LIST]}
        )
        after = (await http.get("/customer/email_lists")).json()["lists"]
        new_count = {entry["email_list_uuid"]: entry["member_count"] for entry in after}
        assert new_count[EMAIL_LIST] in (count[EMAIL_LIST], count[EMAIL_LIST] + 1)
        unknown = await http.post(
            f"/customer/customers/{oid}/email_lists", json={"add_to_lists": ["nope"]}
        )
        assert unknown.status_code == 400

        bad_token = await http.post(
            "/customer/customers/email_verify/validate_token", json={"token": "forged"}
        )
        assert bad_token.status_code == 400
        token = (
            await http.post(
                "/customer/customers/email_verify/get_token", json={"email": "x@example.com"}
            )
        ).json()["token"]
        ok = await http.post(
            "/customer/customers/email_verify/validate_token", json={"token": token}
        )
        assert ok.json()["success"] is True
        reused = await http.post(
            "/customer/customers/email_verify/validate_token", json={"token": token}
        )
        assert reused.status_code == 400

        link = await http.put(f"/customer/customers/{oid}/magic_link/shop.example.com")
        assert link.json()["url"].startswith("https://shop.example.com/")

        wishlist = f"/customer/customers/{oid}/wishlist"
        item = (await http.post(wishlist, json={"merchant_item_oid": 77})).json()
        items = (await http.get(wishlist)).json()["wishlist_items"]
        assert item in items
        missing = await http.get(f"{wishlist}/1")
        assert missing.status_code == 400
        no_item = await http.post(wishlist, json={"comments": "no item"})
        assert no_item.status_code == 400

        lookup = await http.post(
            "/customer/search", json={"category": "billing_state", "matches": "T", "max_hits": 5}
        )
        values = [value["value"] for value in lookup.json()["values"]]
        assert values
        assert all(value.startswith("T") for value in values)
        assert len(values) <= 5
        unknown_category = await http.post("/customer/search", json={"category": "shoe_size"})
        assert unknown_category.status_code == 400

        qb = (await http.get("/customer/quickbooks_online/customers")).json()
        assert all(entry["customer_id"] for entry in qb["quickbooks_online_customers"])
        editor = (await http.get("/customer/editor_values")).json()
        assert "US" in [country["iso_2_code"] for country in editor["countries"]]


@pytest.mark.anyio
async def test_unknown_paths_and_methods(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers=fake.headers()
    ) as http:
        assert (await http.get("/customer/nothing_here")).status_code == 404
        assert (await http.patch("/customer/customers")).status_code == 405
        assert (await http.get("/customer/customers/not-a-number")).status_code == 400
        body = await http.post(
            "/customer/customers",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        assert body.status_code == 400
        assert (await http.post("/customer/customers", json=[1, 2])).status_code == 400
    assert fake.counters.requests["unknown"] == 2


def _credit(fake: FakeUltraCart, oid: int) -> dict[str, Any]:
    credit = fake.store_credit(oid)
    assert credit is not None, f"no customer {oid}"
    return credit


def test_store_credit_of_a_missing_customer_is_none_like_get_customer() -> None:
    fake = FakeUltraCart(customers=2, seed=1)
    missing = max(fake.customer_oids()) + 1
    assert fake.get_customer(missing) is None
    assert fake.store_credit(missing) is None
    assert fake.store_credit(fake.customer_oids()[0]) is not None
