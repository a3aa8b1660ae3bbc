"""What the fake saw and did, for assertions: the request log, counters, secrets redacted."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from ultracart_async._constants import REDACTED, SECRET_HEADERS

#: JSON body keys whose values are redacted from the request log.
SECRET_BODY_KEYS: Final = frozenset({"password", "card_number", "card_verification_number_token"})


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
    """One request as the fake saw it, secrets redacted (`FakeUltraCart.requests`).

    `str(record)` is the one-line form `format_requests` prints.

    Attributes:
        request_id: The request id the fake assigned (the `X-UltraCart-Request-Id` of its answer).
        method: The HTTP method.
        path: The request path, without the query.
        query: The decoded query as (name, value) pairs, in order.
        headers: The request headers with lower-case names, credentials redacted.
        json: The parsed JSON body (passwords and card numbers redacted); None when empty or not
            JSON.
        operation: The operation id the request matched; None when none did.
        status: The status answered; None when the connection was dropped instead.
        fault: The injected fault kind it suffered, if any.
        applied: True when it was a write and was applied.
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


class RequestLog:
    """The recent requests (thread-safe, bounded); appending one counts it in `counters`."""

    def __init__(self, size: int, counters: FakeCounters) -> None:
        self._size = size
        self._counters = counters
        self._records: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def append(self, record: RecordedRequest) -> None:
        with self._lock:
            self._records.append(record)
            self._counters.requests[record.operation or "unknown"] += 1
            if len(self._records) > self._size * 2:
                del self._records[: -self._size]

    def recent(self) -> list[RecordedRequest]:
        """The last `size` requests, oldest first."""
        with self._lock:
            return list(self._records[-self._size :])

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
