"""Shared by the blocking-client tests: clients on FakeUltraCart, and a look at their loop."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import anyio
import httpx

import ultracart_async as uc
from tests.helpers import NO_WAIT
from ultracart_async.testing import FakeUltraCart


def make_client(
    fake: FakeUltraCart, transport: httpx.AsyncBaseTransport | None = None, **kwargs: Any
) -> uc.SyncCustomerClient:
    kwargs.setdefault("retry_policy", NO_WAIT)
    return uc.SyncCustomerClient(
        fake.simple_key,
        base_url=fake.base_url,
        transport=transport if transport is not None else fake.transport(),
        **kwargs,
    )


def settle(client: uc.SyncCustomerClient) -> None:
    """Wait until every task on the client's loop is blocked (whatever could run has run)."""
    client._runner.call("settle", anyio.wait_all_tasks_blocked, blocking=False)


def loop_tasks(client: uc.SyncCustomerClient) -> int:
    """Tasks alive on the client's loop, the portal's own and this probe included."""
    return client._runner.call_sync("tasks", lambda: len(asyncio.all_tasks()), blocking=False)


def eventually(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    """True as soon as `check()` is, False after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def page_requests(fake: FakeUltraCart) -> int:
    return sum(1 for r in fake.requests if r.operation == "get_customers")


class Gauge(httpx.AsyncBaseTransport):
    """Wraps a transport: how many requests are in flight at once, and when each ran.

    With `hold_until=n`, every request waits (up to 10 s, then fails) until n are in flight
    together: calls that were serialized instead of overlapping fail instead of passing slowly.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, *, hold_until: int = 0) -> None:
        self.inner = inner
        self.hold_until = hold_until
        self.in_flight = 0
        self.peak = 0
        self.spans: list[tuple[float, float]] = []
        self._together: anyio.Event | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        started = time.monotonic()
        try:
            if self.hold_until:
                if self._together is None:
                    self._together = anyio.Event()
                if self.in_flight >= self.hold_until:
                    self._together.set()
                with anyio.fail_after(10):
                    await self._together.wait()
            return await self.inner.handle_async_request(request)
        finally:
            self.in_flight -= 1
            self.spans.append((started, time.monotonic()))

    async def aclose(self) -> None:
        await self.inner.aclose()
