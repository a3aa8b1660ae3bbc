"""FakeUltraCart caches seeded customers' JSON: every answer stays what it was uncached."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest

from ultracart_async.testing import FakeUltraCart
from ultracart_async.testing._shape import parse_expand, shape_customer

Factory = Callable[..., FakeUltraCart]
JSON = dict[str, Any]
EXPANDS = ["", "billing,shipping", "billing,loyalty,tags,properties", "shipping,nonsense"]


def _http(fake: FakeUltraCart) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers=fake.headers()
    )


def _uncached(fake: FakeUltraCart, oids: list[int], expand: str) -> list[JSON]:
    """What the answer holds without a cache: the store's records shaped and serialized now."""
    shaped = [shape_customer(fake.store.get(oid), parse_expand(expand)) for oid in oids]
    result: list[JSON] = orjson.loads(orjson.dumps(shaped))
    return result


async def _assert_answers_match_store(fake: FakeUltraCart, http: httpx.AsyncClient) -> None:
    for expand in EXPANDS:
        for _ in range(2):  # the second round is served from the cache
            response = await http.get(
                "/customer/customers", params={"_limit": 50, "_offset": 0, "_expand": expand}
            )
            assert response.status_code == 200, response.text
            listed = response.json()["customers"]
            oids = [customer["customer_profile_oid"] for customer in listed]
            assert oids == fake.customer_oids()[:50]
            assert listed == _uncached(fake, oids, expand)
            response = await http.get(f"/customer/customers/{oids[1]}", params={"_expand": expand})
            assert response.json()["customer"] == _uncached(fake, [oids[1]], expand)[0]


@pytest.mark.anyio
async def test_cached_answers_equal_uncached_ones(fake_ultracart_factory: Factory) -> None:
    fake = fake_ultracart_factory(customers=120)
    async with _http(fake) as http:
        await _assert_answers_match_store(fake, http)


@pytest.mark.anyio
async def test_every_kind_of_write_shows_in_the_next_read(fake_ultracart_factory: Factory) -> None:
    fake = fake_ultracart_factory(customers=120)
    oids = fake.customer_oids()
    async with _http(fake) as http:
        await _assert_answers_match_store(fake, http)  # fills the cache
        before = (
            await http.get(f"/customer/customers/{oids[3]}", params={"_expand": "loyalty"})
        ).json()["customer"]["loyalty"]["current_points"]

        updated = await http.put(
            f"/customer/customers/{oids[1]}",
            params={"_expand": "billing"},
            json={"email": "changed@example.com", "billing": [{"first_name": "Changed"}]},
        )
        assert updated.status_code == 200, updated.text
        adjusted = await http.post(
            f"/customer/customers/{oids[3]}/adjust_loyalty_points",
            json={"loyalty_points": 7, "description": "test"},
        )
        assert adjusted.status_code == 200, adjusted.text
        deleted = await http.delete(f"/customer/customers/{oids[5]}")
        assert deleted.status_code == 204, deleted.text

        listed = (
            await http.get(
                "/customer/customers", params={"_limit": 10, "_expand": "billing,loyalty"}
            )
        ).json()["customers"]
        by_oid = {customer["customer_profile_oid"]: customer for customer in listed}
        assert by_oid[oids[1]]["email"] == "changed@example.com"
        assert by_oid[oids[1]]["billing"][0]["first_name"] == "Changed"
        assert by_oid[oids[3]]["loyalty"]["current_points"] == before + 7
        assert oids[5] not in by_oid
        gone = await http.get(f"/customer/customers/{oids[5]}")
        assert gone.status_code == 400
        await _assert_answers_match_store(fake, http)
