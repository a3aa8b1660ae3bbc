"""`CustomerClient`: lifecycle, options, and one short async method per Customer API operation.

Each method names its `Operation` (generated from the spec, `_operations`) and hands its
arguments to the `Requester`, which validates, authenticates, rate-limits, retries, maps errors
and decodes.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

import attrs
import httpx

if TYPE_CHECKING:
    import httpx2

from . import _operations as _op
from . import models
from ._constants import DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES
from ._exceptions import ClientClosedError, InvalidInputError
from ._http import StackName
from ._nulls import WithNulls
from ._operation import Operation, either_order
from ._options import (
    DEFAULT_TIMEOUT,
    as_httpx_timeout,
    base_url_option,
    byte_limit_option,
    call_options,
    chain_hooks,
    credentials_option,
    headers_option,
    pool_option,
    seconds_option,
    timeout_option,
    with_max_retries,
)
from ._ratelimit import RateLimit
from ._raw_response import RawResponse
from ._requester import CallOptions, Requester
from ._retry import RetryEvent, RetryPolicy
from .pagination import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_PAGER_CONCURRENCY,
    CustomerIterator,
    CustomerPageIterator,
    walk_customers,
    walk_customers_by_query,
    walk_search_customers,
)

__all__ = ["CustomerClient", "WithRawResponse"]

R = TypeVar("R")
P = ParamSpec("P")


class CustomerClient:
    """Async client for UltraCart's Customer API (REST v2), one method per operation.

    ```python
    async with uc.CustomerClient(simple_key=KEY) as client:
        r = await client.get_customer(56, expand="billing,shipping")
    ```

    Every operation checks its arguments before sending, authenticates, honours the rate limit,
    retries what is safe to retry and raises a typed `uc.*` error for every failure. Use it as an
    async context manager (entering a closed client raises `ClientClosedError`) or call `aclose()`.
    The constructor's parameters are documented on `__init__`.
    """

    def __init__(
        self,
        simple_key: str | None = None,
        *,
        oauth_token: str | None = None,
        browser_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | httpx2.Timeout = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        rate_limit: RateLimit | None = None,
        on_retry: Callable[[RetryEvent], None] | None = None,
        http_client: httpx.AsyncClient | httpx2.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | httpx2.AsyncBaseTransport | None = None,
        http_stack: StackName | None = None,
    ) -> None:
        """Create a client; nothing is sent until the first call.

        A bad option raises here, never on the first call. Exactly one HTTP connection pool is used:
        `http_client` (yours), or one the client creates (on `transport` if given) and closes in
        `aclose()`.

        Args:
            simple_key: UltraCart simple key (positional, as in the official SDK). With no
                credential given, `ULTRACART_SIMPLE_KEY` from the environment.
            oauth_token: OAuth bearer token, sent as `Authorization: Bearer ...`.
            browser_key: Browser key; UltraCart accepts it only for
                `search_customer_profile_values`. With several credentials, each call uses the first
                its operation accepts: simple key, OAuth token, browser key.
            base_url: API root; None: `ULTRACART_BASE_URL` from the environment, else
                `https://secure.ultracart.com/rest/v2`. An http(s) URL with a host and no
                credentials, query or fragment.
            timeout: Per-phase timeouts: seconds for all four phases, or an `httpx.Timeout` /
                `httpx2.Timeout` whose every part is finite. Default: connect 10 s, read 60 s, write
                60 s, pool 10 s.
            deadline: Seconds one attempt may take in all (connect, send, the whole response); ends
                a server that trickles bytes under every per-read timeout. Default 120.
            max_response_bytes: Largest response body read, counted after decompression; past it,
                `ResponseTooLargeError`. Default 32 MiB.
            max_retries: Retries after the first attempt, for the failures an operation may retry
                (None: `retry_policy`'s, 4 by default). 0 disables retries.
            retry_policy: Backoff and Retry-After settings (`uc.RetryPolicy`); `max_retries`, when
                given, replaces its `max_retries`.
            rate_limit: A client-side `uc.RateLimit` that every call (and retry) waits for; pass one
                instance to several clients to share its budget. None: no client-side limit.
            on_retry: Called with a `uc.RetryEvent` just before the client sleeps for each retry.
            http_client: Your own `httpx.AsyncClient` or `httpx2.AsyncClient` (not closed by this
                client; `base_url`, timeouts and headers are still this client's, and redirects are
                never followed). Not together with `transport`.
            transport: A transport for the pool the client creates (e.g. `FakeUltraCart.transport()`
                in tests). Not together with `http_client`.
            http_stack: `"httpx"` or `"httpx2"` for the pool the client creates; None:
                `ULTRACART_HTTP_STACK` from the environment, else httpx. With `http_client`, it must
                match that client's stack.

        Raises:
            InvalidInputError: No credential, a malformed credential or `base_url`, an option out of
                range, `http_client` together with `transport`, `rate_limit` not a `uc.RateLimit`,
                or an `http_stack` that is unknown or does not match `http_client`.
        """
        credentials = credentials_option(simple_key, oauth_token, browser_key)
        base_url = base_url_option(base_url)
        if rate_limit is not None and not isinstance(rate_limit, RateLimit):
            raise InvalidInputError("rate_limit must be a uc.RateLimit")
        self._options = call_options(
            timeout, deadline, max_response_bytes, max_retries, retry_policy, on_retry
        )
        stack, pool = pool_option(http_stack, http_client, transport, self._options.timeouts)
        self._requester = Requester(
            http_client=pool,
            stack=stack,
            owns_http_client=http_client is None,
            base_url=base_url,
            credentials=credentials,
            rate_limit=rate_limit,
        )

    # -- lifecycle and options ---------------------------------------------------------------

    def __repr__(self) -> str:
        auth = ", ".join(kind.value for kind in self._requester.credentials)
        state = ", closed" if self._requester.closed else ""
        return (
            f"CustomerClient(base_url={self._requester.base_url!r}, auth=[{auth}], "
            f"max_retries={self._options.retry.max_retries}{state})"
        )

    async def __aenter__(self) -> CustomerClient:
        if self._requester.closed:
            raise ClientClosedError("the client is closed")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client and every `with_options` view of it; idempotent.

        Calls still waiting or in flight end with `ClientClosedError` (an unsafe write that may have
        been sent: `WriteOutcomeUnknownError`); later calls raise `ClientClosedError`. The
        connection pool is closed if the client created it; a caller-supplied `http_client` stays
        open (its owner closes it).
        """
        await self._requester.aclose()

    @property
    def is_closed(self) -> bool:
        """True once `aclose()` ran on this client or any view of it."""
        return self._requester.closed

    @property
    def rate_limit(self) -> RateLimit | None:
        """The client-side `RateLimit` shared by this client and its views, or None."""
        return self._requester.rate_limit

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt, for the failures an operation may retry."""
        return self._options.retry.max_retries

    @property
    def timeout(self) -> httpx.Timeout:
        """The per-phase timeouts (connect, read, write, pool) of this client or view."""
        return as_httpx_timeout(self._options.timeouts)

    @property
    def http_stack(self) -> str:
        """The HTTP stack this client runs on: `"httpx"` or `"httpx2"`."""
        return self._requester.stack.name

    @property
    def deadline(self) -> float:
        """Seconds one attempt may take in all: connect, send and the whole response."""
        return self._options.deadline

    @property
    def max_response_bytes(self) -> int:
        """The largest response body (counted after decompression) this client or view reads."""
        return self._options.max_response_bytes

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | httpx2.Timeout | None = None,
        deadline: float | None = None,
        max_response_bytes: int | None = None,
        max_retries: int | None = None,
        on_retry: Callable[[RetryEvent], None] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> CustomerClient:
        """Return a view with some options overridden, sharing this client's pool and limiter.

        `await client.with_options(timeout=5).get_customer(56)`. The view shares the connection
        pool, the rate limiter, the credentials and the closed state: closing either closes both.
        Options left as None keep this client's (or view's) values.

        Args:
            timeout: Per-phase timeouts, as in the constructor.
            deadline: Seconds one attempt may take in all, as in the constructor.
            max_response_bytes: Largest response body read, as in the constructor.
            max_retries: Retries after the first attempt (0: none); the backoff settings are kept.
            on_retry: A retry hook added after the hooks already set (they still run first).
            headers: Extra headers sent on every request of the view, added to (or replacing same
                names in) the view's own extra headers. The credential headers,
                `X-UltraCart-Api-Version` and framing headers (Host, Content-Length,
                Transfer-Encoding, Connection) cannot be set.

        Returns:
            A new `CustomerClient` view; this client is unchanged.

        Raises:
            InvalidInputError: An option is out of range, or a header is reserved or not a valid
                header name or value.
        """
        options = self._options
        if timeout is not None:
            options = attrs.evolve(options, timeouts=timeout_option(timeout))
        if deadline is not None:
            options = attrs.evolve(options, deadline=seconds_option("deadline", deadline))
        if max_response_bytes is not None:
            limit = byte_limit_option("max_response_bytes", max_response_bytes)
            options = attrs.evolve(options, max_response_bytes=limit)
        if max_retries is not None:
            options = attrs.evolve(options, retry=with_max_retries(options.retry, max_retries))
        if on_retry is not None:
            options = attrs.evolve(options, on_retry=chain_hooks(options.on_retry, on_retry))
        if headers is not None:
            options = attrs.evolve(options, headers=headers_option(headers, options.headers))
        return self._view(options)

    def _view(self, options: CallOptions) -> CustomerClient:
        view = copy.copy(self)
        view._options = options
        return view

    @property
    def with_raw_response(self) -> WithRawResponse:
        """The same operations, each answering with a `RawResponse` around its model.

        `raw = await client.with_raw_response.get_customer(56)` gives the status code, headers,
        request id, elapsed time and attempt count; `raw.parse()` gives the model. Failures raise
        the same typed errors as the plain methods.
        """
        return WithRawResponse(self._view(attrs.evolve(self._options, raw=True)))

    async def _call(self, op: Operation[R], args: dict[str, Any]) -> R:
        return await self._requester.request(op, args, self._options)

    # -- operations, in the official SDK's (alphabetical) order ------------------------------

    async def add_customer_store_credit(
        self,
        customer_profile_oid: int,
        store_credit_request: models.CustomerStoreCreditAddRequest
        | WithNulls[models.CustomerStoreCreditAddRequest],
    ) -> models.BaseResponse:
        """Add store credit to a customer.

        Money, and no idempotency keys exist: a repeat could add the credit twice, so it is retried
        only when the request provably never left (a connect failure) or was answered 429; any other
        failure once it may have been sent raises `WriteOutcomeUnknownError` instead.

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.
            store_credit_request: The credit to add (amount, description, vesting and expiration
                days): a `models.CustomerStoreCreditAddRequest` (or `uc.with_nulls(...)` of one, to
                send chosen unset fields as JSON null).

        Returns:
            UltraCart's `BaseResponse` (success, metadata, any warning).

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            WriteOutcomeUnknownError: The request may have reached UltraCart and then failed (a
                timeout, a reset, a 5xx, the client closed during the call). It was not retried,
                because a repeat could apply it twice: check the account before trying again.
                Deliberately not an `APIError`.
            APIStatusError: UltraCart answered with a 4xx status (or a success status with an
                `error` object): BadRequestError (400), AuthenticationError (401),
                PermissionDeniedError (403), NotFoundError (404), ApplicationDisabledError (410), or
                RateLimitError (429) once the retries are spent.
            APIConnectionError: The request was provably never sent, after the retries: NotSentError
                (NotSentTimeoutError when connecting or waiting for a connection timed out).
            ResponseDecodeError: A success status whose body is not the JSON expected
                (ResponseTooLargeError past `max_response_bytes`): the write may have been applied.
            ClientClosedError: The client is closed, or was closed during the call before anything
                was sent.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.ADD_CUSTOMER_STORE_CREDIT, locals())

    async def adjust_internal_certificate(
        self,
        customer_profile_oid: int,
        adjust_internal_certificate_request: models.AdjustInternalCertificateRequest
        | WithNulls[models.AdjustInternalCertificateRequest],
    ) -> models.AdjustInternalCertificateResponse:
        """Adjust a customer's cashback balance (UltraCart's internal gift certificate).

        Money: a repeat could adjust the balance twice, so it is retried only when the request
        provably never left (a connect failure) or was answered 429; any other failure once it may
        have been sent raises `WriteOutcomeUnknownError` instead.

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.
            adjust_internal_certificate_request: The adjustment (amount, description, order id,
                vesting, expiration): a `models.AdjustInternalCertificateRequest` (or
                `uc.with_nulls(...)` of one, to send chosen unset fields as JSON null).

        Returns:
            The `AdjustInternalCertificateResponse`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            WriteOutcomeUnknownError: The request may have reached UltraCart and then failed (a
                timeout, a reset, a 5xx, the client closed during the call). It was not retried,
                because a repeat could apply it twice: check the account before trying again.
                Deliberately not an `APIError`.
            APIStatusError: UltraCart answered with a 4xx status (or a success status with an
                `error` object): BadRequestError (400), AuthenticationError (401),
                PermissionDeniedError (403), NotFoundError (404), ApplicationDisabledError (410), or
                RateLimitError (429) once the retries are spent.
            APIConnectionError: The request was provably never sent, after the retries: NotSentError
                (NotSentTimeoutError when connecting or waiting for a connection timed out).
            ResponseDecodeError: A success status whose body is not the JSON expected
                (ResponseTooLargeError past `max_response_bytes`): the write may have been applied.
            ClientClosedError: The client is closed, or was closed during the call before anything
                was sent.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.ADJUST_INTERNAL_CERTIFICATE, locals())

    async def adjust_loyalty_points(
        self,
        customer_profile_oid: int,
        adjust_loyalty_points_request: models.AdjustLoyaltyPointsRequest
        | WithNulls[models.AdjustLoyaltyPointsRequest],
    ) -> models.AdjustLoyaltyPointsResponse:
        """Adjust a customer's loyalty points.

        Points are added, not set: a repeat would add them twice, so it is retried only when the
        request provably never left (a connect failure) or was answered 429; any other failure once
        it may have been sent raises `WriteOutcomeUnknownError` instead.

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.
            adjust_loyalty_points_request: The adjustment (points, description, order id, vesting
                days): a `models.AdjustLoyaltyPointsRequest` (or `uc.with_nulls(...)` of one, to
                send chosen unset fields as JSON null).

        Returns:
            The `AdjustLoyaltyPointsResponse`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            WriteOutcomeUnknownError: The request may have reached UltraCart and then failed (a
                timeout, a reset, a 5xx, the client closed during the call). It was not retried,
                because a repeat could apply it twice: check the account before trying again.
                Deliberately not an `APIError`.
            APIStatusError: UltraCart answered with a 4xx status (or a success status with an
                `error` object): BadRequestError (400), AuthenticationError (401),
                PermissionDeniedError (403), NotFoundError (404), ApplicationDisabledError (410), or
                RateLimitError (429) once the retries are spent.
            APIConnectionError: The request was provably never sent, after the retries: NotSentError
                (NotSentTimeoutError when connecting or waiting for a connection timed out).
            ResponseDecodeError: A success status whose body is not the JSON expected
                (ResponseTooLargeError past `max_response_bytes`): the write may have been applied.
            ClientClosedError: The client is closed, or was closed during the call before anything
                was sent.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.ADJUST_LOYALTY_POINTS, locals())

    async def delete_customer(self, customer_profile_oid: int) -> None:
        """Delete a customer.

        UltraCart answers with no body. Retried like a read; a retry answered 400 or 404 after an
        attempt that may have been processed raises `WriteOutcomeUnknownError`, because the first
        attempt may have deleted the record. UltraCart answers 400 for a customer that does not
        exist.

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400, also UltraCart's answer for a record that does not exist), AuthenticationError
                (401), PermissionDeniedError (403), NotFoundError (404), ApplicationDisabledError
                (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            WriteOutcomeUnknownError: A retry, after an attempt that may have been processed, was
                answered 400 or 404: the record is gone, but whether this call deleted it is
                unknown.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.DELETE_CUSTOMER, locals())

    async def delete_wish_list_item(
        self, customer_profile_oid: int, customer_wishlist_item_oid: int
    ) -> None:
        """Delete one item of a customer's wishlist.

        UltraCart answers with no body. Retried like a read; a retry answered 400 or 404 after an
        attempt that may have been processed raises `WriteOutcomeUnknownError`, because the first
        attempt may have deleted the record.

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.
            customer_wishlist_item_oid: The wishlist item's id (`customer_wishlist_item_oid`), 1 to
                2**31 - 1.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400, also UltraCart's answer for a record that does not exist), AuthenticationError
                (401), PermissionDeniedError (403), NotFoundError (404), ApplicationDisabledError
                (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            WriteOutcomeUnknownError: A retry, after an attempt that may have been processed, was
                answered 400 or 404: the record is gone, but whether this call deleted it is
                unknown.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.DELETE_WISH_LIST_ITEM, locals())

    async def get_customer(
        self, customer_profile_oid: int, *, expand: str | None = None
    ) -> models.CustomerResponse:
        """Fetch one customer by id.

        A read: retried on connection failures, timeouts, 429 and 500/502/503/504.

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.
            expand: The customer parts to include, comma separated (`"billing,shipping"`):
                attachments, billing, cards, cc_emails, loyalty, orders_summary, pricing_tiers,
                privacy, properties, quotes_summary, reviewer, shipping, software_entitlements,
                tags, tax_codes. Sent as `_expand`; None sends none.

        Returns:
            A `CustomerResponse`; its `customer` holds the parts asked for in `expand`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.GET_CUSTOMER, locals())

    async def get_customer_by_email(
        self, email: str, *, expand: str | None = None
    ) -> models.CustomerResponse:
        """Fetch one customer by email address.

        The address is sent as a single, fully percent-encoded path segment. A read: retried on
        connection failures, timeouts, 429 and 500/502/503/504.

        Args:
            email: The customer's email address (not empty).
            expand: The customer parts to include, comma separated, as in `get_customer`
                (`"billing,shipping"`); sent as `_expand`.

        Returns:
            A `CustomerResponse`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.GET_CUSTOMER_BY_EMAIL, locals())

    async def get_customer_editor_values(self) -> models.CustomerEditorValues:
        """Fetch the values a customer editor offers (countries, card types, ...).

        A read: retried on connection failures, timeouts, 429 and 500/502/503/504.

        Returns:
            The `CustomerEditorValues`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.GET_CUSTOMER_EDITOR_VALUES, locals())

    async def get_customer_email_lists(self) -> models.EmailListsResponse:
        """Fetch the account's email lists.

        A read: retried on connection failures, timeouts, 429 and 500/502/503/504.

        Returns:
            An `EmailListsResponse`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.GET_CUSTOMER_EMAIL_LISTS, locals())

    async def get_customer_loyalty(
        self, customer_profile_oid: int
    ) -> models.CustomerLoyaltyResponse:
        """Fetch a customer's loyalty balance and ledger.

        A read: retried on connection failures, timeouts, 429 and 500/502/503/504.

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.

        Returns:
            A `CustomerLoyaltyResponse`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.GET_CUSTOMER_LOYALTY, locals())

    async def get_customer_store_credit(
        self, customer_profile_oid: int
    ) -> models.CustomerStoreCreditResponse:
        """Fetch a customer's store credit balance and ledger.

        A read: retried on connection failures, timeouts, 429 and 500/502/503/504. Check it after a
        `WriteOutcomeUnknownError` of a credit.

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.

        Returns:
            A `CustomerStoreCreditResponse`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.GET_CUSTOMER_STORE_CREDIT, locals())

    async def get_customer_wish_list(
        self, customer_profile_oid: int
    ) -> models.CustomerWishListItemsResponse:
        """Fetch a customer's wishlist items.

        A read: retried on connection failures, timeouts, 429 and 500/502/503/504.

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.

        Returns:
            A `CustomerWishListItemsResponse`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.GET_CUSTOMER_WISH_LIST, locals())

    async def get_customer_wish_list_item(
        self, customer_profile_oid: int, customer_wishlist_item_oid: int
    ) -> models.CustomerWishListItemResponse:
        """Fetch one item of a customer's wishlist.

        A read: retried on connection failures, timeouts, 429 and 500/502/503/504.

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.
            customer_wishlist_item_oid: The wishlist item's id (`customer_wishlist_item_oid`), 1 to
                2**31 - 1.

        Returns:
            A `CustomerWishListItemResponse`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.GET_CUSTOMER_WISH_LIST_ITEM, locals())

    async def get_customers(
        self,
        *,
        email: str | None = None,
        qb_class: str | None = None,
        quickbooks_code: str | None = None,
        last_modified_dts_start: str | None = None,
        last_modified_dts_end: str | None = None,
        signup_dts_start: str | None = None,
        signup_dts_end: str | None = None,
        billing_first_name: str | None = None,
        billing_last_name: str | None = None,
        billing_company: str | None = None,
        billing_city: str | None = None,
        billing_state: str | None = None,
        billing_postal_code: str | None = None,
        billing_country_code: str | None = None,
        billing_day_phone: str | None = None,
        billing_evening_phone: str | None = None,
        shipping_first_name: str | None = None,
        shipping_last_name: str | None = None,
        shipping_company: str | None = None,
        shipping_city: str | None = None,
        shipping_state: str | None = None,
        shipping_postal_code: str | None = None,
        shipping_country_code: str | None = None,
        shipping_day_phone: str | None = None,
        shipping_evening_phone: str | None = None,
        pricing_tier_oid: int | None = None,
        pricing_tier_name: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        since: str | None = None,
        sort: str | None = None,
        expand: str | None = None,
    ) -> models.CustomersResponse:
        """Fetch one page of customers matching the filters.

        Every filter is optional and sent under its own name; None leaves it out. For every page,
        use `iter_customers`. A read: retried on connection failures, timeouts, 429 and
        500/502/503/504.

        Args:
            email: Filter: email address.
            qb_class: Filter: QuickBooks class.
            quickbooks_code: Filter: QuickBooks code.
            last_modified_dts_start: Filter: start of the last-modified range, ISO-8601.
            last_modified_dts_end: Filter: end of the last-modified range, ISO-8601 with an offset.
            signup_dts_start: Filter: start of the signup range, ISO-8601 with an offset.
            signup_dts_end: Filter: end of the signup range, ISO-8601 with an offset.
            billing_first_name: Filter: billing first name.
            billing_last_name: Filter: billing last name.
            billing_company: Filter: billing company.
            billing_city: Filter: billing city.
            billing_state: Filter: billing state or region.
            billing_postal_code: Filter: billing postal code.
            billing_country_code: Filter: billing country code.
            billing_day_phone: Filter: billing day phone.
            billing_evening_phone: Filter: billing evening phone.
            shipping_first_name: Filter: shipping first name.
            shipping_last_name: Filter: shipping last name.
            shipping_company: Filter: shipping company.
            shipping_city: Filter: shipping city.
            shipping_state: Filter: shipping state or region.
            shipping_postal_code: Filter: shipping postal code.
            shipping_country_code: Filter: shipping country code.
            shipping_day_phone: Filter: shipping day phone.
            shipping_evening_phone: Filter: shipping evening phone.
            pricing_tier_oid: Filter: pricing tier id (a 32-bit int).
            pricing_tier_name: Filter: pricing tier name.
            limit: Customers per page, 1 to 200 (`_limit`; None: UltraCart's default, 100).
            offset: Zero-based position of the page's first customer (`_offset`; None: 0).
            since: Only customers changed since then (`_since`), `"2024-01-31T00:00:00-05:00"`.
            sort: Sort fields (`_sort`), `+`/`-` for the direction: `"+billing.last_name"`.
            expand: The customer parts to include (`_expand`), as in `get_customer`.

        Returns:
            A `CustomersResponse`: `customers`, and `metadata.result_set` (count, limit, offset,
            more, next_offset, total_records; total_records may be None).

        Raises:
            InvalidInputError: An argument is invalid; nothing was sent.
            APIStatusError: An error status after any retries; its subclass names the status.
            APIConnectionError: No complete response; APITimeoutError past a timeout or deadline.
            ResponseDecodeError: Not the JSON expected; ResponseTooLargeError past the size cap.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an ended event loop.
        """
        return await self._call(_op.GET_CUSTOMERS, locals())

    async def get_customers_by_query(
        self,
        customer_query: models.CustomerQuery | WithNulls[models.CustomerQuery],
        *,
        limit: int | None = None,
        offset: int | None = None,
        since: str | None = None,
        sort: str | None = None,
        expand: str | None = None,
    ) -> models.CustomersResponse:
        """Fetch one page of customers matching a `CustomerQuery`.

        A read sent as POST, so retried like a read (connection failures, timeouts, 429 and
        500/502/503/504). For every page, use `iter_customers_by_query`.

        Args:
            customer_query: The query: a `models.CustomerQuery` (or `uc.with_nulls(...)` of one, to
                send chosen unset fields as JSON null).
            limit: Customers per page, 1 to 200 (sent as `_limit`; None: UltraCart's default, 100);
                above 200 is refused before sending.
            offset: Zero-based position of the page's first customer (`_offset`; None: 0).
            since: Only customers created or modified since this time, ISO-8601 with an offset
                (`"2024-01-31T00:00:00-05:00"`); sent as `_since`.
            sort: Sort fields, comma separated, `+` ascending and `-` descending
                (`"+billing.last_name,-signup_dts"`); sent as `_sort`, percent-encoded.
            expand: The customer parts to include, comma separated, as in `get_customer`
                (`"billing,shipping"`); sent as `_expand`.

        Returns:
            A `CustomersResponse`, as `get_customers` returns.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.GET_CUSTOMERS_BY_QUERY, locals())

    async def get_customers_for_data_tables(
        self, *, expand: str | None = None
    ) -> models.DataTablesServerSideResponse:
        """Fetch customers in the DataTables server-side format.

        A read sent as POST, so retried like a read.

        Args:
            expand: The customer parts to include, comma separated, as in `get_customer`
                (`"billing,shipping"`); sent as `_expand`.

        Returns:
            A `DataTablesServerSideResponse`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.GET_CUSTOMERS_FOR_DATA_TABLES, locals())

    async def get_email_verification_token(
        self,
        token_request: models.EmailVerifyTokenRequest | WithNulls[models.EmailVerifyTokenRequest],
    ) -> models.EmailVerifyTokenResponse:
        """Create a token to verify a customer's email address.

        Each call issues a fresh token; it is retried like a read (a repeat only replaces a token
        whose answer was lost).

        Args:
            token_request: The email address (and password): a `models.EmailVerifyTokenRequest` (or
                `uc.with_nulls(...)` of one, to send chosen unset fields as JSON null).

        Returns:
            An `EmailVerifyTokenResponse` holding the `token`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.GET_EMAIL_VERIFICATION_TOKEN, locals())

    async def get_magic_link(
        self, customer_profile_oid: int, storefront_host_name: str
    ) -> models.CustomerMagicLinkResponse:
        """Create a magic login link for a customer on a storefront.

        Each call issues a fresh link; it is retried like a read (a repeat only replaces a link
        whose answer was lost).

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.
            storefront_host_name: The storefront's host name (`"shop.example.com"`).

        Returns:
            A `CustomerMagicLinkResponse` holding the `url`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.GET_MAGIC_LINK, locals())

    async def get_quick_books_online_customers(
        self, *, q: str | None = None
    ) -> models.QuickBooksOnlineCustomersResponse:
        """Search the merchant's QuickBooks Online customers (typeahead).

        A read: retried on connection failures, timeouts, 429 and 500/502/503/504.

        Args:
            q: The text to search for; None sends no `q`.

        Returns:
            A `QuickBooksOnlineCustomersResponse`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.GET_QUICK_BOOKS_ONLINE_CUSTOMERS, locals())

    async def insert_customer(
        self, customer: models.Customer | WithNulls[models.Customer], *, expand: str | None = None
    ) -> models.CustomerResponse:
        """Create a customer.

        A repeat would create a duplicate profile (no idempotency keys exist), so it is retried only
        when the request provably never left (a connect failure) or was answered 429; any other
        failure once it may have been sent raises `WriteOutcomeUnknownError` instead.

        Args:
            customer: The new customer (unset fields are not sent): a `models.Customer` (or
                `uc.with_nulls(...)` of one, to send chosen unset fields as JSON null).
            expand: The parts of the created customer to return, as in `get_customer`.

        Returns:
            A `CustomerResponse` with the created customer (its `customer_profile_oid`).

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            WriteOutcomeUnknownError: The request may have reached UltraCart and then failed (a
                timeout, a reset, a 5xx, the client closed during the call). It was not retried,
                because a repeat could apply it twice: check the account before trying again.
                Deliberately not an `APIError`.
            APIStatusError: UltraCart answered with a 4xx status (or a success status with an
                `error` object): BadRequestError (400), AuthenticationError (401),
                PermissionDeniedError (403), NotFoundError (404), ApplicationDisabledError (410), or
                RateLimitError (429) once the retries are spent.
            APIConnectionError: The request was provably never sent, after the retries: NotSentError
                (NotSentTimeoutError when connecting or waiting for a connection timed out).
            ResponseDecodeError: A success status whose body is not the JSON expected
                (ResponseTooLargeError past `max_response_bytes`): the write may have been applied.
            ClientClosedError: The client is closed, or was closed during the call before anything
                was sent.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.INSERT_CUSTOMER, locals())

    async def insert_wish_list_item(
        self,
        customer_profile_oid: int,
        wishlist_item: models.CustomerWishListItem | WithNulls[models.CustomerWishListItem],
    ) -> models.CustomerWishListItem:
        """Add an item to a customer's wishlist.

        A repeat would add the item twice, so it is retried only when the request provably never
        left (a connect failure) or was answered 429; any other failure once it may have been sent
        raises `WriteOutcomeUnknownError` instead.

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.
            wishlist_item: The item to add: a `models.CustomerWishListItem` (or `uc.with_nulls(...)`
                of one, to send chosen unset fields as JSON null).

        Returns:
            The created `CustomerWishListItem`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            WriteOutcomeUnknownError: The request may have reached UltraCart and then failed (a
                timeout, a reset, a 5xx, the client closed during the call). It was not retried,
                because a repeat could apply it twice: check the account before trying again.
                Deliberately not an `APIError`.
            APIStatusError: UltraCart answered with a 4xx status (or a success status with an
                `error` object): BadRequestError (400), AuthenticationError (401),
                PermissionDeniedError (403), NotFoundError (404), ApplicationDisabledError (410), or
                RateLimitError (429) once the retries are spent.
            APIConnectionError: The request was provably never sent, after the retries: NotSentError
                (NotSentTimeoutError when connecting or waiting for a connection timed out).
            ResponseDecodeError: A success status whose body is not the JSON expected
                (ResponseTooLargeError past `max_response_bytes`): the write may have been applied.
            ClientClosedError: The client is closed, or was closed during the call before anything
                was sent.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.INSERT_WISH_LIST_ITEM, locals())

    @overload
    async def merge_customer(
        self,
        customer_profile_oid: int,
        customer: models.CustomerMergeRequest | WithNulls[models.CustomerMergeRequest],
        *,
        expand: str | None = None,
    ) -> None: ...

    @overload
    async def merge_customer(
        self,
        customer: models.CustomerMergeRequest | WithNulls[models.CustomerMergeRequest],
        customer_profile_oid: int,
        *,
        expand: str | None = None,
    ) -> None: ...

    async def merge_customer(self, *args: Any, expand: str | None = None, **kwargs: Any) -> None:
        """Merge another customer into this one; UltraCart deletes the other profile.

        Takes `(customer_profile_oid, customer)`, as the current official SDK does, or
        `(customer, customer_profile_oid)`, as its older releases did (an int is the id whichever
        place it takes); keywords work too. UltraCart answers with no body.

        A PUT, but it folds the other profile in and deletes it: a repeat is not safe, so it is
        retried only when the request provably never left (a connect failure) or was answered 429;
        any other failure once it may have been sent raises `WriteOutcomeUnknownError` instead.

        Args:
            customer_profile_oid: The id of the customer that remains (`customer_profile_oid`), 1 to
                2**31 - 1; first or second positional argument.
            customer: The customer to merge in, named by its `customer_profile_oid` or `email`: a
                `models.CustomerMergeRequest` (or `uc.with_nulls(...)` of one); the other positional
                argument.
            expand: Sent as `_expand`, comma separated as in `get_customer` (the spec lists it; the
                answer has no body).

        Raises:
            TypeError: Missing, extra or repeated arguments.
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            WriteOutcomeUnknownError: The request may have reached UltraCart and then failed (a
                timeout, a reset, a 5xx, the client closed during the call). It was not retried,
                because a repeat could apply it twice: check the account before trying again.
                Deliberately not an `APIError`.
            APIStatusError: UltraCart answered with a 4xx status (or a success status with an
                `error` object): BadRequestError (400), AuthenticationError (401),
                PermissionDeniedError (403), NotFoundError (404), ApplicationDisabledError (410), or
                RateLimitError (429) once the retries are spent.
            APIConnectionError: The request was provably never sent, after the retries: NotSentError
                (NotSentTimeoutError when connecting or waiting for a connection timed out).
            ResponseDecodeError: A success status whose body is not the JSON expected
                (ResponseTooLargeError past `max_response_bytes`): the write may have been applied.
            ClientClosedError: The client is closed, or was closed during the call before anything
                was sent.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        args_by_name = either_order(_op.MERGE_CUSTOMER, args, kwargs)
        return await self._call(_op.MERGE_CUSTOMER, {**args_by_name, "expand": expand})

    async def search_customer_profile_values(
        self, lookup_request: models.LookupRequest | WithNulls[models.LookupRequest]
    ) -> models.LookupResponse:
        """Look up values of customer profile fields.

        The one operation a browser key may call. A read sent as POST, so retried like a read.

        Args:
            lookup_request: What to look up (category, matches, max hits, ...): a
                `models.LookupRequest` (or `uc.with_nulls(...)` of one, to send chosen unset fields
                as JSON null).

        Returns:
            A `LookupResponse`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.SEARCH_CUSTOMER_PROFILE_VALUES, locals())

    async def search_customers(
        self,
        *,
        search_string: str | None = None,
        signup_dts_start: str | None = None,
        signup_dts_end: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        since: str | None = None,
        sort: str | None = None,
        expand: str | None = None,
    ) -> models.CustomersResponse:
        """Fetch one page of customers matching a free-text search.

        A read: retried on connection failures, timeouts, 429 and 500/502/503/504. For every page,
        use `iter_search_customers`.

        Args:
            search_string: The text to search for.
            signup_dts_start: Start of the signup date range, ISO-8601 with an offset.
            signup_dts_end: End of the signup date range, ISO-8601 with an offset.
            limit: Customers per page, 1 to 200 (sent as `_limit`; None: UltraCart's default, 100);
                above 200 is refused before sending.
            offset: Zero-based position of the page's first customer (`_offset`; None: 0).
            since: Only customers created or modified since this time, ISO-8601 with an offset
                (`"2024-01-31T00:00:00-05:00"`); sent as `_since`.
            sort: Sort fields, comma separated, `+` ascending and `-` descending
                (`"+billing.last_name,-signup_dts"`); sent as `_sort`, percent-encoded.
            expand: The customer parts to include, comma separated, as in `get_customer`
                (`"billing,shipping"`); sent as `_expand`.

        Returns:
            A `CustomersResponse`, as `get_customers` returns.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.SEARCH_CUSTOMERS, locals())

    @overload
    async def update_customer(
        self,
        customer_profile_oid: int,
        customer: models.Customer | WithNulls[models.Customer],
        *,
        expand: str | None = None,
    ) -> models.CustomerResponse: ...

    @overload
    async def update_customer(
        self,
        customer: models.Customer | WithNulls[models.Customer],
        customer_profile_oid: int,
        *,
        expand: str | None = None,
    ) -> models.CustomerResponse: ...

    async def update_customer(
        self, *args: Any, expand: str | None = None, **kwargs: Any
    ) -> models.CustomerResponse:
        """Update a customer.

        Takes `(customer_profile_oid, customer)`, as the current official SDK does, or
        `(customer, customer_profile_oid)`, as its older releases did (an int is the id whichever
        place it takes); keywords work too.

        A partial update: when the customer was read with an `expand`, send the same `expand`, as
        UltraCart updates only the expanded parts. Unset (None) fields are never sent (for several
        fields UltraCart reads a null, like a missing field, as "no change"); a null goes out only
        where `uc.with_nulls` names it. Retried like a read (the same PUT leaves the same state); an
        update that adds list entries without ids (a new card or address) may be safer with
        `with_options(max_retries=0)`.

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1; first
                or second positional argument.
            customer: The fields to change: a `models.Customer` (or `uc.with_nulls(...)` of one, to
                send chosen unset fields as JSON null); the other positional argument.
            expand: The parts to update (and to return), comma separated, as in `get_customer`: the
                same `expand` the customer was read with.

        Returns:
            A `CustomerResponse` with the updated customer.

        Raises:
            TypeError: Missing, extra or repeated arguments.
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        args_by_name = either_order(_op.UPDATE_CUSTOMER, args, kwargs)
        return await self._call(_op.UPDATE_CUSTOMER, {**args_by_name, "expand": expand})

    async def update_customer_email_lists(
        self,
        customer_profile_oid: int,
        list_changes: models.CustomerEmailListChanges | WithNulls[models.CustomerEmailListChanges],
    ) -> models.CustomerEmailListChanges:
        """Subscribe a customer to email lists, or unsubscribe them.

        Repeating it leaves the same state, so it is retried like a read (connection failures,
        timeouts, 429, 500/502/503/504).

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.
            list_changes: The lists to add to and remove from: a `models.CustomerEmailListChanges`
                (or `uc.with_nulls(...)` of one, to send chosen unset fields as JSON null).

        Returns:
            The resulting `CustomerEmailListChanges`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.UPDATE_CUSTOMER_EMAIL_LISTS, locals())

    async def update_customer_email_suppression(
        self,
        customer_profile_oid: int,
        suppression_changes: models.CustomerEmailSuppressionRequest
        | WithNulls[models.CustomerEmailSuppressionRequest],
    ) -> models.CustomerEmailSuppressionResponse:
        """Update a customer's email suppression settings (bounce, spam complaint, unsubscribe).

        Repeating it leaves the same state, so it is retried like a read (connection failures,
        timeouts, 429, 500/502/503/504).

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.
            suppression_changes: The flags to clear, with reason and consent source: a
                `models.CustomerEmailSuppressionRequest` (or `uc.with_nulls(...)` of one, to send
                chosen unset fields as JSON null).

        Returns:
            A `CustomerEmailSuppressionResponse`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.UPDATE_CUSTOMER_EMAIL_SUPPRESSION, locals())

    async def update_wish_list_item(
        self,
        customer_profile_oid: int,
        customer_wishlist_item_oid: int,
        wishlist_item: models.CustomerWishListItem | WithNulls[models.CustomerWishListItem],
    ) -> models.CustomerWishListItem:
        """Update one item of a customer's wishlist.

        Repeating it leaves the same state, so it is retried like a read (connection failures,
        timeouts, 429, 500/502/503/504).

        Args:
            customer_profile_oid: The customer's id (`customer_profile_oid`), 1 to 2**31 - 1.
            customer_wishlist_item_oid: The wishlist item's id (`customer_wishlist_item_oid`), 1 to
                2**31 - 1.
            wishlist_item: The item's new fields: a `models.CustomerWishListItem` (or
                `uc.with_nulls(...)` of one, to send chosen unset fields as JSON null).

        Returns:
            The updated `CustomerWishListItem`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            APIStatusError: UltraCart answered with an error status (or a success status with an
                `error` object), after any retries. The subclass names the status: BadRequestError
                (400), AuthenticationError (401), PermissionDeniedError (403), NotFoundError (404),
                ApplicationDisabledError (410), RateLimitError (429), ServerError (5xx).
            APIConnectionError: No complete response after the retries; APITimeoutError when a
                timeout or the `deadline` ran out.
            ResponseDecodeError: The response is not the JSON expected; ResponseTooLargeError when
                its body exceeds `max_response_bytes`.
            ClientClosedError: The client is closed, or was closed during the call.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.UPDATE_WISH_LIST_ITEM, locals())

    async def validate_email_verification_token(
        self,
        validation_request: models.EmailVerifyTokenValidateRequest
        | WithNulls[models.EmailVerifyTokenValidateRequest],
    ) -> models.EmailVerifyTokenValidateResponse:
        """Validate an email verification token.

        A token may be single use: after a lost answer, a repeat could report a valid token as
        invalid, so it is retried only when the request provably never left (a connect failure) or
        was answered 429; any other failure once it may have been sent raises
        `WriteOutcomeUnknownError` instead.

        Args:
            validation_request: The token to validate: a `models.EmailVerifyTokenValidateRequest`
                (or `uc.with_nulls(...)` of one, to send chosen unset fields as JSON null).

        Returns:
            An `EmailVerifyTokenValidateResponse`.

        Raises:
            InvalidInputError: An argument is invalid, or the client's credential cannot call this
                operation; nothing was sent.
            WriteOutcomeUnknownError: The request may have reached UltraCart and then failed (a
                timeout, a reset, a 5xx, the client closed during the call). It was not retried,
                because a repeat could apply it twice: check the account before trying again.
                Deliberately not an `APIError`.
            APIStatusError: UltraCart answered with a 4xx status (or a success status with an
                `error` object): BadRequestError (400), AuthenticationError (401),
                PermissionDeniedError (403), NotFoundError (404), ApplicationDisabledError (410), or
                RateLimitError (429) once the retries are spent.
            APIConnectionError: The request was provably never sent, after the retries: NotSentError
                (NotSentTimeoutError when connecting or waiting for a connection timed out).
            ResponseDecodeError: A success status whose body is not the JSON expected
                (ResponseTooLargeError past `max_response_bytes`): the write may have been applied.
            ClientClosedError: The client is closed, or was closed during the call before anything
                was sent.
            EventLoopMismatchError: The client's connections belong to an event loop that has ended.
        """
        return await self._call(_op.VALIDATE_EMAIL_VERIFICATION_TOKEN, locals())

    # -- every page: concurrent pagers (arguments checked now; first request on iteration) ---

    def iter_customers(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        concurrency: int = DEFAULT_PAGER_CONCURRENCY,
        expand: str | None = None,
        sort: str | None = None,
        since: str | None = None,
        start_offset: int = 0,
        **filters: str | int | None,
    ) -> CustomerIterator:
        """Iterate over every customer matching `get_customers` filters, in server order, once each.

        `async for c in client.iter_customers(billing_state="TX", expand="billing"): ...`;
        `.pages()` gives the `CustomersResponse` pages instead. Arguments are checked now; the first
        request is sent on the first iteration (or on entering `async with`). Pages are fetched
        concurrently, handed out in server order, and a customer already handed out (same
        `customer_profile_oid`) is dropped. Leaving early (`break`, `aclose()`, the end of an
        `async with` block) cancels what is in flight.

        Args:
            page_size: Customers per request, 1 to 200 (default 200).
            concurrency: Most requests in flight at once (default 4); lowered automatically after a
                429 and raised again after successes. 1 fetches one page at a time.
            expand: The customer parts to include, comma separated, as in `get_customer`.
            sort: Sort fields, as in `get_customers`; a key that never changes
                (`"+customer_profile_oid"`) keeps updated records from moving during a live export.
            since: Only customers created or modified since this time (ISO-8601 with an offset).
            start_offset: Where the first page starts (default 0), to continue an interrupted walk.
            **filters: Any `get_customers` filter by name (`email`, `billing_state`,
                `signup_dts_start`, `pricing_tier_oid`, ...), checked against the operation's
                parameters.

        Returns:
            A `CustomerIterator` (async iterator and async context manager; `stats`).

        Raises:
            InvalidInputError: Raised now, before anything is sent: an argument is invalid (a
                `limit` or `offset`, which the pager sets itself, included).
            UltraCartError: Raised while iterating, at the failed page's position (after the
                customers before it): the error the page's method raises, after its retries.
            PaginationError: Raised while iterating: the server's pages stopped making progress.
        """
        return walk_customers(
            self,
            page_size=page_size,
            concurrency=concurrency,
            expand=expand,
            sort=sort,
            since=since,
            start_offset=start_offset,
            filters=filters,
        )

    def iter_customers_pages(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        concurrency: int = DEFAULT_PAGER_CONCURRENCY,
        expand: str | None = None,
        sort: str | None = None,
        since: str | None = None,
        start_offset: int = 0,
        **filters: str | int | None,
    ) -> CustomerPageIterator:
        """Iterate over the `CustomersResponse` pages of `iter_customers`' walk.

        Arguments are checked now; the first request is sent on the first iteration (or on entering
        `async with`). Pages are fetched concurrently, handed out in server order, and a customer
        already handed out (same `customer_profile_oid`) is dropped. Leaving early (`break`,
        `aclose()`, the end of an `async with` block) cancels what is in flight.

        Args:
            page_size: Customers per request, 1 to 200 (default 200).
            concurrency: Most requests in flight at once (default 4); lowered automatically after a
                429 and raised again after successes. 1 fetches one page at a time.
            expand: The customer parts to include, comma separated, as in `get_customer`.
            sort: Sort fields, as in `get_customers`; a key that never changes
                (`"+customer_profile_oid"`) keeps updated records from moving during a live export.
            since: Only customers created or modified since this time (ISO-8601 with an offset).
            start_offset: Where the first page starts (default 0), to continue an interrupted walk.
            **filters: Any `get_customers` filter by name, as in `iter_customers`.

        Returns:
            A `CustomerPageIterator` (async iterator and async context manager; `stats`).

        Raises:
            InvalidInputError: Raised now, before anything is sent: an argument is invalid (a
                `limit` or `offset`, which the pager sets itself, included).
            UltraCartError: Raised while iterating, at the failed page's position (after the
                customers before it): the error the page's method raises, after its retries.
            PaginationError: Raised while iterating: the server's pages stopped making progress.
        """
        return self.iter_customers(
            page_size=page_size,
            concurrency=concurrency,
            expand=expand,
            sort=sort,
            since=since,
            start_offset=start_offset,
            **filters,
        ).pages()

    def iter_customers_by_query(
        self,
        customer_query: models.CustomerQuery | WithNulls[models.CustomerQuery],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        concurrency: int = DEFAULT_PAGER_CONCURRENCY,
        expand: str | None = None,
        sort: str | None = None,
        since: str | None = None,
        start_offset: int = 0,
    ) -> CustomerIterator:
        """Iterate over every customer matching a `CustomerQuery`, in server order, once each.

        Pages through `get_customers_by_query`. Arguments are checked now; the first request is sent
        on the first iteration (or on entering `async with`). Pages are fetched concurrently, handed
        out in server order, and a customer already handed out (same `customer_profile_oid`) is
        dropped. Leaving early (`break`, `aclose()`, the end of an `async with` block) cancels what
        is in flight.

        Args:
            customer_query: The query, sent with every page: a `models.CustomerQuery` (or
                `uc.with_nulls(...)` of one, to send chosen unset fields as JSON null).
            page_size: Customers per request, 1 to 200 (default 200).
            concurrency: Most requests in flight at once (default 4); lowered automatically after a
                429 and raised again after successes. 1 fetches one page at a time.
            expand: The customer parts to include, comma separated, as in `get_customer`.
            sort: Sort fields, as in `get_customers`; a key that never changes
                (`"+customer_profile_oid"`) keeps updated records from moving during a live export.
            since: Only customers created or modified since this time (ISO-8601 with an offset).
            start_offset: Where the first page starts (default 0), to continue an interrupted walk.

        Returns:
            A `CustomerIterator` (async iterator and async context manager; `stats`).

        Raises:
            InvalidInputError: Raised now, before anything is sent: an argument is invalid (a
                `limit` or `offset`, which the pager sets itself, included).
            UltraCartError: Raised while iterating, at the failed page's position (after the
                customers before it): the error the page's method raises, after its retries.
            PaginationError: Raised while iterating: the server's pages stopped making progress.
        """
        return walk_customers_by_query(
            self,
            customer_query,
            page_size=page_size,
            concurrency=concurrency,
            expand=expand,
            sort=sort,
            since=since,
            start_offset=start_offset,
        )

    def iter_customers_by_query_pages(
        self,
        customer_query: models.CustomerQuery | WithNulls[models.CustomerQuery],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        concurrency: int = DEFAULT_PAGER_CONCURRENCY,
        expand: str | None = None,
        sort: str | None = None,
        since: str | None = None,
        start_offset: int = 0,
    ) -> CustomerPageIterator:
        """Iterate over the `CustomersResponse` pages of `iter_customers_by_query`' walk.

        Arguments are checked now; the first request is sent on the first iteration (or on entering
        `async with`). Pages are fetched concurrently, handed out in server order, and a customer
        already handed out (same `customer_profile_oid`) is dropped. Leaving early (`break`,
        `aclose()`, the end of an `async with` block) cancels what is in flight.

        Args:
            customer_query: The query, sent with every page: a `models.CustomerQuery` (or
                `uc.with_nulls(...)` of one, to send chosen unset fields as JSON null).
            page_size: Customers per request, 1 to 200 (default 200).
            concurrency: Most requests in flight at once (default 4); lowered automatically after a
                429 and raised again after successes. 1 fetches one page at a time.
            expand: The customer parts to include, comma separated, as in `get_customer`.
            sort: Sort fields, as in `get_customers`; a key that never changes
                (`"+customer_profile_oid"`) keeps updated records from moving during a live export.
            since: Only customers created or modified since this time (ISO-8601 with an offset).
            start_offset: Where the first page starts (default 0), to continue an interrupted walk.

        Returns:
            A `CustomerPageIterator` (async iterator and async context manager; `stats`).

        Raises:
            InvalidInputError: Raised now, before anything is sent: an argument is invalid (a
                `limit` or `offset`, which the pager sets itself, included).
            UltraCartError: Raised while iterating, at the failed page's position (after the
                customers before it): the error the page's method raises, after its retries.
            PaginationError: Raised while iterating: the server's pages stopped making progress.
        """
        return self.iter_customers_by_query(
            customer_query,
            page_size=page_size,
            concurrency=concurrency,
            expand=expand,
            sort=sort,
            since=since,
            start_offset=start_offset,
        ).pages()

    def iter_search_customers(
        self,
        *,
        search_string: str | None = None,
        signup_dts_start: str | None = None,
        signup_dts_end: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        concurrency: int = DEFAULT_PAGER_CONCURRENCY,
        expand: str | None = None,
        sort: str | None = None,
        since: str | None = None,
        start_offset: int = 0,
    ) -> CustomerIterator:
        """Iterate over every customer `search_customers` finds, in server order, once each.

        Arguments are checked now; the first request is sent on the first iteration (or on entering
        `async with`). Pages are fetched concurrently, handed out in server order, and a customer
        already handed out (same `customer_profile_oid`) is dropped. Leaving early (`break`,
        `aclose()`, the end of an `async with` block) cancels what is in flight.

        Args:
            search_string: The text to search for, as in `search_customers`.
            signup_dts_start: Start of the signup date range, ISO-8601 with an offset.
            signup_dts_end: End of the signup date range, ISO-8601 with an offset.
            page_size: Customers per request, 1 to 200 (default 200).
            concurrency: Most requests in flight at once (default 4); lowered automatically after a
                429 and raised again after successes. 1 fetches one page at a time.
            expand: The customer parts to include, comma separated, as in `get_customer`.
            sort: Sort fields, as in `get_customers`; a key that never changes
                (`"+customer_profile_oid"`) keeps updated records from moving during a live export.
            since: Only customers created or modified since this time (ISO-8601 with an offset).
            start_offset: Where the first page starts (default 0), to continue an interrupted walk.

        Returns:
            A `CustomerIterator` (async iterator and async context manager; `stats`).

        Raises:
            InvalidInputError: Raised now, before anything is sent: an argument is invalid (a
                `limit` or `offset`, which the pager sets itself, included).
            UltraCartError: Raised while iterating, at the failed page's position (after the
                customers before it): the error the page's method raises, after its retries.
            PaginationError: Raised while iterating: the server's pages stopped making progress.
        """
        return walk_search_customers(
            self,
            search_string=search_string,
            signup_dts_start=signup_dts_start,
            signup_dts_end=signup_dts_end,
            page_size=page_size,
            concurrency=concurrency,
            expand=expand,
            sort=sort,
            since=since,
            start_offset=start_offset,
        )

    def iter_search_customers_pages(
        self,
        *,
        search_string: str | None = None,
        signup_dts_start: str | None = None,
        signup_dts_end: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        concurrency: int = DEFAULT_PAGER_CONCURRENCY,
        expand: str | None = None,
        sort: str | None = None,
        since: str | None = None,
        start_offset: int = 0,
    ) -> CustomerPageIterator:
        """Iterate over the `CustomersResponse` pages of `iter_search_customers`' walk.

        Arguments are checked now; the first request is sent on the first iteration (or on entering
        `async with`). Pages are fetched concurrently, handed out in server order, and a customer
        already handed out (same `customer_profile_oid`) is dropped. Leaving early (`break`,
        `aclose()`, the end of an `async with` block) cancels what is in flight.

        Args:
            search_string: The text to search for, as in `search_customers`.
            signup_dts_start: Start of the signup date range, ISO-8601 with an offset.
            signup_dts_end: End of the signup date range, ISO-8601 with an offset.
            page_size: Customers per request, 1 to 200 (default 200).
            concurrency: Most requests in flight at once (default 4); lowered automatically after a
                429 and raised again after successes. 1 fetches one page at a time.
            expand: The customer parts to include, comma separated, as in `get_customer`.
            sort: Sort fields, as in `get_customers`; a key that never changes
                (`"+customer_profile_oid"`) keeps updated records from moving during a live export.
            since: Only customers created or modified since this time (ISO-8601 with an offset).
            start_offset: Where the first page starts (default 0), to continue an interrupted walk.

        Returns:
            A `CustomerPageIterator` (async iterator and async context manager; `stats`).

        Raises:
            InvalidInputError: Raised now, before anything is sent: an argument is invalid (a
                `limit` or `offset`, which the pager sets itself, included).
            UltraCartError: Raised while iterating, at the failed page's position (after the
                customers before it): the error the page's method raises, after its retries.
            PaginationError: Raised while iterating: the server's pages stopped making progress.
        """
        return self.iter_search_customers(
            search_string=search_string,
            signup_dts_start=signup_dts_start,
            signup_dts_end=signup_dts_end,
            page_size=page_size,
            concurrency=concurrency,
            expand=expand,
            sort=sort,
            since=since,
            start_offset=start_offset,
        ).pages()


