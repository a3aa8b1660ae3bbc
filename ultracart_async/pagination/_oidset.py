"""`OidSet`: the set of customer oids a walk has handed out, at 8 to 16 bytes per oid.

A Python set of ints costs ~70 bytes per oid (the int object plus the table slot): 7 MB for an
export of 100,000 customers, 70 MB for a million, most of a small process's memory. Here the
oids live unboxed in one array hash table (open addressing, linear probing, at most half full):
4 bytes a slot while every oid fits in 32 bits (UltraCart's do), 8 once one does not; the rare
values outside int64 (or the sentinel) go to a small Python set.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator

__all__ = ["OidSet"]

_EMPTY = -(2**63)  # marks a free slot; the oid with this value goes to the overflow set
_MAX = 2**63 - 1
_EMPTY32 = -(2**31)  # the same in a table of 32-bit slots
_MAX32 = 2**31 - 1
_MASK64 = 2**64 - 1
_GOLDEN = 0x9E3779B97F4A7C15  # Fibonacci hashing: scatters sequential oids over the table
_INITIAL_BITS = 10


class OidSet:
    """A set of ints optimised for int64 keys; `add` tells whether the key was new."""

    __slots__ = ("_count", "_empty", "_mask", "_max", "_other", "_shift", "_table")

    def __init__(self, oids: Iterable[int] = ()) -> None:
        self._other: set[int] = set()
        self._count = 0
        self._table = array("i")
        self._empty, self._max = _EMPTY32, _MAX32  # 32-bit slots until an oid needs more
        self._resize(_INITIAL_BITS)
        self.update(oids)

    def __len__(self) -> int:
        return self._count + len(self._other)

    def __iter__(self) -> Iterator[int]:
        empty = self._empty
        yield from (oid for oid in self._table if oid != empty)
        yield from self._other

    def update(self, oids: Iterable[int]) -> None:
        """Add every oid of `oids`."""
        for oid in oids:
            self.add(oid)

    def __contains__(self, oid: object) -> bool:
        if type(oid) is not int or not self._empty < oid <= self._max:
            return oid in self._other
        table, mask, empty = self._table, self._mask, self._empty
        i = ((oid * _GOLDEN) & _MASK64) >> self._shift
        while True:
            found = table[i]
            if found == oid:
                return True
            if found == empty:
                return False
            i = (i + 1) & mask

    def add(self, oid: int) -> bool:
        """Add `oid`; True if it was not in the set yet."""
        if type(oid) is not int or not self._empty < oid <= self._max:
            if type(oid) is int and _EMPTY < oid <= _MAX:  # needs 64-bit slots from now on
                self._empty, self._max = _EMPTY, _MAX
                self._resize(64 - self._shift)
                return self.add(oid)
            if oid in self._other:
                return False
            self._other.add(oid)
            return True
        table, mask, empty = self._table, self._mask, self._empty
        i = ((oid * _GOLDEN) & _MASK64) >> self._shift
        while True:
            found = table[i]
            if found == oid:
                return False
            if found == empty:
                table[i] = oid
                self._count += 1
                if self._count * 2 > mask:
                    self._resize(64 - self._shift + 1)
                return True
            i = (i + 1) & mask

    def _resize(self, bits: int) -> None:
        """A new table of 2**bits slots (of the current width), every oid added again."""
        old, old_empty = self._table, _EMPTY32 if self._table.typecode == "i" else _EMPTY
        typecode = "i" if self._empty == _EMPTY32 else "q"
        self._table = array(typecode, [self._empty]) * (1 << bits)
        self._mask = (1 << bits) - 1
        self._shift = 64 - bits
        self._count = 0
        for oid in old:
            if oid != old_empty:
                self.add(oid)
