"""Concurrent pagination over the public client (issue 5).

One engine, two drivers:

- `_PageEngine` decides which offsets to fetch (first page alone, then a sliding window of at
  most `concurrency` pages ahead of the consumer), fetches them through the client's public
  methods, keeps the answers in server order, drops repeated customers and adapts its
  concurrency to 429s (AIMD). It never retries: the client's transport does.
- Bare `async for`: each `__anext__` that finds no page ready runs a short-lived task group that
  fetches the next window concurrently and returns once those pages are in. No task outlives an
  `__anext__` call, so `break` leaves nothing in flight.
- `async with pager:` owns a task group for the whole block and prefetches continuously while
  the consumer works; leaving the block (or `aclose()`) cancels whatever is in flight.

Nothing here yields from inside a task group or cancel scope (anyio's "cancel scope stack
corruption" rule): task groups are entered and left within one call or one `async with`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, cast

import anyio
import anyio.lowlevel
import attrs
from anyio.abc import TaskGroup

from ultracart_async._constants import DEFAULT_PAGE_SIZE, DEFAULT_PAGER_CONCURRENCY, PAGE_LIMIT_MAX
from ultracart_async._exceptions import ClientClosedError, InvalidInputError
from ultracart_async._operation import Operation
from ultracart_async._operations import GET_CUSTOMERS, GET_CUSTOMERS_BY_QUERY, SEARCH_CUSTOMERS
from ultracart_async._validate import check_args

if TYPE_CHECKING:
    from ultracart_async._client import CustomerClient
    from ultracart_async._nulls import WithNulls
    from ultracart_async._retry import RetryEvent
    from ultracart_async.models import Customer, CustomerQuery, CustomersResponse

__all__ = ["CustomerIterator", "CustomerPageIterator", "PagerStats", "PagingMixin"]

_FetchPage = Callable[["CustomerClient", int, int], Awaitable["CustomersResponse"]]

# Arguments of the paged operations that the pager itself sets (from page_size and its walk).
_PAGER_OWNED = frozenset({"limit", "offset"})
# Failures raised before the request was sent (the client was closed, or bad input).
_NOT_SENT = (ClientClosedError, InvalidInputError)


@attrs.define
class PagerStats:
    """Live counters of one pager (`pager.stats`)."""

    pages: int = 0
    """Pages handed to the consumer."""
    customers: int = 0
    """Customers handed to the consumer (after dropping repeats)."""
    requests: int = 0
    """HTTP requests that were answered or failed (first tries and retries alike).

    A request the pager cancelled before its outcome (early exit, or a speculative page past
    the end) is counted in `requests_cancelled` instead."""
    requests_cancelled: int = 0
    """Requests cancelled before their outcome (early exit, or a speculative page past the
    end): one in flight may have reached the server; a retry cancelled while it waited
    (Retry-After, backoff) was never sent."""
    retries: int = 0
    """Retries the client's transport announced (`on_retry`) for the pager's pages; one
    cancelled while it waited is counted here and in `requests_cancelled`."""
    rate_limit_waits: int = 0
    """429 answers the pager waited out (each halves its concurrency at most once per round)."""
    duplicates_dropped: int = 0
    """Customers dropped because their `customer_profile_oid` had already been handed out."""
    concurrency: int = 1
    """Current number of requests allowed in flight (lowered on 429s, raised after successes)."""
    max_concurrency: int = 1
    """The `concurrency` asked for: the ceiling of `concurrency`."""
    min_concurrency: int = 1
    """The lowest `concurrency` reached (below `max_concurrency` after 429s)."""
    peak_in_flight: int = 0
    """Most requests ever in flight at once."""
    started_at: float | None = None
    """`time.perf_counter()` when the first request started."""
    finished_at: float | None = None
    """`time.perf_counter()` when the pager finished, failed or was closed."""

    @property
    def elapsed(self) -> float:
        """Seconds from the first request to the end (or to now, while running)."""
        if self.started_at is None:
            return 0.0
        end = self.finished_at if self.finished_at is not None else time.perf_counter()
        return end - self.started_at


@attrs.define(eq=False)
class _Attempt:
    """What the retry hook needs to know about one page fetch."""

    epoch: int
    rate_limited: bool = False


class _PageEngine:
    """Page planning, fetching, ordering, de-duplication and AIMD, shared by both drivers."""

    def __init__(
        self,
        client: CustomerClient,
        fetch_page: _FetchPage,
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
        # AIMD state
        self._window = concurrency
        self._successes = 0
        self._epoch = 0  # bumped on each decrease: one decrease per round of requests
        self._pause_until = 0.0
        # Planning state. "unknown" until the first page tells whether total_records is set.
        self._mode: Literal["unknown", "known", "follow"] = "unknown"
        self._step = page_size
        self._end = 0  # known mode: offsets below this are planned arithmetically
        self._confirmed = False  # follow mode: the server's next_offset matched offset + step
        self._mismatch = False  # follow mode: ...and once it did not: no more speculation
        self._head: int | None = start_offset  # offset of the next page to hand out; None: done
        self._ready: dict[int, CustomersResponse | Exception] = {}
        self._in_flight: dict[int, anyio.CancelScope] = {}
        self._seen: set[int] = set()
        self._changed: anyio.Event | None = None

    # -- state seen by the drivers ---------------------------------------------------------

    @property
    def done(self) -> bool:
        """Every page has been handed out (or the pager failed or was closed)."""
        return self._head is None

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
        return max(0.0, self._pause_until - anyio.current_time())

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

    def _successor(self, offset: int, page: CustomersResponse) -> int | None:
        """The offset after the page at `offset`, from its content (None: it was the last)."""
        count = len(page.customers or ())
        if count == 0:
            return None
        result_set = page.metadata.result_set if page.metadata is not None else None
        more = result_set.more if result_set is not None else None
        if self._mode == "known":
            planned = offset + self._step
            if planned < self._end:
                return planned
            if more is not True:  # past the planned end only if the server says there is more
                return None
        elif more is False or (more is None and count < self._step):
            return None
        next_offset = result_set.next_offset if result_set is not None else None
        if next_offset is None:
            next_offset = offset + count
        return next_offset if next_offset > offset else None  # 0 or not advancing: stop

    def _predicted(self, offset: int) -> int | None:
        """The offset after a page that has not arrived yet, where that is safe to guess."""
        if self._mode == "known":
            planned = offset + self._step
            return planned if planned < self._end else None
        if self._mode == "follow" and self._confirmed and not self._mismatch:
            return offset + self._step
        return None

    def _walk(self) -> tuple[list[int], bool]:
        """The next offsets to hand out (at most `concurrency`), and whether the chain ends."""
        positions: list[int] = []
        offset = self._head
        while offset is not None and len(positions) < self._max:
            positions.append(offset)
            outcome = self._ready.get(offset)
            if outcome is None:
                offset = self._predicted(offset)
                if offset is None:
                    return positions, False
            elif isinstance(outcome, Exception):
                return positions, True
            else:
                offset = self._successor(offset, outcome)
                if offset is None:
                    return positions, True
        return positions, offset is None

    def start_allowed(self, task_group: TaskGroup) -> None:
        """Start fetching every offset the window, the buffer bound and any pause allow."""
        if self._head is None or self.pause_remaining() > 0:
            return
        free = self._window - len(self._in_flight)
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
            # The round (epoch) is that of the decision to send, not of when the task runs.
            task_group.start_soon(self._fetch, offset, scope, _Attempt(epoch=self._epoch))
        self.stats.peak_in_flight = max(self.stats.peak_in_flight, len(self._in_flight))

    # -- fetching ----------------------------------------------------------------------------

    async def _fetch(self, offset: int, scope: anyio.CancelScope, attempt: _Attempt) -> None:
        try:
            with scope:
                await anyio.lowlevel.checkpoint_if_cancelled()
                if self.stats.started_at is None:
                    self.stats.started_at = time.perf_counter()
                # Adds the pager's hook to the client's own on_retry hooks (they still run).
                client = self._client.with_options(
                    on_retry=functools.partial(self._on_retry, attempt)
                )
                outcome: CustomersResponse | Exception
                try:
                    outcome = await self._fetch_page(client, offset, self._limit)
                except anyio.get_cancelled_exc_class():
                    self.stats.requests_cancelled += 1
                    raise
                except Exception as exc:  # raised to the consumer at this page's position
                    outcome = exc
                    if not isinstance(exc, _NOT_SENT):
                        self.stats.requests += 1  # the last attempt, sent and failed
                else:
                    self.stats.requests += 1
                if not scope.cancel_called:
                    self._arrived(offset, outcome, attempt)
        finally:
            if self._in_flight.get(offset) is scope:
                del self._in_flight[offset]
            self._notify()

    def _on_retry(self, attempt: _Attempt, event: RetryEvent) -> None:
        """The transport's retry hook: count, and on a 429 pause and lower concurrency."""
        self.stats.retries += 1
        self.stats.requests += 1  # the attempt that failed; its retry is counted once it ends
        if not event.rate_limited:
            return
        attempt.rate_limited = True
        self.stats.rate_limit_waits += 1
        self._pause_until = max(self._pause_until, anyio.current_time() + event.delay)
        if attempt.epoch == self._epoch:  # first 429 of this round: multiplicative decrease
            self._window = max(1, self._window // 2)
            self.stats.concurrency = self._window
            self.stats.min_concurrency = min(self.stats.min_concurrency, self._window)
            self._successes = 0
            self._epoch += 1
        attempt.epoch = self._epoch  # its retry is sent in the new round

    def _arrived(
        self, offset: int, outcome: CustomersResponse | Exception, attempt: _Attempt
    ) -> None:
        if self._head is None:
            return
        if not isinstance(outcome, Exception):
            self._learn(offset, outcome)
            if not attempt.rate_limited:
                self._successes += 1
                if self._successes >= self._window and self._window < self._max:
                    self._window += 1  # additive increase: +1 per window of clean pages
                    self.stats.concurrency = self._window
                    self._successes = 0
        self._ready[offset] = outcome
        self._prune()

    def _learn(self, offset: int, page: CustomersResponse) -> None:
        """Update the plan from a page: the first decides the mode, later ones refine it."""
        result_set = page.metadata.result_set if page.metadata is not None else None
        total = result_set.total_records if result_set is not None else None
        if self._mode == "unknown":
            count = len(page.customers or ())
            server_limit = result_set.limit if result_set is not None else None
            if server_limit is not None and 0 < server_limit < self._limit:
                self._step = server_limit  # the server capped the page size: step by its cap
            if total is not None and count >= min(self._step, total - offset):
                self._mode = "known"
                self._end = total
            else:  # no total, or a short first page that makes offset arithmetic unsafe
                self._mode = "follow"
                self._mismatch = total is not None
        elif self._mode == "known" and total is not None and total > self._end:
            self._end = total  # records were added meanwhile: plan up to the new total
        if self._mode == "follow":
            successor = self._successor(offset, page)
            if successor is not None:
                if successor == offset + self._step:
                    self._confirmed = True
                else:
                    self._mismatch = True

    def _prune(self) -> None:
        """Forget pages that fell off the chain (speculation past the end or a failure)."""
        positions, _ = self._walk()
        keep = set(positions)
        for offset in [o for o in self._ready if o not in keep]:
            del self._ready[offset]
        for offset, scope in self._in_flight.items():
            if offset not in keep:
                scope.cancel()

    # -- handing out -------------------------------------------------------------------------

    def pop(self) -> CustomersResponse | None:
        """The next page in server order with repeats dropped; None if it is not in yet.

        Raises StopAsyncIteration when done, and a page's failure at its position.
        """
        head = self._head
        if head is None:
            raise StopAsyncIteration
        outcome = self._ready.pop(head, None)
        if outcome is None:
            return None
        if isinstance(outcome, Exception):
            self.close()
            raise outcome
        self._head = self._successor(head, outcome)
        page = self._drop_repeats(outcome)
        self.stats.pages += 1
        self.stats.customers += len(page.customers or ())
        if self._head is None:
            self.close()
        self._notify()  # a buffer slot is free
        return page

    def _drop_repeats(self, page: CustomersResponse) -> CustomersResponse:
        customers = page.customers or []
        kept: list[Customer] = []
        seen = self._seen
        for customer in customers:
            oid = customer.customer_profile_oid
            if oid is not None:
                if oid in seen:
                    continue
                seen.add(oid)
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


class _PagerBase:
    """Drives a `_PageEngine`: bare `async for`, or `async with` with continuous prefetch."""

    def __init__(self, engine: _PageEngine) -> None:
        self._engine = engine
        self._closed = False
        self._busy = False
        self._task_group: TaskGroup | None = None
        self._prefetch_scope: anyio.CancelScope | None = None
        self._prefetch_done: anyio.Event | None = None
        self._fill_scope: anyio.CancelScope | None = None
        self._fill_done: anyio.Event | None = None

    @property
    def stats(self) -> PagerStats:
        """Counters: pages, requests, retries, rate-limit waits, repeats dropped, elapsed."""
        return self._engine.stats

    async def _next_page(self) -> CustomersResponse:
        if self._busy:
            raise RuntimeError("another task is already waiting on this pager")
        self._busy = True
        try:
            while True:
                if self._closed:
                    raise StopAsyncIteration
                page = self._engine.pop()
                if page is not None:
                    return page
                if self._prefetch_scope is not None:
                    await self._engine.wait_for_change()
                else:
                    await self._fill()
        finally:
            self._busy = False

    async def _fill(self) -> None:
        """Fetch the next window of pages concurrently; return when they are all in."""
        engine = self._engine
        self._fill_done = anyio.Event()
        try:
            with anyio.CancelScope() as self._fill_scope:
                async with anyio.create_task_group() as task_group:
                    while True:
                        if not engine.head_ready:  # once it is in, only drain the rest
                            engine.start_allowed(task_group)
                        if engine.in_flight == 0 and (
                            engine.head_ready or engine.pause_remaining() <= 0
                        ):
                            break
                        await engine.wait_for_change()
        finally:
            self._fill_scope = None
            self._fill_done.set()

    async def _prefetch(self, scope: anyio.CancelScope, done: anyio.Event) -> None:
        """The `async with` driver: keep the window full until nothing is left to fetch."""
        engine = self._engine
        try:
            with scope:
                async with anyio.create_task_group() as task_group:
                    while not engine.exhausted():
                        engine.start_allowed(task_group)
                        await engine.wait_for_change()
        finally:
            done.set()

    async def aclose(self) -> None:
        """Stop now: cancel requests in flight (waiting until they are gone); send no more."""
        self._closed = True
        self._engine.close()
        with anyio.CancelScope(shield=True):
            if self._prefetch_scope is not None and self._prefetch_done is not None:
                self._prefetch_scope.cancel()
                await self._prefetch_done.wait()
            if self._fill_scope is not None and self._fill_done is not None:
                self._fill_scope.cancel()
                await self._fill_done.wait()

    async def _enter(self) -> None:
        if self._task_group is not None:
            raise RuntimeError("this pager is already in use by an `async with` block")
        if self._closed:
            raise RuntimeError("this pager is closed")
        task_group = anyio.create_task_group()
        await task_group.__aenter__()
        self._task_group = task_group
        self._prefetch_scope = anyio.CancelScope()
        self._prefetch_done = anyio.Event()
        task_group.start_soon(self._prefetch, self._prefetch_scope, self._prefetch_done)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        task_group = self._task_group
        assert task_group is not None, "__aexit__ without __aenter__"
        await self.aclose()
        self._task_group = None
        if exc is not None and not isinstance(exc, anyio.get_cancelled_exc_class()):
            # Our task is done; let the body's own exception through unwrapped.
            await task_group.__aexit__(None, None, None)
            return False
        return await task_group.__aexit__(exc_type, exc, traceback)


class CustomerIterator(_PagerBase):
    """Customers in server order, each once: `async for`, `async with`, `aclose()`, `stats`."""

    def __init__(self, engine: _PageEngine) -> None:
        super().__init__(engine)
        self._current: list[Customer] = []
        self._index = 0

    def __aiter__(self) -> CustomerIterator:
        return self

    async def __aenter__(self) -> CustomerIterator:
        await self._enter()
        return self

    async def __anext__(self) -> Customer:
        while self._index >= len(self._current):
            page = await self._next_page()
            self._current = page.customers or []
            self._index = 0
        customer = self._current[self._index]
        self._index += 1
        return customer


class CustomerPageIterator(_PagerBase):
    """Page responses in server order, repeats dropped from `customers`. Like CustomerIterator."""

    def __aiter__(self) -> CustomerPageIterator:
        return self

    async def __aenter__(self) -> CustomerPageIterator:
        await self._enter()
        return self

    async def __anext__(self) -> CustomersResponse:
        return await self._next_page()


# -- argument checks -------------------------------------------------------------------------


def _check_paging(page_size: object, concurrency: object, start_offset: object) -> None:
    """The pager's own arguments (the operation's are checked by `_check_args`)."""
    for name, value, low, high in (
        ("page_size", page_size, 1, PAGE_LIMIT_MAX),
        ("concurrency", concurrency, 1, None),
        ("start_offset", start_offset, 0, None),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInputError(f"{name} must be an int, got {type(value).__name__}")
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f">= {low}"
            raise InvalidInputError(f"{name} must be {bounds}, got {value}")


def _check_args(op: Operation[Any], args: dict[str, Any]) -> None:
    """The operation's arguments, by the client's own validator, before anything is sent."""
    owned = sorted(_PAGER_OWNED & args.keys())
    if owned:
        raise InvalidInputError(
            f"{op.operation_id}: the pager sets {owned[0]} itself; use page_size= to size pages"
        )
    check_args(op, args)


class PagingMixin:
    """The `iter_*` methods of `CustomerClient`, built only on its public operations.

    `start_offset` (default 0) is the offset of the first page: it continues an interrupted
    walk, e.g. the CLI's `export --resume`.

    Each returns an async iterator (also an async context manager, with `aclose()` and
    `stats`). Arguments are checked when you call it; the first request is sent on the first
    `__anext__` (or on entering `async with`).
    """

    def _paging_client(self) -> CustomerClient:
        return cast("CustomerClient", self)

    def _customers_engine(
        self,
        page_size: int,
        concurrency: int,
        expand: str | None,
        sort: str | None,
        since: str | None,
        filters: dict[str, str | int | None],
        start_offset: int,
    ) -> _PageEngine:
        client = self._paging_client()
        _check_paging(page_size, concurrency, start_offset)
        _check_args(GET_CUSTOMERS, {**filters, "expand": expand, "sort": sort, "since": since})
        # Checked above against the operation's parameters (an int for pricing_tier_oid).
        checked: dict[str, Any] = filters

        async def fetch(view: CustomerClient, offset: int, limit: int) -> CustomersResponse:
            return await view.get_customers(
                **checked, limit=limit, offset=offset, since=since, sort=sort, expand=expand
            )

        return _PageEngine(
            client, fetch, page_size=page_size, concurrency=concurrency, start_offset=start_offset
        )

    def _query_engine(
        self,
        customer_query: CustomerQuery | WithNulls[CustomerQuery],
        page_size: int,
        concurrency: int,
        expand: str | None,
        sort: str | None,
        since: str | None,
        start_offset: int,
    ) -> _PageEngine:
        from ultracart_async._nulls import WithNulls
        from ultracart_async.models import CustomerQuery

        client = self._paging_client()
        _check_paging(page_size, concurrency, start_offset)
        _check_args(GET_CUSTOMERS_BY_QUERY, {"expand": expand, "sort": sort, "since": since})
        if not isinstance(customer_query, CustomerQuery | WithNulls):
            raise InvalidInputError(
                "get_customers_by_query: customer_query must be a CustomerQuery, "
                f"got {type(customer_query).__name__}"
            )

        async def fetch(view: CustomerClient, offset: int, limit: int) -> CustomersResponse:
            return await view.get_customers_by_query(
                customer_query, limit=limit, offset=offset, since=since, sort=sort, expand=expand
            )

        return _PageEngine(
            client, fetch, page_size=page_size, concurrency=concurrency, start_offset=start_offset
        )

    def _search_engine(
        self,
        page_size: int,
        concurrency: int,
        expand: str | None,
        sort: str | None,
        since: str | None,
        search: dict[str, str | None],
        start_offset: int,
    ) -> _PageEngine:
        client = self._paging_client()
        _check_paging(page_size, concurrency, start_offset)
        _check_args(SEARCH_CUSTOMERS, {**search, "expand": expand, "sort": sort, "since": since})

        async def fetch(view: CustomerClient, offset: int, limit: int) -> CustomersResponse:
            return await view.search_customers(
                **search, limit=limit, offset=offset, since=since, sort=sort, expand=expand
            )

        return _PageEngine(
            client, fetch, page_size=page_size, concurrency=concurrency, start_offset=start_offset
        )

    def iter_customers(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        concurrency: int = DEFAULT_PAGER_CONCURRENCY,
        expand: str | None = None,
        sort: str | None = None,
        since: str | None = None,
        start_offset: int = 0,
        **filters: str | int | None,
    ) -> CustomerIterator:
        """Every customer matching `get_customers` filters, in server order, each once.

        `async for c in client.iter_customers(billing_state="TX", expand="billing"): ...`
        """
        engine = self._customers_engine(
            page_size, concurrency, expand, sort, since, filters, start_offset
        )
        return CustomerIterator(engine)

    def iter_customers_pages(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        concurrency: int = DEFAULT_PAGER_CONCURRENCY,
        expand: str | None = None,
        sort: str | None = None,
        since: str | None = None,
        start_offset: int = 0,
        **filters: str | int | None,
    ) -> CustomerPageIterator:
        """Like `iter_customers`, yielding each `CustomersResponse` page."""
        engine = self._customers_engine(
            page_size, concurrency, expand, sort, since, filters, start_offset
        )
        return CustomerPageIterator(engine)

    def iter_customers_by_query(
        self,
        customer_query: CustomerQuery | WithNulls[CustomerQuery],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        concurrency: int = DEFAULT_PAGER_CONCURRENCY,
        expand: str | None = None,
        sort: str | None = None,
        since: str | None = None,
        start_offset: int = 0,
    ) -> CustomerIterator:
        """Every customer matching `customer_query` (`get_customers_by_query`), each once."""
        engine = self._query_engine(
            customer_query, page_size, concurrency, expand, sort, since, start_offset
        )
        return CustomerIterator(engine)

    def iter_customers_by_query_pages(
        self,
        customer_query: CustomerQuery | WithNulls[CustomerQuery],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        concurrency: int = DEFAULT_PAGER_CONCURRENCY,
        expand: str | None = None,
        sort: str | None = None,
        since: str | None = None,
        start_offset: int = 0,
    ) -> CustomerPageIterator:
        """Like `iter_customers_by_query`, yielding each `CustomersResponse` page."""
        engine = self._query_engine(
            customer_query, page_size, concurrency, expand, sort, since, start_offset
        )
        return CustomerPageIterator(engine)

    def iter_search_customers(
        self,
        *,
        search_string: str | None = None,
        signup_dts_start: str | None = None,
        signup_dts_end: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        concurrency: int = DEFAULT_PAGER_CONCURRENCY,
        expand: str | None = None,
        sort: str | None = None,
        since: str | None = None,
        start_offset: int = 0,
    ) -> CustomerIterator:
        """Every customer `search_customers` finds, in server order, each once."""
        search = {
            "search_string": search_string,
            "signup_dts_start": signup_dts_start,
            "signup_dts_end": signup_dts_end,
        }
        engine = self._search_engine(
            page_size, concurrency, expand, sort, since, search, start_offset
        )
        return CustomerIterator(engine)

    def iter_search_customers_pages(
        self,
        *,
        search_string: str | None = None,
        signup_dts_start: str | None = None,
        signup_dts_end: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        concurrency: int = DEFAULT_PAGER_CONCURRENCY,
        expand: str | None = None,
        sort: str | None = None,
        since: str | None = None,
        start_offset: int = 0,
    ) -> CustomerPageIterator:
        """Like `iter_search_customers`, yielding each `CustomersResponse` page."""
        search = {
            "search_string": search_string,
            "signup_dts_start": signup_dts_start,
            "signup_dts_end": signup_dts_end,
        }
        engine = self._search_engine(
            page_size, concurrency, expand, sort, since, search, start_offset
        )
        return CustomerPageIterator(engine)
