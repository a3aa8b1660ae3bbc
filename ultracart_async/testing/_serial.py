"""The one running counter behind new sub-record ids and tokens, so both stay reproducible."""

from __future__ import annotations

from typing import Final

#: New sub-records (addresses, ledger entries, wish list items) get ids above this.
SUB_OID_BASE: Final = 900_000_000


class Serial:
    """Counts up; each new sub-record id or token takes the next number."""

    def __init__(self) -> None:
        self.value = 0

    def next(self) -> int:
        self.value += 1
        return self.value

    def sub_oid(self) -> int:
        """A fresh id for a sub-record the fake creates."""
        return SUB_OID_BASE + self.next()
