"""The blocking pagers: the async pager's order, exactly-once, bounds and stop rules."""

from __future__ import annotations

import gc
import threading
import time

import pytest

import ultracart_async as uc
from ultracart_async import models
from ultracart_async.testing import FakeUltraCart

from .helpers import eventually, loop_tasks, make_client, page_requests, settle


def oids(customers: list[models.Customer]) -> list[int]:
    return [c.customer_profile_oid for c in customers if c.customer_profile_oid is not None]


def drain(walk: uc.SyncCustomerIterator, *, prefetch: bool) -> list[int]:
    if prefetch:
        with walk:
            return oids(list(walk))
    return oids(list(walk))


@pytest.mark.parametrize("prefetch", [True, False], ids=["with", "bare"])
def test_every_customer_once_in_server_order(prefetch: bool) -> None:
    fake = FakeUltraCart(customers=537, seed=5, latency_ms=1, jitter_ms=3)
    with make_client(fake) as client:
        reference: list[int] = []
        offset = 0
        while page := client.get_customers(limit=50, offset=offset).customers:
            reference += oids(page)
            offset += 50
        walk = client.iter_customers(page_size=50, concurrency=4)
        assert drain(walk, prefetch=prefetch) == reference == fake.customer_oids()
        assert walk.stats.pages == 11
        assert walk.stats.customers == 537


@pytest.mark.parametrize("prefetch", [True, False], ids=["with", "bare"])
def test_pages_and_the_query_and_search_walks(prefetch: bool) -> None:
    fake = FakeUltraCart(customers=120, seed=6)
    everyone = fake.customer_oids()
    with make_client(fake) as client:
        walks = [
            client.iter_customers_pages(page_size=25),
            client.iter_customers_by_query_pages(models.CustomerQuery(), page_size=25),
            client.iter_search_customers_pages(page_size=25),
            client.iter_customers(page_size=25).pages(),
        ]
        for pages in walks:
            assert isinstance(pages, uc.SyncCustomerPageIterator)
            if prefetch:
                with pages:
                    got = list(pages)
            else:
                got = list(pages)
            assert [len(p.customers or []) for p in got] == [25, 25, 25, 25, 20]
            assert [o for p in got for o in oids(p.customers or [])] == everyone
        by_query = client.iter_customers_by_query(models.CustomerQuery(), page_size=30)
        assert drain(by_query, prefetch=prefetch) == everyone
        assert drain(client.iter_search_customers(page_size=30), prefetch=prefetch) == everyone


def test_bad_arguments_raise_when_the_walk_is_made() -> None:
    fake = FakeUltraCart(customers=5)
    with make_client(fake) as client:
        with pytest.raises(uc.InvalidInputError, match="page_size"):
            client.iter_customers(page_size=0)
        with pytest.raises(uc.InvalidInputError, match="did you mean 'billing_state'"):
            client.iter_customers(biling_state="TX")
        walk = client.iter_customers()
        next(walk)
        with pytest.raises(RuntimeError, match="customers were already taken"):
            walk.pages()
    assert page_requests(fake) == 1


# -- stopping: break, close, garbage collection ----------------------------------------------


def test_break_in_a_bare_loop_leaves_nothing_in_flight() -> None:
    fake = FakeUltraCart(customers=1000, latency_ms=5)
    with make_client(fake) as client:
        idle = loop_tasks(client)
        for count, _ in enumerate(client.iter_customers(page_size=10, concurrency=4), 1):
            if count == 25:  # inside the second window of pages
                break
        assert loop_tasks(client) == idle  # no task outlives next()
        sent = page_requests(fake)
        assert sent == 1 + 4
        time.sleep(0.05)
        settle(client)
        assert page_requests(fake) == sent


def test_leaving_a_with_block_cancels_the_requests_in_flight() -> None:
    fake = FakeUltraCart(customers=1000)
    # Every page after the first stays in flight (answered after 10,000 s).
    fake.inject("slow", operation="get_customers", times=None, skip=1, delay=10_000)
    with make_client(fake) as client:
        idle = loop_tasks(client)
        with client.iter_customers(page_size=10, concurrency=4) as walk:
            for _ in walk:
                assert eventually(lambda: page_requests(fake) == 1 + 4)  # the window is out
                break
        assert loop_tasks(client) == idle
        settle(client)
        assert page_requests(fake) == 1 + 4
    assert [r.status for r in fake.requests] == [200, None, None, None, None]
    assert (walk.stats.requests, walk.stats.requests_cancelled) == (1, 4)


