"""The base classes of the generated blocking twins: `SyncFacade` and `SyncClientBase`.

A twin holds the async object it mirrors (`_target`) and the `LoopThread` that runs it
(`_runner`, shared by a client, its views and its iterators). Generated methods forward with
a zero-argument lambda, `self._run("get_customer", lambda: self._target.get_customer(oid))`,
so that mypy checks every forwarded call against the async signature itself (overloads and
generic methods included) and the call is made on the loop's thread.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar

from ultracart_async._exceptions import ClientClosedError

from ._runner import LoopThread

__all__ = ["AsyncClosable", "SyncClientBase", "SyncFacade"]

R = TypeVar("R")
A = TypeVar("A")
F = TypeVar("F", bound="SyncFacade[Any]")


class AsyncClosable(Protocol):
    async def aclose(self) -> None: ...


C = TypeVar("C", bound=AsyncClosable)


class SyncFacade(Generic[A]):
    """A blocking view of one async object, run on a `LoopThread`."""

    _runner: LoopThread
    _target: A

    @classmethod
    def _adopt(cls: type[F], runner: LoopThread, target: Any) -> F:
        """A twin of `target` (a view, an iterator) sharing `runner`."""
        twin = cls.__new__(cls)
        twin._bind(runner, target)
        return twin

    def _bind(self, runner: LoopThread, target: A) -> None:
        self._runner = runner
        self._target = target

    def __repr__(self) -> str:
        inner = repr(self._target)
        name = type(self._target).__name__
        if inner.startswith(f"{name}("):
            return f"{type(self).__name__}{inner[len(name) :]}"
        return f"<{type(self).__name__} of {inner}>"

    def _run(self, what: str, call: Callable[[], Awaitable[R]]) -> R:
        """Await `call()` on the loop: a request, refused inside a running event loop."""
        return self._runner.call(f"{what}()", call, blocking=True)

    def _run_sync(self, what: str, call: Callable[[], R]) -> R:
        """Call `call()` on the loop's thread (no request: views, pagers being set up)."""
        return self._runner.call_sync(f"{what}()", call, blocking=False)


class SyncClientBase(SyncFacade[C]):
    """A blocking client: owns the `LoopThread` and the async client made on it."""

    def __init__(self, what: str, make: Callable[[], C]) -> None:
        runner = LoopThread()
        try:
            target = runner.call_sync(what, make, blocking=False)
        except BaseException:
            runner.close()
            raise
        runner.set_closer(target.aclose)
        self._bind(runner, target)

    def __enter__(self: F) -> F:
        if self._runner.closed:
            raise ClientClosedError("the client is closed")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the client, every `with_options` view of it and its event loop thread.

        Idempotent and thread-safe. Calls still waiting raise `ClientClosedError` (an unsafe
        write that may have been sent: `WriteOutcomeUnknownError`); iterators stop. A
        caller-supplied `http_client` stays open: its owner closes it.
        """
        self._runner.close()
