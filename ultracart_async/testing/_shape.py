"""What UltraCart answers for a customer: `_expand` shaping, and a cache of its serialized JSON."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import orjson

from ultracart_async._constants import CUSTOMER_EXPANSIONS

from ._constants import FAKE_SHAPED_CACHE_BYTES
from ._types import JSON

#: Parts of a customer returned only when named in `_expand`.
EXPANSION_KEYS: Final = CUSTOMER_EXPANSIONS
_EXPANSIONS: Final = frozenset(EXPANSION_KEYS)
_NEVER_RETURNED: Final = frozenset({"password"})


def shape_customer(customer: JSON, expand: Iterable[str]) -> JSON:
    """What UltraCart returns: the limited customer plus the parts named in `_expand`.

    The result shares nested objects with `customer`: serialize it before the store changes.
    """
    hidden = _NEVER_RETURNED | (_EXPANSIONS - set(expand))
    return {key: value for key, value in customer.items() if key not in hidden}


def parse_expand(value: str | None) -> list[str]:
    """The `_expand` values (unknown ones are ignored, as UltraCart does)."""
    if not value:
        return []
    parts = [part.strip() for part in value.split(",")]
    return [part for part in parts if part in EXPANSION_KEYS]


class ShapedCache:
    """Serialized shaped customers by (oid, expand), oldest dropped first past a byte budget.

    Only customers that never changed may be cached: the caller decides which.
    """

    def __init__(self, budget: int = FAKE_SHAPED_CACHE_BYTES) -> None:
        self._budget = budget
        self._bodies: dict[tuple[int, frozenset[str]], bytes] = {}
        self._size = 0

    def get(self, oid: int, expand: frozenset[str]) -> bytes | None:
        return self._bodies.get((oid, expand))

    def put(self, oid: int, expand: frozenset[str], body: bytes) -> None:
        while self._bodies and self._size + len(body) > self._budget:
            oldest = next(iter(self._bodies))
            self._size -= len(self._bodies.pop(oldest))
        self._bodies[(oid, expand)] = body
        self._size += len(body)


def serialize(customer: JSON, expand: Iterable[str]) -> bytes:
    """The JSON of `shape_customer(customer, expand)`."""
    return orjson.dumps(shape_customer(customer, expand))
