"""Politeness: the number of requests allowed in flight, adapted to 429s (AIMD).

The first 429 of a round of requests halves the window (once per round, however many of that
round are rate-limited) and pauses new requests for the `Retry-After` delay; each window's
worth of pages answered without a 429 adds one, up to the `concurrency` asked for.
"""

from __future__ import annotations

import anyio
import attrs

from ._stats import PagerStats

__all__ = ["Aimd", "Attempt"]


@attrs.define(eq=False)
class Attempt:
    """What the retry hook needs to know about one page fetch."""

    epoch: int
    """The round of requests it was sent in (bumped on each decrease)."""
    rate_limited: bool = False


class Aimd:
    """Additive increase, multiplicative decrease of the window, recorded in `stats`."""

    def __init__(self, concurrency: int, stats: PagerStats) -> None:
        self._max = concurrency
        self._stats = stats
        self.window = concurrency
        self._successes = 0
        self._epoch = 0  # bumped on each decrease: one decrease per round of requests
        self._pause_until = 0.0

    def attempt(self) -> Attempt:
        """A page fetch decided now (the round is that of the decision, not of the send)."""
        return Attempt(epoch=self._epoch)

    def pause_remaining(self) -> float:
        """Seconds left of a Retry-After pause (0 when new requests may start)."""
        return max(0.0, self._pause_until - anyio.current_time())

    def rate_limited(self, attempt: Attempt, delay: float) -> None:
        """A 429 for `attempt`, to be retried after `delay` seconds: pause, maybe halve."""
        attempt.rate_limited = True
        self._stats.rate_limit_waits += 1
        self._pause_until = max(self._pause_until, anyio.current_time() + delay)
        if attempt.epoch == self._epoch:  # first 429 of this round: multiplicative decrease
            self.window = max(1, self.window // 2)
            self._stats.concurrency = self.window
            self._stats.min_concurrency = min(self._stats.min_concurrency, self.window)
            self._successes = 0
            self._epoch += 1
        attempt.epoch = self._epoch  # its retry is sent in the new round

    def succeeded(self, attempt: Attempt) -> None:
        """A page arrived: after a window of clean pages, one more request in flight."""
        if attempt.rate_limited:
            return
        self._successes += 1
        if self._successes >= self.window and self.window < self._max:
            self.window += 1  # additive increase: +1 per window of clean pages
            self._stats.concurrency = self.window
            self._successes = 0
