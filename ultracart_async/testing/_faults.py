"""Fault injection: the fault kinds, injected rules, and which rule a request suffers.

Response faults are answered by the app itself. Socket faults need a carrier (the in-process
transport or the loopback server): the app asks for them through a `SocketFaultOrder` it finds in
the ASGI scope under `CHANNEL_KEY`, and the carrier carries them out on the connection.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Final, Literal, get_args

from ._constants import FAKE_DEFAULT_RETRY_AFTER, FAKE_SLOW_DELAY
from ._drip import Drip, StreamedBody

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
#: Scope extension holding the `SocketFaultOrder` a carrier reads after the app returns.
CHANNEL_KEY: Final = "ultracart_async.fake.channel"


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


@dataclass
class SocketFaultOrder:
    """What the app asks its carrier to do to the connection instead of a normal answer.

    `kind`: None (answer normally), `connect_error` and `reset` (reset the connection),
    `commit_then_drop` (close it without answering), `truncated` (send the answer up to byte
    `truncate_at` of its body, then close). `head_drip`: send the head piece by piece.
    `body`: send this body instead of the app's (`body.length` None: without a length);
    `body_drip`: send the body piece by piece. A drip past its `max_seconds`, or an answer whose
    client went away, ends the connection.
    """

    kind: FaultKind | None = None
    truncate_at: int | None = None
    head_drip: Drip | None = None
    body: StreamedBody | None = None
    body_drip: Drip | None = None
