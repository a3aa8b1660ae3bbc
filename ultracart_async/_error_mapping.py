"""Failures into typed errors: httpx exceptions, error statuses, error bodies, unknown outcomes.

Nothing here decides whether to retry (`_retry.decide` does); it only says what happened.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import httpx
import orjson

from . import models
from ._constants import (
    ERROR_BODY_EXCERPT_CHARS,
    HEADER_REQUEST_ID,
    HEADER_REST_ERROR,
    HEADER_RETRY_AFTER,
)
from ._converter import converter
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ApplicationDisabledError,
    AuthenticationError,
    BadRequestError,
    DecodeError,
    NotFoundError,
    NotSentError,
    NotSentTimeoutError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UltraCartError,
    WriteOutcomeUnknownError,
)
from ._http import HttpStack
from ._logging import Scrubber, redacted_response, scrub_httpx_error
from ._operation import Operation
from ._request import PreparedRequest
from ._retry import parse_retry_after

__all__ = [
    "excerpt",
    "outcome_unknown",
    "raise_for_status",
    "raise_if_error_body",
    "transport_error",
]

_STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    410: ApplicationDisabledError,
    429: RateLimitError,
}
_WHITESPACE = re.compile(r"\s+")
_SCRUB_MARGIN = 1024


def transport_error(
    exc: httpx.HTTPError, prepared: PreparedRequest, scrubber: Scrubber, stack: HttpStack
) -> APIConnectionError:
    """The library's error for a failure of either HTTP stack; the error's request is redacted."""
    scrub_httpx_error(exc)
    where = prepared.where
    context = {"method": prepared.op.method, "url": prepared.url}
    kind = stack.error_kind(exc)
    if kind == "not_sent_timeout":
        text = scrubber.scrub(repr(exc))
        return NotSentTimeoutError(f"{where}: timed out before sending ({text})", **context)
    if kind == "not_sent":
        return NotSentError(f"{where}: could not connect ({scrubber.scrub(repr(exc))})", **context)
    if kind == "timeout":
        return APITimeoutError(f"{where}: timed out ({type(exc).__name__})", **context)
    if kind == "local_protocol":
        # Its text may quote one of our header values, the credential included.
        message = f"{where}: the request could not be sent ({type(exc).__name__})"
        return APIConnectionError(message, **context)
    text = scrubber.scrub(str(exc))
    return APIConnectionError(f"{where}: {type(exc).__name__}: {text}", **context)


def excerpt(content: bytes, scrubber: Scrubber) -> str:
    """The start of a body as one line of text, scrubbed, for messages about bodies that are
    not JSON. Only a bounded prefix is looked at, whatever the body's size."""
    # Scrub a prefix longer than the excerpt, so that a credential cut by the excerpt's end
    # is still replaced whole.
    prefix = content[: ERROR_BODY_EXCERPT_CHARS * 4 + _SCRUB_MARGIN]
    text = scrubber.scrub(prefix.decode("utf-8", errors="replace"))
    return _WHITESPACE.sub(" ", text).strip()[:ERROR_BODY_EXCERPT_CHARS]


def _loads_or_none(content: bytes) -> Any:
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return None


def _parse_error(data: Any) -> models.Error | None:
    """The `error` object of an UltraCart error body, or None when there is none to parse."""
    if not isinstance(data, dict) or not isinstance(data.get("error"), dict):
        return None
    try:
        parsed: models.ErrorResponse = converter.structure(data, models.ErrorResponse)
    except DecodeError:
        return None
    return parsed.error


def _describe(
    error: models.Error | None, header: str | None, body: bytes, scrubber: Scrubber
) -> str:
    if error is not None:
        text = error.developer_message or error.user_message or error.error_code
        if text:
            return str(text)
    if header:
        return header
    text = excerpt(body, scrubber)
    return f"body: {text!r}" if text else "empty body"


def _status_error(
    op: Operation[Any],
    response: httpx.Response,
    body: bytes,
    cls: type[APIStatusError],
    scrubber: Scrubber,
) -> APIStatusError:
    """`cls` for `response`; every text taken from the server is scrubbed of credentials."""
    request = response.request
    body = scrubber.scrub_bytes(body)
    error = _parse_error(_loads_or_none(body))
    header = response.headers.get(HEADER_REST_ERROR)
    header = scrubber.scrub(header) if header is not None else None
    message = (
        f"{op.operation_id}: {response.status_code} {response.reason_phrase}: "
        f"{_describe(error, header, body, scrubber)}"
    )
    kwargs: dict[str, Any] = {
        "status_code": response.status_code,
        "error": error,
        "request_id": scrubber.scrub(response.headers.get(HEADER_REQUEST_ID) or "") or None,
        "uc_rest_error": header,
        "method": request.method,
        "url": str(request.url),
        "response": redacted_response(response, body, scrubber),
    }
    if cls is RateLimitError:
        retry_after = parse_retry_after(response.headers.get(HEADER_RETRY_AFTER))
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    return cls(message, **kwargs)


def raise_for_status(
    op: Operation[Any], response: httpx.Response, body: bytes, scrubber: Scrubber
) -> None:
    """Raise the typed error an unsuccessful status stands for; return on 2xx."""
    if response.is_success:
        return
    status = response.status_code
    cls = _STATUS_ERRORS.get(status, ServerError if status >= 500 else APIStatusError)
    raise _status_error(op, response, body, cls, scrubber)


def raise_if_error_body(
    op: Operation[Any], response: httpx.Response, data: Any, body: bytes, scrubber: Scrubber
) -> None:
    """A 2xx whose body carries an `error` object is an error all the same."""
    if _parse_error(data) is not None:
        raise _status_error(op, response, body, APIStatusError, scrubber)


def outcome_unknown(prepared: PreparedRequest, error: UltraCartError) -> WriteOutcomeUnknownError:
    """The error for an unsafe write that failed after it may have been applied."""
    op = prepared.op
    return WriteOutcomeUnknownError(
        f"{op.operation_id}: {op.method} {prepared.path} may or may not have been applied "
        f"({type(error).__name__}: {error}). It was not retried because repeating it could "
        "apply it twice; check the account before trying again.",
        operation=op.operation_id,
        method=op.method,
        url=prepared.url,
        body=prepared.body,
    )
