"""`_sort`: parsing it, the sort key of a customer, and every customer's order kept per sort.

Sorting 100,000 customers means building every one of them, so the order of all live customers
is kept per sort and rebuilt only after a customer record changes; a page of a sorted listing is
then a slice of that order, as cheap as an unsorted one.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Final, Protocol

from ._constants import FAKE_SORTED_ORDERS
from ._errors import bad_request
from ._schema import CUSTOMER_SCALARS
from ._seed import Seeder
from ._types import JSON

SortValue = tuple[bool, Any]
#: A parsed `_sort`: (field path, descending) per term.
SortSpec = tuple[tuple[tuple[str, ...], bool], ...]


def _sortable_fields() -> frozenset[str]:
    sample = Seeder(seed=0, customers=1).customer(0)
    fields = {key for key, value in sample.items() if not isinstance(value, list | dict)}
    fields |= set(CUSTOMER_SCALARS) - {"password"}
    for key, value in sample.items():
        if isinstance(value, dict):
            fields |= {f"{key}.{sub}" for sub, v in value.items() if not isinstance(v, list)}
    fields |= {f"billing.{name}" for name in sample["billing"][0]}
    fields |= {f"shipping.{name}" for name in sample["shipping"][0]}
    fields |= {"pricing_tiers.name", "pricing_tiers.pricing_tier_oid", "tags.tag_value"}
    fields |= {"orders_summary.first_order_dts", "orders_summary.last_order_dts"}
    fields |= {"quotes_summary.first_quote_dts", "quotes_summary.last_quote_dts"}
    return frozenset(fields)


SORTABLE_FIELDS: Final = _sortable_fields()
#: Top-level keys `Seeder.core()` fills: sorts on other fields need the full record.
CORE_KEYS: Final = frozenset(Seeder(seed=0, customers=1).core(0))


class SortKey:
    """One parsed `_sort` term."""

    __slots__ = ("descending", "path")

    def __init__(self, path: tuple[str, ...], descending: bool) -> None:
        self.path = path
        self.descending = descending

    def value(self, customer: JSON) -> SortValue:
        """What the customer sorts by: strings case-insensitively, missing values last."""
        current: Any = customer
        for part in self.path:
            if isinstance(current, list):
                current = current[0] if current else None
            if not isinstance(current, dict):
                current = None
                break
            current = current.get(part)
        if isinstance(current, list):
            current = current[0] if current else None
        if isinstance(current, str):
            return (False, current.casefold())
        return (current is None, current if current is not None else 0)


def parse_sort(value: str | None) -> list[SortKey]:
    """Parse `_sort` (`+billing.last_name,-signup_dts`); 400 "improper sort attribute" if bad.

    An unencoded `+` reaches the server as a space, which UltraCart rejects.
    """
    if value is None or value == "":
        return []
    keys = []
    for term in value.split(","):
        if not term or term != term.strip() or " " in term:
            raise bad_request(f"improper sort attribute: {term!r}", "improper_sort_attribute")
        descending = term.startswith("-")
        field = term[1:] if term[0] in "+-" else term
        if field not in SORTABLE_FIELDS:
            raise bad_request(f"improper sort attribute: {term!r}", "improper_sort_attribute")
        keys.append(SortKey(tuple(field.split(".")), descending))
    return keys


class SortSource(Protocol):
    """The customers to sort: their oids in default order and their records."""

    @property
    def revision(self) -> int:
        """Changes whenever a customer record is written, inserted or deleted."""
        ...

    def live_oids(self) -> list[int]: ...

    def view(self, oid: int, *, full: bool = False) -> JSON: ...


def sort_oids(customers: SortSource, sort: Sequence[SortKey]) -> list[int]:
    """Every live oid in `sort` order; ties keep the default (ascending oid) order."""
    need_full = any(key.path[0] not in CORE_KEYS for key in sort)
    keyed = [
        (tuple(key.value(customers.view(oid, full=need_full)) for key in sort), oid)
        for oid in customers.live_oids()
    ]
    for position in range(len(sort) - 1, -1, -1):
        keyed.sort(key=_nth_value(position), reverse=sort[position].descending)
    return [oid for _, oid in keyed]


def _nth_value(position: int) -> Callable[[tuple[tuple[SortValue, ...], int]], SortValue]:
    def value(item: tuple[tuple[SortValue, ...], int]) -> SortValue:
        return item[0][position]

    return value


class SortedOrders:
    """The sorted order of every live customer, kept per sort until any customer changes.

    Holds up to `capacity` sorts, the least recently used dropped first.
    """

    def __init__(self, capacity: int = FAKE_SORTED_ORDERS) -> None:
        self._capacity = capacity
        self._orders: OrderedDict[SortSpec, list[int]] = OrderedDict()
        self._revision: int | None = None

    def oids(self, customers: SortSource, sort: Sequence[SortKey]) -> list[int]:
        """`sort_oids(customers, sort)`, built once per sort while no customer changes."""
        if customers.revision != self._revision:
            self._orders.clear()
            self._revision = customers.revision
        spec: SortSpec = tuple((key.path, key.descending) for key in sort)
        order = self._orders.get(spec)
        if order is None:
            order = sort_oids(customers, sort)
            self._orders[spec] = order
            while len(self._orders) > self._capacity:
                self._orders.popitem(last=False)
        else:
            self._orders.move_to_end(spec)
        return order
