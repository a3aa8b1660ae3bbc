"""Per-class structure and unstructure functions, generated as Python source and compiled lazily.

Three functions per model class, each compiled on its first call (a stub stands in for it until
then, so a class no data ever reaches is never compiled):

- `s_N(d)`: structure a dict into the class; copies every list, so the caller's data is left
  exactly as it was;
- `o_N(d)`: the same for data the caller owns and gives up (freshly parsed JSON): lists of models
  are converted in place and kept, lists of strings are kept, and each dict is freed as soon as
  its object is built. Fewer allocations, and no second copy of a page alive at once;
- `u_N(o)`: unstructure an instance into a dict (fields that are None dropped, JSON names used).

The generated code is straight-line, one block per field, with exact type checks; it raises
(any exception) on anything unexpected, and the caller then runs the detailed walk
(`structure_detailed`/`unstructure_detailed`), which names the path of the problem.
"""

from __future__ import annotations

import threading
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar, Union

import attrs

from ._exceptions import DecodeError
from ._nulls import WithNulls
from .models import JSON_NAME

__all__ = ["SCALARS", "Codegen", "Field", "Shape", "is_model_class", "join_path", "json_type"]

T = TypeVar("T")

# JSON type names, for error messages.
SCALARS: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}
_CONTAINERS = {"model": "object", "list": "array"}

Shape = tuple[str, Any]
"""A field's decoded shape: ("scalar", type) | ("model", cls) | ("list", shape)."""

STRUCTURE, STRUCTURE_OWNED, UNSTRUCTURE = "s", "o", "u"
_KINDS = (STRUCTURE, STRUCTURE_OWNED, UNSTRUCTURE)


def is_model_class(cls: Any) -> bool:
    """True for an attrs class whose fields are all keyword-only with default None."""
    if not isinstance(cls, type) or not attrs.has(cls) or issubclass(cls, WithNulls):
        return False
    return all(a.default is None and a.kw_only and a.init for a in attrs.fields(cls))


@attrs.frozen
class Field:
    """One field of a model class: attribute name, JSON name, decoded shape."""

    name: str
    json_name: str
    shape: Shape


def _shape(tp: Any, where: str) -> Shape:
    """The shape of an annotation, with None and Literal-with-str (open enums) folded away."""
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        literals = [a for a in args if typing.get_origin(a) is Literal]
        rest = [a for a in args if typing.get_origin(a) is not Literal]
        if literals and rest == [str]:
            return ("scalar", str)
        if len(args) == 1:
            return _shape(args[0], where)
        raise TypeError(f"{where}: unsupported union {tp!r}")
    if origin is list:
        (item,) = typing.get_args(tp)
        item_shape = _shape(item, where + "[]")
        if item_shape != ("scalar", str) and item_shape[0] != "model":
            raise TypeError(f"{where}: only lists of str or of models are supported")
        return ("list", item_shape)
    if tp in SCALARS:
        return ("scalar", tp)
    if is_model_class(tp):
        return ("model", tp)
    raise TypeError(f"{where}: unsupported field type {tp!r}")


def _fields(cls: type) -> tuple[Field, ...]:
    hints = typing.get_type_hints(cls)
    return tuple(
        Field(
            a.name,
            a.metadata.get(JSON_NAME, a.name),
            _shape(hints[a.name], f"{cls.__name__}.{a.name}"),
        )
        for a in attrs.fields(cls)
    )


