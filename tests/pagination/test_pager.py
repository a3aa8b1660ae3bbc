"""The concurrent pager (`iter_customers` & co.) against FakeUltraCart, on asyncio and trio."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

import anyio
import httpx
import pytest

import ultracart_async as uc
from tests.helpers import NO_WAIT
from ultracart_async.testing import FakeRateLimit, FakeUltraCart

pytestmark = pytest.mark.anyio


class Recorder(httpx.AsyncBaseTransport):
    """Wraps the fake's transport: records request starts/ends by `_offset`, can fail offsets."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, *, fail_offsets: Iterable[int] = ()
    ) -> None:
        self.inner = inner
        self.fail_offsets = frozenset(fail_offsets)
        self.events: list[tuple[str, int]] = []
        self.in_flight = 0
        self.peak = 0
        self.started: dict[int, anyio.Event] = {}

    def start_of(self, offset: int) -> anyio.Event:
        """An event set when a request for `offset` starts."""
        return self.started.setdefault(offset, anyio.Event())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("_offset", "0"))
        self.events.append(("start", offset))
        self.start_of(offset).set()
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            if offset in self.fail_offsets:
                return httpx.Response(500, json={"error": {"developer_message": "boom"}})
            return await self.inner.handle_async_request(request)
        finally:
            self.in_flight -= 1
            self.events.append(("end", offset))

    @property
    def offsets(self) -> list[int]:
        return [offset for kind, offset in self.events if kind == "start"]

    async def aclose(self) -> None:
        await self.inner.aclose()


def make_client(
    fake: FakeUltraCart, recorder: Recorder | None = None, **kwargs: Any
) -> uc.CustomerClient:
    kwargs.setdefault("retry_policy", NO_WAIT)
    return uc.CustomerClient(
        fake.simple_key,
        base_url=fake.base_url,
        transport=recorder if recorder is not None else fake.transport(),
        **kwargs,
    )


async def sequential_oids(client: uc.CustomerClient, page_size: int, **kwargs: Any) -> list[int]:
    """What a careful sequential loop over get_customers returns (the reference order)."""
    oids: list[int] = []
    offset = 0
    while True:
        page = await client.get_customers(limit=page_size, offset=offset, **kwargs)
        customers = page.customers or []
        oids += [c.customer_profile_oid for c in customers if c.customer_profile_oid]
        if len(customers) < page_size:
            return oids
        offset += page_size


async def drain(
    pager: uc.CustomerIterator, *, prefetch: bool, into: list[int] | None = None
) -> list[int]:
    """Every oid the pager yields, iterating inside `async with` or bare."""
    oids: list[int] = [] if into is None else into
    if prefetch:
        async with pager:
            async for customer in pager:
                assert customer.customer_profile_oid is not None
                oids.append(customer.customer_profile_oid)
    else:
        async for customer in pager:
            assert customer.customer_profile_oid is not None
            oids.append(customer.customer_profile_oid)
    return oids


def page_requests(fake: FakeUltraCart) -> int:
    return sum(1 for r in fake.requests if r.operation == "get_customers")


# -- arguments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"page_size": 0}, "page_size must be between 1 and 200"),
        ({"page_size": 201}, "page_size must be between 1 and 200"),
        ({"page_size": True}, "page_size must be an int"),
        ({"concurrency": 0}, "concurrency must be >= 1"),
        ({"concurrency": 2.0}, "concurrency must be an int"),
        ({"biling_state": "TX"}, "unknown argument 'biling_state' (did you mean 'billing_state'?)"),
        ({"limit": 10}, "the pager sets limit itself"),
        ({"offset": 10}, "the pager sets offset itself"),
        ({"billing_state": 5}, "get_customers: billing_state must be a str, got int"),
        ({"pricing_tier_oid": "7"}, "get_customers: pricing_tier_oid must be an int, got str"),
        ({"pricing_tier_oid": 2**40}, "pricing_tier_oid must fit in 32 bits"),
        ({"sort": ["+email"]}, "sort must be a str"),
    ],
)
async def test_bad_arguments_raise_at_call_time(kwargs: dict[str, Any], message: str) -> None:
    fake = FakeUltraCart(customers=5)
    async with make_client(fake) as client:
        with pytest.raises(uc.InvalidInputError) as caught:
            client.iter_customers(**kwargs)
        assert message in str(caught.value)
        with pytest.raises(uc.InvalidInputError):
            client.iter_customers_pages(**kwargs)
    assert fake.requests == []