@pytest.mark.parametrize("prefetch", [True, False], ids=["with", "bare"])
def test_close_from_another_thread_stops_the_walk_at_once(prefetch: bool) -> None:
    fake = FakeUltraCart(customers=1000, latency_ms=10_000)  # no answer comes in time
    with make_client(fake) as client:
        idle = loop_tasks(client)
        walk = client.iter_customers(page_size=10, concurrency=4)
        got: list[list[int]] = []

        def consume() -> None:
            got.append(drain(walk, prefetch=prefetch))

        consumer = threading.Thread(target=consume)
        consumer.start()
        assert eventually(lambda: page_requests(fake) == 1)
        started = time.monotonic()
        walk.close()
        consumer.join()
        assert time.monotonic() - started < 5
        assert got == [[]]
        assert eventually(lambda: loop_tasks(client) == idle)
        settle(client)
        assert page_requests(fake) == 1
        walk.close()  # idempotent
        assert list(walk) == []


def test_close_racing_a_with_block_in_another_thread_leaves_no_task() -> None:
    fake = FakeUltraCart(customers=1000, latency_ms=10_000)  # no answer comes in time
    with make_client(fake) as client:
        idle = loop_tasks(client)
        for _ in range(25):
            walk = client.iter_customers(page_size=10)

            def consume(walk: uc.SyncCustomerIterator = walk) -> None:
                try:
                    with walk:
                        assert list(walk) == []
                except RuntimeError as exc:  # closed before the block was entered
                    assert "closed" in str(exc)  # noqa: PT017

            consumer = threading.Thread(target=consume)
            consumer.start()
            walk.close()  # anywhere in the block's entry, waiting, or before it
            consumer.join()
        assert eventually(lambda: loop_tasks(client) == idle)


def test_an_entered_iterator_dropped_is_cancelled_when_collected() -> None:
    fake = FakeUltraCart(customers=1000)
    fake.inject("slow", operation="get_customers", times=None, skip=1, delay=10_000)
    with make_client(fake) as client:
        idle = loop_tasks(client)
        walk = client.iter_customers(page_size=10, concurrency=4)
        walk.__enter__()  # never left
        next(walk)
        assert eventually(lambda: page_requests(fake) == 1 + 4)
        assert loop_tasks(client) > idle  # the block's prefetch is running
        del walk
        gc.collect()
        assert eventually(lambda: loop_tasks(client) == idle)  # its task is gone
        settle(client)
        assert page_requests(fake) == 1 + 4


def test_closing_the_client_ends_its_walks() -> None:
    fake = FakeUltraCart(customers=100)
    client = make_client(fake)
    bare = client.iter_customers(page_size=10)
    held = client.iter_customers(page_size=10)
    held.__enter__()
    next(bare)
    next(held)
    client.close()
    with pytest.raises(uc.ClientClosedError):
        next(bare)
    bare.close()
    held.close()  # nothing left to cancel: a no-op


def test_with_blocks_are_not_nested_or_reopened() -> None:
    fake = FakeUltraCart(customers=30)
    with make_client(fake) as client:
        walk = client.iter_customers(page_size=10)
        with walk:
            with pytest.raises(RuntimeError, match="already in use"):
                walk.__enter__()
            next(walk)
        with pytest.raises(RuntimeError, match="closed"):
            walk.__enter__()


# -- bounded buffering, failures --------------------------------------------------------------


def test_a_slow_consumer_bounds_prefetch_to_the_window() -> None:
    fake = FakeUltraCart(customers=200)
    with make_client(fake) as client, client.iter_customers(page_size=10, concurrency=3) as walk:
        next(walk)  # page 0 taken; the consumer now stalls
        settle(client)
        assert page_requests(fake) == 1 + 3  # page 0 and a window of 3 waiting
        for _ in range(9):
            next(walk)
        settle(client)
        assert page_requests(fake) == 1 + 3  # page 0 still being consumed
        next(walk)  # takes page 1: one slot frees up
        settle(client)
        assert page_requests(fake) == 1 + 3 + 1


def test_a_bare_loop_fetches_one_window_per_refill() -> None:
    fake = FakeUltraCart(customers=200)
    with make_client(fake) as client:
        walk = client.iter_customers(page_size=10, concurrency=3)
        next(walk)
        assert page_requests(fake) == 1  # the first page alone
        for _ in range(10):
            next(walk)
        assert page_requests(fake) == 1 + 3
        for _ in range(30):
            next(walk)
        assert page_requests(fake) == 1 + 3 + 3


@pytest.mark.parametrize("prefetch", [True, False], ids=["with", "bare"])
def test_a_failing_page_raises_at_its_position(prefetch: bool) -> None:
    fake = FakeUltraCart(customers=100)
    fake.inject("server_error", operation="get_customers", times=None, skip=3)
    with make_client(fake, max_retries=0) as client:
        walk = client.iter_customers(page_size=10, concurrency=2)
        got: list[int] = []

        def consume() -> None:
            if prefetch:
                walk.__enter__()
            try:
                for customer in walk:
                    got.extend(oids([customer]))
            finally:
                walk.close()

        with pytest.raises(uc.ServerError):
            consume()
        assert got == fake.customer_oids()[:30]
        assert list(walk) == []
