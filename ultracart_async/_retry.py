"""Retry policy: which failures are retried for which operation, and how long to wait.

This module only decides; the one retry loop lives in `_requester.Requester.request`.

| failure                                  | READ, IDEMPOTENT | IDEMPOTENT_DELETE | UNSAFE  |
|------------------------------------------|------------------|-------------------|---------|
| connect failure (provably never sent)    | retry            | retry             | retry   |
| 429 (rejected before processing)         | retry            | retry             | retry   |
| timeout / reset / cut body after sending | retry            | retry             | unknown |
| 500, 502, 503, 504 (JSON or HTML)        | retry            | retry             | unknown |
| other 5xx                                | raise            | raise             | unknown |
| 400/404 after an ambiguous earlier try   | raise            | unknown           | raise   |
| other 4xx, 2xx with an `error` object    | raise            | raise             | raise   |
| 2xx body undecodable (HTML, cut, too big)| raise            | raise             | unknown |

"unknown": raise `WriteOutcomeUnknownError` (what was sent, the failure as `__cause__`).
"""

from __future__ import annotations

import enum
import math
import random
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import attrs

from ._constants import (
    DEFAULT_BACKOFF_INITIAL,
    DEFAULT_BACKOFF_MAX,
    DEFAULT_MAX_RETRIES,
    HEADER_RETRY_AFTER,
    RETRY_AFTER_CAP,
    RETRYABLE_STATUS_CODES,
)
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    BadRequestError,
    InvalidInputError,
    NotFoundError,
    NotSentError,
    RateLimitError,
    ResponseDecodeError,
    ServerError,
    UltraCartError,
)
from ._operation import Safety

__all__ = [
    "Decision",
    "RetryEvent",
    "RetryPolicy",
    "decide",
    "is_ambiguous",
    "parse_retry_after",
]


@attrs.frozen
class RetryEvent:
    """What `on_retry` receives just before the client sleeps for a retry.

    Pass a hook as `CustomerClient(on_retry=...)` or `with_options(on_retry=...)`; it runs
    synchronously, once per retry, and an exception it raises ends the call.

    Attributes:
        operation: The operation id (`"get_customers"`).
        attempt: The number of the retry about to happen: 1 for the first retry.
        delay: Seconds the client is about to sleep (Retry-After or jittered backoff).
        error: The failure of the attempt that is retried (a `uc.*` error).
        rate_limited: True when that failure was a 429 (`RateLimitError`).
    """

    operation: str
    attempt: int  # 1 = first retry
    delay: float  # seconds about to be slept
    error: UltraCartError  # what failed
    rate_limited: bool  # True when the failure was a 429


class Decision(enum.Enum):
    """What the retry loop does with a failed attempt."""

    RETRY = "retry"
    RAISE = "raise"
    OUTCOME_UNKNOWN = "outcome_unknown"  # raise WriteOutcomeUnknownError


def decide(safety: Safety, error: UltraCartError, *, earlier_attempt_ambiguous: bool) -> Decision:
    """Classify a failed attempt of an operation with `safety` (see the module's table)."""
    if isinstance(error, NotSentError | RateLimitError):
        return Decision.RETRY
    unsafe = safety is Safety.UNSAFE
    if isinstance(error, APIConnectionError):
        return Decision.OUTCOME_UNKNOWN if unsafe else Decision.RETRY
    if isinstance(error, ServerError):
        if unsafe:
            return Decision.OUTCOME_UNKNOWN
        return Decision.RETRY if error.status_code in RETRYABLE_STATUS_CODES else Decision.RAISE
    if isinstance(error, ResponseDecodeError):
        # A success status with a body that is not the answer (a proxy's page, a cut or an
        # oversized body) does not say whether the write was applied.
        return Decision.OUTCOME_UNKNOWN if unsafe else Decision.RAISE
    if (
        safety is Safety.IDEMPOTENT_DELETE
        and earlier_attempt_ambiguous
        and isinstance(error, BadRequestError | NotFoundError)
    ):
        return Decision.OUTCOME_UNKNOWN
    return Decision.RAISE


def is_ambiguous(error: UltraCartError) -> bool:
    """True when the failed attempt may have been processed by the server."""
    if isinstance(error, NotSentError | RateLimitError):
        return False
    return isinstance(error, APIConnectionError | ServerError)


def parse_retry_after(
    value: str | None, *, now: Callable[[], datetime] | None = None
) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or HTTP date); None if absent/invalid."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        current = now() if now is not None else datetime.now(UTC)
        seconds = (when - current).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def _count(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInputError(f"{attribute.name} must be an int >= 0, got {value!r}")


def _seconds(instance: object, attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
        raise InvalidInputError(f"{attribute.name} must be a finite number >= 0, got {value!r}")


@attrs.frozen
class RetryPolicy:
    """How many retries, and how long to wait between them.

    Exponential backoff with full jitter: before retry `n` the client sleeps a random time between 0
    and `min(backoff_max, backoff_initial * 2 ** (n - 1))` seconds. A server's `Retry-After` (on a
    429 or a 5xx) replaces the backoff, capped at `retry_after_cap`. Which failures are retried
    depends on the operation (see `CustomerClient`'s methods), not on the policy. Pass it as
    `CustomerClient(retry_policy=uc.RetryPolicy(...))`.

    Attributes:
        max_retries: Retries after the first attempt (default 4); 0 disables retries.
        backoff_initial: Ceiling of the first backoff, in seconds (default 0.5).
        backoff_max: Largest backoff ceiling, in seconds (default 30).
        retry_after_cap: Longest `Retry-After` honoured, in seconds (default 120).
        random: Source of the jitter, a function returning a float in [0, 1) (default
            `random.random`; tests pass a fixed one).

    Raises:
        InvalidInputError: `max_retries` is not an int >= 0, or a time is not a finite number
            of seconds >= 0.
    """

    max_retries: int = attrs.field(default=DEFAULT_MAX_RETRIES, validator=_count)
    backoff_initial: float = attrs.field(default=DEFAULT_BACKOFF_INITIAL, validator=_seconds)
    backoff_max: float = attrs.field(default=DEFAULT_BACKOFF_MAX, validator=_seconds)
    retry_after_cap: float = attrs.field(default=RETRY_AFTER_CAP, validator=_seconds)
    random: Callable[[], float] = attrs.field(default=random.random, repr=False)

    def backoff_ceiling(self, retry: int) -> float:
        """Return the upper bound of the jittered wait before a retry.

        Args:
            retry: The retry's number, 1-based.

        Returns:
            `min(backoff_max, backoff_initial * 2 ** (retry - 1))`, in seconds.
        """
        return float(min(self.backoff_max, self.backoff_initial * 2 ** (retry - 1)))

    def delay(self, retry: int, error: UltraCartError) -> float:
        """Return the seconds to wait before a retry after `error`.

        Args:
            retry: The retry's number, 1-based.
            error: The failure of the attempt before it.

        Returns:
            The server's `Retry-After` (capped at `retry_after_cap`) when the error carries one,
            else a random time between 0 and `backoff_ceiling(retry)`.
        """
        retry_after = _retry_after_of(error)
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        return self.random() * self.backoff_ceiling(retry)


def _retry_after_of(error: UltraCartError) -> float | None:
    if isinstance(error, RateLimitError):
        return error.retry_after
    if isinstance(error, APIStatusError) and error.response is not None:
        return parse_retry_after(error.response.headers.get(HEADER_RETRY_AFTER))
    return None
