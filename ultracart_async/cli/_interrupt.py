"""Ctrl-C during the export: received as a signal and turned into a cancellation, so the export
stops between two pages with its checkpoint consistent."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TypeVar

import anyio

__all__ = ["sigint_receiver", "until_interrupted"]

T = TypeVar("T")


@contextlib.contextmanager
def sigint_receiver() -> Iterator[AsyncIterator[signal.Signals] | None]:
    """Ctrl-C as an async stream of signals while the block runs, instead of KeyboardInterrupt
    (which asyncio's runner turns into a bare CancelledError on Python 3.10). The handler in
    place before is restored afterwards. None where signals cannot be received here (not the
    main thread, or an event loop without signal support)."""
    if threading.current_thread() is not threading.main_thread():
        yield None
        return
    previous = signal.getsignal(signal.SIGINT)
    receiver = anyio.open_signal_receiver(signal.SIGINT)
    try:
        signals = receiver.__enter__()
    except (NotImplementedError, RuntimeError, ValueError):  # e.g. asyncio on Windows
        signals = None
    if signals is None:
        yield None
        return
    try:
        yield signals
    finally:
        receiver.__exit__(None, None, None)
        if previous is not None and signal.getsignal(signal.SIGINT) is not previous:
            signal.signal(signal.SIGINT, previous)


async def until_interrupted(
    signals: AsyncIterator[signal.Signals] | None, work: Callable[[], Awaitable[T]]
) -> T | None:
    """`work()`'s result, or None if a signal arrived first: the work is then cancelled at
    its next await (the export between two pages, its checkpoint consistent)."""
    if signals is None:
        return await work()
    finished = False
    result: T | None = None
    failure: BaseException | None = None
    async with anyio.create_task_group() as group:

        async def cancel_on_signal() -> None:
            async for _ in signals:
                group.cancel_scope.cancel()
                return

        group.start_soon(cancel_on_signal)
        try:
            result = await work()
            finished = True
        except anyio.get_cancelled_exc_class():
            raise
        except BaseException as exc:  # re-raised below, not wrapped in an exception group
            failure = exc
        group.cancel_scope.cancel()
    if failure is not None:
        raise failure
    return result if finished else None
