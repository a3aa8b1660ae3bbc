"""The ASGI application of FakeUltraCart: routing, auth, version header, errors, faults, latency.

It is a raw ASGI callable (no web framework). Socket-level faults are signalled to the carrier
(`fake.transport()` or the loopback server) through the scope extension `CHANNEL_KEY`; under any
other ASGI server those faults never fire.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl, unquote

import anyio
import orjson

from ultracart_async._constants import (
    API_VERSION,
    HEADER_API_VERSION,
    HEADER_BROWSER_KEY,
    HEADER_REQUEST_ID,
    HEADER_REST_ERROR,
    HEADER_RETRY_AFTER,
    HEADER_SIMPLE_KEY,
    PAGE_LIMIT_DEFAULT,
)

from ._constants import FAKE_REST_PREFIX
from ._dates import parse_dts
from ._errors import ApiError, bad_request
from ._faults import BEFORE_PROCESSING, Fault, RecordedRequest, redact_headers, redact_json
from ._filters import Filters
from ._lookups import lookup, quickbooks_customers
from ._merchant import editor_values
from ._shape import parse_expand
from ._sorting import parse_sort
from ._types import JSON

if TYPE_CHECKING:
    from ._fake import FakeUltraCart

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: Scope extension through which the app tells its carrier about socket-level faults.
CHANNEL_KEY: Final = "ultracart_async.fake.channel"
MORE_INFO: Final = "https://www.ultracart.com/api/#topic_rest_errors"
HTML_502: Final = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
BROWSER_KEY_OPERATIONS: Final = frozenset({"search_customer_profile_values"})
#: Operations that change state (counted in `counters.writes`; `commit_then_drop` targets them).
WRITE_OPERATIONS: Final = frozenset(
    {
        "insert_customer",
        "update_customer",
        "delete_customer",
        "merge_customer",
        "add_customer_store_credit",
        "adjust_internal_certificate",
        "adjust_loyalty_points",
        "update_customer_email_lists",
        "update_customer_email_suppression",
        "insert_wish_list_item",
        "update_wish_list_item",
        "delete_wish_list_item",
        "get_email_verification_token",
        "validate_email_verification_token",
        "get_magic_link",
    }
)
_OID = "{customer_profile_oid}"
_ITEM = "{customer_wishlist_item_oid}"
#: (method, path template under /rest/v2, operationId); literal paths before templated ones.
ROUTES: Final = (
    ("GET", "/customer/customers", "get_customers"),
    ("POST", "/customer/customers", "insert_customer"),
    ("POST", "/customer/customers/dataTables", "get_customers_for_data_tables"),
    ("POST", "/customer/customers/email_verify/get_token", "get_email_verification_token"),
    (
        "POST",
        "/customer/customers/email_verify/validate_token",
        "validate_email_verification_token",
    ),
    ("POST", "/customer/customers/query", "get_customers_by_query"),
    ("GET", "/customer/customers/search", "search_customers"),
    ("GET", "/customer/customers/by_email/{email}", "get_customer_by_email"),
    ("GET", "/customer/editor_values", "get_customer_editor_values"),
    ("GET", "/customer/email_lists", "get_customer_email_lists"),
    ("GET", "/customer/quickbooks_online/customers", "get_quick_books_online_customers"),
    ("POST", "/customer/search", "search_customer_profile_values"),
    ("DELETE", f"/customer/customers/{_OID}", "delete_customer"),
    ("GET", f"/customer/customers/{_OID}", "get_customer"),
    ("PUT", f"/customer/customers/{_OID}", "update_customer"),
    ("POST", f"/customer/customers/{_OID}/adjust_cashback_balance", "adjust_internal_certificate"),
    ("POST", f"/customer/customers/{_OID}/adjust_loyalty_points", "adjust_loyalty_points"),
    ("POST", f"/customer/customers/{_OID}/email_lists", "update_customer_email_lists"),
    ("POST", f"/customer/customers/{_OID}/email_suppression", "update_customer_email_suppression"),
    ("GET", f"/customer/customers/{_OID}/loyalty", "get_customer_loyalty"),
    ("PUT", f"/customer/customers/{_OID}/magic_link/{{storefront_host_name}}", "get_magic_link"),
    ("PUT", f"/customer/customers/{_OID}/merge", "merge_customer"),
    ("POST", f"/customer/customers/{_OID}/store_credit", "add_customer_store_credit"),
    ("GET", f"/customer/customers/{_OID}/store_credit", "get_customer_store_credit"),
    ("GET", f"/customer/customers/{_OID}/wishlist", "get_customer_wish_list"),
    ("POST", f"/customer/customers/{_OID}/wishlist", "insert_wish_list_item"),
    ("DELETE", f"/customer/customers/{_OID}/wishlist/{_ITEM}", "delete_wish_list_item"),
    ("GET", f"/customer/customers/{_OID}/wishlist/{_ITEM}", "get_customer_wish_list_item"),
    ("PUT", f"/customer/customers/{_OID}/wishlist/{_ITEM}", "update_wish_list_item"),
)
#: Every operationId the fake serves (29, as in the spec).
OPERATIONS: Final = tuple(sorted(operation for _, _, operation in ROUTES))
_TEMPLATES: Final = [
    (method, tuple(template.strip("/").split("/")), operation)
    for method, template, operation in ROUTES
]
_REASONS: Final = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


def reason_phrase(status: int) -> str:
    return _REASONS.get(status, "Unknown")


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


@dataclass
class Request:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    operation: str | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    method_mismatch: bool = False

    def param(self, name: str) -> str | None:
        value = None
        for key, item in self.query:
            if key == name:
                value = item
        return value

    def params(self) -> dict[str, str]:
        return dict(self.query)


def route(method: str, path: str) -> tuple[str | None, dict[str, str], bool]:
    """(operationId, path parameters, method_mismatch) for a raw path under /rest/v2."""
    if not path.startswith(FAKE_REST_PREFIX + "/"):
        return None, {}, False
    segments = [unquote(part) for part in path[len(FAKE_REST_PREFIX) :].strip("/").split("/")]
    mismatch = False
    for template_method, template, operation in _TEMPLATES:
        if len(template) != len(segments):
            continue
        params: dict[str, str] = {}
        for expected, actual in zip(template, segments, strict=True):
            if expected.startswith("{"):
                if not actual:
                    break
                params[expected[1:-1]] = actual
            elif expected != actual:
                break
        else:
            if template_method == method:
                return operation, params, False
            mismatch = True
    return None, {}, mismatch


def _header_safe(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii").replace("\r", " ").replace("\n", " ")


class FakeApp:
    """ASGI callable serving the Customer API of one FakeUltraCart."""

    def __init__(self, fake: FakeUltraCart) -> None:
        self.fake = fake
        self._rng = random.Random(fake.seed ^ 0x1A7E)
        self._lock = threading.Lock()
        self._request_serial = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        raw_path = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else scope["path"]
        path = path.split("?", 1)[0]
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope.get("headers", [])
        }
        request = Request(scope["method"].upper(), path, query, headers, b"".join(chunks))
        channel = scope.get("extensions", {}).get(CHANNEL_KEY)
        response = await self.handle(request, channel)
        if response is None:
            return
        await send(
            {
                "type": "http.response.start",
                "status": response.status,
                "headers": [
                    (name.encode("latin-1"), value.encode("latin-1"))
                    for name, value in response.headers
                ],
            }
        )
        await send({"type": "http.response.body", "body": response.body, "more_body": False})

    def _next_request_id(self) -> str:
        with self._lock:
            self._request_serial += 1
            serial = self._request_serial
        digest = hashlib.sha256(f"{self.fake.seed}:{serial}".encode()).hexdigest()
        return digest[:32].upper()

    async def handle(
        self, request: Request, channel: MutableMapping[str, Any] | None
    ) -> Response | None:
        """Answer one request; None when a socket-level fault drops the answer (see channel)."""
        fake = self.fake
        request_id = self._next_request_id()
        operation, path_params, mismatch = route(request.method, request.path)
        request.operation = operation
        request.path_params = path_params
        request.method_mismatch = mismatch
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
            operation=operation,
        )
        fake._record(record)
        is_write = operation in WRITE_OPERATIONS
        fault = fake.faults.take(operation, is_write=is_write, sockets=channel is not None)
        if fault is not None:
            record.fault = fault.kind
            fake.counters.faults[fault.kind] += 1
        if fault is not None and fault.kind == "connect_error":
            assert channel is not None
            channel["fault"] = "connect_error"
            return None
        limiter = fake._limiter
        if limiter is not None:
            retry_after = limiter.admit()
            if retry_after is not None:
                if fault is not None:  # refused before it could suffer the fault: keep it pending
                    fake.faults.give_back(fault)
                    fake.counters.faults[fault.kind] -= 1
                    if fake.counters.faults[fault.kind] <= 0:
                        del fake.counters.faults[fault.kind]
                    record.fault = None
                fake.counters.rate_limited += 1
                response = self._error(
                    429,
                    "Rate limit exceeded: too many requests. Slow down and retry later.",
                    request_id,
                    error_code="rate_limit_exceeded",
                    extra_headers=[(HEADER_RETRY_AFTER, str(retry_after))],
                )
                return self._finish(record, response)
        try:
            return await self._handle_admitted(request, record, request_id, fault, channel)
        finally:
            if limiter is not None:
                limiter.release()

    async def _handle_admitted(
        self,
        request: Request,
        record: RecordedRequest,
        request_id: str,
        fault: Fault | None,
        channel: MutableMapping[str, Any] | None,
    ) -> Response | None:
        fake = self.fake
        delay = fake.latency_ms / 1000
        if fake.jitter_ms:
            with self._lock:
                delay += self._rng.uniform(0, fake.jitter_ms) / 1000
        if delay > 0:
            await anyio.sleep(delay)
        if fault is not None and fault.kind in BEFORE_PROCESSING:
            return self._finish(record, self._fault_response(fault, request_id))
        response = self._process(request, record, request_id)
        if fault is None:
            return self._finish(record, response)
        if fault.kind == "slow":
            await anyio.sleep(fault.delay)
            return self._finish(record, response)
        if fault.kind == "malformed_json":
            response.body = response.body[: max(1, len(response.body) // 2)]
            _set_header(response, "Content-Length", str(len(response.body)))
            return self._finish(record, response)
        assert channel is not None
        channel["fault"] = fault.kind
        if fault.kind == "truncated":
            channel["truncate_at"] = len(response.body) // 2
            record.status = response.status
            fake.counters.statuses[response.status] += 1
            return response
        return None  # reset / commit_then_drop: processed, answer lost

    def _finish(self, record: RecordedRequest, response: Response) -> Response:
        record.status = response.status
        self.fake.counters.statuses[response.status] += 1
        return response

    def _fault_response(self, fault: Fault, request_id: str) -> Response:
        if fault.kind == "server_error":
            return self._error(
                500, "An internal error occurred. Please retry.", request_id, error_code="internal"
            )
        if fault.kind == "rate_limit":
            return self._error(
                429,
                "Rate limit exceeded: too many requests. Slow down and retry later.",
                request_id,
                error_code="rate_limit_exceeded",
                extra_headers=[(HEADER_RETRY_AFTER, str(fault.retry_after))],
            )
        if fault.kind == "forbidden":
            return self._error(
                403,
                "Permission denied: the API key lacks the customer read permission.",
                request_id,
                error_code="permission_denied",
            )
        if fault.kind == "app_disabled":
            return self._error(
                410,
                "The authorized application has been disabled.",
                request_id,
                error_code="application_disabled",
            )
        if fault.kind == "html_502":
            return Response(
                502,
                [
                    ("Content-Type", "text/html"),
                    ("Content-Length", str(len(HTML_502))),
                    ("Connection", "close"),
                ],
                HTML_502,
            )
        assert fault.kind == "empty_502"
        return Response(502, [("Content-Length", "0"), ("Connection", "close")], b"")

    def _error(
        self,
        status: int,
        message: str,
        request_id: str,
        *,
        error_code: str | None = None,
        object_id: str | None = None,
        extra_headers: list[tuple[str, str]] | None = None,
    ) -> Response:
        error: JSON = {
            "developer_message": message,
            "user_message": message,
            "more_info": MORE_INFO,
        }
        if error_code is not None:
            error["error_code"] = error_code
        if object_id is not None:
            error["object_id"] = object_id
        body = orjson.dumps({"error": error, "metadata": {}, "success": False})
        headers = [
            ("Content-Type", "application/json; charset=UTF-8"),
            ("Content-Length", str(len(body))),
            (HEADER_REQUEST_ID, request_id),
            (HEADER_REST_ERROR, _header_safe(message)),
            ("Connection", "close"),
            *(extra_headers or []),
        ]
        return Response(status, headers, body)

    def _json_bytes(self, body: bytes, request_id: str, status: int = 200) -> Response:
        return Response(
            status,
            [
                ("Content-Type", "application/json; charset=UTF-8"),
                ("Content-Length", str(len(body))),
                (HEADER_REQUEST_ID, request_id),
            ],
            body,
        )

    def _no_content(self, request_id: str) -> Response:
        return Response(204, [(HEADER_REQUEST_ID, request_id)], b"")

    def _auth_error(self, request: Request) -> str | None:
        fake = self.fake
        headers = request.headers
        simple = headers.get(HEADER_SIMPLE_KEY.lower())
        authorization = headers.get("authorization")
        browser = headers.get(HEADER_BROWSER_KEY.lower())
        if simple is not None:
            if hmac.compare_digest(simple.encode(), fake.simple_key.encode()):
                return None
            return "Invalid simple key."
        if authorization is not None:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() == "bearer" and hmac.compare_digest(
                token.strip().encode(), fake.oauth_token.encode()
            ):
                return None
            return "Invalid OAuth bearer token."
        if browser is not None:
            if request.operation not in BROWSER_KEY_OPERATIONS:
                return "A browser key is not permitted for this operation."
            if hmac.compare_digest(browser.encode(), fake.browser_key.encode()):
                return None
            return "Invalid browser key."
        return "Missing credentials: send x-ultracart-simple-key or Authorization: Bearer."

    def _process(self, request: Request, record: RecordedRequest, request_id: str) -> Response:
        fake = self.fake
        if request.operation is None:
            if request.method_mismatch:
                return self._error(405, "Method not allowed.", request_id)
            return self._error(404, f"No such resource: {request.path}", request_id)
        auth_error = self._auth_error(request)
        if auth_error is not None:
            return self._error(401, auth_error, request_id, error_code="unauthorized")
        if fake.require_api_version:
            version = request.headers.get(HEADER_API_VERSION.lower())
            if version is None:
                return self._error(
                    400,
                    f"Missing required header {HEADER_API_VERSION} (send {API_VERSION}).",
                    request_id,
                    error_code="missing_api_version",
                )
            if version.strip() != API_VERSION:
                return self._error(
                    400,
                    f"Unsupported {HEADER_API_VERSION} {version!r} (send {API_VERSION}).",
                    request_id,
                    error_code="unsupported_api_version",
                )
        handler = getattr(self, f"_op_{request.operation}")
        try:
            with fake.store.lock:  # serialize inside: payloads share the store's objects
                result = handler(request)
                body = None if result is None else orjson.dumps(result)
        except ApiError as error:
            return self._error(error.status, error.message, request_id, error_code=error.error_code)
        if request.operation in WRITE_OPERATIONS:
            record.applied = True
            fake.counters.writes[request.operation] += 1
        if body is None:
            return self._no_content(request_id)
        return self._json_bytes(body, request_id)

    # --- helpers -------------------------------------------------------------------------

    def _oid(self, request: Request, name: str = "customer_profile_oid") -> int:
        raw = request.path_params[name]
        if not raw.isdigit():
            raise bad_request(f"{name} must be an integer, got {raw!r}")
        return int(raw)

    def _body(self, request: Request, *, required: bool = True) -> JSON:
        if not request.body.strip():
            if required:
                raise bad_request("A JSON request body is required.")
            return {}
        try:
            body = orjson.loads(request.body)
        except orjson.JSONDecodeError:
            raise bad_request("The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object.")
        return body

    def _expand(self, request: Request) -> list[str]:
        return parse_expand(request.param("_expand"))

    def _customer_payload(self, oid: int, request: Request) -> JSON:
        customer = self.fake.store.customers.shaped_json(oid, frozenset(self._expand(request)))
        return {"customer": customer, "metadata": {}, "success": True}

    def _page(self, request: Request, filters: Filters) -> JSON:
        limit = _int_param(request, "_limit", PAGE_LIMIT_DEFAULT)
        offset = _int_param(request, "_offset", 0)
        if limit > self.fake.max_limit:
            raise bad_request(
                f"Limit cannot be greater than {self.fake.max_limit}.", "limit_too_large"
            )
        if limit < 1:
            raise bad_request("_limit must be at least 1.")
        if offset < 0:
            raise bad_request("_offset cannot be negative.")
        sort = parse_sort(request.param("_sort"))
        since_raw = request.param("_since")
        since = None
        if since_raw:
            try:
                since = parse_dts(since_raw)
            except ValueError:
                raise bad_request(f"Invalid _since date {since_raw!r} (ISO-8601).") from None
        store = self.fake.store
        oids = store.query(filters, since=since, sort=sort)
        page = oids[offset : offset + limit]
        expand = frozenset(self._expand(request))
        customers = [store.customers.shaped_json(oid, expand) for oid in page]
        more = offset + len(page) < len(oids)
        result_set: JSON = {
            "count": len(page),
            "limit": limit,
            "more": more,
            "next_offset": offset + len(page) if more else 0,
            "offset": offset,
            "total_records": len(oids) if self.fake.report_total_records else None,
        }
        return {
            "customers": customers,
            "metadata": {"payload_name": "customers", "result_set": result_set},
            "success": True,
        }

    # --- operations (one per operationId) ------------------------------------------------

    def _op_get_customers(self, request: Request) -> JSON:
        return self._page(request, Filters.from_params(request.params()))

    def _op_get_customers_by_query(self, request: Request) -> JSON:
        return self._page(request, Filters.from_params(self._body(request)))

    def _op_search_customers(self, request: Request) -> JSON:
        return self._page(request, Filters.from_params(request.params(), search=True))

    def _op_get_customers_for_data_tables(self, request: Request) -> JSON:
        params = request.params()
        if request.body.strip():
            content_type = request.headers.get("content-type", "")
            if "json" in content_type:
                params.update({k: str(v) for k, v in self._body(request).items()})
            else:
                params.update(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
        draw = _int_value(params, "draw", 0)
        start = _int_value(params, "start", 0)
        length = _int_value(params, "length", 10)
        if start < 0 or not 1 <= length <= self.fake.max_limit:
            raise bad_request("start must be >= 0 and length between 1 and the page limit.")
        store = self.fake.store
        everything = store.live_oids()
        search = params.get("search[value]") or ""
        filters = Filters.from_params({"search_string": search}, search=True)
        matched = store.query(filters, since=None, sort=[]) if search else everything
        expand = frozenset(self._expand(request))
        return {
            "data": [
                store.customers.shaped_json(oid, expand) for oid in matched[start : start + length]
            ],
            "draw": draw,
            "recordsFiltered": len(matched),
            "recordsTotal": len(everything),
        }

    def _op_get_customer(self, request: Request) -> JSON:
        return self._customer_payload(self._oid(request), request)

    def _op_get_customer_by_email(self, request: Request) -> JSON:
        email = request.path_params["email"]
        oid = self.fake.store.find_by_email(email)
        if oid is None:
            raise bad_request(f"No customer profile with email {email}.", "not_found")
        return self._customer_payload(oid, request)

    def _op_insert_customer(self, request: Request) -> JSON:
        oid = self.fake.store.customers.insert(self._body(request))
        return self._customer_payload(oid, request)

    def _op_update_customer(self, request: Request) -> JSON:
        oid = self._oid(request)
        self.fake.store.customers.update(oid, self._body(request), self._expand(request))
        return self._customer_payload(oid, request)

    def _op_delete_customer(self, request: Request) -> None:
        self.fake.store.delete_customer(self._oid(request))

    def _op_merge_customer(self, request: Request) -> None:
        self.fake.store.merge_customer(self._oid(request), self._body(request))

    def _op_get_customer_store_credit(self, request: Request) -> JSON:
        credit = self.fake.store.store_credit(self._oid(request))
        return {"customer_store_credit": credit, "metadata": {}, "success": True}

    def _op_add_customer_store_credit(self, request: Request) -> JSON:
        self.fake.store.ledgers.add_store_credit(self._oid(request), self._body(request))
        return {"metadata": {}, "success": True}

    def _op_adjust_internal_certificate(self, request: Request) -> JSON:
        result = self.fake.store.ledgers.adjust_cashback(self._oid(request), self._body(request))
        return {**result, "metadata": {}, "success": True}

    def _op_adjust_loyalty_points(self, request: Request) -> JSON:
        result = self.fake.store.ledgers.adjust_loyalty(self._oid(request), self._body(request))
        return {**result, "metadata": {}, "success": True}

    def _op_get_customer_loyalty(self, request: Request) -> JSON:
        loyalty = self.fake.store.get(self._oid(request)).get("loyalty") or {}
        return {"customer_loyalty": dict(loyalty), "metadata": {}, "success": True}

    def _op_get_customer_email_lists(self, request: Request) -> JSON:
        return {"lists": self.fake.store.email_lists.email_lists(), "metadata": {}, "success": True}

    def _op_update_customer_email_lists(self, request: Request) -> JSON:
        return self.fake.store.email_lists.update_lists(self._oid(request), self._body(request))

    def _op_update_customer_email_suppression(self, request: Request) -> JSON:
        result = self.fake.store.email_lists.update_suppression(
            self._oid(request), self._body(request)
        )
        return {"email_suppression": result, "metadata": {}, "success": True}

    def _op_get_email_verification_token(self, request: Request) -> JSON:
        token = self.fake.store.tokens.email_verification_token(self._body(request))
        return {"token": token, "metadata": {}, "success": True}

    def _op_validate_email_verification_token(self, request: Request) -> JSON:
        self.fake.store.tokens.validate_email_verification_token(self._body(request))
        return {"metadata": {}, "success": True}

    def _op_get_magic_link(self, request: Request) -> JSON:
        url = self.fake.store.tokens.magic_link(
            self._oid(request), request.path_params["storefront_host_name"]
        )
        return {"url": url, "metadata": {}, "success": True}

    def _op_get_customer_wish_list(self, request: Request) -> JSON:
        items = [dict(item) for item in self.fake.store.wishlists.items(self._oid(request))]
        return {"wishlist_items": items, "metadata": {}, "success": True}

    def _op_get_customer_wish_list_item(self, request: Request) -> JSON:
        item = self.fake.store.wishlists.item(
            self._oid(request), self._oid(request, "customer_wishlist_item_oid")
        )
        return {"wishlist_item": dict(item), "metadata": {}, "success": True}

    def _op_insert_wish_list_item(self, request: Request) -> JSON:
        return dict(self.fake.store.wishlists.insert(self._oid(request), self._body(request)))

    def _op_update_wish_list_item(self, request: Request) -> JSON:
        item = self.fake.store.wishlists.update(
            self._oid(request),
            self._oid(request, "customer_wishlist_item_oid"),
            self._body(request),
        )
        return dict(item)

    def _op_delete_wish_list_item(self, request: Request) -> None:
        self.fake.store.wishlists.delete(
            self._oid(request), self._oid(request, "customer_wishlist_item_oid")
        )

    def _op_get_customer_editor_values(self, request: Request) -> JSON:
        return editor_values()

    def _op_get_quick_books_online_customers(self, request: Request) -> JSON:
        customers = quickbooks_customers(self.fake.store.customers, request.param("q"))
        return {"quickbooks_online_customers": customers, "metadata": {}, "success": True}

    def _op_search_customer_profile_values(self, request: Request) -> JSON:
        values = lookup(self.fake.store.customers, self._body(request))
        return {"values": values, "metadata": {}, "success": True}


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.param(name)
    if raw is None or raw == "":
        return default
    return _int_value({name: raw}, name, default)


def _int_value(params: dict[str, str], name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f"{name} must be an integer, got {raw!r}.") from None


def _set_header(response: Response, name: str, value: str) -> None:
    response.headers = [(k, v) for k, v in response.headers if k.lower() != name.lower()]
    response.headers.append((name, value))
