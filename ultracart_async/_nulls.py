"""Explicit JSON nulls: `with_nulls(model, "field", "nested[0].field", ...)`.

A model field left as None is *not set* and is never sent. UltraCart reads some nulls as
"no change" and others as "clear this", so sending a null must be a visible decision of the
caller: wrap the top-level model with `with_nulls` and name the fields that should go out as
null. Fields of nested models are named by a path from the top-level model: attribute names
joined by `.`, with `[i]` after a list (`"billing[0].day_phone"`, `"edi.channel_partner_code"`).
"""

from __future__ import annotations

import re
from typing import Any, Generic, TypeVar

import attrs

from ._exceptions import InvalidInputError

__all__ = ["NullPath", "WithNulls", "parse_null_path", "resolve_null_path", "with_nulls"]

T = TypeVar("T")

# One step of a path: an attribute name, optionally followed by a list index.
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(0|[1-9][0-9]*)\])?")

NullPath = tuple[tuple[str, int | None], ...]
"""A parsed null path: (attribute name, list index or None) per step."""


@attrs.frozen
class WithNulls(Generic[T]):
    """A model plus the paths of fields to send as an explicit JSON null.

    Build it with `with_nulls`, which checks the paths. Every operation taking a model body accepts
    `T | WithNulls[T]`; `uc.converter.dumps`/`unstructure` serialize `null_fields` as `null`.

    Attributes:
        model: The model sent.
        null_fields: The field paths sent as null (`"tax_id"`, `"billing[0].day_phone"`).
    """

    model: T
    null_fields: frozenset[str]


def parse_null_path(path: str) -> NullPath:
    """`"billing[0].day_phone"` -> `(("billing", 0), ("day_phone", None))`.

    Raises InvalidInputError on bad syntax or an index on the last step (a list item is
    never sent as null; name the list itself to send it as null).
    """
    steps: list[tuple[str, int | None]] = []
    for part in path.split("."):
        match = _STEP.fullmatch(part)
        if match is None:
            raise InvalidInputError(
                f"with_nulls(): bad field path {path!r} (expected names joined by '.', "
                "with [index] after a list, like 'billing[0].day_phone')"
            )
        name, index = match.groups()
        steps.append((name, None if index is None else int(index)))
    if steps[-1][1] is not None:
        raise InvalidInputError(
            f"with_nulls(): {path!r} ends in a list item; a path must end in a field name"
        )
    return tuple(steps)


def _describe(value: object) -> str:
    return "None (not set)" if value is None else type(value).__name__


def resolve_null_path(model: object, path: str) -> tuple[object, str]:
    """The model holding the last field of `path`, and that field's name.

    Checks that every step exists on the model as it is now and that the named field is
    unset (None); raises InvalidInputError naming the path otherwise.
    """
    steps = parse_null_path(path)
    current: Any = model
    where = ""
    for number, (name, index) in enumerate(steps):
        cls = type(current)
        if not attrs.has(cls) or isinstance(current, WithNulls):
            raise InvalidInputError(
                f"with_nulls(): {path!r}: {where} is {_describe(current)}, not a model"
            )
        if name not in attrs.fields_dict(cls):
            raise InvalidInputError(f"with_nulls(): {path!r}: {cls.__name__} has no field {name!r}")
        where = f"{where}.{name}" if where else name
        value = getattr(current, name)
        if number == len(steps) - 1:
            if value is not None:
                raise InvalidInputError(
                    f"with_nulls(): {where} is set; a field is either sent with a value "
                    "or as null, not both"
                )
            return current, name
        if index is not None:
            if not isinstance(value, list):
                raise InvalidInputError(
                    f"with_nulls(): {path!r}: {where} is {_describe(value)}, not a list"
                )
            if index >= len(value):
                raise InvalidInputError(
                    f"with_nulls(): {path!r}: {where} has {len(value)} item(s), no [{index}]"
                )
            value = value[index]
            where = f"{where}[{index}]"
        elif isinstance(value, list):
            raise InvalidInputError(
                f"with_nulls(): {path!r}: {where} is a list; name the item, like {where}[0]"
            )
        current = value
    raise AssertionError("unreachable: a parsed path has at least one step")


def with_nulls(model: T, *fields: str) -> WithNulls[T]:
    """Wrap `model` so that `fields` (currently None) are sent as JSON null.

    A field left as None is otherwise never sent. UltraCart reads some nulls as "no change" and
    others as "clear this", so a null is sent only where it is named here.
    `uc.with_nulls(models.Customer(email="x"), "tax_id")` sends `{"email": "x", "tax_id": null}`.

    Args:
        model: A model instance (not a `WithNulls`: name all the fields in one call).
        *fields: At least one field to send as null: an attribute name of `model` (`"tax_id"`) or a
            path into a nested model that is set, attribute names joined by `.` with `[i]` after a
            list (`"billing[0].day_phone"`, `"edi.channel_partner_code"`).

    Returns:
        A `WithNulls` of `model` and `fields`, accepted wherever the model is.

    Raises:
        InvalidInputError: A name or path the model does not have, a path ending in a list item, a
            field that is set (a value and a null at once is ambiguous), no fields, a field that is
            not a str, or something that is not a model.
    """
    base: Any = model
    if isinstance(base, WithNulls) or not attrs.has(type(base)):
        raise InvalidInputError(f"with_nulls() needs a model instance, got {type(base).__name__}")
    if not fields:
        raise InvalidInputError("with_nulls() needs at least one field name")
    for path in fields:
        if not isinstance(path, str):
            raise InvalidInputError(
                f"with_nulls() takes field names as str, got {type(path).__name__}"
            )
        resolve_null_path(base, path)
    return WithNulls(model, frozenset(fields))
