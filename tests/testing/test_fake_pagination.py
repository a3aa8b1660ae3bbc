"""FakeUltraCart: pagination, filters, CustomerQuery, `_since`, `_sort`, `_expand` as UltraCart."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import orjson
import pytest

from ultracart_async._constants import HEADER_REST_ERROR
from ultracart_async.testing import FakeUltraCart

Factory = Callable[..., FakeUltraCart]
JSON = dict[str, Any]


def _http(fake: FakeUltraCart) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers=fake.headers()
    )


async def _page(fake: FakeUltraCart, path: str = "/customer/customers", **params: Any) -> JSON:
    async with _http(fake) as http:
        response = await http.get(path, params=params)
    assert response.status_code == 200, response.text
    body: JSON = response.json()
    return body


async def _query(fake: FakeUltraCart, query: JSON, **params: Any) -> JSON:
    async with _http(fake) as http:
        response = await http.post("/customer/customers/query", params=params, json=query)
    assert response.status_code == 200, response.text
    body: JSON = response.json()
    return body


async def _error(fake: FakeUltraCart, path: str, params: Any) -> httpx.Response:
    async with _http(fake) as http:
        response = await http.get(path, params=params)
    assert response.status_code == 400, response.text
    assert response.json()["success"] is False
    assert response.headers[HEADER_REST_ERROR] == response.json()["error"]["developer_message"]
    return response


@pytest.mark.anyio
async def test_pages_walk_every_customer_once(fake_ultracart_factory: Factory) -> None:
    fake = fake_ultracart_factory(customers=450)
    seen: list[int] = []
    offset = 0
    result_sets = []
    while True:
        body = await _page(fake, _limit=200, _offset=offset)
        result_set = body["metadata"]["result_set"]
        result_sets.append(result_set)
        seen += [customer["customer_profile_oid"] for customer in body["customers"]]
        if not result_set["more"]:
            break
        offset = result_set["next_offset"]
    assert seen == fake.customer_oids()
    assert [(r["count"], r["offset"], r["more"], r["next_offset"]) for r in result_sets] == [
        (200, 0, True, 200),
        (200, 200, True, 400),
        (50, 400, False, 0),
    ]
    assert {r["total_records"] for r in result_sets} == {450}
    assert {r["limit"] for r in result_sets} == {200}


@pytest.mark.anyio
async def test_limit_defaults_to_100_and_caps_at_200(fake_ultracart_factory: Factory) -> None:
    fake = fake_ultracart_factory(customers=250)
    default = await _page(fake)
    assert default["metadata"]["result_set"]["limit"] == 100
    assert len(default["customers"]) == 100
    assert len((await _page(fake, _limit=200))["customers"]) == 200
    too_big = await _error(fake, "/customer/customers", {"_limit": 201})
    assert "200" in too_big.json()["error"]["developer_message"]
    for params in ({"_limit": 0}, {"_limit": "ten"}, {"_offset": -1}, {"_offset": "x"}):
        await _error(fake, "/customer/customers", params)
    past_end = (await _page(fake, _offset=1000))["metadata"]["result_set"]
    assert (past_end["count"], past_end["more"], past_end["next_offset"]) == (0, False, 0)


@pytest.mark.anyio
async def test_lowered_cap_is_a_400(fake_ultracart_factory: Factory) -> None:
    fake = fake_ultracart_factory(customers=20, max_limit=50)
    response = await _error(fake, "/customer/customers/search", {"_limit": 51})
    assert "50" in response.json()["error"]["developer_message"]


@pytest.mark.anyio
async def test_total_records_can_be_null(fake_ultracart_factory: Factory) -> None:
    fake = fake_ultracart_factory(customers=30, report_total_records=False)
    result_set = (await _page(fake, _limit=20))["metadata"]["result_set"]
    assert "total_records" in result_set
    assert result_set["total_records"] is None
    assert result_set["more"] is True
    assert result_set["next_offset"] == 20


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("+email", lambda c: c["email"], False),
        ("-email", lambda c: c["email"], True),
        ("email", lambda c: c["email"], False),
        ("-signup_dts", lambda c: c["signup_dts"], True),
        ("+billing.last_name", lambda c: c["billing"][0]["last_name"].casefold(), False),
        ("-loyalty.current_points", lambda c: c["loyalty"]["current_points"], True),
    ],
)
async def test_sort(
    fake_ultracart: FakeUltraCart, sort: str, key: Callable[[JSON], Any], reverse: bool
) -> None:
    body = await _page(fake_ultracart, _limit=200, _sort=sort, _expand="billing,loyalty")
    customers = body["customers"]
    assert len(customers) == 100
    assert [key(c) for c in customers] == sorted((key(c) for c in customers), reverse=reverse)


@pytest.mark.anyio
async def test_multi_key_sort(fake_ultracart: FakeUltraCart) -> None:
    body = await _page(
        fake_ultracart, _limit=200, _sort="+billing.state_region,-signup_dts", _expand="billing"
    )
    pairs = [
        (c["billing"][0]["state_region"].casefold(), c["signup_dts"]) for c in body["customers"]
    ]
    for (state_a, dts_a), (state_b, dts_b) in itertools.pairwise(pairs):
        assert state_a <= state_b
        if state_a == state_b:
            assert dts_a >= dts_b


@pytest.mark.anyio
async def test_unencoded_plus_is_improper_sort_attribute(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    async with _http(fake) as http:
        # A literal "+" in a query string means a space: what a client that forgets to encode sends.
        response = await http.get("/customer/customers?_sort=+email")
        encoded = await http.get("/customer/customers?_sort=%2Bemail")
    assert response.status_code == 400
    assert "improper sort attribute" in response.json()["error"]["developer_message"]
    assert "improper sort attribute" in response.headers[HEADER_REST_ERROR]
    assert encoded.status_code == 200
    await _error(fake, "/customer/customers", {"_sort": "+no_such_field"})
    await _error(fake, "/customer/customers", {"_sort": "+email,"})


def _first(part: str, field: str) -> Callable[[JSON], Any]:
    return lambda c: c[part][0][field]


#: get_customers filter -> how to read a value from a full customer that the filter must match
GET_FILTERS: dict[str, Callable[[JSON], Any]] = {
    "email": lambda c: c["email"].upper(),
    "qb_class": lambda c: c["qb_class"],
    "quickbooks_code": lambda c: c["qb_code"],
    "billing_first_name": _first("billing", "first_name"),
    "billing_last_name": _first("billing", "last_name"),
    "billing_company": _first("billing", "company"),
    "billing_city": _first("billing", "city"),
    "billing_state": _first("billing", "state_region"),
    "billing_postal_code": _first("billing", "postal_code"),
    "billing_country_code": _first("billing", "country_code"),
    "billing_day_phone": _first("billing", "day_phone"),
    "billing_evening_phone": _first("billing", "evening_phone"),
    "shipping_first_name": _first("shipping", "first_name"),
    "shipping_last_name": _first("shipping", "last_name"),
    "shipping_company": _first("shipping", "company"),
    "shipping_city": _first("shipping", "city"),
    "shipping_state": _first("shipping", "state_region"),
    "shipping_postal_code": _first("shipping", "postal_code"),
    "shipping_country_code": _first("shipping", "country_code"),
    "shipping_day_phone": _first("shipping", "day_phone"),
    "shipping_evening_phone": _first("shipping", "evening_phone"),
    "pricing_tier_oid": _first("pricing_tiers", "pricing_tier_oid"),
    "pricing_tier_name": _first("pricing_tiers", "name"),
}
EVERY_PART = "billing,shipping,pricing_tiers,tags"


def _matches(customer: JSON, name: str, value: Any) -> bool:
    if name in ("email", "qb_class", "quickbooks_code"):
        field = {"quickbooks_code": "qb_code"}.get(name, name)
        return str(customer[field]).casefold() == str(value).casefold()
    if name.startswith("pricing_tier"):
        field = name.removeprefix("pricing_tier_")
        field = "pricing_tier_oid" if field == "oid" else field
        return any(str(t[field]) == str(value) for t in customer["pricing_tiers"])
    part, _, key = name.partition("_")
    field = {"state": "state_region"}.get(key, key)
    return any(str(a[field]).casefold() == str(value).casefold() for a in customer[part])


def _target(fake: FakeUltraCart, read: Callable[[JSON], Any]) -> tuple[int, Any]:
    """A customer with a non-empty value for the field `read` reads."""
    for oid in fake.customer_oids():
        customer = fake.get_customer(oid)
        assert customer is not None
        try:
            value = read(customer)
        except IndexError:
            continue
        if value not in ("", None):
            return oid, value
    raise AssertionError("no seeded customer has that field")


@pytest.mark.anyio
@pytest.mark.parametrize("name", sorted(GET_FILTERS))
async def test_get_customers_filter(fake_ultracart: FakeUltraCart, name: str) -> None:
    fake = fake_ultracart
    oid, value = _target(fake, GET_FILTERS[name])
    body = await _page(fake, _limit=200, _expand=EVERY_PART, **{name: value})
    found = body["customers"]
    assert oid in [c["customer_profile_oid"] for c in found]
    assert all(_matches(c, name, value) for c in found)
    assert len(found) < len(fake.customer_oids())


@pytest.mark.anyio
@pytest.mark.parametrize("name", sorted(GET_FILTERS))
async def test_customer_query_field(fake_ultracart: FakeUltraCart, name: str) -> None:
    fake = fake_ultracart
    oid, value = _target(fake, GET_FILTERS[name])
    body = await _query(fake, {name: value}, _limit=200, _expand=EVERY_PART)
    found = body["customers"]
    assert oid in [c["customer_profile_oid"] for c in found]
    assert all(_matches(c, name, value) for c in found)


@pytest.mark.anyio
async def test_customer_query_lists_and_target(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    customers = [fake.get_customer(oid) for oid in fake.customer_oids()]
    emails = [c["email"] for c in customers[:3] if c]
    body = await _query(fake, {"emails": emails, "query_target": "cache"})
    assert sorted(c["email"] for c in body["customers"]) == sorted(emails)
    tagged = [c for c in customers if c and len(c["tags"]) == 2]
    assert tagged
    tags = [t["tag_value"] for t in tagged[0]["tags"]]
    both = (await _query(fake, {"all_tags": tags}, _expand="tags", _limit=200))["customers"]
    assert tagged[0]["customer_profile_oid"] in [c["customer_profile_oid"] for c in both]
    assert all(set(tags) <= {t["tag_value"] for t in c["tags"]} for c in both)
    either = (await _query(fake, {"any_tags": tags}, _expand="tags", _limit=200))["customers"]
    assert len(either) >= len(both)
    assert all(set(tags) & {t["tag_value"] for t in c["tags"]} for c in either)
    async with _http(fake) as http:
        bad_target = await http.post("/customer/customers/query", json={"query_target": "x"})
        bad_tags = await http.post("/customer/customers/query", json={"all_tags": "vip"})
        bad_date = await http.post(
            "/customer/customers/query", json={"signup_dts_start": "yesterday"}
        )
    assert {bad_target.status_code, bad_tags.status_code, bad_date.status_code} == {400}


@pytest.mark.anyio
@pytest.mark.parametrize(
    "query",
    [{"email": 5}, {"qb_class": True}, {"pricing_tier_name": ["a"]}, {"billing_city": 7}],
)
async def test_customer_query_field_of_the_wrong_type_is_a_400(
    fake_ultracart: FakeUltraCart, query: JSON
) -> None:
    async with _http(fake_ultracart) as http:
        response = await http.post("/customer/customers/query", json=query)
    assert response.status_code == 400
    assert next(iter(query)) in response.json()["error"]["developer_message"]


@pytest.mark.anyio
@pytest.mark.parametrize("field", ["signup_dts", "last_modified_dts"])
async def test_date_range_filters(fake_ultracart: FakeUltraCart, field: str) -> None:
    fake = fake_ultracart
    values = sorted(c[field] for c in (fake.get_customer(o) for o in fake.customer_oids()) if c)
    start, end = values[20], values[60]
    params = {f"{field}_start": start, f"{field}_end": end, "_limit": 200}
    found = (await _page(fake, **params))["customers"]
    assert sorted(c[field] for c in found) == [v for v in values if start <= v <= end]
    query = await _query(fake, {f"{field}_start": start, f"{field}_end": end}, _limit=200)
    assert len(query["customers"]) == len(found)


@pytest.mark.anyio
async def test_since_returns_recent_changes(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    oid = fake.customer_oids()[42]
    before = datetime.now().astimezone() - timedelta(minutes=1)
    async with _http(fake) as http:
        await http.put(f"/customer/customers/{oid}", json={"referral_source": "Radio"})
    recent = await _page(fake, _since=before.isoformat(timespec="seconds"))
    assert [c["customer_profile_oid"] for c in recent["customers"]] == [oid]
    everything = await _page(fake, _since="2000-01-01T00:00:00Z", _limit=200)
    assert everything["metadata"]["result_set"]["total_records"] == 100
    await _error(fake, "/customer/customers", {"_since": "last week"})


@pytest.mark.anyio
async def test_search_customers(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    customer = fake.get_customer(fake.customer_oids()[7])
    assert customer is not None
    last_name = customer["billing"][0]["last_name"]
    found = (
        await _page(fake, "/customer/customers/search", search_string=last_name.upper(), _limit=200)
    )["customers"]
    assert customer["customer_profile_oid"] in [c["customer_profile_oid"] for c in found]
    window = await _page(
        fake,
        "/customer/customers/search",
        signup_dts_start=customer["signup_dts"],
        signup_dts_end=customer["signup_dts"],
    )
    assert [c["customer_profile_oid"] for c in window["customers"]] == [
        customer["customer_profile_oid"]
    ]


@pytest.mark.anyio
async def test_expand(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    limited = (await _page(fake, _limit=1))["customers"][0]
    parts = {"billing", "shipping", "cards", "loyalty", "tags", "properties", "privacy"}
    assert not parts & set(limited)
    assert "password" not in limited
    some = (await _page(fake, _limit=1, _expand="billing,loyalty,bogus"))["customers"][0]
    assert {"billing", "loyalty"} <= set(some)
    assert not (parts - {"billing", "loyalty"}) & set(some)
    assert {k: v for k, v in some.items() if k not in ("billing", "loyalty")} == limited


@pytest.mark.anyio
async def test_data_tables(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    async with _http(fake) as http:
        response = await http.post(
            "/customer/customers/dataTables",
            data={"draw": "3", "start": "10", "length": "5"},
        )
    body = response.json()
    assert (body["draw"], body["recordsTotal"], body["recordsFiltered"]) == (3, 100, 100)
    assert [c["customer_profile_oid"] for c in body["data"]] == fake.customer_oids()[10:15]


@pytest.mark.anyio
async def test_seeded_data_is_deterministic() -> None:
    one, two, other = (FakeUltraCart(customers=50, seed=s) for s in (7, 7, 8))
    pages = [
        await _page(fake, _limit=50, _expand="billing,shipping,cards,loyalty")
        for fake in (one, two, other)
    ]
    assert orjson.dumps(pages[0]) == orjson.dumps(pages[1])
    assert pages[0]["customers"] != pages[2]["customers"]


def test_large_fakes_are_lazy() -> None:
    fake = FakeUltraCart(customers=100_000, seed=3)
    oids = fake.customer_oids()
    assert len(oids) == 100_000
    last = fake.get_customer(oids[-1])
    assert last is not None
    assert fake.find_customer_oid(last["email"]) == oids[-1]
