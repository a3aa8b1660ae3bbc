"""Blocking twins of the async pagers: `SyncCustomerIterator`, `SyncCustomerPageIterator`.

They drive the async pager on the client's loop, so order, exactly-once delivery, bounded
buffering and the stop rules are the async pager's own:

- Bare `for`: each `next()` that finds no page ready fetches the next window of pages
  concurrently and returns once they are in; between calls nothing is in flight, so `break`
  (or dropping the iterator) leaves no request running and none is sent afterwards.
- `with iterator:` enters the async pager's `async with` in a task on the loop, which keeps
  prefetching while you work; leaving the block (or `close()`) cancels it. An iterator entered
  and then dropped without leaving is cancelled when it is garbage collected.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import AsyncIterator
from concurrent.futures import CancelledError, Future
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Generic, Protocol, TypeVar

import anyio
from anyio.abc import TaskStatus

from ultracart_async._exceptions import ClientClosedError
from ultracart_async.pagination import CustomerIterator, CustomerPageIterator, PagerStats

from ._facade import SyncFacade
from ._runner import LoopThread

if TYPE_CHECKING:
    from ultracart_async.models import Customer, CustomersResponse

__all__ = ["SyncCustomerIterator", "SyncCustomerPageIterator"]

T = TypeVar("T")
W = TypeVar("W", bound="_AsyncWalk")
S = TypeVar("S", bound="_SyncWalk[Any, Any]")


class _AsyncWalk(Protocol):
    """What the async pagers offer (`CustomerIterator`, `CustomerPageIterator`)."""

    @property
    def stats(self) -> PagerStats: ...
    async def aclose(self) -> None: ...
    async def __aenter__(self) -> Any: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None: ...


class _Done:
    """The walk has ended (StopAsyncIteration cannot travel back through the portal's future)."""


_DONE: Final = _Done()


async def _next(walk: AsyncIterator[T]) -> T | _Done:
    try:
        return await walk.__anext__()
    except StopAsyncIteration:
        return _DONE


async def _hold(
    walk: AbstractAsyncContextManager[Any], *, task_status: TaskStatus[anyio.Event]
) -> None:
    """Keep the pager's `async with` open (prefetching) until released or cancelled."""
    release = anyio.Event()
    async with walk:
        task_status.started(release)
        await release.wait()


class _SyncWalk(SyncFacade[W], Generic[W, T]):
    """`for`, `with`, `close()` and `stats` over one async walk."""

    _done: bool
    _closed: bool
    _held: tuple[Future[Any], anyio.Event, weakref.finalize[Any, Any]] | None
    _lock: threading.Lock  # entering and closing, from any threads, one at a time

    def __init__(self, runner: LoopThread, walk: W) -> None:
        self._bind(runner, walk)

    def _bind(self, runner: LoopThread, target: W) -> None:
        super()._bind(runner, target)
        self._done = False
        self._closed = False
        self._held = None
        self._lock = threading.Lock()

    @property
    def stats(self) -> PagerStats:
        """Counters: pages, requests, retries, rate-limit waits, repeats dropped, elapsed."""
        return self._target.stats

    def __iter__(self: S) -> S:
        return self

    def _pull(self, what: str, walk: AsyncIterator[T]) -> T:
        if self._done or self._closed:
            raise StopIteration
        item = self._runner.call(what, lambda: _next(walk), blocking=True)
        if isinstance(item, _Done):
            self._done = True
            raise StopIteration
        return item

    def __enter__(self: S) -> S:
        with self._lock:
            if self._held is not None:
                raise RuntimeError("this iterator is already in use by a `with` block")
            if self._closed:
                raise RuntimeError("this iterator is closed")
            future, release = self._runner.start("iterator.__enter__()", _hold, self._target)
            # Cancels the holding task if the iterator is dropped without leaving its block.
            self._held = (future, release, weakref.finalize(self, future.cancel))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop now: cancel requests in flight (waiting until they are gone); send no more."""
        with self._lock:
            if self._closed and self._held is None:
                return
            self._closed = True
            held, self._held = self._held, None
        if self._runner.closed:  # the client's shutdown already cancelled the walk
            if held is not None:
                held[2].detach()
            return
        if held is None:
            self._runner.call("iterator.close()", self._target.aclose, blocking=False)
            return
        future, release, finalizer = held
        finalizer.detach()
        try:
            self._runner.call_sync("iterator.close()", release.set, blocking=False)
            future.result()
        except (ClientClosedError, CancelledError):  # the client closed meanwhile: all ended
            pass


class SyncCustomerPageIterator(_SyncWalk[CustomerPageIterator, "CustomersResponse"]):
    """Page responses in server order, repeats dropped: `for`, `with`, `close()`, `stats`.

    The first request is sent on the first `next()` (or on entering `with`).
    """

    def __next__(self) -> CustomersResponse:
        return self._pull("next(pages)", self._target)


class SyncCustomerIterator(_SyncWalk[CustomerIterator, "Customer"]):
    """Customers in server order, each once: `for`, `with`, `close()`, `stats`.

    `.pages()` is the `SyncCustomerPageIterator` of the same walk, for page-at-a-time consumers.
    """

    def __next__(self) -> Customer:
        return self._pull("next(customers)", self._target)

    def pages(self) -> SyncCustomerPageIterator:
        """The same walk, one `CustomersResponse` at a time (call it before taking customers)."""
        return SyncCustomerPageIterator._adopt(self._runner, self._target.pages())
