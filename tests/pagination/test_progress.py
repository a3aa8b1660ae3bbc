"""The progress guard: pages that add nothing, or offsets that do not advance, end the walk
with PaginationError (after the customers already found) instead of paging on forever."""

from __future__ import annotations

import json
from typing import Any, Literal

import anyio
import httpx
import pytest

import ultracart_async as uc
from tests.helpers import error_body
from ultracart_async.testing import FakeUltraCart

pytestmark = pytest.mark.anyio

NextOffset = Literal["advancing", "missing", "stuck"]

PAGE = 10
CONCURRENCY = 3
# The first page, at most 3 pages without progress, and the window fetched ahead of them.
MOST_REQUESTS = 1 + 3 + CONCURRENCY


class IgnoresOffset(httpx.AsyncBaseTransport):
    """A proxy in front of the fake that drops `_offset`: every offset gets the first page, and
    `more: true`. `next_offset`: "advancing" says offset + count (as if the offset had been
    honoured), "missing" says nothing, "stuck" passes the first page's own on. Past `cap`
    requests it answers 400, so that a walk that never ends fails the test quickly."""

    def __init__(
        self, fake: FakeUltraCart, next_offset: NextOffset, *, total: bool, cap: int = 60
    ) -> None:
        self.inner = fake.transport()
        self.next_offset = next_offset
        self.total = total
        self.cap = cap
        self.offsets: list[int] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("_offset", "0"))
        self.offsets.append(offset)
        if len(self.offsets) > self.cap:
            return httpx.Response(400, json=error_body("runaway walk"))
        url = request.url.copy_with(params=request.url.params.remove("_offset"))
        upstream = await self.inner.handle_async_request(
            httpx.Request(request.method, url, headers=request.headers, content=request.content)
        )
        body = json.loads(await upstream.aread())
        result_set = body["metadata"]["result_set"]
        result_set["more"] = True
        if self.next_offset == "advancing":
            result_set["next_offset"] = offset + len(body["customers"])
        elif self.next_offset == "missing":
            result_set["next_offset"] = None
        if not self.total:
            result_set["total_records"] = None
        return httpx.Response(200, json=body)

    async def aclose(self) -> None:
        await self.inner.aclose()


def client_for(
    transport: httpx.AsyncBaseTransport, fake: FakeUltraCart | None = None
) -> uc.CustomerClient:
    return uc.CustomerClient(
        fake.simple_key if fake is not None else "k",
        base_url=fake.base_url if fake is not None else "http://x.test/rest/v2",
        transport=transport,
        retry_policy=uc.RetryPolicy(backoff_initial=0, max_retries=0),
    )


def running_tasks() -> set[int]:
    return {task.id for task in anyio.get_running_tasks()}


async def consume(
    walk: uc.CustomerIterator | uc.CustomerPageIterator, prefetch: bool, into: list[Any]
) -> None:
    """Append what `walk` yields to `into`, inside `async with` (prefetching) or bare."""
    if prefetch:
        async with walk:
            async for item in walk:
                into.append(item.customer_profile_oid if isinstance(item, uc.Customer) else item)
    else:
        async for item in walk:
            into.append(item.customer_profile_oid if isinstance(item, uc.Customer) else item)


SERVERS = [
    pytest.param("advancing", True, id="advancing-total"),
    pytest.param("advancing", False, id="advancing-no-total"),
    pytest.param("missing", False, id="missing-no-total"),
    pytest.param("stuck", True, id="stuck-total"),
    pytest.param("stuck", False, id="stuck-no-total"),
]


@pytest.mark.parametrize(("next_offset", "total"), SERVERS)
@pytest.mark.parametrize("prefetch", [True, False], ids=["async-with", "bare"])
async def test_a_server_ignoring_offset_ends_in_pagination_error(
    next_offset: NextOffset, total: bool, prefetch: bool
) -> None:
    fake = FakeUltraCart(customers=200)
    proxy = IgnoresOffset(fake, next_offset, total=total)
    oids: list[int] = []
    async with client_for(proxy, fake) as client:
        tasks_before = running_tasks()
        customers = client.iter_customers(page_size=PAGE, concurrency=CONCURRENCY)
        with pytest.raises(uc.PaginationError) as caught:
            await consume(customers, prefetch, oids)
        assert running_tasks() == tasks_before
        sent = len(proxy.offsets)
        with pytest.raises(StopAsyncIteration):  # the walk is over: nothing more is sent
            await customers.__anext__()
        await anyio.wait_all_tasks_blocked()
        assert len(proxy.offsets) == sent
    assert oids == fake.customer_oids()[:PAGE]  # what the first page found is kept
    assert sent <= MOST_REQUESTS
    error = caught.value
    assert 1 <= error.pages <= 3
    assert error.offset in proxy.offsets
    assert "offset" in str(error)
    stats = customers.stats
    assert (stats.customers, stats.duplicates_dropped) == (PAGE, PAGE * (stats.pages - 1))


