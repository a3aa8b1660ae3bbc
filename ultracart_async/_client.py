"""`CustomerClient`: lifecycle, options, and one short async method per Customer API operation.

Each method names its `Operation` (generated from the spec, `_operations`) and hands its
arguments to the `Requester`, which validates, authenticates, rate-limits, retries, maps errors
and decodes.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, cast, overload

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
    chain_hooks,
    credentials_option,
    headers_option,
    seconds_option,
    stack_option,
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

    Credentials: `simple_key` (positional, as in the official SDK), `oauth_token` or
    `browser_key`; with none given, `ULTRACART_SIMPLE_KEY` from the environment. `http_client`:
    your own `httpx.AsyncClient` or `httpx2.AsyncClient` (not closed by us; `base_url` still
    decides the URLs); `transport`: a transport for the pool we create (FakeUltraCart's, for
    tests); `http_stack`: `"httpx"` (default) or `"httpx2"` for the pool we create (default: the
    `ULTRACART_HTTP_STACK` environment variable, else httpx). `base_url` defaults to
    `ULTRACART_BASE_URL` from the environment, else UltraCart's.
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
        credentials = credentials_option(simple_key, oauth_token, browser_key)
        base_url = base_url_option(base_url)
        if http_client is not None and transport is not None:
            raise InvalidInputError("pass http_client= or transport=, not both")
        if rate_limit is not None and not isinstance(rate_limit, RateLimit):
            raise InvalidInputError("rate_limit must be a uc.RateLimit")
        policy = retry_policy if retry_policy is not None else RetryPolicy()
        if max_retries is not None:
            policy = with_max_retries(policy, max_retries)
        options = CallOptions(
            timeouts=timeout_option(timeout),
            retry=policy,
            deadline=seconds_option("deadline", deadline),
            max_response_bytes=byte_limit_option("max_response_bytes", max_response_bytes),
            on_retry=on_retry,
        )
        stack = stack_option(http_stack, http_client)
        self._requester = Requester(
            http_client=(
                stack.new_client(transport, options.timeouts)
                if http_client is None
                else cast("httpx.AsyncClient", http_client)
            ),
            stack=stack,
            owns_http_client=http_client is None,
            base_url=base_url,
            credentials=credentials,
            rate_limit=rate_limit,
        )
        self._options = options

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
        """Close the client (and every `with_options` view of it); idempotent.

        A caller-supplied `http_client` stays open: its owner closes it.
        """
        await self._requester.aclose()

    @property
    def is_closed(self) -> bool:
        """True once `aclose()` ran on this client or any view of it."""
        return self._requester.closed

    @property
    def rate_limit(self) -> RateLimit | None:
        """The limiter shared by this client and its views, if any."""
        return self._requester.rate_limit

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt, for the operations that may be retried."""
        return self._options.retry.max_retries

    @property
    def timeout(self) -> httpx.Timeout:
        """The per-phase timeouts (connect, read, write, pool) of this client (or view)."""
        return as_httpx_timeout(self._options.timeouts)

    @property
    def http_stack(self) -> str:
        """The HTTP stack this client runs on: `httpx` or `httpx2`."""
        return self._requester.stack.name

    @property
    def deadline(self) -> float:
        """Seconds one attempt may take in all: connect, send and the full response."""
        return self._options.deadline

    @property
    def max_response_bytes(self) -> int:
        """The largest response body (decoded) this client (or view) reads."""
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
        """A view with overrides that shares this client's connection pool and rate limiter.

        `client.with_options(timeout=5).get_customer(56)`; closing either closes both.
        `on_retry` is added to the hooks already set (they run first), not substituted for them.
        `headers` are sent on every request of the view (added to the view's own; the credential
        and `X-UltraCart-Api-Version` headers cannot be overridden: InvalidInputError).
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
        """The same operations, answering with a `RawResponse` (status code, headers, request
        id, elapsed, attempts; `parse()` for the model):
        `raw = await client.with_raw_response.get_customer(56)`."""
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
        """Add store credit to a customer (money: never retried once it may have been sent)."""
        return await self._call(_op.ADD_CUSTOMER_STORE_CREDIT, locals())

    async def adjust_internal_certificate(
        self,
        customer_profile_oid: int,
        adjust_internal_certificate_request: models.AdjustInternalCertificateRequest
        | WithNulls[models.AdjustInternalCertificateRequest],
    ) -> models.AdjustInternalCertificateResponse:
        """Adjust a customer's cashback balance (money: not retried once possibly sent)."""
        return await self._call(_op.ADJUST_INTERNAL_CERTIFICATE, locals())

    async def adjust_loyalty_points(
        self,
        customer_profile_oid: int,
        adjust_loyalty_points_request: models.AdjustLoyaltyPointsRequest
        | WithNulls[models.AdjustLoyaltyPointsRequest],
    ) -> models.AdjustLoyaltyPointsResponse:
        """Adjust a customer's loyalty points (not retried once possibly sent)."""
        return await self._call(_op.ADJUST_LOYALTY_POINTS, locals())

    async def delete_customer(self, customer_profile_oid: int) -> None:
        """Delete a customer; UltraCart answers with no body."""
        return await self._call(_op.DELETE_CUSTOMER, locals())

    async def delete_wish_list_item(
        self, customer_profile_oid: int, customer_wishlist_item_oid: int
    ) -> None:
        """Delete one wishlist item; UltraCart answers with no body."""
        return await self._call(_op.DELETE_WISH_LIST_ITEM, locals())

    async def get_customer(
        self, customer_profile_oid: int, *, expand: str | None = None
    ) -> models.CustomerResponse:
        """One customer by id; `expand` picks the parts to include (`"billing,shipping"`)."""
        return await self._call(_op.GET_CUSTOMER, locals())

    async def get_customer_by_email(
        self, email: str, *, expand: str | None = None
    ) -> models.CustomerResponse:
        """One customer by email address (sent as a single, fully encoded path segment)."""
        return await self._call(_op.GET_CUSTOMER_BY_EMAIL, locals())

    async def get_customer_editor_values(self) -> models.CustomerEditorValues:
        """Values for a customer editor UI (countries, card types, ...)."""
        return await self._call(_op.GET_CUSTOMER_EDITOR_VALUES, locals())

    async def get_customer_email_lists(self) -> models.EmailListsResponse:
        """The account's email lists."""
        return await self._call(_op.GET_CUSTOMER_EMAIL_LISTS, locals())

    async def get_customer_loyalty(
        self, customer_profile_oid: int
    ) -> models.CustomerLoyaltyResponse:
        """A customer's loyalty balance and ledger."""
        return await self._call(_op.GET_CUSTOMER_LOYALTY, locals())

    async def get_customer_store_credit(
        self, customer_profile_oid: int
    ) -> models.CustomerStoreCreditResponse:
        """A customer's store credit balance and ledger."""
        return await self._call(_op.GET_CUSTOMER_STORE_CREDIT, locals())

    async def get_customer_wish_list(
        self, customer_profile_oid: int
    ) -> models.CustomerWishListItemsResponse:
        """A customer's wishlist items."""
        return await self._call(_op.GET_CUSTOMER_WISH_LIST, locals())

    async def get_customer_wish_list_item(
        self, customer_profile_oid: int, customer_wishlist_item_oid: int
    ) -> models.CustomerWishListItemResponse:
        """One wishlist item."""
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
        """One page of customers matching the filters (see `iter_customers` for all pages)."""
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
        """One page of customers matching a `CustomerQuery` (a read sent as POST)."""
        return await self._call(_op.GET_CUSTOMERS_BY_QUERY, locals())

    async def get_customers_for_data_tables(
        self, *, expand: str | None = None
    ) -> models.DataTablesServerSideResponse:
        """Customers in the DataTables server-side format (a read sent as POST)."""
        return await self._call(_op.GET_CUSTOMERS_FOR_DATA_TABLES, locals())

    async def get_email_verification_token(
        self,
        token_request: models.EmailVerifyTokenRequest | WithNulls[models.EmailVerifyTokenRequest],
    ) -> models.EmailVerifyTokenResponse:
        """Create an email verification token."""
        return await self._call(_op.GET_EMAIL_VERIFICATION_TOKEN, locals())

    async def get_magic_link(
        self, customer_profile_oid: int, storefront_host_name: str
    ) -> models.CustomerMagicLinkResponse:
        """Create a magic login link for a customer on a storefront."""
        return await self._call(_op.GET_MAGIC_LINK, locals())

    async def get_quick_books_online_customers(
        self, *, q: str | None = None
    ) -> models.QuickBooksOnlineCustomersResponse:
        """Typeahead search of the merchant's QuickBooks Online customers."""
        return await self._call(_op.GET_QUICK_BOOKS_ONLINE_CUSTOMERS, locals())

    async def insert_customer(
        self, customer: models.Customer | WithNulls[models.Customer], *, expand: str | None = None
    ) -> models.CustomerResponse:
        """Create a customer (not repeatable: never retried once it may have been sent)."""
        return await self._call(_op.INSERT_CUSTOMER, locals())

    async def insert_wish_list_item(
        self,
        customer_profile_oid: int,
        wishlist_item: models.CustomerWishListItem | WithNulls[models.CustomerWishListItem],
    ) -> models.CustomerWishListItem:
        """Add a wishlist item (not repeatable: never retried once it may have been sent)."""
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
        """Merge another customer into this one (not retried once possibly sent); no body.

        Takes `(customer_profile_oid, customer)`, as the current official SDK does, or
        `(customer, customer_profile_oid)`, as its older releases did.
        """
        args_by_name = either_order(_op.MERGE_CUSTOMER, args, kwargs)
        return await self._call(_op.MERGE_CUSTOMER, {**args_by_name, "expand": expand})

    async def search_customer_profile_values(
        self, lookup_request: models.LookupRequest | WithNulls[models.LookupRequest]
    ) -> models.LookupResponse:
        """Look up customer profile values (the one operation a browser key may call)."""
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
        """One page of customers matching a free-text search."""
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
        """Update a customer; send the same `expand` the customer was read with.

        Takes `(customer_profile_oid, customer)`, as the current official SDK does, or
        `(customer, customer_profile_oid)`, as its older releases did.
        """
        args_by_name = either_order(_op.UPDATE_CUSTOMER, args, kwargs)
        return await self._call(_op.UPDATE_CUSTOMER, {**args_by_name, "expand": expand})

    async def update_customer_email_lists(
        self,
        customer_profile_oid: int,
        list_changes: models.CustomerEmailListChanges | WithNulls[models.CustomerEmailListChanges],
    ) -> models.CustomerEmailListChanges:
        """Subscribe/unsubscribe a customer to/from email lists."""
        return await self._call(_op.UPDATE_CUSTOMER_EMAIL_LISTS, locals())

    async def update_customer_email_suppression(
        self,
        customer_profile_oid: int,
        suppression_changes: models.CustomerEmailSuppressionRequest
        | WithNulls[models.CustomerEmailSuppressionRequest],
    ) -> models.CustomerEmailSuppressionResponse:
        """Update a customer's email suppression settings."""
        return await self._call(_op.UPDATE_CUSTOMER_EMAIL_SUPPRESSION, locals())

    async def update_wish_list_item(
        self,
        customer_profile_oid: int,
        customer_wishlist_item_oid: int,
        wishlist_item: models.CustomerWishListItem | WithNulls[models.CustomerWishListItem],
    ) -> models.CustomerWishListItem:
        """Update one wishlist item."""
        return await self._call(_op.UPDATE_WISH_LIST_ITEM, locals())

    async def validate_email_verification_token(
        self,
        validation_request: models.EmailVerifyTokenValidateRequest
        | WithNulls[models.EmailVerifyTokenValidateRequest],
    ) -> models.EmailVerifyTokenValidateResponse:
        """Validate an email verification token (not retried once possibly sent: single use)."""
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
        """Every customer matching `get_customers` filters, in server order, each once.

        `async for c in client.iter_customers(billing_state="TX", expand="billing"): ...`;
        `.pages()` gives the pages instead. `start_offset` continues an interrupted walk.
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
        """Like `iter_customers`, yielding each `CustomersResponse` page."""
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
        """Every customer matching `customer_query` (`get_customers_by_query`), each once."""
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
        """Like `iter_customers_by_query`, yielding each `CustomersResponse` page."""
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
        """Every customer `search_customers` finds, in server order, each once."""
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
        """Like `iter_search_customers`, yielding each `CustomersResponse` page."""
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
    """`client.with_raw_response`: every operation of `CustomerClient`, same arguments,
    answering with `uc.RawResponse[model]`. Failures raise the usual typed errors."""

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
