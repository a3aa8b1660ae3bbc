"""Explicit JSON nulls: `with_nulls(model, "field", ...)`.

A model field left as None is *not set* and is never sent. UltraCart reads some nulls as
"no change" and others as "clear this", so sending a null must be a visible decision of the
caller: wrap the model with `with_nulls` and name the fields that should go out as null.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import attrs

from ._exceptions import InvalidInputError

__all__ = ["WithNulls", "with_nulls"]

T = TypeVar("T")


@attrs.frozen
class WithNulls(Generic[T]):
    """A model plus the names of fields to send as an explicit JSON null.

    Build it with `with_nulls`; request methods accept `T | WithNulls[T]` wherever they take a
    model body, and `converter.unstructure`/`dumps` serialize `null_fields` as `null`.
    """

    model: T
    null_fields: frozenset[str]


def with_nulls(model: T, *fields: str) -> WithNulls[T]:
    """Wrap `model` so that `fields` (attribute names, currently None) are sent as JSON null.

    Raises InvalidInputError for a name the model does not have, a field that is set (a value
    and a null at once is ambiguous), an empty field list, or something that is not a model
    (including a `WithNulls`: name all the fields in one call).
    """
    base: Any = model
    if isinstance(base, WithNulls) or not attrs.has(type(base)):
        raise InvalidInputError(f"with_nulls() needs a model instance, got {type(base).__name__}")
    if not fields:
        raise InvalidInputError("with_nulls() needs at least one field name")
    known = {a.name for a in attrs.fields(type(base))}
    for name in fields:
        if name not in known:
            raise InvalidInputError(f"{type(base).__name__} has no field {name!r}")
        if getattr(base, name) is not None:
            raise InvalidInputError(
                f"{type(base).__name__}.{name} is set; a field is either sent with a value "
                "or as null, not both"
            )
    return WithNulls(model, frozenset(fields))
