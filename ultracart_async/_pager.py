"""Concurrent pagination over the public client (issue 5)."""

from __future__ import annotations


class PagingMixin:
    """The `iter_*` methods of `CustomerClient`, built only on its public operations."""
