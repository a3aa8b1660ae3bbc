"""Logging and redaction: the `ultracart_async` logger and keeping secrets out of everything.

Credentials live in `Secret` (its repr and str are redacted) and only become a header value
at the moment a request is built. Requests and responses attached to exceptions are copies
with secret headers replaced, so neither a traceback with locals nor `exc.response.request`
shows a key.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterable, Iterator
from urllib.parse import quote, quote_plus

import httpx

from ._constants import LOGGER_NAME, REDACTED, SECRET_HEADERS
from ._http import HttpStack

__all__ = [
    "Scrubber",
    "Secret",
    "logger",
    "redacted_request",
    "redacted_response",
    "scrub_httpx_error",
]

logger = logging.getLogger(LOGGER_NAME)

# Shorter forms (a base64 core of a very short key) would match ordinary text by chance.
_MIN_SECRET_FORM = 6


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


def _base64_cores(value: bytes) -> Iterator[str]:
    """The part of base64 that `value` always encodes to, whatever bytes come before or after.

    Base64 works in 3-byte groups, so `value` preceded by 0, 1 or 2 other bytes (a user name
    and a colon, in `user:key` forms) yields three encodings; each one's characters that depend
    on `value` alone are found in any base64 text that holds it.
    """
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + value).decode("ascii")
        start = -(-4 * shift // 3)
        end = 4 * (shift + len(value)) // 3
        core = encoded[start:end]
        yield core
        yield core.replace("+", "-").replace("/", "_")  # the URL-safe alphabet


class Scrubber:
    """Replaces every credential of a client, and its common encodings, in text from a server.

    Servers and proxies sometimes quote a request back (a 401 message, an HTML error page, a
    header): whatever they quote passes through `scrub` before it reaches an exception, a log
    record or a repr.
    """

    def __init__(self, secrets: Iterable[Secret]) -> None:
        forms: set[str] = set()
        for secret in secrets:
            value = secret.reveal()
            forms.update({value, quote(value, safe=""), quote_plus(value, safe="")})
            forms.update(_base64_cores(value.encode("utf-8")))
        patterns = sorted((f for f in forms if len(f) >= _MIN_SECRET_FORM), key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, patterns))) if patterns else None

    def __repr__(self) -> str:
        return "Scrubber(...)"

    def scrub(self, text: str) -> str:
        """`text` with every form of every credential replaced by a marker."""
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(REDACTED, text)

    def scrub_bytes(self, data: bytes) -> bytes:
        """`scrub` for bytes; text that is not UTF-8 is compared byte for byte as Latin-1."""
        if self._pattern is None or not data:
            return data
        try:
            return self.scrub(data.decode("utf-8")).encode("utf-8")
        except UnicodeDecodeError:
            return self.scrub(data.decode("latin-1")).encode("latin-1", errors="replace")


def _redacted_headers(headers: httpx.Headers) -> list[tuple[str, str]]:
    return [
        (name, REDACTED if name.lower() in SECRET_HEADERS else value)
        for name, value in headers.multi_items()
    ]


def redacted_request(request: httpx.Request) -> httpx.Request:
    """A copy of `request` (method, URL, headers, body) with secret headers replaced."""
    content = HttpStack.of(request).request_content(request)  # a streaming body: not kept
    return type(request)(
        request.method,
        request.url,
        headers=_redacted_headers(request.headers),
        content=content,
        extensions={},
    )


def redacted_response(
    response: httpx.Response, content: bytes, scrubber: Scrubber
) -> httpx.Response:
    """A copy of `response` holding `content`, its header values scrubbed of every credential,
    whose `.request` has its secret headers replaced."""
    # The copy holds the decoded body: drop the headers that describe the encoded one.
    headers = [
        (name, scrubber.scrub(value))
        for name, value in response.headers.multi_items()
        if name.lower() not in {"content-encoding", "content-length", "transfer-encoding"}
    ]
    return type(response)(
        response.status_code,
        headers=headers,
        content=content,
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
