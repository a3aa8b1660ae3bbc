"""Fault injection, UltraCart-like rate limiting, counters and the request log of FakeUltraCart."""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, get_args

from ultracart_async._constants import REDACTED, SECRET_HEADERS

from ._constants import FAKE_DEFAULT_RETRY_AFTER, FAKE_SLOW_DELAY

FaultKind = Literal[
    "server_error",
    "rate_limit",
    "html_502",
    "empty_502",
    "forbidden",
    "app_disabled",
    "malformed_json",
    "slow",
    "connect_error",
    "reset",
    "truncated",
    "commit_then_drop",
]
FAULT_KINDS: Final[frozenset[str]] = frozenset(get_args(FaultKind))
#: Need a socket (or `fake.transport()`, which maps them to the httpx errors a socket gives).
SOCKET_FAULTS: Final = frozenset({"connect_error", "reset", "truncated", "commit_then_drop"})
#: Answered by the app itself: work in-process, on the loopback server and under any ASGI server.
RESPONSE_FAULTS: Final = FAULT_KINDS - SOCKET_FAULTS
#: Faults that stop the request before it is processed (nothing is applied).
BEFORE_PROCESSING: Final = frozenset(
    {
        "server_error",
        "rate_limit",
        "html_502",
        "empty_502",
        "forbidden",
        "app_disabled",
        "connect_error",
    }
)
#: JSON body keys whose values are redacted from the request log.
SECRET_BODY_KEYS: Final = frozenset({"password", "card_number", "card_verification_number_token"})


@dataclass
class Fault:
    """One injected fault rule (returned by `FakeUltraCart.inject`); `remaining` counts down."""

    kind: FaultKind
    operation: str | None = None
    remaining: int | None = 1
    probability: float = 1.0
    skip: int = 0
    retry_after: int = FAKE_DEFAULT_RETRY_AFTER
    delay: float = FAKE_SLOW_DELAY
    fired: int = 0

    def applies_to(self, operation: str | None, is_write: bool) -> bool:
        if self.operation is not None:
            return operation == self.operation
        if self.kind == "commit_then_drop":
            return is_write
        return True


class FaultPlan:
    """The injected fault rules, matched in insertion order; one fault per request at most."""

    def __init__(self, seed: int) -> None:
        self._rules: list[Fault] = []
        self._rng = random.Random(seed ^ 0x5EED_FA17)
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; known: {sorted(FAULT_KINDS)}")
        if not 0.0 <= fault.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        with self._lock:
            self._rules.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    @property
    def pending(self) -> list[Fault]:
        with self._lock:
            return [rule for rule in self._rules if rule.remaining is None or rule.remaining > 0]

    def give_back(self, rule: Fault) -> None:
        """Undo one `take()` of `rule` (the request never got far enough to suffer it)."""
        with self._lock:
            rule.fired -= 1
            if rule.remaining is not None:
                rule.remaining += 1

    def take(self, operation: str | None, *, is_write: bool, sockets: bool) -> Fault | None:
        """The fault this request suffers, if any (consumes it)."""
        with self._lock:
            for rule in self._rules:
                if rule.remaining is not None and rule.remaining <= 0:
                    continue
                if rule.kind in SOCKET_FAULTS and not sockets:
                    continue
                if not rule.applies_to(operation, is_write):
                    continue
                if rule.skip > 0:
                    rule.skip -= 1
                    continue
                if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                    continue
                if rule.remaining is not None:
                    rule.remaining -= 1
                rule.fired += 1
                return rule
        return None


@dataclass(frozen=True)
class FakeRateLimit:
    """UltraCart-like limits: leaky buckets per hour and per day, plus a concurrency cap.

    `per_hour`/`per_day`: requests the bucket holds (it drains continuously at that rate; None =
    no limit). `max_in_flight`: more requests than this being handled at once -> 429 (None = no
    cap). `clock`: seconds, monotonic (tests pass a fake clock).
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
    """Applies a FakeRateLimit; `check()` answers None or the Retry-After seconds of a 429."""

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


@dataclass
class FakeCounters:
    """What the fake did, for assertions.

    `requests`: requests received by operation id ("unknown" when no operation matched).
    `faults`: faults injected by kind. `writes`: writes applied by operation id (a write answered
    with an error is not counted; one whose answer was lost after it was applied is).
    `rate_limited`: requests refused with 429 by the rate limiter (not injected 429s).
    `statuses`: answers by HTTP status (dropped connections have none).
    """

    requests: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    writes: Counter[str] = field(default_factory=Counter)
    rate_limited: int = 0
    statuses: Counter[int] = field(default_factory=Counter)

    def reset(self) -> None:
        self.requests.clear()
        self.faults.clear()
        self.writes.clear()
        self.statuses.clear()
        self.rate_limited = 0


@dataclass
class RecordedRequest:
    """One request as the fake saw it, secrets redacted.

    `headers` has lower-case names; `query` is the decoded (name, value) pairs; `json` the parsed
    body (None when empty or not JSON); `status` None when the connection was dropped instead;
    `fault` the injected fault kind; `applied` True when a write was applied.
    """

    request_id: str
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    json: Any
    operation: str | None
    status: int | None = None
    fault: str | None = None
    applied: bool = False

    def __str__(self) -> str:
        query = "&".join(f"{name}={value}" for name, value in self.query)
        target = f"{self.path}?{query}" if query else self.path
        status = "dropped" if self.status is None else str(self.status)
        extra = f" fault={self.fault}" if self.fault else ""
        extra += " applied" if self.applied else ""
        return (
            f"{self.request_id} {self.method} {target} -> {status}"
            f" [{self.operation or 'unknown'}]{extra}"
        )


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {
        name: REDACTED if name.lower() in SECRET_HEADERS else value
        for name, value in headers.items()
    }


def redact_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: REDACTED if key in SECRET_BODY_KEYS and item is not None else redact_json(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact_json(item) for item in value]
    return value