@pytest.mark.parametrize(("next_offset", "total"), SERVERS)
@pytest.mark.parametrize("prefetch", [True, False], ids=["async-with", "bare"])
async def test_pages_form_ends_in_pagination_error_too(
    next_offset: NextOffset, total: bool, prefetch: bool
) -> None:
    fake = FakeUltraCart(customers=200)
    proxy = IgnoresOffset(fake, next_offset, total=total)
    seen: list[uc.CustomersResponse] = []
    async with client_for(proxy, fake) as client:
        pages = client.iter_customers_pages(page_size=PAGE, concurrency=CONCURRENCY)
        with pytest.raises(uc.PaginationError):
            await consume(pages, prefetch, seen)
    assert [c.customer_profile_oid for c in seen[0].customers or []] == fake.customer_oids()[:PAGE]
    assert all(page.customers == [] for page in seen[1:])  # repeats dropped, none added
    assert len(seen) <= 1 + 3  # the first page and at most 3 without progress
    assert len(proxy.offsets) <= MOST_REQUESTS


async def test_query_and_search_walks_are_guarded() -> None:
    fake = FakeUltraCart(customers=200)
    proxy = IgnoresOffset(fake, "advancing", total=False)
    async with client_for(proxy, fake) as client:
        by_query = client.iter_customers_by_query(uc.CustomerQuery(), page_size=PAGE)
        with pytest.raises(uc.PaginationError):
            assert len([c async for c in by_query]) == PAGE
        search = client.iter_search_customers(search_string="a", page_size=PAGE)
        with pytest.raises(uc.PaginationError):
            async for _ in search:
                pass
    assert len(proxy.offsets) <= 2 * MOST_REQUESTS


# -- the guard's rules, on scripted pages -----------------------------------------------------


def scripted(pages: dict[int, tuple[list[int], dict[str, Any]]]) -> httpx.MockTransport:
    """A server answering offset -> (customer oids, result_set); nothing past the script."""

    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("_offset", "0"))
        oids, result_set = pages.get(offset, ([], {"more": False}))
        customers = [{"customer_profile_oid": oid} for oid in oids]
        body = {"customers": customers, "metadata": {"result_set": result_set}, "success": True}
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handler)


async def walk(
    pages: dict[int, tuple[list[int], dict[str, Any]]], concurrency: int = 1
) -> tuple[list[int], uc.PaginationError | None]:
    oids: list[int] = []
    async with client_for(scripted(pages)) as client:
        try:
            async for customer in client.iter_customers(page_size=5, concurrency=concurrency):
                oids.append(customer.customer_profile_oid or 0)
        except uc.PaginationError as error:
            return oids, error
    return oids, None


def more(next_offset: int) -> dict[str, Any]:
    return {"more": True, "next_offset": next_offset}


FIRST = [1, 2, 3, 4, 5]
SECOND = [6, 7, 8, 9, 10]


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_two_pages_of_repeats_are_tolerated(concurrency: int) -> None:
    pages = {0: (FIRST, more(5)), 5: (FIRST, more(10)), 10: (FIRST, more(15))}
    pages[15] = (SECOND, {"more": False, "next_offset": 0})
    assert await walk(pages, concurrency) == (FIRST + SECOND, None)


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_three_pages_of_repeats_in_a_row_end_the_walk(concurrency: int) -> None:
    pages = {o: (FIRST, more(o + 5)) for o in range(0, 20, 5)}
    pages[20] = (SECOND, {"more": False, "next_offset": 0})
    oids, error = await walk(pages, concurrency)
    assert oids == FIRST
    assert error is not None
    assert (error.offset, error.pages) == (15, 3)


async def test_progress_resets_the_count() -> None:
    pages = {0: (FIRST, more(5)), 5: (FIRST, more(10)), 10: (FIRST, more(15))}
    pages[15] = (SECOND, more(20))
    pages |= {20: (FIRST, more(25)), 25: (SECOND, more(30))}
    pages[30] = ([11], {"more": False})
    assert await walk(pages) == ([*FIRST, *SECOND, 11], None)


@pytest.mark.parametrize("next_offset", [5, 3, -5], ids=["same", "backwards", "negative"])
async def test_next_offset_at_or_before_the_page_ends_the_walk(next_offset: int) -> None:
    oids, error = await walk({0: (FIRST, more(5)), 5: (SECOND, more(next_offset))})
    assert oids == FIRST + SECOND  # the page itself is new: handed out before the error
    assert error is not None
    assert (error.offset, error.pages) == (5, 1)
    assert f"next_offset {next_offset}" in str(error)


async def test_next_offset_zero_is_the_end_not_an_error() -> None:
    assert await walk({0: (FIRST, more(5)), 5: (SECOND, more(0))}) == (FIRST + SECOND, None)


async def test_a_last_page_of_repeats_ends_quietly() -> None:
    pages = {0: (FIRST, more(5)), 5: (FIRST, {"more": False})}
    assert await walk(pages) == (FIRST, None)
