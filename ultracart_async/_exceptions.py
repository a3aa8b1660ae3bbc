"""Every error this library raises; all derive from `UltraCartError` and are exported.

```text
UltraCartError
├── InvalidInputError (ValueError)      bad argument; nothing was sent
├── ClientClosedError (RuntimeError)    the client was used after aclose(), or closed mid-call
├── EventLoopMismatchError (RuntimeError)  the client's connections belong to another event loop
├── DecodeError (ValueError)            JSON that does not fit a model (converter)
├── PaginationError                     a paged walk made no progress; stopped
├── WriteOutcomeUnknownError            an unsafe write may or may not have been applied
└── APIError                            an exchange with UltraCart failed (method, url)
    ├── APIStatusError                  an error status (or a 2xx with an error object)
    │   ├── BadRequestError             400
    │   ├── AuthenticationError         401
    │   ├── PermissionDeniedError       403
    │   ├── NotFoundError               404
    │   ├── ApplicationDisabledError    410
    │   ├── RateLimitError              429 (retry_after)
    │   └── ServerError                 5xx
    ├── ResponseDecodeError             a response that is not the JSON expected
    │   └── ResponseTooLargeError       a body past the client's max_response_bytes
    └── APIConnectionError              no complete response: refused, reset, cut short
        ├── APITimeoutError             a timeout
        └── NotSentError                provably never sent (connect failed)
            └── NotSentTimeoutError     connecting or waiting for a pooled connection timed out
```

`WriteOutcomeUnknownError` is deliberately outside `APIError`, so that a handler that retries
API failures does not repeat a write that may already have been applied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

    from .models import Error

__all__ = [
    "UltraCartError",
    "InvalidInputError",
    "ClientClosedError",
    "EventLoopMismatchError",
    "DecodeError",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "APIError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ApplicationDisabledError",
    "RateLimitError",
    "ServerError",
    "APIConnectionError",
    "APITimeoutError",
    "NotSentError",
    "NotSentTimeoutError",
    "WriteOutcomeUnknownError",
    "PaginationError",
]


class UltraCartError(Exception):
    """Base class of every error this library raises."""


class InvalidInputError(UltraCartError, ValueError):
    """An argument was rejected before anything was sent to UltraCart."""


class ClientClosedError(UltraCartError, RuntimeError):
    """The client was used after `aclose()` (or after its `async with` block ended).

    Also what a call still waiting or in flight raises when `aclose()` runs.
    """


class EventLoopMismatchError(UltraCartError, RuntimeError):
    """The client was used from an event loop other than the one its connections belong to.

    A client's connection pool is bound to the event loop it first ran on; after that loop
    ends (`asyncio.run()` returned) the pool cannot be used. Create one client per event loop,
    e.g. inside the function that `asyncio.run()` runs, or in a FastAPI lifespan.
    """


class DecodeError(UltraCartError, ValueError):
    """JSON could not be turned into a model; `path` names the field (`customers[1].email`)."""

    def __init__(self, message: str, *, path: str = "") -> None:
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}" if path else message)


class APIError(UltraCartError):
    """An exchange with UltraCart (or a proxy in front of it) failed.

    `method` and `url` say which request (the URL holds no credential: keys travel in headers).
    """

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        self.method = method
        self.url = url
        super().__init__(message)


class ResponseDecodeError(APIError):
    """A response could not be decoded: HTML from a proxy, a body cut short, or a wrong type.

    `path` names the offending field when the JSON parsed but did not fit the model.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        request_id: str | None = None,
        path: str = "",
        body_excerpt: str = "",
        method: str = "",
        url: str = "",
    ) -> None:
        self.status_code = status_code
        self.request_id = request_id
        self.path = path
        self.body_excerpt = body_excerpt
        super().__init__(message, method=method, url=url)


class ResponseTooLargeError(ResponseDecodeError):
    """A response body grew past the client's `max_response_bytes` (counted after
    decompression); the read stopped there and the connection was dropped. `limit` is the cap.
    """

    def __init__(self, message: str, *, limit: int, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(message, **kwargs)


class APIStatusError(APIError):
    """UltraCart (or a proxy in front of it) answered with an error status."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error: Error | None = None,
        request_id: str | None = None,
        uc_rest_error: str | None = None,
        method: str = "",
        url: str = "",
        response: httpx.Response | None = None,
    ) -> None:
        self.status_code = status_code
        self.error = error
        self.request_id = request_id
        self.uc_rest_error = uc_rest_error
        self.response = response
        super().__init__(message, method=method, url=url)


class BadRequestError(APIStatusError):
    """400: UltraCart rejected the input (also its answer to deleting a missing record)."""


class AuthenticationError(APIStatusError):
    """401: the key or token is missing, wrong or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the credential lacks a permission this operation needs."""


class NotFoundError(APIStatusError):
    """404: no such resource or path."""


class ApplicationDisabledError(APIStatusError):
    """410: the authorized application has been disabled in UltraCart."""


class RateLimitError(APIStatusError):
    """429: rate limited; `retry_after` is the server's hint in seconds, if it sent one."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class ServerError(APIStatusError):
    """5xx: UltraCart or a proxy in front of it failed."""


class APIConnectionError(APIError):
    """The request did not complete: connection refused, reset, or a network failure."""


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class NotSentError(APIConnectionError):
    """The connection could not be made: the request provably never left this process."""


class NotSentTimeoutError(NotSentError, APITimeoutError):
    """Connecting (or waiting for a pooled connection) timed out: nothing was sent."""


class WriteOutcomeUnknownError(UltraCartError):
    """A write that is unsafe to repeat failed after it may have reached UltraCart.

    It was not retried, because a retry could apply it twice (store credit, cashback, a
    duplicate customer, a second merge). Check the account before you try again. `operation`,
    `method`, `url` and `body` say exactly what was sent; `__cause__` is the underlying failure.
    Deliberately not an `APIConnectionError`, so a generic "retry on connection errors" handler
    does not catch it by accident.
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        method: str,
        url: str,
        body: Any = None,
    ) -> None:
        self.operation = operation
        self.method = method
        self.url = url
        self.body = body
        super().__init__(message)


class PaginationError(UltraCartError):
    """A paged walk stopped because the server's pages made no progress.

    Raised when pages keep answering `more: true` without adding a customer, or when the
    server's offsets stop advancing (a proxy that ignores `_offset`, say): following them would
    burn the rate-limit quota for nothing. Every customer yielded before it is genuine.
    `offset` is where the walk stopped; `pages` how many pages in a row made no progress.
    """

    def __init__(self, message: str, *, offset: int, pages: int) -> None:
        self.offset = offset
        self.pages = pages
        super().__init__(message)
