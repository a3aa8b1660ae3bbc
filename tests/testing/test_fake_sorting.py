"""FakeUltraCart sorts once per `_sort` until a customer changes: later pages cost what unsorted
ones do, and answer exactly what sorting afresh answers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import pytest

from ultracart_async.testing import FakeUltraCart
from ultracart_async.testing._seed import Seeder
from ultracart_async.testing._sorting import SortKey

Factory = Callable[..., FakeUltraCart]
JSON = dict[str, Any]
CUSTOMERS = 600
PAGE = 100


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often sort keys are computed and seeded customers built, by kind."""
    counted: Counter[str] = Counter()

    def counting(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted[name] += 1
            return method(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(SortKey, "value", counting("sort_key", SortKey.value))
    monkeypatch.setattr(Seeder, "core", counting("built", Seeder.core))
    monkeypatch.setattr(Seeder, "customer", counting("built", Seeder.customer))
    return counted


def _http(fake: FakeUltraCart) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers=fake.headers()
    )


async def _page(http: httpx.AsyncClient, offset: int, **params: Any) -> list[int]:
    response = await http.get(
        "/customer/customers", params={"_limit": PAGE, "_offset": offset, **params}
    )
    assert response.status_code == 200, response.text
    return [customer["customer_profile_oid"] for customer in response.json()["customers"]]


async def _walk(http: httpx.AsyncClient, **params: Any) -> list[int]:
    oids: list[int] = []
    while page := await _page(http, len(oids), **params):
        oids += page
    return oids


def _customer(fake: FakeUltraCart, oid: int) -> JSON:
    customer = fake.get_customer(oid)
    assert customer is not None
    return customer


def _fresh_sort(
    fake: FakeUltraCart, terms: Sequence[tuple[Callable[[JSON], Any], bool]]
) -> list[int]:
    """Every customer sorted from scratch by (key, descending) terms, ties by ascending oid."""
    ordered = [_customer(fake, oid) for oid in fake.customer_oids()]
    for key, descending in reversed(terms):
        ordered.sort(key=key, reverse=descending)
    return [customer["customer_profile_oid"] for customer in ordered]


def _last_name(customer: JSON) -> Any:
    return customer["billing"][0]["last_name"].casefold()


def _state(customer: JSON) -> Any:
    return customer["billing"][0]["state_region"].casefold()


def _points(customer: JSON) -> Any:
    return customer["loyalty"]["current_points"]


@pytest.mark.anyio
async def test_sorted_pages_sort_once(fake_ultracart_factory: Factory, calls: Counter[str]) -> None:
    fake = fake_ultracart_factory(customers=CUSTOMERS)
    async with _http(fake) as http:
        walked = await _walk(http, _sort="+billing.last_name")
        assert calls["sort_key"] == CUSTOMERS  # one key per customer for all 6 pages
        again = await _walk(http, _sort="+billing.last_name")
        other = await _walk(http, _sort="-loyalty.current_points")
    assert again == walked
    assert calls["sort_key"] == 2 * CUSTOMERS  # the second sort, once
    assert walked == _fresh_sort(fake, [(_last_name, False)])
    assert other == _fresh_sort(fake, [(_points, True)])


async def _built_by_a_later_page(fake: FakeUltraCart, calls: Counter[str], **params: Any) -> int:
    """How many customers the fourth page builds once the first was served."""
    async with _http(fake) as http:
        await _page(http, 0, **params)
        calls.clear()
        await _page(http, 3 * PAGE, **params)
    return calls["built"]


@pytest.mark.anyio
@pytest.mark.parametrize("sort", ["-signup_dts", "+loyalty.current_points,email"])
async def test_a_sorted_page_costs_what_an_unsorted_one_does(
    fake_ultracart_factory: Factory, calls: Counter[str], sort: str
) -> None:
    sorted_page = await _built_by_a_later_page(
        fake_ultracart_factory(customers=CUSTOMERS), calls, _sort=sort
    )
    assert calls["sort_key"] == 0
    unsorted_page = await _built_by_a_later_page(fake_ultracart_factory(customers=CUSTOMERS), calls)
    assert sorted_page == unsorted_page == PAGE  # the customers it answers, nothing more


@pytest.mark.anyio
async def test_only_customer_writes_sort_again(
    fake_ultracart_factory: Factory, calls: Counter[str]
) -> None:
    fake = fake_ultracart_factory(customers=CUSTOMERS)
    oids = fake.customer_oids()
    sort = {"_sort": "+billing.state_region,-loyalty.current_points"}
    async with _http(fake) as http:
        await _walk(http, **sort)
        assert calls["sort_key"] == 2 * CUSTOMERS  # two terms
        credit = await http.post(f"/customer/customers/{oids[0]}/store_credit", json={"amount": 5})
        wished = await http.post(
            f"/customer/customers/{oids[1]}/wishlist", json={"merchant_item_oid": 7}
        )
        assert (credit.status_code, wished.status_code) == (200, 200)
        await _walk(http, **sort)
        assert calls["sort_key"] == 2 * CUSTOMERS  # neither changed a customer record
        adjusted = await http.post(
            f"/customer/customers/{oids[2]}/adjust_loyalty_points", json={"loyalty_points": 9000}
        )
        assert adjusted.status_code == 200
        after_adjust = await _walk(http, **sort)
        deleted = await http.delete(f"/customer/customers/{oids[3]}")
        assert deleted.status_code == 204
        after_delete = await _walk(http, **sort)
    assert calls["sort_key"] == 2 * CUSTOMERS + 2 * CUSTOMERS + 2 * (CUSTOMERS - 1)
    terms = [(_state, False), (_points, True)]
    assert oids[3] in after_adjust
    assert after_delete == _fresh_sort(fake, terms)
    assert [oid for oid in after_adjust if oid != oids[3]] == after_delete


@pytest.mark.anyio
async def test_filters_pick_from_the_sorted_order(fake_ultracart_factory: Factory) -> None:
    fake = fake_ultracart_factory(customers=CUSTOMERS)
    async with _http(fake) as http:
        everyone = await _walk(http, _sort="-billing.last_name")
        in_texas = await _walk(http, _sort="-billing.last_name", billing_state="TX")
        since = await _walk(http, _sort="-billing.last_name", _since="2024-01-01T00:00:00Z")
    texans = {
        oid
        for oid in everyone
        if any(a["state_region"] == "TX" for a in _customer(fake, oid)["billing"])
    }
    assert in_texas == [oid for oid in everyone if oid in texans]
    assert in_texas
    assert 0 < len(since) < len(everyone)
    assert since == [oid for oid in everyone if oid in set(since)]
