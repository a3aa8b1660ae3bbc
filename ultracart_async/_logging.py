"""Logging and redaction: the `ultracart_async` logger and keeping secrets out of everything.

Credentials live in `Secret` (its repr and str are redacted) and only become a header value
at the moment a request is built. Requests and responses attached to exceptions are copies
with secret headers replaced, so neither a traceback with locals nor `exc.response.request`
shows a key.
"""

from __future__ import annotations

import logging

import httpx

from ._constants import LOGGER_NAME, REDACTED, SECRET_HEADERS

__all__ = ["Secret", "logger", "redacted_request", "redacted_response", "scrub_httpx_error"]

logger = logging.getLogger(LOGGER_NAME)


class Secret:
    """A credential that never shows itself in a repr, str or format."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, only for building the request header."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    __str__ = __repr__

    def __format__(self, format_spec: str) -> str:
        return repr(self)

    def __reduce__(self) -> str:
        raise TypeError("a Secret cannot be pickled")


def _redacted_headers(headers: httpx.Headers) -> httpx.Headers:
    return httpx.Headers(
        [
            (name, REDACTED if name.lower() in SECRET_HEADERS else value)
            for name, value in headers.multi_items()
        ]
    )


def redacted_request(request: httpx.Request) -> httpx.Request:
    """A copy of `request` (method, URL, headers, body) with secret headers replaced."""
    try:
        content = request.content
    except httpx.RequestNotRead:  # a streaming body: not kept
        content = b""
    return httpx.Request(
        request.method,
        request.url,
        headers=_redacted_headers(request.headers),
        content=content,
        extensions={},
    )


def redacted_response(response: httpx.Response) -> httpx.Response:
    """A copy of a read `response` whose `.request` has its secret headers replaced."""
    # The copy holds the decoded body: drop the headers that describe the encoded one.
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in {"content-encoding", "content-length", "transfer-encoding"}
    ]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=response.content,
        request=redacted_request(response.request),
        extensions={"http_version": response.extensions.get("http_version", b"HTTP/1.1")},
    )


def scrub_httpx_error(error: httpx.HTTPError) -> httpx.HTTPError:
    """Replace the request an httpx error carries with a redacted copy; return the error."""
    try:
        original = error.request
    except RuntimeError:  # no request attached
        return error
    error.request = redacted_request(original)
    return error
