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

    `FakeUltraCart(customers=10_000, seed=1)` holds the same customers every time (built lazily, so
    100,000 are cheap). Serve it in-process with `transport()` / `client()`, or over real sockets
    with `serve_in_thread()` or `serve()`. Make requests fail with `inject()`; assert on `requests`,
    `counters` and the stored data (`get_customer`, `store_credit`, ...). The settings from
    `latency_ms` to `browser_key` below are live: a change applies from the next request on.

    ```python
    fake = FakeUltraCart(customers=1000, seed=1)
    async with fake.client() as client:
        page = await client.get_customers(limit=200)
    ```

    Attributes:
        seed: The seed of the data, request ids, latency jitter and fault probabilities.
        latency_ms: Added to every request, in milliseconds.
        jitter_ms: Extra latency drawn uniformly from [0, jitter_ms] per request (seeded).
        max_limit: The `_limit` cap; above it the answer is 400.
        report_total_records: False answers `result_set.total_records` as null.
        require_api_version: Whether a missing or wrong `X-UltraCart-Api-Version` is a 400.
        simple_key: The simple key it accepts.
        oauth_token: The OAuth token it accepts.
        browser_key: The browser key it accepts (for `search_customer_profile_values`).
        base_url: The base URL `client()` gives its client.
        store: The in-memory store (internal; prefer the assertion helpers).
        faults: The injected fault rules (`inject`, `clear_faults`).
        counters: A `FakeCounters`: requests by operation, faults by kind, writes applied,
            rate-limited requests, answers by status.
        app: The ASGI app (mountable under any ASGI server).
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
        """Create the fake; customers are generated lazily from `seed`.

        Args:
            customers: How many seeded customers the store starts with (default 1,000); >= 0.
            seed: Seed of the data and of everything random (same seed, same customers).
            latency_ms: Added to every request, in milliseconds (default 0).
            jitter_ms: Extra latency per request, uniform in [0, jitter_ms] milliseconds, seeded.
            rate_limit: A `FakeRateLimit` (UltraCart-like 429s with Retry-After); None (default): no
                limit.
            max_limit: The `_limit` cap (default 200, as UltraCart); above it the answer is 400.
            report_total_records: False makes `result_set.total_records` null, as UltraCart may.
            require_api_version: True (default) answers 400 when `X-UltraCart-Api-Version` is
                missing or not `2017-03-01`; False accepts any.
            simple_key: The simple key it accepts (default: a fixed fake key).
            oauth_token: The OAuth token it accepts (default: a fixed fake token).
            browser_key: The browser key it accepts (default: a fixed fake key).
            base_url: The base URL `client()` gives its client (default
                `http://fake-ultracart.test/rest/v2`).
            request_log_size: How many recent requests `requests` keeps (default 10,000).

        Raises:
            ValueError: `customers` is negative.
        """
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
        """Return the headers a correct request carries, for plain httpx use.

        Returns:
            The simple key and `X-UltraCart-Api-Version` headers.
        """
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
        """Make coming requests fail; the rule is matched in insertion order, one fault per request.

        Response faults (`server_error`, `rate_limit`, `html_502`, `empty_502`, `forbidden`,
        `app_disabled`, `malformed_json`, `slow`, `compressed_bomb`, `key_echo`, `offset_ignored`)
        work everywhere; socket faults (`connect_error`, `reset`, `truncated`, `commit_then_drop`,
        `slow_drip_body`, `slow_drip_head`, `oversized_body`) need `transport()` or the loopback
        server. `slow_drip_body` sends the head at once, then the body `piece_bytes` at a time,
        `delay` s apart; `slow_drip_head` trickles the head likewise (per-read timeouts never fire;
        only a deadline ends them). `oversized_body` streams a JSON page of `size_bytes`.
        `compressed_bomb` sends a small gzip body that inflates to `size_bytes`. `key_echo` quotes
        the request's credential back, placed as `where` says. `offset_ignored` answers a listing's
        first page whatever `_offset` asks, with `more: true` and a `next_offset` advanced past the
        offset asked for (pass `times=None` for a whole walk).

        Args:
            kind: The fault kind (`FAULT_KINDS`).
            operation: Only requests of this operation id; None (default): any request
                (`commit_then_drop`: any write; `offset_ignored`: any paged listing).
            times: How many requests suffer it (default 1); None: every matching request.
            probability: Chance per matching request, drawn from the fake's seeded RNG (default 1).
            skip: Let this many matching requests through first (default 0).
            retry_after: The Retry-After seconds of `rate_limit` (default 1).
            delay: Seconds `slow` waits before answering (default 30), or between two pieces of a
                drip (default 0.1).
            size_bytes: Body size of `oversized_body` (None: endless) and inflated size of
                `compressed_bomb` (default 64 MiB).
            piece_bytes: Bytes per piece of a drip (default 1).
            max_seconds: A drip or an oversized body stops when the client goes or after this many
                seconds (default 30); the fake then ends the connection.
            where: Where `key_echo` quotes the credential: `"401_json"` (default; the error's
                developer_message and UC-REST-ERROR), `"502_html"`, `"header"` (UC-REST-ERROR of a
                401 only) or `"200_html"`.

        Returns:
            The `Fault` rule; its `remaining` and `fired` are live.

        Raises:
            ValueError: An unknown kind or `where`, `times` below 1, a probability outside [0, 1],
                or a size, piece, delay or duration out of range.
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
        """The recent requests as `RecordedRequest`s, oldest first, secrets redacted."""
        return self._log.recent()

    def clear_requests(self) -> None:
        """Forget the recorded requests (the counters are kept)."""
        self._log.clear()

    def format_requests(self, last: int | None = 50) -> str:
        """Return the request log as text, one request a line (what the pytest plugin prints).

        Args:
            last: How many of the most recent requests to show (default 50); None: all kept.

        Returns:
            The lines, or `"(no requests)"`.
        """
        records = self.requests
        if last is not None:
            records = records[-last:]
        return "\n".join(str(record) for record in records) or "(no requests)"

    # --- data access for assertions ------------------------------------------------------

    def customer_oids(self) -> list[int]:
        """Return the ids of every existing customer.

        Returns:
            The `customer_profile_oid`s, ascending.
        """
        with self.store.lock:
            return list(self.store.live_oids())

    def get_customer(self, customer_profile_oid: int) -> JSON | None:
        """Return a deep copy of a stored customer, every part included.

        Args:
            customer_profile_oid: The customer's id.

        Returns:
            The customer as JSON data (a dict), or None when it does not exist.
        """
        with self.store.lock:
            if not self.store.exists(customer_profile_oid):
                return None
            return copy.deepcopy(self.store.get(customer_profile_oid))

    def find_customer_oid(self, email: str) -> int | None:
        """Return the id of the customer with this email address.

        Args:
            email: The email address (compared case-insensitively).

        Returns:
            The `customer_profile_oid`, or None when no customer has it.
        """
        with self.store.lock:
            return self.store.find_by_email(email)

    def store_credit(self, customer_profile_oid: int) -> JSON | None:
        """Return the store credit UltraCart would report for a customer.

        Args:
            customer_profile_oid: The customer's id.

        Returns:
            The `CustomerStoreCredit` as JSON data: available, vesting and expiring credit, and the
            ledger; None when there is no such customer (as `get_customer` answers).
        """
        with self.store.lock:  # reentrant: the check and the read see one state
            if self.get_customer(customer_profile_oid) is None:
                return None
            return self.store.store_credit(customer_profile_oid)

    # --- serving -------------------------------------------------------------------------

    def transport(self) -> httpx.AsyncBaseTransport:
        """Return a transport running the fake in-process (asyncio or trio), faults included.

        It serves clients of either HTTP stack, httpx or httpx2. Socket faults become the errors a
        socket gives, of the request's stack (`connect_error`: ConnectError; `reset`: ReadError;
        `commit_then_drop` and `truncated`: RemoteProtocolError).

        Returns:
            A new `FakeTransport`; pass it as `CustomerClient(transport=...)` or to
            `httpx.AsyncClient(transport=...)`.
        """
        return FakeTransport(self.app)

    def client(self, **kwargs: Any) -> CustomerClient:
        """Return a `CustomerClient` wired to the fake.

        `simple_key` and `base_url` default to the fake's; unless you pass `http_client=` or
        `transport=`, the client owns an httpx client on `transport()` (closed with the client).

        Args:
            **kwargs: Any `CustomerClient` argument (`max_retries=`, `rate_limit=`, ...).

        Returns:
            A new `CustomerClient`; use it as `async with fake.client() as client:`.
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
        """Serve the fake over HTTP/1.1 on a real socket until cancelled.

        Run it in a task group: `base_url = await task_group.start(fake.serve)`.

        Args:
            host: The address to listen on (default 127.0.0.1).
            port: The port (default 0: a free one).
            task_status: Receives the base URL (`http://host:port/rest/v2`) once listening.
        """
        server = self._loopback_server(host, port)
        async with anyio.create_task_group() as group:
            bound = await group.start(server.serve)
            task_status.started(f"http://{host}:{bound}{FAKE_REST_PREFIX}")

    @contextmanager
    def serve_in_thread(self, port: int = 0, host: str = "127.0.0.1") -> Iterator[str]:
        """Run the loopback HTTP/1.1 server in a background thread, for the block.

        `with fake.serve_in_thread() as base_url: ...`; the server stops (and its sockets close) on
        exit.

        Args:
            port: The port (default 0: a free one).
            host: The address to listen on (default 127.0.0.1).

        Yields:
            The base URL, `http://host:port/rest/v2`.
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
