"""The answers the app gives: JSON payloads, UltraCart's error body, and faulty answers."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import quote

import orjson

from ultracart_async._constants import (
    HEADER_BROWSER_KEY,
    HEADER_REQUEST_ID,
    HEADER_REST_ERROR,
    HEADER_RETRY_AFTER,
    HEADER_SIMPLE_KEY,
)

from ._faults import Fault
from ._request import Request
from ._types import JSON

MORE_INFO: Final = "https://www.ultracart.com/api/#topic_rest_errors"
CONTENT_TYPE_JSON: Final = "application/json; charset=UTF-8"
HTML_502: Final = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
RATE_LIMITED: Final = "Rate limit exceeded: too many requests. Slow down and retry later."


@dataclass
class Response:
    """One answer: status, headers in order, and the whole body."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def set_header(self, name: str, value: str) -> None:
        """Replace every `name` header (any case) with one, placed last."""
        self.drop_header(name)
        self.headers.append((name, value))

    def drop_header(self, name: str) -> None:
        """Remove every `name` header (any case)."""
        self.headers = [(k, v) for k, v in self.headers if k.lower() != name.lower()]


def json_response(body: bytes, request_id: str, status: int = 200) -> Response:
    headers = [
        ("Content-Type", CONTENT_TYPE_JSON),
        ("Content-Length", str(len(body))),
        (HEADER_REQUEST_ID, request_id),
    ]
    return Response(status, headers, body)


def no_content(request_id: str) -> Response:
    return Response(204, [(HEADER_REQUEST_ID, request_id)], b"")


def error_response(
    status: int,
    message: str,
    request_id: str,
    *,
    error_code: str | None = None,
    extra_headers: list[tuple[str, str]] | None = None,
) -> Response:
    """UltraCart's error answer: an ErrorResponse body, the message in `UC-REST-ERROR`."""
    error: JSON = {"developer_message": message, "user_message": message, "more_info": MORE_INFO}
    if error_code is not None:
        error["error_code"] = error_code
    body = orjson.dumps({"error": error, "metadata": {}, "success": False})
    headers = [
        ("Content-Type", CONTENT_TYPE_JSON),
        ("Content-Length", str(len(body))),
        (HEADER_REQUEST_ID, request_id),
        (HEADER_REST_ERROR, _header_safe(message)),
        ("Connection", "close"),
        *(extra_headers or []),
    ]
    return Response(status, headers, body)


def rate_limited(request_id: str, retry_after: int) -> Response:
    return error_response(
        429,
        RATE_LIMITED,
        request_id,
        error_code="rate_limit_exceeded",
        extra_headers=[(HEADER_RETRY_AFTER, str(retry_after))],
    )


def fault_response(fault: Fault, request: Request, request_id: str) -> Response:
    """The answer of a fault that stops a request before it is processed."""
    if fault.kind == "rate_limit":
        return rate_limited(request_id, fault.retry_after)
    if fault.kind == "html_502":
        return html_response(502, HTML_502)
    if fault.kind == "key_echo":
        return key_echo_response(fault, request, request_id)
    if fault.kind == "empty_502":
        return Response(502, [("Content-Length", "0"), ("Connection", "close")], b"")
    status, message, error_code = _FAULT_ERRORS[fault.kind]
    return error_response(status, message, request_id, error_code=error_code)


#: Faults answered with UltraCart's error body: kind -> (status, message, error_code).
_FAULT_ERRORS: Final = {
    "server_error": (500, "An internal error occurred. Please retry.", "internal"),
    "forbidden": (
        403,
        "Permission denied: the API key lacks the customer read permission.",
        "permission_denied",
    ),
    "app_disabled": (410, "The authorized application has been disabled.", "application_disabled"),
}


def html_response(status: int, body: bytes) -> Response:
    headers = [
        ("Content-Type", "text/html"),
        ("Content-Length", str(len(body))),
        ("Connection", "close"),
    ]
    return Response(status, headers, body)


def key_echo_response(fault: Fault, request: Request, request_id: str) -> Response:
    """An answer quoting the request's credential (as sent, URL-encoded, base64, in a Basic
    `user:` pair) where `fault.where` says."""
    credential = request_credential(request)
    quoted = " ".join(
        [
            credential,
            quote(credential, safe=""),
            base64.b64encode(credential.encode()).decode("ascii"),
            base64.b64encode(f"user:{credential}".encode()).decode("ascii"),
        ]
    )
    if fault.where == "401_json":
        return error_response(401, f"Invalid credential: {quoted}", request_id)
    if fault.where == "header":
        answer = error_response(401, "Invalid credential.", request_id)
        answer.set_header(HEADER_REST_ERROR, _header_safe(f"Invalid credential: {quoted}"))
        return answer
    page = f"<html><body><h1>{{}}</h1><pre>Request credential: {quoted}</pre></body></html>"
    if fault.where == "502_html":
        return html_response(502, page.format("502 Bad Gateway").encode())
    return html_response(200, page.format("Welcome back").encode())  # "200_html"


def request_credential(request: Request) -> str:
    """The credential a request carried (simple key, bearer token or browser key), or ""."""
    headers = request.headers
    for header in (HEADER_SIMPLE_KEY, "authorization", HEADER_BROWSER_KEY):
        value = headers.get(header.lower())
        if value is not None:
            token = value.partition(" ")[2].strip()
            return token if header == "authorization" and token else value
    return ""


def _header_safe(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii").replace("\r", " ").replace("\n", " ")
