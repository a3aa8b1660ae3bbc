"""The `repr` of the generated models: only the fields that are set.

A `Customer` has 67 fields and a typical one sets a dozen; the default attrs repr would print
every unset one as `None`. Fields marked `repr=False` (passwords, tokens) are never shown.
"""

from __future__ import annotations

import reprlib
from typing import Any

import attrs

__all__ = ["compact_repr"]


@reprlib.recursive_repr()
def compact_repr(self: object) -> str:
    """`Customer(email='x', tags=[CustomerTag(tag_value='vip')])`: set fields only."""
    cls: Any = type(self)
    parts = []
    for field in attrs.fields(cls):
        value = getattr(self, field.name)
        if value is not None and field.repr:
            parts.append(f"{field.name}={value!r}")
    return f"{cls.__qualname__}({', '.join(parts)})"
