"""Client-side leaky-bucket rate limiter, so a job spreads its calls instead of drawing 429s."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable

import anyio

from ._constants import (
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    ULTRACART_REQUESTS_PER_DAY,
    ULTRACART_REQUESTS_PER_HOUR,
)
from ._exceptions import InvalidInputError

__all__ = ["RateLimit"]


class _Bucket:
    """One leaky bucket in GCRA form: `interval` seconds per call, `capacity` calls of burst."""

    __slots__ = ("capacity", "interval", "tat", "tolerance")

    def __init__(self, rate: float, period: float, capacity: int) -> None:
        self.interval = period / rate
        self.capacity = capacity
        self.tolerance = (capacity - 1) * self.interval
        self.tat = -math.inf  # theoretical arrival time of the next conforming call


class RateLimit:
    """A client-side leaky bucket at UltraCart's published quotas (or yours).

    `RateLimit(per_hour=1000, per_day=10000)` models UltraCart's two buckets: a burst of up to
    `per_hour` calls goes through at once, then one call every `3600 / per_hour` seconds, and the
    daily bucket (`per_day` deep, leaking `per_day` a day) holds a long job to its daily quota.
    Every attempt of every call of the client (retries included) waits for its slot; waiters are
    served in call order (each call reserves its slot when it asks), so no caller starves. Pass one
    instance to several clients to share one budget between them:
    `CustomerClient(rate_limit=uc.RateLimit(burst=1))`.

    Args:
        per_hour: Calls per hour (default 1,000, UltraCart's published quota); > 0.
        per_day: Calls per day (default 10,000); > 0.
        burst: Caps both buckets' depth for a smoother start (`burst=1`: evenly spaced calls); None:
            each bucket's depth is its quota.
        clock: Monotonic clock in seconds (injectable for tests).
        sleep: Async sleep function (injectable for tests: one that advances a fake clock).

    Raises:
        InvalidInputError: `per_hour` or `per_day` is not a finite number > 0, or `burst` is not
            an int >= 1.

    Attributes:
        per_hour: Calls per hour, as given.
        per_day: Calls per day, as given.
        burst: The burst cap, as given (None: none).
        waits: How many calls had to wait so far.
        waited_seconds: Total seconds those calls waited.
    """

    def __init__(
        self,
        per_hour: float = ULTRACART_REQUESTS_PER_HOUR,
        per_day: float = ULTRACART_REQUESTS_PER_DAY,
        *,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        for name, value in (("per_hour", per_hour), ("per_day", per_day)):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidInputError(f"{name} must be a number, got {type(value).__name__}")
            if not 0 < value < math.inf:
                raise InvalidInputError(f"{name} must be a finite number > 0, got {value!r}")
        if burst is not None and (isinstance(burst, bool) or not isinstance(burst, int)):
            raise InvalidInputError(f"burst must be an int or None, got {type(burst).__name__}")
        if burst is not None and burst < 1:
            raise InvalidInputError("burst must be >= 1")
        self.per_hour = per_hour
        self.per_day = per_day
        self.burst = burst
        self._buckets = (
            _Bucket(per_hour, SECONDS_PER_HOUR, burst or max(1, int(per_hour))),
            _Bucket(per_day, SECONDS_PER_DAY, burst or max(1, int(per_day))),
        )
        self._clock = clock
        self._sleep = sleep
        self.waits = 0  # calls that had to wait
        self.waited_seconds = 0.0  # total time those calls waited

    def __repr__(self) -> str:
        return f"RateLimit(per_hour={self.per_hour}, per_day={self.per_day}, burst={self.burst})"

    def _reserve(self) -> tuple[float, list[tuple[_Bucket, float, float]]]:
        """Reserve the next slot for one call; return the wait and what to undo on cancel."""
        now = self._clock()
        start = now
        for bucket in self._buckets:
            start = max(start, bucket.tat - bucket.tolerance)
        undo = []
        for bucket in self._buckets:
            before = bucket.tat
            bucket.tat = max(bucket.tat, start) + bucket.interval
            undo.append((bucket, before, bucket.tat))
        return start - now, undo

    async def acquire(self) -> float:
        """Wait for this call's slot.

        The slot is reserved when it is asked for; if the wait is cancelled, the slot is given back
        (unless a later call reserved after it).

        Returns:
            The seconds waited; 0.0 when there was room.
        """
        wait, undo = self._reserve()
        if wait <= 0:
            return 0.0
        self.waits += 1
        self.waited_seconds += wait
        try:
            await self._sleep(wait)
        except BaseException:
            # Cancelled while waiting: give the slot back unless a later call reserved after it.
            for bucket, before, after in undo:
                if bucket.tat == after:
                    bucket.tat = before
            raise
        return wait
