"""`SyncCustomerClient` against FakeUltraCart: the async client's behaviour, without `await`."""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from typing import Any, cast

import anyio
import anyio.to_thread
import httpx
import pytest

import ultracart_async as uc
from tests.helpers import NO_WAIT
from tests.testing.test_fake_client import exercise_client_operations
from ultracart_async import models
from ultracart_async._operations import OPERATIONS
from ultracart_async.testing import FakeUltraCart

from .helpers import Gauge, eventually, loop_tasks, make_client, settle

# -- operations, errors, retries: the async core's -------------------------------------------


def test_operations_return_models() -> None:
    fake = FakeUltraCart(customers=20, seed=4)
    oid = fake.customer_oids()[0]
    with make_client(fake) as client:
        got = client.get_customer(oid, expand="billing")
        assert isinstance(got, models.CustomerResponse)
        assert got.customer is not None
        assert got.customer.customer_profile_oid == oid
        page = client.get_customers(limit=5, offset=5)
        assert [c.customer_profile_oid for c in page.customers or []] == fake.customer_oids()[5:10]
        created = client.insert_customer(models.Customer(email="new@example.com"))
        assert created.customer is not None
        new_oid = created.customer.customer_profile_oid
        assert new_oid is not None
        updated = client.update_customer(models.Customer(email="renamed@example.com"), new_oid)
        assert updated.customer is not None
        assert updated.customer.email == "renamed@example.com"
        assert client.delete_customer(new_oid) is None  # type: ignore[func-returns-value]
        assert fake.get_customer(new_oid) is None


def test_errors_are_the_async_clients_and_bad_input_sends_nothing() -> None:
    fake = FakeUltraCart(customers=5)
    with make_client(fake) as client:
        with pytest.raises(uc.BadRequestError):  # UltraCart's answer for a missing customer
            client.get_customer(999_999)
        fake.clear_requests()
        with pytest.raises(uc.InvalidInputError, match="customer_profile_oid"):
            client.get_customer("56")  # type: ignore[arg-type]
        assert fake.requests == []


def test_retries_and_the_unsafe_write_rule_are_the_async_clients() -> None:
    fake = FakeUltraCart(customers=5)
    oid = fake.customer_oids()[0]
    events: list[uc.RetryEvent] = []
    with make_client(fake, on_retry=events.append) as client:
        fake.inject("server_error", operation="get_customer", times=2)
        assert client.get_customer(oid).customer is not None
        assert [e.attempt for e in events] == [1, 2]
    credit = models.CustomerStoreCreditAddRequest(amount=5)
    with (
        fake.serve_in_thread() as base_url,
        uc.SyncCustomerClient(fake.simple_key, base_url=base_url, retry_policy=NO_WAIT) as net,
    ):
        fake.inject("commit_then_drop", operation="add_customer_store_credit")
        with pytest.raises(uc.WriteOutcomeUnknownError):
            net.add_customer_store_credit(oid, credit)
    assert fake.counters.writes["add_customer_store_credit"] == 1  # applied once, not retried


def test_calls_from_eight_threads_overlap() -> None:
    fake = FakeUltraCart(customers=20, latency_ms=100)  # a slow server, over real sockets
    oids = fake.customer_oids()[:8]
    with fake.serve_in_thread() as base_url:
        # Each request waits at the server side until all eight are in flight together.
        gauge = Gauge(httpx.AsyncHTTPTransport(), hold_until=8)
        with uc.SyncCustomerClient(fake.simple_key, base_url=base_url, transport=gauge) as client:
            got: dict[int, int | None] = {}

            def call(oid: int) -> None:
                response = client.get_customer(oid)
                assert response.customer is not None
                got[oid] = response.customer.customer_profile_oid

            threads = [threading.Thread(target=call, args=(oid,)) for oid in oids]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    assert got == {oid: oid for oid in oids}
    assert gauge.peak == 8  # all eight were in flight at once, on the one loop
    assert max(start for start, _ in gauge.spans) < min(end for _, end in gauge.spans)


# -- lifecycle ------------------------------------------------------------------------------


def test_with_block_closes_the_client_and_its_thread() -> None:
    fake = FakeUltraCart(customers=5)
    with make_client(fake) as client:
        thread = client._runner.thread
        open_inside = not client.is_closed
    assert open_inside
    assert client.is_closed
    assert not thread.is_alive()
    client.close()  # idempotent
    with pytest.raises(uc.ClientClosedError):
        client.get_customer(1)
    with pytest.raises(uc.ClientClosedError), client:
        pass


def test_close_ends_calls_in_flight() -> None:
    fake = FakeUltraCart(customers=5, latency_ms=10_000)
    client = make_client(fake)
    errors: list[BaseException] = []

    def call() -> None:
        try:
            client.get_customer(fake.customer_oids()[0])
        except BaseException as exc:
            errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    assert eventually(lambda: loop_tasks(client) > 2)  # the call is on the loop
    started = time.monotonic()
    client.close()
    caller.join()
    assert time.monotonic() - started < 5
    assert [type(e) for e in errors] == [uc.ClientClosedError]


