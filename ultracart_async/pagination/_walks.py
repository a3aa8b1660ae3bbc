"""The three paged operations as walks: arguments checked up front, a page fetcher for each.

`walk_customers`, `walk_customers_by_query` and `walk_search_customers` are what the client's
`iter_*` methods call. Every argument is checked when they are called, by the client's own
validator against the operation's parameters; nothing is sent until the walk is iterated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ultracart_async._constants import PAGE_LIMIT_MAX
from ultracart_async._exceptions import InvalidInputError
from ultracart_async._nulls import WithNulls
from ultracart_async._operations import OPERATIONS
from ultracart_async._validate import check_args
from ultracart_async.models import CustomerQuery, CustomersResponse

from ._engine import FetchPage, PageEngine
from ._iterators import CustomerIterator
from ._protocol import PagedClient

__all__ = ["walk_customers", "walk_customers_by_query", "walk_search_customers"]

# Arguments of the paged operations that the pager itself sets (from page_size and its walk).
_PAGER_OWNED = frozenset({"limit", "offset"})


def _check_paging(page_size: object, concurrency: object, start_offset: object) -> None:
    """The pager's own arguments (the operation's are checked by `_check_args`)."""
    for name, value, low, high in (
        ("page_size", page_size, 1, PAGE_LIMIT_MAX),
        ("concurrency", concurrency, 1, None),
        ("start_offset", start_offset, 0, None),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInputError(f"{name} must be an int, got {type(value).__name__}")
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f">= {low}"
            raise InvalidInputError(f"{name} must be {bounds}, got {value}")


def _check_args(operation_id: str, args: Mapping[str, Any]) -> None:
    """The operation's arguments, by the client's own validator, before anything is sent."""
    owned = sorted(_PAGER_OWNED & args.keys())
    if owned:
        raise InvalidInputError(
            f"{operation_id}: the pager sets {owned[0]} itself; use page_size= to size pages"
        )
    check_args(OPERATIONS[operation_id], args)


def _walk(
    client: PagedClient, fetch: FetchPage, page_size: int, concurrency: int, start_offset: int
) -> CustomerIterator:
    engine = PageEngine(
        client, fetch, page_size=page_size, concurrency=concurrency, start_offset=start_offset
    )
    return CustomerIterator(engine)


def walk_customers(
    client: PagedClient,
    *,
    page_size: int,
    concurrency: int,
    expand: str | None,
    sort: str | None,
    since: str | None,
    start_offset: int,
    filters: Mapping[str, str | int | None],
) -> CustomerIterator:
    """Every customer `client.get_customers(**filters, ...)` pages through, in order, once."""
    _check_paging(page_size, concurrency, start_offset)
    _check_args("get_customers", {**filters, "expand": expand, "sort": sort, "since": since})
    # Checked above against the operation's parameters (an int for pricing_tier_oid).
    checked: dict[str, Any] = dict(filters)

    async def fetch(view: PagedClient, offset: int, limit: int) -> CustomersResponse:
        return await view.get_customers(
            **checked, limit=limit, offset=offset, since=since, sort=sort, expand=expand
        )

    return _walk(client, fetch, page_size, concurrency, start_offset)


def walk_customers_by_query(
    client: PagedClient,
    customer_query: CustomerQuery | WithNulls[CustomerQuery],
    *,
    page_size: int,
    concurrency: int,
    expand: str | None,
    sort: str | None,
    since: str | None,
    start_offset: int,
) -> CustomerIterator:
    """Every customer `client.get_customers_by_query(customer_query, ...)` pages through."""
    _check_paging(page_size, concurrency, start_offset)
    _check_args("get_customers_by_query", {"expand": expand, "sort": sort, "since": since})
    if not isinstance(customer_query, CustomerQuery | WithNulls):
        raise InvalidInputError(
            "get_customers_by_query: customer_query must be a CustomerQuery, "
            f"got {type(customer_query).__name__}"
        )

    async def fetch(view: PagedClient, offset: int, limit: int) -> CustomersResponse:
        return await view.get_customers_by_query(
            customer_query, limit=limit, offset=offset, since=since, sort=sort, expand=expand
        )

    return _walk(client, fetch, page_size, concurrency, start_offset)


def walk_search_customers(
    client: PagedClient,
    *,
    search_string: str | None,
    signup_dts_start: str | None,
    signup_dts_end: str | None,
    page_size: int,
    concurrency: int,
    expand: str | None,
    sort: str | None,
    since: str | None,
    start_offset: int,
) -> CustomerIterator:
    """Every customer `client.search_customers(...)` pages through, in order, once."""
    search = {
        "search_string": search_string,
        "signup_dts_start": signup_dts_start,
        "signup_dts_end": signup_dts_end,
    }
    _check_paging(page_size, concurrency, start_offset)
    _check_args("search_customers", {**search, "expand": expand, "sort": sort, "since": since})

    async def fetch(view: PagedClient, offset: int, limit: int) -> CustomersResponse:
        return await view.search_customers(
            **search, limit=limit, offset=offset, since=since, sort=sort, expand=expand
        )

    return _walk(client, fetch, page_size, concurrency, start_offset)
