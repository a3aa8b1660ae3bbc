"""The ASGI application of the fake: one request's way from routing to answer.

For each request: route it, log it, pick the fault it suffers, apply the rate limit, wait the
latency, check credentials and version, run the operation's handler under the store's lock, and
answer (or, for socket faults, tell the carrier through the scope's `SocketFaultOrder`). Under an
ASGI server that puts no `SocketFaultOrder` in the scope, socket faults never fire.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import anyio
import orjson

from ._auth import check_api_version, credential_error
from ._errors import ApiError
from ._faults import BEFORE_PROCESSING, CHANNEL_KEY, Fault, FaultPlan, SocketFaultOrder
from ._handlers import Handlers
from ._late_faults import forget_offset, late_fault_answer
from ._ratelimit import RateLimitSlot
from ._record import FakeCounters, RecordedRequest, redact_headers, redact_json
from ._request import Request
from ._responses import (
    Response,
    error_response,
    fault_response,
    json_response,
    no_content,
    rate_limited,
)
from ._routes import LISTING_OPERATIONS, WRITE_OPERATIONS, route
from ._settings import FakeSettings
from ._store import Store
from ._types import Message, Receive, Scope, Send


class FakeApp:
    """ASGI callable serving the Customer API over one store.

    Its collaborators: `settings` (read on every request), `faults` (the injected rules),
    `rate_limits` (the limiter in force), `counters`, and `record`, called with each request as
    it arrives. `seed` makes request ids and latency jitter reproducible.
    """

    def __init__(
        self,
        store: Store,
        *,
        settings: FakeSettings,
        seed: int,
        faults: FaultPlan,
        counters: FakeCounters,
        rate_limits: RateLimitSlot,
        record: Callable[[RecordedRequest], None],
    ) -> None:
        self.store = store
        self.settings = settings
        self.faults = faults
        self.counters = counters
        self.rate_limits = rate_limits
        self.record = record
        self.handlers = Handlers(store, settings)
        self._seed = seed
        self._rng = random.Random(seed ^ 0x1A7E)
        self._lock = threading.Lock()
        self._request_serial = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        body = await _read_body(receive)
        if body is None:
            return
        channel = scope.get("extensions", {}).get(CHANNEL_KEY)
        order = channel if isinstance(channel, SocketFaultOrder) else None
        response = await self.handle(_request_of(scope, body), order)
        if response is not None:
            await _send_response(send, response)

    async def handle(self, request: Request, channel: SocketFaultOrder | None) -> Response | None:
        """Answer one request; None when a socket-level fault drops the answer (see channel)."""
        request_id = self._next_request_id()
        matched = route(request.method, request.path)
        request.operation = matched.operation
        request.path_params = matched.path_params
        request.method_mismatch = matched.method_mismatch
        record = self._record_request(request, request_id)
        fault = self._take_fault(record, sockets=channel is not None)
        if fault is not None and fault.kind == "connect_error":
            assert channel is not None
            channel.kind = "connect_error"
            return None
        limiter = self.rate_limits.limiter
        if limiter is not None:
            retry_after = limiter.admit()
            if retry_after is not None:
                self._refuse(record, fault)
                return self._finish(record, rate_limited(request_id, retry_after))
        try:
            return await self._handle_admitted(request, record, fault, channel)
        finally:
            if limiter is not None:
                limiter.release()

    def _next_request_id(self) -> str:
        with self._lock:
            self._request_serial += 1
            serial = self._request_serial
        digest = hashlib.sha256(f"{self._seed}:{serial}".encode()).hexdigest()
        return digest[:32].upper()

    def _record_request(self, request: Request, request_id: str) -> RecordedRequest:
        try:
            body_json: Any = orjson.loads(request.body) if request.body else None
        except orjson.JSONDecodeError:
            body_json = None
        record = RecordedRequest(
            request_id=request_id,
            method=request.method,
            path=request.path,
            query=list(request.query),
            headers=redact_headers(request.headers),
            json=redact_json(body_json),
            operation=request.operation,
        )
        self.record(record)
        return record

    def _take_fault(self, record: RecordedRequest, *, sockets: bool) -> Fault | None:
        operation = record.operation
        fault = self.faults.take(
            operation,
            is_write=operation in WRITE_OPERATIONS,
            is_listing=operation in LISTING_OPERATIONS,
            sockets=sockets,
        )
        if fault is not None:
            record.fault = fault.kind
            self.counters.faults[fault.kind] += 1
        return fault

    def _refuse(self, record: RecordedRequest, fault: Fault | None) -> None:
        """Count a rate-limited request; its fault stays pending (it never got that far)."""
        if fault is not None:
            self.faults.give_back(fault)
            self.counters.faults[fault.kind] -= 1
            if self.counters.faults[fault.kind] <= 0:
                del self.counters.faults[fault.kind]
            record.fault = None
        self.counters.rate_limited += 1

    async def _handle_admitted(
        self,
        request: Request,
        record: RecordedRequest,
        fault: Fault | None,
        channel: SocketFaultOrder | None,
    ) -> Response | None:
        await self._wait_latency()
        if fault is not None and fault.kind in BEFORE_PROCESSING:
            return self._finish(record, fault_response(fault, request, record.request_id))
        asked_offset = 0
        if fault is not None and fault.kind == "offset_ignored":
            asked_offset = forget_offset(request)
        response = self._process(request, record)
        if fault is None:
            return self._finish(record, response)
        answer = await late_fault_answer(response, fault, channel, asked_offset=asked_offset)
        return None if answer is None else self._finish(record, answer)

    async def _wait_latency(self) -> None:
        delay = self.settings.latency_ms / 1000
        if self.settings.jitter_ms:
            with self._lock:
                delay += self._rng.uniform(0, self.settings.jitter_ms) / 1000
        if delay > 0:
            await anyio.sleep(delay)

    def _finish(self, record: RecordedRequest, response: Response) -> Response:
        record.status = response.status
        self.counters.statuses[response.status] += 1
        return response

    def _process(self, request: Request, record: RecordedRequest) -> Response:
        """Check the request and run its operation: the answer, errors included."""
        request_id = record.request_id
        operation = request.operation
        if operation is None:
            if request.method_mismatch:
                return error_response(405, "Method not allowed.", request_id)
            return error_response(404, f"No such resource: {request.path}", request_id)
        auth_error = credential_error(request, self.settings)
        if auth_error is not None:
            return error_response(401, auth_error, request_id, error_code="unauthorized")
        try:
            if self.settings.require_api_version:
                check_api_version(request)
            handler = self.handlers.for_operation(operation)
            with self.store.lock:  # serialize inside: payloads share the store's objects
                result = handler(request)
                body = None if result is None else orjson.dumps(result)
        except ApiError as error:
            return error_response(
                error.status, error.message, request_id, error_code=error.error_code
            )
        if operation in WRITE_OPERATIONS:
            record.applied = True
            self.counters.writes[operation] += 1
        return no_content(request_id) if body is None else json_response(body, request_id)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body; None when the client disconnected first."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _request_of(scope: Scope, body: bytes) -> Request:
    raw_path = scope.get("raw_path")
    path = raw_path.decode("latin-1") if raw_path else scope["path"]
    path = path.split("?", 1)[0]
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    headers = {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in scope.get("headers", [])
    }
    return Request(scope["method"].upper(), path, query, headers, body)


async def _send_response(send: Send, response: Response) -> None:
    start: Message = {
        "type": "http.response.start",
        "status": response.status,
        "headers": [
            (name.encode("latin-1"), value.encode("latin-1")) for name, value in response.headers
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": response.body, "more_body": False})
