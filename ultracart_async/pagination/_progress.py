"""The progress guard: a walk whose pages stop adding customers, or whose offsets stop
advancing, ends with `PaginationError` instead of paging on (a server or proxy that ignores
`_offset` answers the same page, with `more: true`, for every offset).
"""

from __future__ import annotations

from ultracart_async._exceptions import PaginationError

__all__ = ["STALLED_PAGES_MAX", "ProgressGuard"]

STALLED_PAGES_MAX = 3
"""Pages in a row that may add no customer while the server says there is more."""


class ProgressGuard:
    """Counts the pages in a row that made no progress, in the order they are handed out.

    A page makes progress when it adds a customer not handed out before and the walk can go
    on past it. A few pages of repeats are tolerated (records inserted ahead of the cursor
    shift the pages); a `next_offset` at or before its page's offset is not, since following
    it would ask for pages already seen.
    """

    def __init__(self, limit: int = STALLED_PAGES_MAX) -> None:
        self._limit = limit
        self._stalled = 0

    def check(
        self, offset: int, *, added: int, successor: int | None, stuck_at: int | None
    ) -> PaginationError | None:
        """The error that ends the walk after the page at `offset`, if it must end there.

        `added`: customers the page added; `successor`: the offset after it (None: the walk
        ends there); `stuck_at`: its `next_offset` if that says "more" without advancing.
        """
        if successor is None and stuck_at is None:
            return None  # the last page: nothing follows that could loop
        if added and stuck_at is None:
            self._stalled = 0
            return None
        self._stalled += 1
        if stuck_at is not None:
            return PaginationError(
                f"the server says there are more customers after offset {offset} but its "
                f"next_offset {stuck_at} does not advance past it (does it ignore _offset?); "
                "stopped there",
                offset=offset,
                pages=self._stalled,
            )
        if self._stalled < self._limit:
            return None
        return PaginationError(
            f"{self._stalled} pages in a row, up to offset {offset}, added no customer though "
            "the server says there are more (does it ignore _offset?); stopped there",
            offset=offset,
            pages=self._stalled,
        )