class _RawOperation(Generic[P, R]):
    """`WithRawResponse.<operation>`: the client's method, answering with a RawResponse."""

    def __init__(self, method: Callable[Concatenate[CustomerClient, P], Awaitable[R]]) -> None:
        self._name = method.__name__

    def __get__(
        self, facade: WithRawResponse, owner: type[WithRawResponse]
    ) -> Callable[P, Awaitable[RawResponse[R]]]:
        # The facade's client is a view whose calls already answer with RawResponse.
        method: Callable[P, Awaitable[RawResponse[R]]] = getattr(facade._client, self._name)
        return method


class WithRawResponse:
    """`client.with_raw_response`: every client operation, answering with a `RawResponse`.

    Same arguments as the client's methods; each answers with `uc.RawResponse[model]`. Failures
    raise the same typed errors.
    """

    def __init__(self, client: CustomerClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"WithRawResponse({self._client!r})"

    add_customer_store_credit = _RawOperation(CustomerClient.add_customer_store_credit)
    adjust_internal_certificate = _RawOperation(CustomerClient.adjust_internal_certificate)
    adjust_loyalty_points = _RawOperation(CustomerClient.adjust_loyalty_points)
    delete_customer = _RawOperation(CustomerClient.delete_customer)
    delete_wish_list_item = _RawOperation(CustomerClient.delete_wish_list_item)
    get_customer = _RawOperation(CustomerClient.get_customer)
    get_customer_by_email = _RawOperation(CustomerClient.get_customer_by_email)
    get_customer_editor_values = _RawOperation(CustomerClient.get_customer_editor_values)
    get_customer_email_lists = _RawOperation(CustomerClient.get_customer_email_lists)
    get_customer_loyalty = _RawOperation(CustomerClient.get_customer_loyalty)
    get_customer_store_credit = _RawOperation(CustomerClient.get_customer_store_credit)
    get_customer_wish_list = _RawOperation(CustomerClient.get_customer_wish_list)
    get_customer_wish_list_item = _RawOperation(CustomerClient.get_customer_wish_list_item)
    get_customers = _RawOperation(CustomerClient.get_customers)
    get_customers_by_query = _RawOperation(CustomerClient.get_customers_by_query)
    get_customers_for_data_tables = _RawOperation(CustomerClient.get_customers_for_data_tables)
    get_email_verification_token = _RawOperation(CustomerClient.get_email_verification_token)
    get_magic_link = _RawOperation(CustomerClient.get_magic_link)
    get_quick_books_online_customers = _RawOperation(
        CustomerClient.get_quick_books_online_customers
    )
    insert_customer = _RawOperation(CustomerClient.insert_customer)
    insert_wish_list_item = _RawOperation(CustomerClient.insert_wish_list_item)
    merge_customer = _RawOperation(CustomerClient.merge_customer)
    search_customer_profile_values = _RawOperation(CustomerClient.search_customer_profile_values)
    search_customers = _RawOperation(CustomerClient.search_customers)
    update_customer = _RawOperation(CustomerClient.update_customer)
    update_customer_email_lists = _RawOperation(CustomerClient.update_customer_email_lists)
    update_customer_email_suppression = _RawOperation(
        CustomerClient.update_customer_email_suppression
    )
    update_wish_list_item = _RawOperation(CustomerClient.update_wish_list_item)
    validate_email_verification_token = _RawOperation(
        CustomerClient.validate_email_verification_token
    )
