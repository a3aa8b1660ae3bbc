"""`PagerStats`: the live counters a walk keeps for its consumer (`iterator.stats`)."""

from __future__ import annotations

import time

import attrs

__all__ = ["PagerStats"]


@attrs.define
class PagerStats:
    """Live counters of one walk (`iterator.stats`), updated as pages arrive.

    Read them during the walk (a progress bar) or after it (a summary); each field is documented
    below. `elapsed` runs from the first request to the end of the walk.
    """

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
