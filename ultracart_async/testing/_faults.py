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

from ._constants import (
    FAKE_DEFAULT_RETRY_AFTER,
    FAKE_DRIP_DELAY,
    FAKE_DRIP_MAX_SECONDS,
    FAKE_DRIP_PIECE_BYTES,
    FAKE_LARGE_BODY_BYTES,
    FAKE_SLOW_DELAY,
)
from ._drip import Drip, StreamedBody

FaultKind = Literal[
    "server_error",  # 500 with UltraCart's error body
    "rate_limit",  # 429 with Retry-After: retry_after
    "html_502",  # a proxy's 502 HTML page
    "empty_502",  # 502 with an empty body
    "forbidden",  # 403 permission denied
    "app_disabled",  # 410 application disabled
    "malformed_json",  # processed; 200 whose JSON is cut in half
    "slow",  # processed; answered after `delay` seconds
    "connect_error",  # socket: nothing reaches the API
    "reset",  # socket: processed, then a TCP reset instead of the answer
    "truncated",  # socket: processed, the body cut short
    "commit_then_drop",  # socket: a write applied, the connection closed without an answer
    "slow_drip_body",  # socket: processed; head at once, body `piece_bytes` every `delay` s
    "slow_drip_head",  # socket: processed; the head itself `piece_bytes` every `delay` s
    "oversized_body",  # socket: processed; a JSON page of `size_bytes` (None: endless), streamed
    "compressed_bomb",  # processed; gzip body inflating to `size_bytes` (built once per size)
    "key_echo",  # the request's credential quoted back, placed as `where` says
    "offset_ignored",  # listings: the first page whatever `_offset`, `more: true`, next_offset on
]
FAULT_KINDS: Final[frozenset[str]] = frozenset(get_args(FaultKind))
#: Need a socket (or `fake.transport()`, which maps them to the httpx errors a socket gives, and
#: streams drips and oversized bodies through the response it returns).
SOCKET_FAULTS: Final = frozenset(
    {
        "connect_error",
        "reset",
        "truncated",
        "commit_then_drop",
        "slow_drip_body",
        "slow_drip_head",
        "oversized_body",
    }
)
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
        "key_echo",
    }
)
#: Faults that trickle their answer: `delay` is the pause between two pieces.
DRIP_FAULTS: Final = frozenset({"slow_drip_body", "slow_drip_head"})
#: Where `key_echo` quotes the credential: a 401's JSON developer_message (and UC-REST-ERROR, as
#: UltraCart's error answers carry it), a proxy's 502 HTML page, only the UC-REST-ERROR header
#: of a 401, or a 200 HTML page (a captive portal).
EchoPlace = Literal["401_json", "502_html", "header", "200_html"]
ECHO_PLACES: Final[frozenset[str]] = frozenset(get_args(EchoPlace))
#: Scope extension holding the `SocketFaultOrder` a carrier reads after the app returns.
CHANNEL_KEY: Final = "ultracart_async.fake.channel"


def default_delay(kind: str) -> float:
    """The `delay` of a kind when none is given: a drip's pause, or how long `slow` waits."""
    return FAKE_DRIP_DELAY if kind in DRIP_FAULTS else FAKE_SLOW_DELAY


@dataclass
class Fault:
    """One injected fault rule, as `FakeUltraCart.inject` returns it.

    Attributes:
        kind: The fault kind (`FAULT_KINDS`).
        operation: Only requests of this operation id; None: any (`commit_then_drop`: any write;
            `offset_ignored`: any paged listing).
        remaining: How many more requests will suffer it (counts down); None: unlimited.
        probability: Chance per matching request, from the fake's seeded RNG.
        skip: Matching requests still to let through before it applies (counts down).
        retry_after: The Retry-After seconds of `rate_limit`.
        delay: Seconds `slow` waits, or the pause between two pieces of a drip.
        size_bytes: Body size of `oversized_body` (None: endless), inflated size of
            `compressed_bomb`.
        piece_bytes: Bytes per piece of a drip.
        max_seconds: How long a drip or an oversized body may run before the fake ends the
            connection.
        where: Where `key_echo` quotes the credential.
        fired: How many requests it has failed so far.
    """

    kind: FaultKind
    operation: str | None = None
    remaining: int | None = 1
    probability: float = 1.0
    skip: int = 0
    retry_after: int = FAKE_DEFAULT_RETRY_AFTER
    delay: float = FAKE_SLOW_DELAY
    size_bytes: int | None = FAKE_LARGE_BODY_BYTES
    piece_bytes: int = FAKE_DRIP_PIECE_BYTES
    max_seconds: float = FAKE_DRIP_MAX_SECONDS
    where: EchoPlace = "401_json"
    fired: int = 0

    def applies_to(self, operation: str | None, *, is_write: bool, is_listing: bool) -> bool:
        """Whether a request of `operation` (a write? a paged listing?) may suffer this rule."""
        if self.operation is not None:
            return operation == self.operation
        if self.kind == "commit_then_drop":
            return is_write
        if self.kind == "offset_ignored":
            return is_listing
        return True

    def drip(self) -> Drip:
        """How a drip fault sends its bytes."""
        return Drip(self.delay, self.piece_bytes, self.max_seconds)

    def check(self) -> None:
        """ValueError when the rule's parameters make no sense for its kind."""
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; known: {sorted(FAULT_KINDS)}")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        if self.delay < 0:
            raise ValueError("delay must be >= 0")
        if self.piece_bytes < 1:
            raise ValueError("piece_bytes must be >= 1")
        if not self.max_seconds > 0:
            raise ValueError("max_seconds must be > 0")
        if self.size_bytes is not None and self.size_bytes < 1:
            raise ValueError("size_bytes must be >= 1 (or None: endless, oversized_body only)")
        if self.size_bytes is None and self.kind == "compressed_bomb":
            raise ValueError("size_bytes of compressed_bomb must be a number of bytes")
        if self.where not in ECHO_PLACES:
            raise ValueError(f"unknown where {self.where!r}; known: {sorted(ECHO_PLACES)}")


class FaultPlan:
    """The injected fault rules, matched in insertion order; one fault per request at most."""

    def __init__(self, seed: int) -> None:
        self._rules: list[Fault] = []
        self._rng = random.Random(seed ^ 0x5EED_FA17)
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        fault.check()
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

    def take(
        self, operation: str | None, *, is_write: bool, is_listing: bool, sockets: bool
    ) -> Fault | None:
        """The fault this request suffers, if any (consumes it).

        `is_write`, `is_listing`: what the operation is (some kinds target only those).
        `sockets`: whether a carrier can carry out socket faults.
        """
        with self._lock:
            for rule in self._rules:
                if rule.remaining is not None and rule.remaining <= 0:
                    continue
                if rule.kind in SOCKET_FAULTS and not sockets:
                    continue
                if not rule.applies_to(operation, is_write=is_write, is_listing=is_listing):
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
