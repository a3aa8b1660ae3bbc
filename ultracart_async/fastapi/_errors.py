"""The library's errors as HTTP answers: `add_exception_handlers(app)`.

| error                                                           | status                |
|-----------------------------------------------------------------|-----------------------|
| NotFoundError                                                   | 404                   |
| InvalidInputError, DecodeError (bad input, nothing sent)        | 422                   |
| BadRequestError (UltraCart rejected the input)                  | 400                   |
| RateLimitError                                                  | 429 (+ Retry-After)   |
| APITimeoutError (NotSentTimeoutError included)                  | 504                   |
| ServerError, APIConnectionError, ResponseDecodeError,           | 502                   |
| WriteOutcomeUnknownError, PaginationError, 401/403/410 and any  |                       |
| other upstream status (our credentials, not the caller's)       |                       |
| ClientClosedError (the app is shutting down)                    | 503                   |
| anything else (EventLoopMismatchError, SyncClientInEventLoopError) | 500                |

The body is `{"detail": message, "error": "<ErrorType>"}`, plus `request_id` (UltraCart's, to
correlate) and `retry_after` when known. For 4xx the message is the error's own (the library
scrubs credentials from every message); for 5xx it is a fixed sentence, so nothing about the
upstream exchange reaches the caller; the full error is logged (`ultracart_async.fastapi`).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ultracart_async._exceptions import (
    APIError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    ClientClosedError,
    DecodeError,
    InvalidInputError,
    NotFoundError,
    PaginationError,
    RateLimitError,
    ResponseDecodeError,
    UltraCartError,
    WriteOutcomeUnknownError,
)

__all__ = ["add_exception_handlers", "status_for", "ultracart_exception_handler"]

logger = logging.getLogger("ultracart_async.fastapi")

# Looked up along the error's MRO: the most specific class listed wins.
STATUS: Mapping[type[UltraCartError], int] = {
    NotFoundError: 404,
    InvalidInputError: 422,
    DecodeError: 422,
    BadRequestError: 400,
    RateLimitError: 429,
    APITimeoutError: 504,
    WriteOutcomeUnknownError: 502,
    PaginationError: 502,
    APIError: 502,
    ClientClosedError: 503,
    UltraCartError: 500,
}

_UPSTREAM_MESSAGES: Mapping[int, str] = {
    502: "UltraCart could not complete the request",
    503: "the UltraCart client is shut down",
    504: "UltraCart did not answer in time",
    500: "the UltraCart client failed",
}


def status_for(error: UltraCartError) -> int:
    """The HTTP status `error` is answered with."""
    for cls in type(error).__mro__:
        status = STATUS.get(cls)
        if status is not None:
            return status
    return 500


def _message(error: UltraCartError, status: int) -> str:
    if status < 500:
        return str(error)
    if isinstance(error, WriteOutcomeUnknownError):
        return "the write may or may not have been applied by UltraCart; check before trying again"
    return _UPSTREAM_MESSAGES.get(status, _UPSTREAM_MESSAGES[500])


async def ultracart_exception_handler(request: Request, exc: Exception) -> JSONResponse:
    """Answer an `UltraCartError` with its status (`status_for`) and a JSON message."""
    if not isinstance(exc, UltraCartError):
        raise exc
    status = status_for(exc)
    body: dict[str, object] = {"detail": _message(exc, status), "error": type(exc).__name__}
    headers: dict[str, str] = {}
    request_id = getattr(exc, "request_id", None)
    if isinstance(exc, APIStatusError | ResponseDecodeError) and request_id:
        body["request_id"] = request_id
    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
        seconds = max(0, math.ceil(exc.retry_after))
        body["retry_after"] = seconds
        headers["Retry-After"] = str(seconds)
    if status >= 500:
        logger.warning(
            "%s %s -> %d: %s", request.method, request.url.path, status, exc, exc_info=exc
        )
    return JSONResponse(body, status_code=status, headers=headers)


def add_exception_handlers(app: FastAPI) -> None:
    """Answer every `UltraCartError` a route lets through as the table above says."""
    app.add_exception_handler(UltraCartError, ultracart_exception_handler)
