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
    """Base class of every error this library raises.

    `except uc.UltraCartError` catches them all, `WriteOutcomeUnknownError` included.
    """


class InvalidInputError(UltraCartError, ValueError):
    """An argument was rejected before anything was sent to UltraCart.

    Raised by the constructor and `with_options` for a bad option, by every operation for an
    argument of the wrong type or range (also a model body holding a wrong value at any depth, or a
    credential the operation does not accept), by the `iter_*` methods when called, by `with_nulls`
    for a bad field path, and by the converter's `encode`, `check`, `dumps` and `unstructure` for a
    model that does not fit its types. Also a `ValueError`.
    """


class ClientClosedError(UltraCartError, RuntimeError):
    """The client was used after `aclose()` (or after its `async with` block ended).

    Also what a call still waiting or in flight raises when `aclose()` runs (an unsafe write that
    may have been sent raises `WriteOutcomeUnknownError` instead), and what a call raises when a
    caller-supplied `http_client` was closed. Also a `RuntimeError`.
    """


class EventLoopMismatchError(UltraCartError, RuntimeError):
    """The client was used from an event loop other than the one its connections belong to.

    A client's connection pool is bound to the event loop it first ran on; after that loop ends
    (`asyncio.run()` returned) the pool cannot be used. Create one client per event loop, e.g.
    inside the function that `asyncio.run()` runs, or in a FastAPI lifespan. Also a `RuntimeError`.
    """


class DecodeError(UltraCartError, ValueError):
    """JSON could not be turned into a model.

    Raised by the converter (`uc.converter.loads`, `structure`). The client's operations raise
    `ResponseDecodeError` instead (with this error as its `__cause__` when JSON did not fit the
    model). Also a `ValueError`.

    Attributes:
        path: The field that did not fit (`customers[1].email`); empty for the top level or JSON
            that does not parse.
        reason: What was wrong, without the path.
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}" if path else message)


class APIError(UltraCartError):
    """An exchange with UltraCart (or a proxy in front of it) failed.

    Base class of `APIStatusError`, `ResponseDecodeError` and `APIConnectionError`; a handler for it
    never catches `WriteOutcomeUnknownError` by accident.

    Attributes:
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        self.method = method
        self.url = url
        super().__init__(message)


