"""`PagedClient`: the part of the client's public surface that the pager pages through.

A structural type, so that pagination depends on no client class: `CustomerClient` (or any
object with these methods) satisfies it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ultracart_async._nulls import WithNulls
    from ultracart_async._retry import RetryEvent
    from ultracart_async.models import CustomerQuery, CustomersResponse

__all__ = ["PagedClient"]


class PagedClient(Protocol):
    """The three paged operations, and `with_options(on_retry=...)` to hear about retries.

    The pager sets `limit` and `offset` itself and passes `since`, `sort` and `expand` through;
    `get_customers` also receives the caller's filters as further keywords, checked beforehand
    against the operation's parameters (`OPERATIONS["get_customers"]`).
    """

    def with_options(
        self, *, on_retry: Callable[[RetryEvent], None] | None = None
    ) -> PagedClient: ...

    async def get_customers(
        self,
        *,
        limit: int | None = None,
        offset: int | None = None,
        since: str | None = None,
        sort: str | None = None,
        expand: str | None = None,
    ) -> CustomersResponse: ...

    async def get_customers_by_query(
        self,
        customer_query: CustomerQuery | WithNulls[CustomerQuery],
        *,
        limit: int | None = None,
        offset: int | None = None,
        since: str | None = None,
        sort: str | None = None,
        expand: str | None = None,
    ) -> CustomersResponse: ...

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
    ) -> CustomersResponse: ...
