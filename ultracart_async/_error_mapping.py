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
from ._logging import redacted_response, scrub_httpx_error
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


def transport_error(exc: httpx.HTTPError, prepared: PreparedRequest) -> APIConnectionError:
    """The library's error for an httpx failure; the httpx error's request is redacted."""
    scrub_httpx_error(exc)
    where = prepared.where
    context = {"method": prepared.op.method, "url": prepared.url}
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return NotSentTimeoutError(f"{where}: timed out before sending ({exc!r})", **context)
    if isinstance(exc, httpx.ConnectError):
        return NotSentError(f"{where}: could not connect ({exc!r})", **context)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{where}: timed out ({type(exc).__name__})", **context)
    if isinstance(exc, httpx.LocalProtocolError):
        # Its text may quote one of our header values, the credential included.
        message = f"{where}: the request could not be sent ({type(exc).__name__})"
        return APIConnectionError(message, **context)
    return APIConnectionError(f"{where}: {type(exc).__name__}: {exc}", **context)


def excerpt(content: bytes) -> str:
    """The start of a body as one line of text, for messages about bodies that are not JSON."""
    text = content.decode("utf-8", errors="replace")
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


def _describe(error: models.Error | None, response: httpx.Response) -> str:
    if error is not None:
        text = error.developer_message or error.user_message or error.error_code
        if text:
            return str(text)
    header: str | None = response.headers.get(HEADER_REST_ERROR)
    if header:
        return header
    body = excerpt(response.content)
    return f"body: {body!r}" if body else "empty body"


def _status_error(
    op: Operation[Any],
    response: httpx.Response,
    cls: type[APIStatusError],
    error: models.Error | None,
) -> APIStatusError:
    request = response.request
    message = (
        f"{op.operation_id}: {response.status_code} {response.reason_phrase}: "
        f"{_describe(error, response)}"
    )
    kwargs: dict[str, Any] = {
        "status_code": response.status_code,
        "error": error,
        "request_id": response.headers.get(HEADER_REQUEST_ID),
        "uc_rest_error": response.headers.get(HEADER_REST_ERROR),
        "method": request.method,
        "url": str(request.url),
        "response": redacted_response(response),
    }
    if cls is RateLimitError:
        retry_after = parse_retry_after(response.headers.get(HEADER_RETRY_AFTER))
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    return cls(message, **kwargs)


def raise_for_status(op: Operation[Any], response: httpx.Response) -> None:
    """Raise the typed error an unsuccessful status stands for; return on 2xx."""
    if response.is_success:
        return
    status = response.status_code
    cls = _STATUS_ERRORS.get(status, ServerError if status >= 500 else APIStatusError)
    raise _status_error(op, response, cls, _parse_error(_loads_or_none(response.content)))


def raise_if_error_body(op: Operation[Any], response: httpx.Response, data: Any) -> None:
    """A 2xx whose body carries an `error` object is an error all the same."""
    error = _parse_error(data)
    if error is not None:
        raise _status_error(op, response, APIStatusError, error)


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
