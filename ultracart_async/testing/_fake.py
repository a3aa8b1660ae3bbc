"""FakeUltraCart, the facade: builds the store, the app and its carriers, and serves them."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import anyio
import anyio.from_thread
import httpx

from ultracart_async._constants import (
    API_VERSION,
    HEADER_API_VERSION,
    HEADER_SIMPLE_KEY,
    PAGE_LIMIT_MAX,
)

from ._app import FakeApp
from ._constants import (
    FAKE_BASE_URL,
    FAKE_BROWSER_KEY,
    FAKE_DEFAULT_RETRY_AFTER,
    FAKE_DRIP_MAX_SECONDS,
    FAKE_DRIP_PIECE_BYTES,
    FAKE_LARGE_BODY_BYTES,
    FAKE_OAUTH_TOKEN,
    FAKE_REST_PREFIX,
    FAKE_SIMPLE_KEY,
)
from ._faults import EchoPlace, Fault, FaultKind, FaultPlan, default_delay
from ._ratelimit import FakeRateLimit, RateLimitSlot
from ._record import FakeCounters, RecordedRequest, RequestLog
from ._seed import Seeder
from ._store import Store
from ._transport import FakeTransport
from ._types import JSON

if TYPE_CHECKING:
    from anyio.abc import TaskStatus

    from ultracart_async._client import CustomerClient

    from ._server import LoopbackServer


class FakeUltraCart:
    """UltraCart's Customer API (all 29 operations) on a seeded in-memory store.

    `FakeUltraCart(customers=10_000, seed=1)` holds the same customers every time (built lazily,
    so 100,000 are cheap). Serve it in-process with `transport()` / `client()`, or over real
    sockets with `serve_in_thread()`. Options:

    - `latency_ms`, `jitter_ms`: added to every request (jitter uniform in [0, jitter_ms], seeded).
    - `rate_limit`: a `FakeRateLimit` (UltraCart-like 429s with Retry-After); None (default) = off.
    - `max_limit`: the `_limit` cap (200, as UltraCart); above it -> 400.
    - `report_total_records`: False makes `result_set.total_records` null, as UltraCart may.
    - `require_api_version`: True (default) answers 400 when `X-UltraCart-Api-Version` is missing
      or not `2017-03-01`; False accepts any.
    - `simple_key`, `oauth_token`, `browser_key`: the credentials it accepts.
    - `request_log_size`: how many recent requests `requests` keeps.
    """

    def __init__(
        self,
        customers: int = 1000,
        *,
        seed: int = 1,
        latency_ms: float = 0.0,
        jitter_ms: float = 0.0,
        rate_limit: FakeRateLimit | None = None,
        max_limit: int = PAGE_LIMIT_MAX,
        report_total_records: bool = True,
        require_api_version: bool = True,
        simple_key: str = FAKE_SIMPLE_KEY,
        oauth_token: str = FAKE_OAUTH_TOKEN,
        browser_key: str = FAKE_BROWSER_KEY,
        base_url: str = FAKE_BASE_URL,
        request_log_size: int = 10_000,
    ) -> None:
        if customers < 0:
            raise ValueError("customers must be >= 0")
        self.seed = seed
        self.latency_ms = latency_ms
        self.jitter_ms = jitter_ms
        self.max_limit = max_limit
        self.report_total_records = report_total_records
        self.require_api_version = require_api_version
        self.simple_key = simple_key
        self.oauth_token = oauth_token
        self.browser_key = browser_key
        self.base_url = base_url.rstrip("/")
        self.store = Store(Seeder(seed=seed, customers=customers))
        self.faults = FaultPlan(seed)
        self.counters = FakeCounters()
        self._rate_limits = RateLimitSlot(rate_limit)
        self._log = RequestLog(request_log_size, self.counters)
        self.app = FakeApp(
            self.store,
            settings=self,  # the attributes above, read on every request
            seed=seed,
            faults=self.faults,
            counters=self.counters,
            rate_limits=self._rate_limits,
            record=self._log.append,
        )

    def __repr__(self) -> str:
        return (
            f"FakeUltraCart(customers={len(self.store.live_oids())}, seed={self.seed}, "
            f"base_url={self.base_url!r})"
        )

    # --- configuration -------------------------------------------------------------------

    @property
    def rate_limit(self) -> FakeRateLimit | None:
        """The active rate limit (assign a FakeRateLimit or None; assigning resets the buckets)."""
        return self._rate_limits.limit

    @rate_limit.setter
    def rate_limit(self, limit: FakeRateLimit | None) -> None:
        self._rate_limits.limit = limit

    def headers(self) -> dict[str, str]:
        """Headers a correct request carries (simple key and API version), for plain httpx use."""
        return {HEADER_SIMPLE_KEY: self.simple_key, HEADER_API_VERSION: API_VERSION}

    # --- faults --------------------------------------------------------------------------

    def inject(
        self,
        kind: FaultKind,
        *,
        operation: str | None = None,
        times: int | None = 1,
        probability: float = 1.0,
        skip: int = 0,
        retry_after: int = FAKE_DEFAULT_RETRY_AFTER,
        delay: float | None = None,
        size_bytes: int | None = FAKE_LARGE_BODY_BYTES,
        piece_bytes: int = FAKE_DRIP_PIECE_BYTES,
        max_seconds: float = FAKE_DRIP_MAX_SECONDS,
        where: EchoPlace = "401_json",
    ) -> Fault:
        """Make coming requests fail; returns the rule (its `remaining`/`fired` are live).

        `operation`: only requests of this operationId (default: any; `commit_then_drop`: any
        write; `offset_ignored`: any paged listing). `times`: how many requests suffer it (None =
        every one). `probability`: chance per matching request, drawn from the fake's seeded
        RNG. `skip`: let this many matching requests through first. `retry_after`: Retry-After
        of `rate_limit`. `delay`: seconds `slow` waits before answering (default 30), or between
        two pieces of a drip (default 0.1).

        Hostile answers: `slow_drip_body` sends the head at once, then the body `piece_bytes` at
        a time, `delay` s apart; `slow_drip_head` trickles the head likewise (per-read timeouts
        never fire; only a deadline ends them). `oversized_body` streams a JSON page of
        `size_bytes` (None: endless). `compressed_bomb` sends a small gzip body that inflates to
        `size_bytes`. A drip or an oversized body stops when the client goes or after
        `max_seconds` (the fake then ends the connection). `key_echo` quotes the request's
        credential back, `where` = "401_json" (error developer_message and UC-REST-ERROR),
        "502_html", "header" (UC-REST-ERROR of a 401 only) or "200_html". `offset_ignored`
        answers a listing's first page whatever `_offset` asks, with `more: true` and a
        `next_offset` advanced past the offset asked for (pass `times=None` for a whole walk).
        """
        if times is not None and times < 1:
            raise ValueError("times must be >= 1 or None")
        if delay is None:
            delay = default_delay(kind)
        return self.faults.add(
            Fault(
                kind=kind,
                operation=operation,
                remaining=times,
                probability=probability,
                skip=skip,
                retry_after=retry_after,
                delay=delay,
                size_bytes=size_bytes,
                piece_bytes=piece_bytes,
                max_seconds=max_seconds,
                where=where,
            )
        )

    def clear_faults(self) -> None:
        """Drop every injected fault rule that has not fired yet."""
        self.faults.clear()

    # --- request log ---------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """The recent requests, oldest first (secrets redacted)."""
        return self._log.recent()

    def clear_requests(self) -> None:
        self._log.clear()

    def format_requests(self, last: int | None = 50) -> str:
        """The request log as text, one request a line (what the pytest plugin prints)."""
        records = self.requests
        if last is not None:
            records = records[-last:]
        return "\n".join(str(record) for record in records) or "(no requests)"

    # --- data access for assertions ------------------------------------------------------

    def customer_oids(self) -> list[int]:
        """Oids of every existing customer, ascending."""
        with self.store.lock:
            return list(self.store.live_oids())

    def get_customer(self, customer_profile_oid: int) -> JSON | None:
        """A deep copy of the full stored customer (every part), or None when absent."""
        with self.store.lock:
            if not self.store.exists(customer_profile_oid):
                return None
            return copy.deepcopy(self.store.get(customer_profile_oid))

    def find_customer_oid(self, email: str) -> int | None:
        with self.store.lock:
            return self.store.find_by_email(email)

    def store_credit(self, customer_profile_oid: int) -> JSON:
        """The CustomerStoreCredit UltraCart would report for this customer."""
        with self.store.lock:
            return self.store.store_credit(customer_profile_oid)

    # --- serving -------------------------------------------------------------------------

    def transport(self) -> httpx.AsyncBaseTransport:
        """An httpx transport running the app in-process (asyncio or trio), faults included."""
        return FakeTransport(self.app)

    def client(self, **kwargs: Any) -> CustomerClient:
        """A `CustomerClient` wired to `transport()`; keyword arguments go to CustomerClient.

        `simple_key` and `base_url` default to the fake's; unless you pass `http_client=` or
        `transport=`, the client owns an httpx client on `transport()` (closed with the client).
        """
        from ultracart_async._client import CustomerClient

        kwargs.setdefault("simple_key", self.simple_key)
        kwargs.setdefault("base_url", self.base_url)
        if "http_client" not in kwargs and "transport" not in kwargs:
            kwargs["transport"] = self.transport()
        return CustomerClient(**kwargs)

    async def serve(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        task_status: TaskStatus[str] = anyio.TASK_STATUS_IGNORED,
    ) -> None:
        """Serve over HTTP/1.1 until cancelled; reports the base URL through `task_status`."""
        server = self._loopback_server(host, port)
        async with anyio.create_task_group() as group:
            bound = await group.start(server.serve)
            task_status.started(f"http://{host}:{bound}{FAKE_REST_PREFIX}")

    @contextmanager
    def serve_in_thread(self, port: int = 0, host: str = "127.0.0.1") -> Iterator[str]:
        """Run the loopback server in a background thread; yields its base URL.

        `port=0` picks a free port. The server stops (and its sockets close) on exit.
        """
        server = self._loopback_server(host, port)
        with anyio.from_thread.start_blocking_portal(name="FakeUltraCart") as portal:
            future, bound = portal.start_task(server.serve)
            try:
                yield f"http://{host}:{bound}{FAKE_REST_PREFIX}"
            finally:
                portal.call(server.shutdown)
                future.result()

    def _loopback_server(self, host: str, port: int) -> LoopbackServer:
        # Imported here: the in-process transport (the CLI's --demo) runs without h11.
        from ._server import LoopbackServer

        return LoopbackServer(self.app, host, port)