async def test_bad_query_and_search_arguments() -> None:
    fake = FakeUltraCart(customers=5)
    async with make_client(fake) as client:
        with pytest.raises(uc.InvalidInputError, match="must be a CustomerQuery"):
            client.iter_customers_by_query({"email": "x"})  # type: ignore[arg-type]
        with pytest.raises(uc.InvalidInputError, match="concurrency"):
            client.iter_customers_by_query_pages(uc.CustomerQuery(), concurrency=-1)
        with pytest.raises(uc.InvalidInputError, match="search_string must be a str"):
            client.iter_search_customers(search_string=7)  # type: ignore[arg-type]
        with pytest.raises(uc.InvalidInputError, match="get_customers_by_query: expand must"):
            client.iter_customers_by_query(uc.CustomerQuery(), expand=1)  # type: ignore[arg-type]
        with pytest.raises(uc.InvalidInputError, match="page_size"):
            client.iter_search_customers_pages(page_size=500)
    assert fake.requests == []


async def test_filters_are_validated_like_get_customers() -> None:
    """pricing_tier_oid is an integer in the spec: the pager takes what get_customers takes."""
    fake = FakeUltraCart(customers=60)
    async with make_client(fake) as client:
        everyone = await client.get_customers(limit=200, expand="pricing_tiers")
        tier = next(
            tier.pricing_tier_oid
            for customer in everyone.customers or []
            for tier in customer.pricing_tiers or []
        )
        assert isinstance(tier, int)
        direct = await client.get_customers(pricing_tier_oid=tier, limit=200)
        expected = [c.customer_profile_oid for c in direct.customers or []]
        pager = client.iter_customers(pricing_tier_oid=tier, page_size=1, concurrency=2)
        assert [c.customer_profile_oid async for c in pager] == expected
    assert len(expected) > 1  # more than one page
    assert all(("pricing_tier_oid", str(tier)) in r.query for r in fake.requests[1:])


# -- order and completeness ------------------------------------------------------------------


@pytest.mark.parametrize("total_records", [True, False], ids=["total", "no-total"])
@pytest.mark.parametrize("prefetch", [True, False], ids=["async-with", "bare"])
@pytest.mark.parametrize("concurrency", [1, 3])
async def test_every_customer_once_in_server_order(
    total_records: bool, prefetch: bool, concurrency: int
) -> None:
    fake = FakeUltraCart(customers=103, report_total_records=total_records)
    recorder = Recorder(fake.transport())
    async with make_client(fake, recorder) as client:
        expected = await sequential_oids(client, 10, sort="-email")
        recorder.events.clear()
        pager = client.iter_customers(page_size=10, concurrency=concurrency, sort="-email")
        assert await drain(pager, prefetch=prefetch) == expected
    assert len(expected) == 103
    # The first page goes alone: nothing starts before it is answered.
    assert recorder.events[:2] == [("start", 0), ("end", 0)]
    assert recorder.peak <= concurrency
    offsets = recorder.offsets
    assert len(offsets) == len(set(offsets)), "an offset was fetched twice"
    wanted = set(range(0, 103, 10))
    if total_records or concurrency == 1:
        assert set(offsets) == wanted
    else:  # speculative prefetch may look at most concurrency - 1 pages past the end
        assert wanted <= set(offsets)
        assert len(set(offsets) - wanted) <= concurrency - 1
    stats = pager.stats
    assert (stats.pages, stats.customers, stats.duplicates_dropped) == (11, 103, 0)
    # Speculative pages past the end may be cancelled before their answer: not in `requests`.
    assert stats.requests <= len(offsets) <= stats.requests + stats.requests_cancelled
    if total_records:
        assert (stats.requests, stats.requests_cancelled) == (len(offsets), 0)
    assert stats.elapsed > 0


async def test_concurrency_one_is_strictly_sequential() -> None:
    fake = FakeUltraCart(customers=50)
    recorder = Recorder(fake.transport())
    async with (
        make_client(fake, recorder) as client,
        client.iter_customers(page_size=10, concurrency=1) as customers,
    ):
        oids = [c.customer_profile_oid async for c in customers]
    assert oids == fake.customer_oids()
    assert recorder.peak == 1
    assert recorder.events == [(kind, o) for o in range(0, 50, 10) for kind in ("start", "end")]