class ResponseDecodeError(APIError):
    """A response could not be decoded: HTML from a proxy, a body cut short, or a wrong type.

    Raised by an operation whose success answer is empty where a body is expected, is not JSON or
    does not fit the operation's model, or is too large (`ResponseTooLargeError`); and by one whose
    answer, of any status, is compressed in an encoding that was not asked for or is corrupt. Not
    retried. For a write, a success status means UltraCart may have applied it.

    Attributes:
        status_code: The HTTP status, or None.
        request_id: The `X-UltraCart-Request-Id` header, or None.
        path: The field that did not fit the model (`customers[1].email`); empty when the body was
            not JSON or the top level did not fit.
        body_excerpt: The start of the body as one line of text, scrubbed of credentials; may be
            empty.
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
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
    """A response body grew past the client's `max_response_bytes`.

    Counted after decompression; the read stopped there and the connection was dropped.

    Attributes:
        limit: The cap in bytes (`max_response_bytes`).
        status_code: The HTTP status, or None.
        request_id: The `X-UltraCart-Request-Id` header, or None.
        path: The field that did not fit the model (`customers[1].email`); empty when the body was
            not JSON or the top level did not fit.
        body_excerpt: The start of the body as one line of text, scrubbed of credentials; may be
            empty.
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """

    def __init__(self, message: str, *, limit: int, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(message, **kwargs)


class APIStatusError(APIError):
    """UltraCart (or a proxy in front of it) answered with an error status.

    Raised by every operation, after any retries, for a 4xx or 5xx answer, and for a success status
    whose body carries an `error` object. The subclasses name the common statuses; this class itself
    stands for the others.

    Attributes:
        status_code: The HTTP status.
        error: UltraCart's `error` object (`developer_message`, `user_message`, `error_code`,
            `more_info`, `object_id`); None when the body had none (a proxy's HTML page, an empty
            body).
        request_id: The `X-UltraCart-Request-Id` header, or None; quote it to UltraCart support.
        uc_rest_error: The `UC-REST-ERROR` header (UltraCart's message), or None.
        response: The HTTP stack's response, body read, credentials scrubbed from its headers and
            request; None when not available.
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """

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
    """400: UltraCart rejected the input.

    Also UltraCart's answer to deleting a record that does not exist, and to a `limit` above its
    current cap. Not retried.

    Attributes:
        status_code: The HTTP status.
        error: UltraCart's `error` object (`developer_message`, `user_message`, `error_code`,
            `more_info`, `object_id`); None when the body had none (a proxy's HTML page, an empty
            body).
        request_id: The `X-UltraCart-Request-Id` header, or None; quote it to UltraCart support.
        uc_rest_error: The `UC-REST-ERROR` header (UltraCart's message), or None.
        response: The HTTP stack's response, body read, credentials scrubbed from its headers and
            request; None when not available.
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """


class AuthenticationError(APIStatusError):
    """401: the key or token is missing, wrong or expired.

    Raised by any operation; not retried.

    Attributes:
        status_code: The HTTP status.
        error: UltraCart's `error` object (`developer_message`, `user_message`, `error_code`,
            `more_info`, `object_id`); None when the body had none (a proxy's HTML page, an empty
            body).
        request_id: The `X-UltraCart-Request-Id` header, or None; quote it to UltraCart support.
        uc_rest_error: The `UC-REST-ERROR` header (UltraCart's message), or None.
        response: The HTTP stack's response, body read, credentials scrubbed from its headers and
            request; None when not available.
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """


class PermissionDeniedError(APIStatusError):
    """403: the credential lacks a permission this operation needs.

    Raised by any operation; not retried.

    Attributes:
        status_code: The HTTP status.
        error: UltraCart's `error` object (`developer_message`, `user_message`, `error_code`,
            `more_info`, `object_id`); None when the body had none (a proxy's HTML page, an empty
            body).
        request_id: The `X-UltraCart-Request-Id` header, or None; quote it to UltraCart support.
        uc_rest_error: The `UC-REST-ERROR` header (UltraCart's message), or None.
        response: The HTTP stack's response, body read, credentials scrubbed from its headers and
            request; None when not available.
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """


class NotFoundError(APIStatusError):
    """404: no such resource or path.

    Raised by any operation; not retried.

    Attributes:
        status_code: The HTTP status.
        error: UltraCart's `error` object (`developer_message`, `user_message`, `error_code`,
            `more_info`, `object_id`); None when the body had none (a proxy's HTML page, an empty
            body).
        request_id: The `X-UltraCart-Request-Id` header, or None; quote it to UltraCart support.
        uc_rest_error: The `UC-REST-ERROR` header (UltraCart's message), or None.
        response: The HTTP stack's response, body read, credentials scrubbed from its headers and
            request; None when not available.
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """


class ApplicationDisabledError(APIStatusError):
    """410: the authorized application has been disabled in UltraCart.

    Raised by any operation; not retried.

    Attributes:
        status_code: The HTTP status.
        error: UltraCart's `error` object (`developer_message`, `user_message`, `error_code`,
            `more_info`, `object_id`); None when the body had none (a proxy's HTML page, an empty
            body).
        request_id: The `X-UltraCart-Request-Id` header, or None; quote it to UltraCart support.
        uc_rest_error: The `UC-REST-ERROR` header (UltraCart's message), or None.
        response: The HTTP stack's response, body read, credentials scrubbed from its headers and
            request; None when not available.
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """


class RateLimitError(APIStatusError):
    """429: rate limited, after the retries.

    UltraCart rejects a 429 before processing, so every operation retries it (waiting out
    `Retry-After`, capped by the `RetryPolicy`), unsafe writes included; this is raised once the
    retries are spent.

    Attributes:
        retry_after: The server's `Retry-After` hint in seconds, or None when it sent none.
        status_code: The HTTP status.
        error: UltraCart's `error` object (`developer_message`, `user_message`, `error_code`,
            `more_info`, `object_id`); None when the body had none (a proxy's HTML page, an empty
            body).
        request_id: The `X-UltraCart-Request-Id` header, or None; quote it to UltraCart support.
        uc_rest_error: The `UC-REST-ERROR` header (UltraCart's message), or None.
        response: The HTTP stack's response, body read, credentials scrubbed from its headers and
            request; None when not available.
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class ServerError(APIStatusError):
    """5xx: UltraCart or a proxy in front of it failed.

    500, 502, 503 and 504 are retried for reads, idempotent writes and deletes; an unsafe write
    raises `WriteOutcomeUnknownError` instead.

    Attributes:
        status_code: The HTTP status.
        error: UltraCart's `error` object (`developer_message`, `user_message`, `error_code`,
            `more_info`, `object_id`); None when the body had none (a proxy's HTML page, an empty
            body).
        request_id: The `X-UltraCart-Request-Id` header, or None; quote it to UltraCart support.
        uc_rest_error: The `UC-REST-ERROR` header (UltraCart's message), or None.
        response: The HTTP stack's response, body read, credentials scrubbed from its headers and
            request; None when not available.
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """


class APIConnectionError(APIError):
    """The request did not complete: connection refused, reset, or a network failure.

    Raised after the retries for reads, idempotent writes and deletes. An unsafe write raises it
    only when the request provably never left (`NotSentError`); otherwise
    `WriteOutcomeUnknownError`.

    Attributes:
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """


class APITimeoutError(APIConnectionError):
    """The request timed out: a per-phase timeout, or the attempt's `deadline`.

    Raised after the retries, as `APIConnectionError` is.

    Attributes:
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """


class NotSentError(APIConnectionError):
    """The connection could not be made: the request provably never left this process.

    Retried for every operation, unsafe writes included; raised once the retries are spent.

    Attributes:
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """


class NotSentTimeoutError(NotSentError, APITimeoutError):
    """Connecting (or waiting for a pooled connection) timed out: nothing was sent.

    Both a `NotSentError` and an `APITimeoutError`; retried as `NotSentError` is.

    Attributes:
        method: The request's HTTP method (`"GET"`, ...); empty when unknown.
        url: The request's full URL, query included; no credential (keys travel in headers).
    """


class WriteOutcomeUnknownError(UltraCartError):
    """A write that is unsafe to repeat failed after it may have reached UltraCart.

    Raised by `add_customer_store_credit`, `adjust_internal_certificate`, `adjust_loyalty_points`,
    `insert_customer`, `insert_wish_list_item`, `merge_customer` and
    `validate_email_verification_token` on a timeout, a reset, a 5xx or `aclose()` after the request
    may have been sent: it was not retried, because a retry could apply it twice (store credit,
    cashback, a duplicate customer, a second merge). Also raised by `delete_customer` and
    `delete_wish_list_item` when a retry is answered 400/404 after an attempt that may have deleted
    the record. Check the account before you try again; `__cause__` is the underlying failure.
    Deliberately not an `APIError` (nor an `APIConnectionError`), so a generic "retry on API errors"
    handler does not catch it by accident.

    Attributes:
        operation: The operation id (`"add_customer_store_credit"`).
        method: The HTTP method sent.
        url: The full URL sent (no credential in it).
        body: The body argument as given (a model or `WithNulls`), or None for no body.
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

    Raised while iterating an `iter_*` walk when pages keep answering `more: true` without adding a
    customer, or when the server's offsets stop advancing (a proxy that ignores `_offset`, say):
    following them would burn the rate-limit quota for nothing. Every customer yielded before it is
    genuine.

    Attributes:
        offset: The offset where the walk stopped.
        pages: How many pages in a row made no progress.
    """

    def __init__(self, message: str, *, offset: int, pages: int) -> None:
        self.offset = offset
        self.pages = pages
        super().__init__(message)
