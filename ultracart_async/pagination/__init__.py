"""Concurrent pagination over the client's paged operations, as async iterators.

The client's `iter_*` methods call the `walk_*` functions here with themselves as the
`PagedClient`; pagination never imports the client.
"""

from ultracart_async._constants import DEFAULT_PAGE_SIZE, DEFAULT_PAGER_CONCURRENCY

from ._iterators import CustomerIterator, CustomerPageIterator
from ._protocol import PagedClient
from ._stats import PagerStats
from ._walks import walk_customers, walk_customers_by_query, walk_search_customers

__all__ = [
    "CustomerIterator",
    "CustomerPageIterator",
    "PagerStats",
    "PagedClient",
    "walk_customers",
    "walk_customers_by_query",
    "walk_search_customers",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_PAGER_CONCURRENCY",
]
