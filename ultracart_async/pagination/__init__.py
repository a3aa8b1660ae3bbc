"""Concurrent pagination over the public client's paged operations."""

from ._pager import CustomerIterator, CustomerPageIterator, PagerStats, PagingMixin

__all__ = ["CustomerIterator", "CustomerPageIterator", "PagerStats", "PagingMixin"]
