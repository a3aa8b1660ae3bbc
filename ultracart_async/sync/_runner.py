"""`LoopThread`: one event loop in a daemon thread, and blocking calls into it.

The loop runs an anyio `BlockingPortal`; every call is a task of the portal's task group, so
calls from several threads run concurrently on the one loop. A caller interrupted while it
waits (KeyboardInterrupt) cancels its task. Shutting down (`close()`, or the runner being
garbage collected) runs the registered closer on the loop, cancels what is left and ends the
thread; the thread is a daemon, so a client never closed cannot hang interpreter exit.
"""

from __future__ import annotations

import contextlib
import itertools
import sys
import threading
import weakref
from collections.abc import Awaitable, Callable
from concurrent.futures import CancelledError, Future
from typing import TYPE_CHECKING, Any, TypeVar

from ultracart_async._exceptions import ClientClosedError

from ._errors import SyncClientInEventLoopError

if TYPE_CHECKING:  # imported when a client starts: `import ultracart_async` stays light
    import asyncio

    import anyio
    from anyio.from_thread import BlockingPortal

__all__ = ["LoopThread", "running_event_loop"]

R = TypeVar("R")

_THREAD_NUMBERS = itertools.count(1)


def running_event_loop() -> str | None:
    """The name of the event loop running in this thread ("asyncio", "trio"), or None."""
    asyncio = sys.modules.get("asyncio")  # not imported: no asyncio loop can be running
    if asyncio is not None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            return "asyncio"
    trio = sys.modules.get("trio")
    if trio is not None:
        try:
            trio.lowlevel.current_task()
        except RuntimeError:
            pass
        else:
            return "trio"
    return None


def _refuse_blocking(what: str) -> None:
    library = running_event_loop()
    if library is not None:
        raise SyncClientInEventLoopError(
            f"SyncCustomerClient: {what} blocks until UltraCart answers, and was called inside "
            f"a running {library} event loop, which it would stall. In async code use "
            "uc.CustomerClient and await its methods (or run this call in a worker thread, "
            "e.g. anyio.to_thread.run_sync)."
        )


class _Shutdown:
    """What the loop thread runs when it is told to stop, and the error that run raised."""

    def __init__(self) -> None:
        self.closer: Callable[[], Awaitable[None]] | None = None
        self.error: BaseException | None = None


class LoopThread:
    """An event loop (asyncio) in a daemon thread, reached through a blocking portal."""

    def __init__(self) -> None:
        ready: Future[tuple[BlockingPortal, anyio.Event, asyncio.AbstractEventLoop]] = Future()
        self._shutdown = _Shutdown()
        self._thread = threading.Thread(
            target=_serve,
            args=(ready, self._shutdown),
            name=f"ultracart-sync-{next(_THREAD_NUMBERS)}",
            daemon=True,
        )
        self._thread.start()
        self._portal, stop, loop = ready.result()
        self._lock = threading.Lock()
        self._closed = False
        # Runs once: on close(), or when the last client, view and iterator are gone.
        self._stop = weakref.finalize(self, _request_stop, loop, stop)

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def thread(self) -> threading.Thread:
        return self._thread

    def set_closer(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Run `closer` on the loop when it shuts down (the async client's `aclose`)."""
        self._shutdown.closer = closer

    def call(self, what: str, fn: Callable[[], Awaitable[R]], *, blocking: bool) -> R:
        """Await `fn()` in a task on the loop; wait for its outcome.

        `blocking`: the call sends requests or waits for them, so it is refused inside any
        running event loop. Others (lifecycle, views) are refused only on the loop's own
        thread, where waiting would deadlock.
        """
        future: Future[R] = self._submit(what, fn, blocking=blocking)
        return _outcome(future, what)

    def call_sync(self, what: str, fn: Callable[[], R], *, blocking: bool) -> R:
        """Call `fn()` on the loop's thread; wait for its outcome (`blocking` as in `call`)."""
        future: Future[R] = self._submit(what, fn, blocking=blocking)
        return _outcome(future, what)

    def _submit(self, what: str, fn: Callable[[], Any], *, blocking: bool) -> Future[Any]:
        self._check(what, blocking=blocking)
        try:
            return self._portal.start_task_soon(fn, name=what)
        except RuntimeError:  # the portal stopped after the check
            raise ClientClosedError(f"{what}: the client is closed") from None

    def start(
        self, what: str, fn: Callable[..., Awaitable[Any]], *args: Any
    ) -> tuple[Future[Any], Any]:
        """Start `fn(*args, task_status=...)` on the loop; return its future and started value."""
        self._check(what, blocking=True)
        try:
            return self._portal.start_task(fn, *args, name=what)
        except RuntimeError as exc:
            if self._closed:
                raise ClientClosedError(f"{what}: the client is closed") from None
            raise exc from None

    def _check(self, what: str, *, blocking: bool) -> None:
        if threading.get_ident() == self._thread.ident:
            raise SyncClientInEventLoopError(
                f"SyncCustomerClient: {what} was called on the client's own event loop (from "
                "a hook such as on_retry?); it would deadlock there"
            )
        if blocking:
            _refuse_blocking(what)
        if self._closed:
            raise ClientClosedError(f"{what}: the client is closed")

    def close(self) -> None:
        """Run the closer, cancel what is left, and end the thread; idempotent, thread-safe."""
        if threading.get_ident() == self._thread.ident:
            raise SyncClientInEventLoopError(
                "SyncCustomerClient: close() was called on the client's own event loop; "
                "it would deadlock there"
            )
        with self._lock:
            self._closed = True
        self._stop()  # a no-op after the first time
        self._thread.join()
        error, self._shutdown.error = self._shutdown.error, None
        if error is not None:
            raise error


def _outcome(future: Future[R], what: str) -> R:
    try:
        return future.result()
    except CancelledError:  # the loop shut down under the call
        raise ClientClosedError(f"{what}: the client was closed during the call") from None
    except BaseException:
        future.cancel()  # interrupted while waiting (KeyboardInterrupt): stop the task too
        raise


def _request_stop(loop: asyncio.AbstractEventLoop, stop: anyio.Event) -> None:
    """Tell the loop to shut down; safe from any thread, the loop's own included."""
    with contextlib.suppress(RuntimeError):  # the loop is already closed
        loop.call_soon_threadsafe(stop.set)


def _serve(
    ready: Future[tuple[BlockingPortal, anyio.Event, asyncio.AbstractEventLoop]],
    shutdown: _Shutdown,
) -> None:
    """The thread: run the loop until told to stop."""
    import anyio

    try:
        anyio.run(_main, ready, shutdown, backend="asyncio")
    except BaseException as exc:
        if not ready.done():
            ready.set_exception(exc)
        else:
            shutdown.error = exc


async def _main(
    ready: Future[tuple[BlockingPortal, anyio.Event, asyncio.AbstractEventLoop]],
    shutdown: _Shutdown,
) -> None:
    import asyncio

    import anyio
    from anyio.from_thread import BlockingPortal

    async with BlockingPortal() as portal:
        stop = anyio.Event()
        ready.set_result((portal, stop, asyncio.get_running_loop()))
        await stop.wait()
        try:
            if shutdown.closer is not None:
                with anyio.CancelScope(shield=True):
                    await shutdown.closer()
        finally:
            await portal.stop(cancel_remaining=True)