def test_views_share_the_client_and_closing_one_closes_all() -> None:
    fake = FakeUltraCart(customers=5)
    client = make_client(fake, max_retries=3)
    view = client.with_options(max_retries=0, timeout=7)
    assert isinstance(view, uc.SyncCustomerClient)
    assert (client.max_retries, view.max_retries) == (3, 0)
    assert view.timeout.read == 7
    assert view._runner is client._runner
    fake.inject("server_error", operation="get_customer")
    with pytest.raises(uc.ServerError):
        view.get_customer(fake.customer_oids()[0])
    view.close()
    assert client.is_closed
    assert not client._runner.thread.is_alive()


def fake_transport() -> httpx.AsyncBaseTransport:
    return FakeUltraCart(customers=0).transport()


def test_bad_options_raise_and_leave_no_thread() -> None:
    before = threading.active_count()
    with pytest.raises(uc.InvalidInputError, match="rate_limit"):
        uc.SyncCustomerClient("key", rate_limit="fast")  # type: ignore[arg-type]
    with pytest.raises(uc.InvalidInputError):
        uc.SyncCustomerClient("key", http_client=httpx.AsyncClient(), transport=fake_transport())
    assert threading.active_count() == before


def test_a_client_never_closed_is_shut_down_when_collected() -> None:
    fake = FakeUltraCart(customers=5)
    client = make_client(fake)
    view = client.with_options(timeout=3)
    thread = client._runner.thread
    del client
    gc.collect()
    assert thread.is_alive()  # the view still uses it
    view.get_customer(fake.customer_oids()[0])
    del view
    gc.collect()
    assert eventually(lambda: not thread.is_alive())


def test_repr_names_the_blocking_client() -> None:
    with uc.SyncCustomerClient("key", base_url="https://example.test/rest/v2") as client:
        assert repr(client) == (
            "SyncCustomerClient(base_url='https://example.test/rest/v2', auth=[simple_key], "
            "max_retries=4)"
        )
        assert "key" not in repr(client).replace("simple_key", "")


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals")
def test_keyboard_interrupt_while_waiting_cancels_the_call() -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach the main thread only")
    fake = FakeUltraCart(customers=5, latency_ms=10_000)
    with make_client(fake) as client:
        idle = loop_tasks(client)
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            client.get_customer(fake.customer_oids()[0])
        timer.join()
        assert eventually(lambda: loop_tasks(client) == idle)  # the call's task is gone
        settle(client)


# -- inside an event loop -------------------------------------------------------------------


@pytest.mark.anyio
async def test_blocking_calls_inside_an_event_loop_are_refused(anyio_backend_name: str) -> None:
    fake = FakeUltraCart(customers=5)
    oid = fake.customer_oids()[0]
    client = make_client(fake)  # creating, views and closing do not send requests: allowed
    view = client.with_options(timeout=5)
    with pytest.raises(uc.SyncClientInEventLoopError, match=r"uc\.CustomerClient") as caught:
        view.get_customer(oid)
    assert isinstance(caught.value, uc.UltraCartError)
    assert anyio_backend_name in str(caught.value)
    customers = client.iter_customers()
    with pytest.raises(uc.SyncClientInEventLoopError):
        next(customers)
    with pytest.raises(uc.SyncClientInEventLoopError):
        customers.__enter__()
    # The way out it points to: a worker thread.
    response = await anyio.to_thread.run_sync(client.get_customer, oid)
    assert response.customer is not None
    assert fake.counters.requests["get_customer"] == 1
    client.close()


def test_a_hook_on_the_clients_own_loop_cannot_call_it_back() -> None:
    fake = FakeUltraCart(customers=5)
    oid = fake.customer_oids()[0]
    holder: list[uc.SyncCustomerClient] = []

    def hook(event: uc.RetryEvent) -> None:
        holder[0].get_customer(oid)  # would deadlock: the loop is waiting for this hook

    with make_client(fake, on_retry=hook) as client:
        holder.append(client)
        fake.inject("server_error", operation="get_customer")
        with pytest.raises(uc.SyncClientInEventLoopError, match="own event loop"):
            client.get_customer(oid)
        with pytest.raises(uc.SyncClientInEventLoopError, match="own event loop"):
            client._runner.call_sync("close", client.close, blocking=False)


def test_the_error_is_exported_with_the_client() -> None:
    assert uc.SyncClientInEventLoopError.__module__ == "ultracart_async.sync._errors"
    for name in ("SyncCustomerClient", "SyncCustomerIterator", "SyncCustomerPageIterator"):
        assert name in uc.__all__
    assert issubclass(uc.SyncClientInEventLoopError, RuntimeError)


class _InWorkerThreads:
    """Awaitable calls to a blocking client, each run in a worker thread with no event loop."""

    def __init__(self, client: uc.SyncCustomerClient) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await anyio.to_thread.run_sync(lambda: method(*args, **kwargs))

        return call


@pytest.mark.anyio
async def test_every_operation_runs_blocking_against_the_loopback_server() -> None:
    fake = FakeUltraCart(customers=30, seed=11)
    with fake.serve_in_thread() as base_url:
        client = uc.SyncCustomerClient(fake.simple_key, base_url=base_url, max_retries=0)
        with client:
            called = await exercise_client_operations(cast(Any, _InWorkerThreads(client)), fake)
    assert called == set(OPERATIONS)
    assert {r.operation for r in fake.requests} == set(OPERATIONS)