@pytest.mark.parametrize("prefetch", [True, False], ids=["async-with", "bare"])
async def test_pages_variants_and_query_and_search(prefetch: bool) -> None:
    fake = FakeUltraCart(customers=45)
    async with make_client(fake) as client:
        everyone = fake.customer_oids()
        pages = client.iter_customers_pages(page_size=20, concurrency=2)
        seen: list[uc.CustomersResponse] = []
        if prefetch:
            async with pages:
                seen = [page async for page in pages]
        else:
            seen = [page async for page in pages]
        assert [len(page.customers or []) for page in seen] == [20, 20, 5]
        assert [c.customer_profile_oid for page in seen for c in page.customers or []] == everyone

        query = uc.CustomerQuery(email=None)
        by_query = client.iter_customers_by_query(query, page_size=7, concurrency=3)
        assert await drain(by_query, prefetch=prefetch) == everyone
        query_pages = client.iter_customers_by_query_pages(query, page_size=50)
        assert [len(p.customers or []) async for p in query_pages] == [45]

        direct = await client.search_customers(search_string="a", limit=200)
        found = [c.customer_profile_oid for c in direct.customers or []]
        assert found
        search = client.iter_search_customers(search_string="a", page_size=4, concurrency=4)
        assert await drain(search, prefetch=prefetch) == found
        search_pages = client.iter_search_customers_pages(search_string="a", page_size=200)
        assert [len(p.customers or []) async for p in search_pages] == [len(found)]


@pytest.mark.parametrize("prefetch", [True, False], ids=["async-with", "bare"])
async def test_pages_is_the_page_iterator_of_the_same_walk(prefetch: bool) -> None:
    fake = FakeUltraCart(customers=45)
    async with make_client(fake) as client:
        customers = client.iter_customers(page_size=20, concurrency=2)
        pages = customers.pages()
        assert isinstance(pages, uc.CustomerPageIterator)
        assert customers.pages() is pages  # one walk, one page iterator
        assert customers.stats is pages.stats
        if prefetch:
            async with customers:  # prefetches for its pages too
                seen = [page async for page in pages]
        else:
            seen = [page async for page in pages]
    assert [len(page.customers or []) for page in seen] == [20, 20, 5]
    assert [c.customer_profile_oid for p in seen for c in p.customers or []] == fake.customer_oids()
    assert page_requests(fake) == 3
    assert (customers.stats.pages, customers.stats.customers) == (3, 45)


async def test_pages_and_customers_of_one_walk_are_not_mixed() -> None:
    fake = FakeUltraCart(customers=45)
    async with make_client(fake) as client:
        started = client.iter_customers(page_size=20)
        await started.__anext__()
        with pytest.raises(RuntimeError, match="customers were already taken"):
            started.pages()
        assert len([c async for c in started]) == 44  # the refusal left the walk intact

        paged = client.iter_customers(page_size=20)
        paged.pages()
        sent = len(fake.requests)
        with pytest.raises(RuntimeError, match=r"iterated by its \.pages\(\)"):
            await paged.__anext__()
        assert len(fake.requests) == sent  # refused before sending anything
        await paged.aclose()  # closes the walk, whichever iterator is used
        with pytest.raises(StopAsyncIteration):
            await paged.pages().__anext__()


@pytest.mark.parametrize("total_records", [True, False], ids=["total", "no-total"])
async def test_start_offset_resumes_mid_walk(total_records: bool) -> None:
    fake = FakeUltraCart(customers=95, report_total_records=total_records)
    recorder = Recorder(fake.transport())
    async with make_client(fake, recorder) as client:
        pager = client.iter_customers(page_size=10, concurrency=3, start_offset=30)
        assert await drain(pager, prefetch=True) == fake.customer_oids()[30:]
        with pytest.raises(uc.InvalidInputError, match="start_offset must be >= 0"):
            client.iter_customers(start_offset=-1)
    assert recorder.events[:2] == [("start", 30), ("end", 30)]
    if total_records:  # known total: parallel from the first page on, nothing past the end
        assert sorted(recorder.offsets) == list(range(30, 95, 10))
        assert pager.stats.peak_in_flight >= 2


# -- live data -------------------------------------------------------------------------------


@pytest.mark.parametrize("total_records", [True, False], ids=["total", "no-total"])
async def test_insert_mid_iteration_repeat_is_dropped(total_records: bool) -> None:
    """A record inserted ahead of the cursor shifts every page: the repeat is dropped."""
    fake = FakeUltraCart(customers=30, report_total_records=total_records)
    async with make_client(fake) as client:
        # Newest first: an inserted customer sorts at the very top, pushing everyone down one.
        expected = await sequential_oids(client, 10, sort="-customer_profile_oid")
        customers = client.iter_customers(page_size=10, concurrency=2, sort="-customer_profile_oid")
        oids = []
        async for customer in customers:  # bare: each window is fetched when needed
            assert customer.customer_profile_oid is not None
            oids.append(customer.customer_profile_oid)
            if len(oids) == 10:
                await client.insert_customer(uc.Customer(email="new.customer@example.com"))
    assert oids == expected  # every original once, in order; the newcomer is behind the cursor
    assert customers.stats.duplicates_dropped == 1


