"""`PageEngine`: one walk's state: which pages to fetch, fetching them, handing them out.

It fetches the offsets the plan allows (the first page alone, then a sliding window of at most
`concurrency` pages ahead of the consumer, narrowed by AIMD) through the client's public
methods, keeps the answers in server order and drops customers already handed out. It never
retries (the client's transport does) and owns no task: the iterators' task groups run
`fetch` and wait on `wait_for_change`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import anyio
import anyio.lowlevel
import attrs
from anyio.abc import TaskGroup

from ultracart_async._exceptions import ClientClosedError, InvalidInputError, PaginationError

from ._aimd import Aimd, Attempt
from ._oidset import OidSet
from ._plan import OffsetPlan
from ._progress import ProgressGuard
from ._protocol import PagedClient
from ._stats import PagerStats

if TYPE_CHECKING:
    from ultracart_async._retry import RetryEvent
    from ultracart_async.models import Customer, CustomersResponse

__all__ = ["FetchPage", "PageEngine"]

FetchPage = Callable[[PagedClient, int, int], Awaitable["CustomersResponse"]]
"""Fetch one page: (client view, offset, limit) -> the page."""

# Failures raised before the request was sent (the client was closed, or bad input).
_NOT_SENT = (ClientClosedError, InvalidInputError)


class PageEngine:
    """Page planning, fetching, ordering, de-duplication and AIMD, shared by both drivers."""

    def __init__(
        self,
        client: PagedClient,
        fetch_page: FetchPage,
        *,
        page_size: int,
        concurrency: int,
        start_offset: int = 0,
    ) -> None:
        self._client = client
        self._fetch_page = fetch_page
        self._limit = page_size
        self._max = concurrency
        self.stats = PagerStats(
            concurrency=concurrency, max_concurrency=concurrency, min_concurrency=concurrency
        )
        self._aimd = Aimd(concurrency, self.stats)
        self._plan = OffsetPlan(page_size)
        self._guard = ProgressGuard()
        self._stalled: PaginationError | None = None  # raised on the pull after the page it ended
        self._head: int | None = start_offset  # offset of the next page to hand out; None: done
        self._ready: dict[int, CustomersResponse | Exception] = {}
        self._in_flight: dict[int, anyio.CancelScope] = {}
        self._seen = OidSet()  # every oid handed out: compact, it grows with the walk
        self._changed: anyio.Event | None = None

    # -- state seen by the drivers ---------------------------------------------------------

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    @property
    def head_ready(self) -> bool:
        return self._head is None or self._head in self._ready

    def exhausted(self) -> bool:
        """Nothing will ever need fetching again."""
        if self._head is None:
            return True
        positions, terminal = self._walk()
        return terminal and not self._in_flight and all(p in self._ready for p in positions)

    def pause_remaining(self) -> float:
        """Seconds left of a Retry-After pause (0 when new requests may start)."""
        return self._aimd.pause_remaining()

    async def wait_for_change(self) -> None:
        """Sleep until a page arrives, a slot frees up, or a rate-limit pause ends."""
        if self._changed is None:
            self._changed = anyio.Event()
        event = self._changed
        pause = self.pause_remaining()
        if pause > 0:
            with anyio.move_on_after(pause):
                await event.wait()
        else:
            await event.wait()

    def _notify(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    # -- planning ----------------------------------------------------------------------------

    def _walk(self) -> tuple[list[int], bool]:
        """The next offsets to hand out (at most `concurrency`), and whether the chain ends."""
        positions: list[int] = []
        offset = self._head
        while offset is not None and len(positions) < self._max:
            positions.append(offset)
            outcome = self._ready.get(offset)
            if outcome is None:
                offset = self._plan.predicted(offset)
                if offset is None:
                    return positions, False
            elif isinstance(outcome, Exception):
                return positions, True
            else:
                offset = self._plan.successor(offset, outcome)
                if offset is None:
                    return positions, True
        return positions, offset is None

    def start_allowed(self, task_group: TaskGroup) -> None:
        """Start fetching every offset the window, the buffer bound and any pause allow."""
        if self._head is None or self.pause_remaining() > 0:
            return
        free = self._aimd.window - len(self._in_flight)
        if free <= 0:
            return
        positions, _ = self._walk()
        for offset in positions:
            if free == 0:
                break
            if offset in self._ready or offset in self._in_flight:
                continue
            scope = anyio.CancelScope()
            self._in_flight[offset] = scope
            free -= 1
            task_group.start_soon(self._fetch, offset, scope, self._aimd.attempt())
        self.stats.peak_in_flight = max(self.stats.peak_in_flight, len(self._in_flight))

    def _prune(self) -> None:
        """Forget pages that fell off the chain (speculation past the end or a failure)."""
        positions, _ = self._walk()
        keep = set(positions)
        for offset in [o for o in self._ready if o not in keep]:
            del self._ready[offset]
        for offset, scope in self._in_flight.items():
            if offset not in keep:
                scope.cancel()

    # -- fetching ----------------------------------------------------------------------------

    async def _fetch(self, offset: int, scope: anyio.CancelScope, attempt: Attempt) -> None:
        try:
            with scope:
                await anyio.lowlevel.checkpoint_if_cancelled()
                if self.stats.started_at is None:
                    self.stats.started_at = time.perf_counter()
                outcome = await self._request(offset, attempt)
                if not scope.cancel_called:
                    self._arrived(offset, outcome, attempt)
        finally:
            if self._in_flight.get(offset) is scope:
                del self._in_flight[offset]
            self._notify()

    async def _request(self, offset: int, attempt: Attempt) -> CustomersResponse | Exception:
        """One page through the client, its failure returned to be raised at its position."""
        # Adds the pager's hook to the client's own on_retry hooks (they still run).
        view = self._client.with_options(on_retry=functools.partial(self._on_retry, attempt))
        try:
            page = await self._fetch_page(view, offset, self._limit)
        except anyio.get_cancelled_exc_class():
            self.stats.requests_cancelled += 1
            raise
        except Exception as exc:
            if not isinstance(exc, _NOT_SENT):
                self.stats.requests += 1  # the last attempt, sent and failed
            return exc
        self.stats.requests += 1
        return page

    def _on_retry(self, attempt: Attempt, event: RetryEvent) -> None:
        """The transport's retry hook: count, and on a 429 pause and lower concurrency."""
        self.stats.retries += 1
        self.stats.requests += 1  # the attempt that failed; its retry is counted once it ends
        if event.rate_limited:
            self._aimd.rate_limited(attempt, event.delay)

    def _arrived(
        self, offset: int, outcome: CustomersResponse | Exception, attempt: Attempt
    ) -> None:
        if self._head is None:
            return
        if not isinstance(outcome, Exception):
            self._plan.learn(offset, outcome)
            self._aimd.succeeded(attempt)
        self._ready[offset] = outcome
        self._prune()

    # -- handing out -------------------------------------------------------------------------

    def pop(self) -> CustomersResponse | None:
        """The next page in server order with repeats dropped; None if it is not in yet.

        Raises StopAsyncIteration when done, a page's failure at its position, and
        PaginationError after a page past which the walk makes no progress.
        """
        if self._stalled is not None:
            stalled, self._stalled = self._stalled, None
            raise stalled
        head = self._head
        if head is None:
            raise StopAsyncIteration
        outcome = self._ready.pop(head, None)
        if outcome is None:
            return None
        if isinstance(outcome, Exception):
            self.close()
            raise outcome
        self._head = self._plan.successor(head, outcome)
        page = self._drop_repeats(outcome)
        added = len(page.customers or ())
        self.stats.pages += 1
        self.stats.customers += added
        stuck_at = self._plan.stuck(head, outcome)
        self._stalled = self._guard.check(
            head, added=added, successor=self._head, stuck_at=stuck_at
        )
        if self._stalled is not None or self._head is None:
            self._head = None
            self.close()
        self._notify()  # a buffer slot is free
        return page

    def _drop_repeats(self, page: CustomersResponse) -> CustomersResponse:
        customers = page.customers or []
        kept: list[Customer] = []
        seen = self._seen
        for customer in customers:
            oid = customer.customer_profile_oid
            if oid is not None and not seen.add(oid):
                continue  # handed out before
            kept.append(customer)
        dropped = len(customers) - len(kept)
        if dropped == 0:
            return page
        self.stats.duplicates_dropped += dropped
        return attrs.evolve(page, customers=kept)

    def close(self) -> None:
        """Stop: cancel whatever is in flight and hand out nothing more."""
        self._head = None
        self._ready.clear()
        for scope in self._in_flight.values():
            scope.cancel()
        if self.stats.finished_at is None and self.stats.started_at is not None:
            self.stats.finished_at = time.perf_counter()
        self._notify()