def json_type(value: Any) -> str:
    """The JSON type name of a decoded value (or its Python type's name)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def join_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class Codegen:
    """Generates, compiles and caches the per-class functions (thread-safe, lazy, per class)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._ns: dict[str, Any] = {
            "_new": object.__new__,
            "type": type,
            "dict": dict,
            "list": list,
            "str": str,
            "int": int,
            "float": float,
            "bool": bool,
            "_join_str": "".join,
        }
        self._ids: dict[type, int] = {}
        self._fields: dict[type, tuple[Field, ...]] = {}
        # Compiled functions only, by kind then class.
        self._compiled: dict[str, dict[type, Callable[[Any], Any]]] = {k: {} for k in _KINDS}
        self.structurers = self._compiled[STRUCTURE]
        self.owned_structurers = self._compiled[STRUCTURE_OWNED]
        self.unstructurers = self._compiled[UNSTRUCTURE]

    def fields(self, cls: type) -> tuple[Field, ...]:
        """The analysed fields of a model class (cached); TypeError for unsupported types."""
        found = self._fields.get(cls)
        if found is None:
            found = self._fields[cls] = _fields(cls)
        return found

    def function(self, kind: str, cls: type) -> Callable[[Any], Any]:
        """The compiled `kind` function of a model class, compiled now if it is not yet."""
        found = self._compiled[kind].get(cls)
        if found is not None:
            return found
        with self._lock:
            found = self._compiled[kind].get(cls)
            if found is None:
                name = self._name(kind, cls)
                source = self._source(kind, cls)
                where = f"<ultracart_async generated {name}: {cls.__qualname__}>"
                exec(compile(source, where, "exec"), self._ns)  # noqa: S102 - our own source
                found = self._compiled[kind][cls] = self._ns[name]
        return found

    def _name(self, kind: str, cls: type) -> str:
        """The global name of a class's `kind` function: a stub until it is compiled."""
        n = self._ids.get(cls)
        if n is None:
            with self._lock:
                n = self._ids.get(cls)
                if n is None:
                    self.fields(cls)  # unsupported types fail here, before any name is taken
                    n = len(self._ids)
                    self._ns[f"C_{n}"] = cls
                    for k in _KINDS:
                        self._ns[f"{k}_{n}"] = self._stub(k, cls)
                    self._ids[cls] = n
        return f"{kind}_{n}"

    def _stub(self, kind: str, cls: type) -> Callable[[Any], Any]:
        def compile_and_call(value: Any) -> Any:
            # Compiling replaces this stub in the namespace: later calls go straight through.
            return self.function(kind, cls)(value)

        return compile_and_call

    # -- source ----------------------------------------------------------------------------

    def _source(self, kind: str, cls: type) -> str:
        n = self._ids[cls]
        lines = [f"def {kind}_{n}(d):"]
        if kind == UNSTRUCTURE:
            lines += [f"    if type(d) is not C_{n}: raise TypeError", "    r = {}"]
            for f in self.fields(cls):
                lines.append(f"    v = d.{f.name}")
                lines.append("    if v is not None:")
                lines.extend(f"        {line}" for line in self._unstructure_value(f))
            lines.append("    return r")
        else:
            lines += ["    if type(d) is not dict: raise TypeError", "    g = d.get"]
            lines.append(f"    o = _new(C_{n})")
            for f in self.fields(cls):
                lines.append(f"    v = g({f.json_name!r})")
                lines.extend(f"    {line}" for line in self._structure_value(kind, f.shape))
                lines.append(f"    o.{f.name} = v")
            lines.append("    return o")
        return "\n".join(lines) + "\n"

    def _structure_value(self, kind: str, shape: Shape) -> list[str]:
        """Lines that check (and convert) `v` in place; they raise on anything unexpected."""
        what, target = shape
        if what == "scalar":
            if target is float:
                return [
                    "if v is not None and type(v) is not float:",
                    "    if type(v) is int: v = float(v)",
                    "    else: raise TypeError",
                ]
            # `v is not None` first: most absent fields are then settled by one comparison.
            return [f"if v is not None and type(v) is not {target.__name__}: raise TypeError"]
        if what == "model":
            return [f"if v is not None: v = {self._name(kind, target)}(v)"]
        item_what, item_target = target
        lines = ["if v is not None:", "    if type(v) is not list: raise TypeError"]
        if item_what == "scalar":
            lines.append("    _join_str(v)")  # TypeError unless every item is a str
            if kind == STRUCTURE:
                lines.append("    v = v.copy()")
            return lines
        if kind == STRUCTURE:
            lines.append("    v = v.copy()")
        # An index loop: for the short lists of a page, cheaper than a comprehension.
        return [
            *lines,
            "    i = 0",
            "    for x in v:",
            f"        v[i] = {self._name(kind, item_target)}(x)",
            "        i += 1",
        ]

    def _unstructure_value(self, f: Field) -> list[str]:
        """Lines that put `v` (not None) into `r`, raising unless it has exactly its type.

        Anything unusual (a subclass, an enum member) is left to the detailed walk, which
        decides and explains.
        """
        what, target = f.shape
        key = repr(f.json_name)
        if what == "scalar":
            if target is float:  # an int is a number too; NaN and infinities are not JSON
                check = [
                    "if type(v) is float:",
                    "    if v - v != 0.0: raise TypeError",
                    "elif type(v) is not int: raise TypeError",
                ]
            else:
                check = [f"if type(v) is not {target.__name__}: raise TypeError"]
            return [*check, f"r[{key}] = v"]
        if what == "model":
            return [f"r[{key}] = {self._name(UNSTRUCTURE, target)}(v)"]
        item_what, item_target = target
        lines = ["if type(v) is not list: raise TypeError"]
        if item_what == "scalar":
            return [*lines, "_join_str(v)", f"r[{key}] = v.copy()"]
        return [
            *lines,
            "v = v.copy()",
            "i = 0",
            "for x in v:",
            f"    v[i] = {self._name(UNSTRUCTURE, item_target)}(x)",
            "    i += 1",
            f"r[{key}] = v",
        ]

    # -- detailed validation: only run after a fast path failed, to report where and why --

    def structure_detailed(self, value: Any, shape: Shape, path: str, nullable: bool = True) -> Any:
        """Structure `value` field by field, raising DecodeError naming the path on a mismatch.

        Fields may be null; the top level and the items of an array may not.
        """
        kind, target = shape
        if value is None:
            if nullable:
                return None
            expected = SCALARS[target] if kind == "scalar" else _CONTAINERS[kind]
            raise DecodeError(f"expected {expected}, got null", path=path)
        if kind == "scalar":
            if type(value) is target or (
                isinstance(value, target) and not (target is not bool and isinstance(value, bool))
            ):
                return value
            if target is float and isinstance(value, int) and not isinstance(value, bool):
                try:
                    return float(value)
                except OverflowError:
                    raise DecodeError("integer too large for a number", path=path) from None
            raise DecodeError(
                f"expected {SCALARS[target]}, got {json_type(value)}", path=path
            ) from None
        if kind == "list":
            if not isinstance(value, list):
                raise DecodeError(f"expected array, got {json_type(value)}", path=path)
            return [
                self.structure_detailed(item, target, f"{path}[{i}]", nullable=False)
                for i, item in enumerate(value)
            ]
        if not isinstance(value, Mapping):
            raise DecodeError(f"expected object, got {json_type(value)}", path=path)
        obj = object.__new__(target)
        for f in self.fields(target):
            item = value.get(f.json_name)
            object.__setattr__(
                obj, f.name, self.structure_detailed(item, f.shape, join_path(path, f.json_name))
            )
        return obj

    def structure_model(self, value: Any, cls: type[T]) -> T:
        """Fast path (the caller's data left untouched), else the detailed one's DecodeError."""
        try:
            result: T = self.function(STRUCTURE, cls)(value)
        except Exception:  # any surprise is re-checked in detail below
            detailed: T = self.structure_detailed(value, ("model", cls), "", nullable=False)
            return detailed
        return result

    def structure_owned(self, value: Any, cls: type[T], reparse: Callable[[], Any]) -> T:
        """Fast path consuming `value`; on a failure the detailed one walks `reparse()`.

        `value` must be the caller's own fresh data, used by nothing else afterwards: its lists
        end up in the result, and a failed fast path may have converted part of it already
        (so the detailed walk gets an unconsumed copy from `reparse`).
        """
        try:
            result: T = self.function(STRUCTURE_OWNED, cls)(value)
        except Exception:  # any surprise is re-checked in detail below
            detailed: T = self.structure_detailed(reparse(), ("model", cls), "", nullable=False)
            return detailed
        return result