async def test_delete_mid_iteration_skips_one_record() -> None:
    """The documented risk: a deletion behind the cursor makes one record slip past unseen."""
    fake = FakeUltraCart(customers=30)
    async with make_client(fake) as client:
        before = fake.customer_oids()
        customers = client.iter_customers(page_size=10, concurrency=1)
        oids = []
        async for customer in customers:
            assert customer.customer_profile_oid is not None
            oids.append(customer.customer_profile_oid)
            if len(oids) == 10:
                await client.delete_customer(before[3])
    assert oids == before[:10] + before[11:]  # before[10] moved to offset 9: skipped
    assert customers.stats.duplicates_dropped == 0


# -- faults ----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefetch", [True, False], ids=["async-with", "bare"])
async def test_page_failing_after_retries_raises_at_its_position(prefetch: bool) -> None:
    fake = FakeUltraCart(customers=100)
    recorder = Recorder(fake.transport(), fail_offsets={40})
    async with make_client(fake, recorder, max_retries=2) as client:
        everyone = fake.customer_oids()
        customers = client.iter_customers(page_size=10, concurrency=4)
        oids: list[int] = []
        with pytest.raises(uc.ServerError):
            await drain(customers, prefetch=prefetch, into=oids)
        assert oids == everyone[:40]  # everything before the failed page, nothing after
        assert recorder.offsets.count(40) == 3  # the client's 2 retries, none from the pager
        assert max(recorder.offsets) <= 40 + 3 * 10  # never more than the window ahead
        with pytest.raises(StopAsyncIteration):
            await customers.__anext__()
    assert customers.stats.retries == 2


async def test_retried_faults_leave_no_gap() -> None:
    fake = FakeUltraCart(customers=60)
    fake.inject("server_error", operation="get_customers", times=2, skip=1)
    fake.inject("html_502", operation="get_customers", times=1, skip=3)
    async with (
        make_client(fake) as client,
        client.iter_customers(page_size=10, concurrency=3) as customers,
    ):
        oids = [c.customer_profile_oid async for c in customers]
    assert oids == fake.customer_oids()
    assert customers.stats.retries == 3
    assert customers.stats.requests == 6 + 3 == len(fake.requests)


async def test_failure_with_concurrency_one_at_fault_position() -> None:
    fake = FakeUltraCart(customers=50)
    fake.inject("server_error", operation="get_customers", times=None, skip=3)
    async with make_client(fake, max_retries=1) as client:
        customers = client.iter_customers(page_size=10, concurrency=1)
        oids: list[int] = []
        with pytest.raises(uc.ServerError):
            await drain(customers, prefetch=False, into=oids)
    assert oids == fake.customer_oids()[:30]
    assert page_requests(fake) == 3 + 2


