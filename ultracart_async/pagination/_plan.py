"""Offset planning: which offset follows a page, and which may be fetched before it arrives.

The first page decides the mode. With `total_records` (and a full first page) the offsets up to
the total are known arithmetically; without it, the walk follows `more`/`next_offset`, and
guesses the next offset only once the server has confirmed `next_offset == offset + step`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ultracart_async.models import CustomersResponse, ResultSet

__all__ = ["OffsetPlan"]


def _result_set(page: CustomersResponse) -> ResultSet | None:
    return page.metadata.result_set if page.metadata is not None else None


class OffsetPlan:
    """The walk's offset arithmetic, learnt from the pages as they arrive (no I/O)."""

    def __init__(self, page_size: int) -> None:
        self._limit = page_size
        # "unknown" until the first page tells whether total_records is set.
        self._mode: Literal["unknown", "known", "follow"] = "unknown"
        self._step = page_size
        self._end = 0  # known mode: offsets below this are planned arithmetically
        self._confirmed = False  # follow mode: the server's next_offset matched offset + step
        self._mismatch = False  # follow mode: ...and once it did not: no more speculation

    def successor(self, offset: int, page: CustomersResponse) -> int | None:
        """The offset after the page at `offset`, from its content (None: it was the last)."""
        following = self._following(offset, page)
        return following if following is not None and following > offset else None

    def stuck(self, offset: int, page: CustomersResponse) -> int | None:
        """The page's `next_offset` if the server says there is more but it does not advance."""
        following = self._following(offset, page)
        return following if following is not None and following <= offset else None

    def _following(self, offset: int, page: CustomersResponse) -> int | None:
        """The offset the page says comes next, advancing or not (None: it was the last)."""
        count = len(page.customers or ())
        if count == 0:
            return None
        result_set = _result_set(page)
        more = result_set.more if result_set is not None else None
        if self._mode == "known":
            planned = offset + self._step
            if planned < self._end:
                return planned
            if more is not True:  # past the planned end only if the server says there is more
                return None
        elif more is False or (more is None and count < self._step):
            return None
        next_offset = result_set.next_offset if result_set is not None else None
        if next_offset is None:
            return offset + count
        return next_offset if next_offset != 0 else None  # 0: nothing is left

    def predicted(self, offset: int) -> int | None:
        """The offset after a page that has not arrived yet, where that is safe to guess."""
        if self._mode == "known":
            planned = offset + self._step
            return planned if planned < self._end else None
        if self._mode == "follow" and self._confirmed and not self._mismatch:
            return offset + self._step
        return None

    def learn(self, offset: int, page: CustomersResponse) -> None:
        """Update the plan from a page: the first decides the mode, later ones refine it."""
        result_set = _result_set(page)
        total = result_set.total_records if result_set is not None else None
        if self._mode == "unknown":
            count = len(page.customers or ())
            server_limit = result_set.limit if result_set is not None else None
            if server_limit is not None and 0 < server_limit < self._limit:
                self._step = server_limit  # the server capped the page size: step by its cap
            if total is not None and count >= min(self._step, total - offset):
                self._mode = "known"
                self._end = total
            else:  # no total, or a short first page that makes offset arithmetic unsafe
                self._mode = "follow"
                self._mismatch = total is not None
        elif self._mode == "known" and total is not None and total > self._end:
            self._end = total  # records were added meanwhile: plan up to the new total
        if self._mode == "follow":
            successor = self.successor(offset, page)
            if successor is not None:
                if successor == offset + self._step:
                    self._confirmed = True
                else:
                    self._mismatch = True
