"""UltraCart-like rate limiting: leaky buckets per hour and per day and a concurrency cap."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ._constants import FAKE_DEFAULT_RETRY_AFTER


@dataclass(frozen=True)
class FakeRateLimit:
    """UltraCart-like limits for the fake: hourly and daily leaky buckets and a concurrency cap.

    Over either bucket, or with more than `max_in_flight` requests being handled at once, the fake
    answers 429 with Retry-After, before processing. Pass it as `FakeUltraCart(rate_limit=...)` or
    assign `fake.rate_limit`.

    Attributes:
        per_hour: Requests the hourly bucket holds; it drains continuously at that rate. None: no
            hourly limit.
        per_day: Requests the daily bucket holds, likewise. None: no daily limit.
        max_in_flight: More requests than this being handled at once get 429; None: no cap.
        clock: Monotonic clock in seconds (tests pass a fake clock).
    """

    per_hour: int | None = 1000
    per_day: int | None = 10000
    max_in_flight: int | None = None
    clock: Callable[[], float] = time.monotonic


class _Bucket:
    def __init__(self, capacity: int, period: float) -> None:
        self.capacity = capacity
        self.rate = capacity / period
        self.level = 0.0
        self.last: float | None = None

    def drain(self, now: float) -> None:
        if self.last is not None:
            self.level = max(0.0, self.level - (now - self.last) * self.rate)
        self.last = now

    def wait(self) -> float:
        """Seconds until one more request fits (0 when it fits now)."""
        excess = self.level + 1 - self.capacity
        return excess / self.rate if excess > 0 else 0.0


class RateLimiter:
    """Applies one FakeRateLimit; `admit()` answers None or the Retry-After seconds of a 429."""

    def __init__(self, limit: FakeRateLimit) -> None:
        self.limit = limit
        self._buckets = [
            _Bucket(capacity, period)
            for capacity, period in ((limit.per_hour, 3600.0), (limit.per_day, 86400.0))
            if capacity is not None
        ]
        self._lock = threading.Lock()
        self.in_flight = 0

    def admit(self) -> int | None:
        """Count one request against the buckets; Retry-After seconds if it must be refused."""
        with self._lock:
            now = self.limit.clock()
            for bucket in self._buckets:
                bucket.drain(now)
            wait = max((bucket.wait() for bucket in self._buckets), default=0.0)
            if wait > 0:
                return max(1, math.ceil(wait))
            if self.limit.max_in_flight is not None and self.in_flight >= self.limit.max_in_flight:
                return FAKE_DEFAULT_RETRY_AFTER
            for bucket in self._buckets:
                bucket.level += 1
            self.in_flight += 1
            return None

    def release(self) -> None:
        with self._lock:
            self.in_flight -= 1


class RateLimitSlot:
    """The rate limiter in force (None: no limit); a new limit starts with empty buckets.

    Requests keep the limiter they were admitted by, so swapping the limit mid-request releases
    them on the limiter that counted them.
    """

    def __init__(self, limit: FakeRateLimit | None = None) -> None:
        self.limiter = RateLimiter(limit) if limit is not None else None

    @property
    def limit(self) -> FakeRateLimit | None:
        return self.limiter.limit if self.limiter is not None else None

    @limit.setter
    def limit(self, limit: FakeRateLimit | None) -> None:
        self.limiter = RateLimiter(limit) if limit is not None else None
