"""The async iterators over one walk, and their lifecycles (bare `async for`, `async with`).

- Bare `async for`: each `__anext__` that finds no page ready runs a short-lived task group that
  fetches the next window concurrently and returns once those pages are in. No task outlives an
  `__anext__` call, so `break` leaves nothing in flight.
- `async with iterator:` owns a task group for the whole block and prefetches continuously while
  the consumer works; leaving the block (or `aclose()`) cancels whatever is in flight.

Nothing here yields from inside a task group or cancel scope (anyio's "cancel scope stack
corruption" rule): task groups are entered and left within one call or one `async with`.

`CustomerPageIterator` drives the walk; `CustomerIterator` hands out the customers of its pages
one by one, and its `.pages()` is the page iterator of the same walk.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

import anyio
from anyio.abc import TaskGroup

from ._engine import PageEngine
from ._stats import PagerStats

if TYPE_CHECKING:
    from ultracart_async.models import Customer, CustomersResponse

__all__ = ["CustomerIterator", "CustomerPageIterator"]


class CustomerPageIterator:
    """The pages of one walk, in server order, with customers already handed out dropped.

    What `client.iter_*_pages(...)` and `CustomerIterator.pages()` return. An async iterator: each
    step that finds no page ready fetches the next window of pages concurrently and returns once
    they are in, so `break` leaves nothing in flight. An async context manager: inside `async with`,
    pages are prefetched continuously while the consumer works; leaving the block cancels whatever
    is in flight. The first request is sent on the first step (or on entering `async with`).

    ```python
    async with client.iter_customers_pages(expand="billing") as pages:
        async for page in pages:
            save(page.customers)
    print(pages.stats.pages, pages.stats.elapsed)
    ```
    """

    def __init__(self, engine: PageEngine) -> None:
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
        """Live counters of the walk (pages, requests, retries, 429 waits, repeats dropped)."""
        return self._engine.stats

    def __aiter__(self) -> CustomerPageIterator:
        return self

    async def __anext__(self) -> CustomersResponse:
        """Return the next page, in server order.

        Returns:
            The next `CustomersResponse`; customers already handed out are dropped from its
            `customers`.

        Raises:
            StopAsyncIteration: The walk is done, or was closed.
            UltraCartError: A page failed: the error its method raises (after its retries), at the
                page's position; the walk stops there.
            PaginationError: The server's pages stopped making progress (after the last page that
                did).
            RuntimeError: Another task is already waiting on this walk.
        """
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
        """Stop now: cancel the requests in flight (waiting until they are gone) and send no more.

        Idempotent; iterating afterwards ends at once. Not needed after the walk ended or after an
        `async with` block.
        """
        self._closed = True
        self._engine.close()
        with anyio.CancelScope(shield=True):
            if self._prefetch_scope is not None and self._prefetch_done is not None:
                self._prefetch_scope.cancel()
                await self._prefetch_done.wait()
            if self._fill_scope is not None and self._fill_done is not None:
                self._fill_scope.cancel()
                await self._fill_done.wait()

    async def __aenter__(self) -> CustomerPageIterator:
        """Start prefetching pages in the background for the block.

        Returns:
            This iterator.

        Raises:
            RuntimeError: The iterator is already in an `async with` block, or is closed.
        """
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
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        """Close the walk (cancelling what is in flight) and wait for its background work.

        Args:
            exc_type: The type of the exception that ended the block, or None.
            exc: The exception that ended the block, or None; it propagates unwrapped.
            traceback: Its traceback, or None.

        Returns:
            Whether to suppress the exception, as the walk's task group decides; the block's own
            exception (other than a cancellation) is never suppressed.
        """
        task_group = self._task_group
        assert task_group is not None, "__aexit__ without __aenter__"
        await self.aclose()
        self._task_group = None
        if exc is not None and not isinstance(exc, anyio.get_cancelled_exc_class()):
            # Our task is done; let the body's own exception through unwrapped.
            await task_group.__aexit__(None, None, None)
            return False
        return await task_group.__aexit__(exc_type, exc, traceback)


class CustomerIterator:
    """The customers of one walk, in server order, each once.

    What `client.iter_customers(...)`, `iter_customers_by_query(...)` and
    `iter_search_customers(...)` return: an async iterator and an async context manager (inside
    `async with`, pages are prefetched continuously), with `aclose()` and live `stats`. A customer
    already handed out (same `customer_profile_oid`) is dropped.

    ```python
    async with client.iter_customers(billing_state="TX", expand="billing") as customers:
        async for customer in customers:
            ...
    ```

    `.pages()` is the `CustomerPageIterator` of the same walk, for page-at-a-time consumers;
    `async with` on either one prefetches for both.
    """

    def __init__(self, engine: PageEngine) -> None:
        self._pages = CustomerPageIterator(engine)
        self._current: list[Customer] = []
        self._index = 0
        self._started = False  # a customer was asked for
        self._paged = False  # `.pages()` took the walk over

    def pages(self) -> CustomerPageIterator:
        """Return the same walk as a page iterator, one `CustomersResponse` at a time.

        Call it before taking any customer; afterwards iterate the pages, not this iterator.

        Returns:
            The `CustomerPageIterator` of this walk.

        Raises:
            RuntimeError: Customers were already taken from this iterator.
        """
        if self._started:
            raise RuntimeError("pages(): customers were already taken from this iterator")
        self._paged = True
        return self._pages

    @property
    def stats(self) -> PagerStats:
        """Live counters of the walk (pages, requests, retries, 429 waits, repeats dropped)."""
        return self._pages.stats

    def __aiter__(self) -> CustomerIterator:
        return self

    async def __anext__(self) -> Customer:
        """Return the next customer, in server order.

        Returns:
            The next `Customer` not handed out before.

        Raises:
            StopAsyncIteration: The walk is done, or was closed.
            UltraCartError: A page failed: the error its method raises (after its retries), once the
                customers of the pages before it were handed out; the walk stops there.
            PaginationError: The server's pages stopped making progress.
            RuntimeError: `.pages()` took the walk over, or another task is already waiting on it.
        """
        if self._paged:
            raise RuntimeError("this walk is iterated by its .pages(); iterate those")
        self._started = True
        while self._index >= len(self._current):
            page = await self._pages.__anext__()
            self._current = page.customers or []
            self._index = 0
        customer = self._current[self._index]
        self._index += 1
        return customer

    async def aclose(self) -> None:
        """Stop now: cancel the requests in flight (waiting until they are gone) and send no more.

        Idempotent. Not needed after the walk ended or after an `async with` block. The rest of
        the current page is dropped too: iterating after it ends at once.
        """
        self._current, self._index = [], 0
        await self._pages.aclose()

    async def __aenter__(self) -> CustomerIterator:
        """Start prefetching pages in the background for the block.

        Returns:
            This iterator.

        Raises:
            RuntimeError: The walk is already in an `async with` block, or is closed.
        """
        await self._pages.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        """Close the walk (cancelling what is in flight) and wait for its background work.

        Args:
            exc_type: The type of the exception that ended the block, or None.
            exc: The exception that ended the block, or None; it propagates unwrapped.
            traceback: Its traceback, or None.

        Returns:
            Whether to suppress the exception, as the walk's task group decides; the block's own
            exception (other than a cancellation) is never suppressed.
        """
        self._current, self._index = [], 0
        return await self._pages.__aexit__(exc_type, exc, traceback)