class RateLimitPastTheEnd(httpx.AsyncBaseTransport):
    """Forwards to the fake, but answers 429 (Retry-After: 60) to the first request for
    `limited`, and holds the requests for `held` back until that 429's retry is announced."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, limited: int, held: set[int]) -> None:
        self.inner = inner
        self.limited: int | None = limited
        self.held = held
        self.retry_announced = anyio.Event()

    def on_retry(self, event: uc.RetryEvent) -> None:
        """A user's own hook on the client: it sees the pager's retries too."""
        self.retry_announced.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("_offset", "0"))
        if offset in self.held:
            await self.retry_announced.wait()
        response = await self.inner.handle_async_request(request)
        if offset == self.limited:
            self.limited = None
            await response.aclose()
            return httpx.Response(429, headers={"Retry-After": "60"}, json={})
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.parametrize("prefetch", [True, False], ids=["async-with", "bare"])
async def test_requests_count_what_was_sent_not_retries_cancelled_in_their_wait(
    prefetch: bool,
) -> None:
    """Page 30, speculated past the end of 25 customers, gets a 429 and waits 60 s to retry;
    pages 10 and 20 then arrive and end the walk, cancelling that retry before it is sent."""
    fake = FakeUltraCart(customers=25, report_total_records=False)
    gate = RateLimitPastTheEnd(fake.transport(), limited=30, held={10, 20})
    user_events: list[uc.RetryEvent] = []
    view_events: list[uc.RetryEvent] = []

    def user_hook(event: uc.RetryEvent) -> None:
        user_events.append(event)
        gate.on_retry(event)

    async with uc.CustomerClient(
        fake.simple_key,
        base_url=fake.base_url,
        transport=gate,
        retry_policy=uc.RetryPolicy(backoff_initial=0, retry_after_cap=600),
        on_retry=user_hook,
    ) as client:
        view = client.with_options(on_retry=view_events.append)  # adds a hook; both run
        pager = view.iter_customers(page_size=10, concurrency=3)
        assert await drain(pager, prefetch=prefetch) == fake.customer_oids()
    assert sorted(int(dict(r.query)["_offset"]) for r in fake.requests) == [0, 10, 20, 30]
    stats = pager.stats
    assert stats.requests == len(fake.requests) == 4  # the retry of page 30 was never sent
    assert stats.requests_cancelled == 1
    assert stats.retries == stats.rate_limit_waits == 1
    # The client's own hooks saw the pager's retry, and the pager still counted it.
    assert len(user_events) == 1
    assert view_events == user_events
    assert user_events[0].operation == "get_customers"
    assert user_events[0].rate_limited
    assert user_events[0].delay == 60


# -- early exit ------------------------------------------------------------------------------


def running_tasks() -> set[int]:
    return {task.id for task in anyio.get_running_tasks()}


async def test_break_inside_async_with_cancels_in_flight_requests() -> None:
    fake = FakeUltraCart(customers=1000)
    # Every page after the first stays in flight (answered after 10,000 s).
    fake.inject("slow", operation="get_customers", times=None, skip=1, delay=10_000)
    recorder = Recorder(fake.transport())
    async with make_client(fake, recorder) as client:
        tasks_before = running_tasks()
        async with client.iter_customers(page_size=10, concurrency=4) as customers:
            async for _ in customers:
                await recorder.start_of(30).wait()
                await anyio.wait_all_tasks_blocked()  # the window is in flight at the fake
                break
            sent_at_break = len(fake.requests)
        # No task outlives the block, so none is left (waiting on a timer or runnable) to send.
        assert running_tasks() == tasks_before
        assert recorder.in_flight == 0
        await anyio.wait_all_tasks_blocked()  # whatever could still run has run
        assert len(fake.requests) == sent_at_break
    # The requests in flight at the break were cancelled, not answered.
    assert [r.status for r in fake.requests] == [200, None, None, None, None]
    assert (customers.stats.requests, customers.stats.requests_cancelled) == (1, 4)


async def test_break_in_bare_loop_leaves_nothing_in_flight() -> None:
    fake = FakeUltraCart(customers=1000, latency_ms=5)
    recorder = Recorder(fake.transport())
    async with make_client(fake, recorder) as client:
        tasks_before = running_tasks()
        count = 0
        async for _ in client.iter_customers(page_size=10, concurrency=4):
            count += 1
            if count == 25:  # inside the second window of pages
                break
        # No task outlives the loop, so none is left (waiting on a timer or runnable) to send.
        assert running_tasks() == tasks_before
        assert recorder.in_flight == 0
        sent_at_break = len(fake.requests)
        assert sent_at_break == 1 + 4
        await anyio.wait_all_tasks_blocked()  # whatever could still run has run
        assert len(fake.requests) == sent_at_break


@pytest.mark.parametrize("prefetch", [True, False], ids=["async-with", "bare"])
async def test_cancelling_the_consumer_cancels_requests(prefetch: bool) -> None:
    fake = FakeUltraCart(customers=1000, latency_ms=10_000)  # answers never come in time
    recorder = Recorder(fake.transport())
    async with make_client(fake, recorder) as client:
        tasks_before = running_tasks()
        customers = client.iter_customers(page_size=10, concurrency=4)

        async def consume() -> None:
            if prefetch:
                async with customers:
                    async for _ in customers:
                        pytest.fail("no page can arrive")
            else:
                async for _ in customers:
                    pytest.fail("no page can arrive")

        with anyio.CancelScope() as scope:
            async with anyio.create_task_group() as group:
                group.start_soon(consume)
                await recorder.start_of(0).wait()
                await anyio.wait_all_tasks_blocked()
                scope.cancel()
        assert scope.cancelled_caught
        assert running_tasks() == tasks_before
        assert recorder.in_flight == 0
        sent = len(fake.requests)
        assert sent == 1
        await anyio.wait_all_tasks_blocked()
        assert len(fake.requests) == sent


@pytest.mark.parametrize("prefetch", [True, False], ids=["async-with", "bare"])
async def test_aclose_stops_at_once(prefetch: bool) -> None:
    fake = FakeUltraCart(customers=1000, latency_ms=10_000)
    recorder = Recorder(fake.transport())
    async with make_client(fake, recorder) as client:
        customers = client.iter_customers(page_size=10, concurrency=4)
        closed = anyio.Event()

        async def consume() -> None:
            if prefetch:
                async with customers:
                    async for _ in customers:
                        pytest.fail("no page can arrive")
            else:
                async for _ in customers:
                    pytest.fail("no page can arrive")
            closed.set()

        async with anyio.create_task_group() as group:
            group.start_soon(consume)
            await recorder.start_of(0).wait()
            await anyio.wait_all_tasks_blocked()
            await customers.aclose()  # from another task, while the consumer waits
            assert recorder.in_flight == 0
        assert closed.is_set()  # the consumer saw a clean end of iteration
        assert len(fake.requests) == 1
        assert (customers.stats.requests, customers.stats.requests_cancelled) == (0, 1)
        with pytest.raises(StopAsyncIteration):
            await customers.__anext__()


async def test_exception_in_body_propagates_unwrapped() -> None:
    fake = FakeUltraCart(customers=100, latency_ms=20)

    async def consume(client: uc.CustomerClient) -> None:
        async with client.iter_customers(page_size=10, concurrency=3) as customers:
            async for _ in customers:
                raise KeyError("consumer bug")

    async with make_client(fake) as client:
        with pytest.raises(KeyError):
            await consume(client)


# -- misuse ----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefetch", [True, False], ids=["async-with", "bare"])
async def test_a_second_task_waiting_on_the_same_pager_is_refused(prefetch: bool) -> None:
    fake = FakeUltraCart(customers=1000, latency_ms=10_000)  # the first page never comes
    recorder = Recorder(fake.transport())
    async with make_client(fake, recorder) as client:
        tasks_before = running_tasks()
        customers = client.iter_customers(page_size=10, concurrency=4)
        first_ended = anyio.Event()

        async def first() -> None:
            with pytest.raises(StopAsyncIteration):  # the pager is closed under it
                await customers.__anext__()
            first_ended.set()

        async def second_without_waiting() -> None:
            # Refused before any checkpoint: in this cancelled scope, a call that went on to
            # wait would end in a (swallowed) cancellation, not hang or raise.
            with anyio.CancelScope() as scope:
                scope.cancel()
                await customers.__anext__()

        async def misuse() -> None:
            async with anyio.create_task_group() as group:
                group.start_soon(first)
                await recorder.start_of(0).wait()
                await anyio.wait_all_tasks_blocked()  # `first` is waiting on page 0
                with pytest.raises(RuntimeError, match="another task is already waiting"):
                    await second_without_waiting()
                assert not first_ended.is_set()  # the refusal did not disturb `first`
                await customers.aclose()

        if prefetch:
            async with customers:
                await misuse()
        else:
            await misuse()
        assert first_ended.is_set()
        assert running_tasks() == tasks_before  # no task outlives the task group
        assert recorder.in_flight == 0
        assert recorder.offsets == [0]  # the refused call sent nothing
        with pytest.raises(StopAsyncIteration):  # not "another task is waiting": it is free
            await customers.__anext__()


async def test_nested_async_with_on_one_pager_is_refused() -> None:
    fake = FakeUltraCart(customers=25)
    async with make_client(fake) as client:
        customers = client.iter_customers(page_size=10, concurrency=2)
        oids: list[int] = []
        async with customers:
            with pytest.raises(RuntimeError, match="already in use by an `async with` block"):
                async with customers:
                    pytest.fail("entered a pager twice")
            # The refused entry left the outer block working: every customer, once, in order.
            async for customer in customers:
                assert customer.customer_profile_oid is not None
                oids.append(customer.customer_profile_oid)
    assert oids == fake.customer_oids()


async def test_async_with_on_a_closed_pager_is_refused() -> None:
    fake = FakeUltraCart(customers=25)
    async with make_client(fake) as client:
        never_started = client.iter_customers()
        await never_started.aclose()
        with pytest.raises(RuntimeError, match="this pager is closed"):
            async with never_started:
                pytest.fail("entered a closed pager")
        assert fake.requests == []  # nothing was sent for it

        finished = client.iter_customers(page_size=10)
        assert len(await drain(finished, prefetch=True)) == 25  # leaving the block closes it
        with pytest.raises(RuntimeError, match="this pager is closed"):
            async with finished:
                pytest.fail("re-entered a finished pager")
    assert page_requests(fake) == 3


async def test_stats_elapsed_is_zero_before_the_start_and_fixed_after_the_end() -> None:
    assert uc.PagerStats().elapsed == 0.0
    fake = FakeUltraCart(customers=25)
    async with make_client(fake) as client:
        closed_unstarted = client.iter_customers()
        await closed_unstarted.aclose()
        assert closed_unstarted.stats.started_at is None
        assert closed_unstarted.stats.finished_at is None
        assert closed_unstarted.stats.elapsed == 0.0

        pager = client.iter_customers(page_size=10, concurrency=2)
        assert pager.stats.elapsed == 0.0
        assert len(await drain(pager, prefetch=False)) == 25
        stats = pager.stats
        assert stats.started_at is not None
        assert stats.finished_at is not None
        elapsed = stats.elapsed
        assert elapsed > 0
        assert elapsed == stats.finished_at - stats.started_at
        await client.get_customers(limit=1)  # time goes on after the end...
        assert stats.elapsed == elapsed  # ...and the walk's duration does not


# -- bounded buffering -----------------------------------------------------------------------


async def test_slow_consumer_bounds_prefetch_to_the_window() -> None:
    fake = FakeUltraCart(customers=200)
    async with (
        make_client(fake) as client,
        client.iter_customers(page_size=10, concurrency=3) as customers,
    ):
        iterator: AsyncIterator[uc.Customer] = customers
        await iterator.__anext__()  # page 0 taken; the consumer now stalls
        await anyio.wait_all_tasks_blocked()
        assert page_requests(fake) == 1 + 3  # page 0 and a window of 3 waiting
        for _ in range(9):
            await iterator.__anext__()
        await anyio.wait_all_tasks_blocked()
        assert page_requests(fake) == 1 + 3  # page 0 still being consumed
        await iterator.__anext__()  # takes page 1: one slot frees up
        await anyio.wait_all_tasks_blocked()
        assert page_requests(fake) == 1 + 3 + 1


async def test_bare_loop_fetches_one_window_per_refill() -> None:
    fake = FakeUltraCart(customers=200)
    async with make_client(fake) as client:
        customers = client.iter_customers(page_size=10, concurrency=3)
        await customers.__anext__()
        assert page_requests(fake) == 1  # the first page alone
        for _ in range(10):
            await customers.__anext__()
        assert page_requests(fake) == 1 + 3
        for _ in range(30):
            await customers.__anext__()
        assert page_requests(fake) == 1 + 3 + 3


# -- politeness (AIMD) -----------------------------------------------------------------------


async def test_simultaneous_429s_halve_concurrency_once() -> None:
    # Latency keeps the 8 requests of the window in flight together: one round, one decrease.
    fake = FakeUltraCart(customers=500, latency_ms=20)
    fake.inject("rate_limit", operation="get_customers", times=8, skip=1)
    user_events: list[uc.RetryEvent] = []  # the client's own hook runs besides the pager's
    async with (
        make_client(fake, on_retry=user_events.append) as client,
        client.iter_customers(page_size=10, concurrency=8) as customers,
    ):
        oids = [c.customer_profile_oid async for c in customers]
    assert oids == fake.customer_oids()
    stats = customers.stats
    assert stats.rate_limit_waits == 8
    assert stats.min_concurrency == 4  # one round of 429s: one multiplicative decrease
    assert stats.concurrency == 8  # additive increase brought it back
    assert stats.requests == 50 + 8 == len(fake.requests)
    assert stats.requests_cancelled == 0
    assert len(user_events) == 8
    assert all(event.rate_limited for event in user_events)


async def test_adapts_to_servers_in_flight_limit() -> None:
    fake = FakeUltraCart(
        customers=400,
        latency_ms=2,
        rate_limit=FakeRateLimit(per_hour=None, per_day=None, max_in_flight=2),
    )
    recorder = Recorder(fake.transport())
    # Retry-After (1 s from the fake) capped to 50 ms keeps the test short.
    policy = uc.RetryPolicy(backoff_initial=0, retry_after_cap=0.05, max_retries=10)
    async with (
        make_client(fake, recorder, retry_policy=policy) as client,
        client.iter_customers(page_size=10, concurrency=8) as customers,
    ):
        oids = [c.customer_profile_oid async for c in customers]
    assert oids == fake.customer_oids()
    stats = customers.stats
    assert stats.rate_limit_waits == fake.counters.rate_limited > 0
    assert stats.min_concurrency <= 2
    # Far fewer 429s than pages: the pager backed off instead of hammering.
    assert stats.rate_limit_waits < 40


# -- unusual result sets ---------------------------------------------------------------------


def scripted(result_sets: dict[int, tuple[int, dict[str, Any]]]) -> httpx.MockTransport:
    """A server answering offset -> (customer count, result_set), oids = offset + i + 1."""

    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("_offset", "0"))
        count, result_set = result_sets.get(offset, (0, {"more": False}))
        customers = [{"customer_profile_oid": offset + i + 1} for i in range(count)]
        body = {"customers": customers, "metadata": {"result_set": result_set}, "success": True}
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handler)


async def scripted_run(
    result_sets: dict[int, tuple[int, dict[str, Any]]],
    page_size: int,
    concurrency: int,
    *,
    oids: list[int] | None = None,
    seen: list[int] | None = None,
) -> tuple[list[int], list[int]]:
    """Customer oids yielded and offsets requested (also into `oids`/`seen`, if it raises)."""
    oids = [] if oids is None else oids
    requested: list[int] = [] if seen is None else seen
    transport = scripted(result_sets)
    inner = transport.handle_async_request

    async def spy(request: httpx.Request) -> httpx.Response:
        requested.append(int(request.url.params.get("_offset", "0")))
        return await inner(request)

    transport.handle_async_request = spy  # type: ignore[method-assign]
    async with (
        uc.CustomerClient("k", base_url="http://x.test/rest/v2", transport=transport) as client,
        client.iter_customers(page_size=page_size, concurrency=concurrency) as customers,
    ):
        async for customer in customers:
            oids.append(customer.customer_profile_oid or 0)
    return oids, requested


async def test_next_offset_zero_stops() -> None:
    oids, seen = await scripted_run(
        {0: (5, {"more": True, "next_offset": 5}), 5: (5, {"more": True, "next_offset": 0})}, 5, 1
    )
    assert oids == list(range(1, 11))
    assert seen == [0, 5]


async def test_next_offset_not_advancing_never_loops() -> None:
    """It ends in PaginationError, after every customer found (more in test_progress.py)."""
    oids: list[int] = []
    seen: list[int] = []
    with pytest.raises(uc.PaginationError, match="next_offset 5 does not advance"):
        await scripted_run(
            {0: (5, {"more": True, "next_offset": 5}), 5: (5, {"more": True, "next_offset": 5})},
            5,
            4,
            oids=oids,
            seen=seen,
        )
    assert oids == list(range(1, 11))
    assert seen[0] == 0
    assert seen.count(5) == 1
    assert set(seen) <= {0, 5, 10, 15, 20}  # speculation stays within one window


async def test_follows_irregular_next_offset_without_speculating() -> None:
    # The server pages by 3 though 5 were asked for and reports no total: follow next_offset.
    result_sets = {
        0: (3, {"more": True, "next_offset": 3, "limit": 5}),
        3: (3, {"more": True, "next_offset": 6, "limit": 5}),
        6: (2, {"more": False, "next_offset": 0, "limit": 5}),
    }
    oids, seen = await scripted_run(result_sets, 5, 4)
    assert oids == list(range(1, 9))
    assert seen == [0, 3, 6]


async def test_server_capped_page_size_leaves_no_gap() -> None:
    # Asked for 10, the server (like a lowered UltraCart cap) answers 5 per page with a total.
    result_sets: dict[int, tuple[int, dict[str, Any]]] = {
        o: (5, {"more": o < 15, "next_offset": o + 5, "limit": 5, "total_records": 20})
        for o in range(0, 20, 5)
    }
    oids, seen = await scripted_run(result_sets, 10, 3)
    assert oids == list(range(1, 21))
    assert sorted(seen) == [0, 5, 10, 15]


async def test_missing_more_and_next_offset_follow_the_count() -> None:
    result_sets: dict[int, tuple[int, dict[str, Any]]] = {0: (4, {}), 4: (4, {}), 8: (1, {})}
    oids, seen = await scripted_run(result_sets, 4, 2)
    assert oids == list(range(1, 10))
    assert seen[0] == 0
    assert {0, 4, 8} <= set(seen)
    assert set(seen) <= {0, 4, 8, 12}  # at most concurrency - 1 speculative pages past the end


async def test_empty_result() -> None:
    fake = FakeUltraCart(customers=0)
    async with make_client(fake) as client:
        async with client.iter_customers(concurrency=4) as customers:
            assert [c async for c in customers] == []
        assert [c async for c in client.iter_customers()] == []
    assert page_requests(fake) == 2


@pytest.mark.parametrize("prefetch", [False, True])
async def test_nothing_more_is_yielded_after_aclose_not_even_the_rest_of_the_page(
    prefetch: bool,
) -> None:
    fake = FakeUltraCart(customers=30, seed=4)
    async with fake.client() as client:
        pager = client.iter_customers(page_size=10, concurrency=1)
        if prefetch:
            await pager.__aenter__()
        first = await pager.__anext__()
        await pager.aclose()
        rest = [c async for c in pager]
        if prefetch:
            await pager.__aexit__(None, None, None)
    assert first.customer_profile_oid == fake.customer_oids()[0]
    assert rest == []
