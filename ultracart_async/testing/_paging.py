"""Paged listings: `_limit`, `_offset`, `_sort` and `_since` of a request, and the result_set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ultracart_async._constants import PAGE_LIMIT_DEFAULT

from ._dates import parse_dts
from ._errors import bad_request
from ._request import Request
from ._sorting import SortKey, parse_sort
from ._types import JSON


@dataclass(frozen=True)
class PageRequest:
    """Which page of a listing a request asks for, and in which order."""

    limit: int
    offset: int
    sort: list[SortKey]
    since: datetime | None

    @classmethod
    def from_request(cls, request: Request, max_limit: int) -> PageRequest:
        """Read and check the paging parameters (400 as UltraCart answers bad ones)."""
        limit = request.int_param("_limit", PAGE_LIMIT_DEFAULT)
        offset = request.int_param("_offset", 0)
        if limit > max_limit:
            raise bad_request(f"Limit cannot be greater than {max_limit}.", "limit_too_large")
        if limit < 1:
            raise bad_request("_limit must be at least 1.")
        if offset < 0:
            raise bad_request("_offset cannot be negative.")
        sort = parse_sort(request.param("_sort"))
        return cls(limit, offset, sort, _since(request.param("_since")))

    def slice(self, oids: list[int]) -> list[int]:
        return oids[self.offset : self.offset + self.limit]

    def result_set(self, count: int, total: int, *, report_total: bool) -> JSON:
        """The metadata.result_set of a page of `count` out of `total` matches."""
        more = self.offset + count < total
        return {
            "count": count,
            "limit": self.limit,
            "more": more,
            "next_offset": self.offset + count if more else 0,
            "offset": self.offset,
            "total_records": total if report_total else None,
        }


def _since(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return parse_dts(raw)
    except ValueError:
        raise bad_request(f"Invalid _since date {raw!r} (ISO-8601).") from None
