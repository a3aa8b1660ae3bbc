"""The one configured converter: JSON bytes <-> models, fast, strict about types.

Model classes (attrs classes whose fields are all optional with default None, like every
generated model) get specialized structure and unstructure functions, generated as Python
source and compiled one class at a time, on first use (see `_codegen`). The structure function
is straight-line code with exact type checks per field; when it meets anything it does not
expect, a detailed (slow) validator walks the same data again to name the path of the problem
in a `DecodeError`. `loads` (and `structure_parsed`, for JSON the caller just parsed) build the
models in place from orjson's output, keeping its lists.

Rules: unknown keys are ignored at every depth; JSON null and a missing key both give None;
`bool` is not accepted for an integer or a number, an integer is accepted for a number (and
becomes a float), nothing is coerced to a string. Unstructuring drops fields that are None,
uses the JSON names of renamed fields, and sends the fields named by `with_nulls` as null.

Encoding is as strict as decoding: `unstructure`, `dumps` and `check` refuse a value that does
not fit its field's type, at any depth, with `InvalidInputError` naming the path in Python
attribute names (`billing[0].day_phone: expected string, got int`). The generated unstructure
functions check exact types inline; when they meet anything else, a detailed walk accepts
subclasses (str/int enums) and names the first real mismatch. `dumps` and `check` also refuse
what JSON cannot carry faithfully: NaN and infinities, integers beyond 64 bits, lone surrogates.
"""

from __future__ import annotations

import functools
import math
import typing
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

import attrs
import orjson
from cattrs.errors import BaseValidationError
from cattrs.preconf.orjson import OrjsonConverter, configure_converter

from ._codegen import SCALARS, STRUCTURE, UNSTRUCTURE, Codegen, Shape, is_model_class
from ._codegen import join_path as _join
from ._exceptions import DecodeError, InvalidInputError
from ._nulls import WithNulls, parse_null_path, resolve_null_path
from .models import JSON_NAME

__all__ = ["UltraCartConverter", "converter", "is_model_class"]

T = TypeVar("T")


class _Codegen(Codegen):
    """The generated functions, plus the detailed walk that explains what encoding refused."""

    def unstructure_detailed(self, value: Any, shape: Shape, path: str) -> Any:
        """Unstructure `value` field by field; `_MismatchError` names the path of a mismatch.

        Accepts what the fast path accepts plus subclasses of the field types (str and int
        enums, model subclasses), and refuses what JSON cannot carry faithfully.
        """
        kind, target = shape
        if value is None:  # only reachable for list items: fields that are None are skipped
            raise _MismatchError(path, f"expected {_expected(shape)}, got None")
        if kind == "scalar":
            return _checked_scalar(value, target, path)
        if kind == "list":
            if not isinstance(value, list):
                raise _MismatchError(path, f"expected list, got {_describe(value)}")
            return [
                self.unstructure_detailed(item, target, f"{path}[{i}]")
                for i, item in enumerate(value)
            ]
        if not isinstance(value, target):
            raise _MismatchError(path, _wrong_model(target, value, path))
        result: dict[str, Any] = {}
        for f in self.fields(target):
            item = getattr(value, f.name)
            if item is not None:
                result[f.json_name] = self.unstructure_detailed(item, f.shape, _join(path, f.name))
        return result

    def unstructure_model(self, obj: Any, cls: type) -> Any:
        """Fast path, then the detailed one (which may raise `_MismatchError`) if it refused."""
        try:
            return self.function(UNSTRUCTURE, cls)(obj)
        except Exception:  # any surprise is re-checked in detail below
            return self.unstructure_detailed(obj, ("model", cls), "")


class _MismatchError(Exception):
    """A value that does not fit its field; the public methods turn it into InvalidInputError."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def error(self, root: str = "") -> InvalidInputError:
        where = _join(root, self.path) if self.path else root
        return InvalidInputError(f"{where}: {self.reason}" if where else self.reason)


_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1  # what a JSON integer may hold here (orjson's range)


def _describe(value: Any) -> str:
    return "None" if value is None else type(value).__name__


def _expected(shape: Shape) -> str:
    kind, target = shape
    if kind == "scalar":
        return SCALARS[target]
    if kind == "list":
        return "list"
    return f"models.{target.__name__}"


def _checked_scalar(value: Any, target: type, path: str) -> Any:
    """`value` if it fits a field of type `target` and JSON can carry it; else `_MismatchError`."""
    if target is bool:
        ok = isinstance(value, bool)
    elif target is str:
        ok = isinstance(value, str)
        if ok:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise _MismatchError(path, "string is not valid Unicode (lone surrogate)") from None
    elif isinstance(value, bool):  # an int subclass, but never an integer or a number here
        ok = False
    elif isinstance(value, int):  # an integer is a number too
        ok = True
        if not _INT_MIN <= value <= _INT_MAX:
            raise _MismatchError(path, "integer out of the 64-bit range JSON can carry here")
    else:
        ok = target is float and isinstance(value, float)
        if ok and not math.isfinite(value):
            raise _MismatchError(path, f"expected a finite number, got {value!r}")
    if not ok:
        raise _MismatchError(path, f"expected {SCALARS[target]}, got {_describe(value)}")
    return value


def _wrong_model(target: type, value: Any, path: str) -> str:
    got = _describe(value)
    message = f"expected models.{target.__name__}, got {got}"
    if isinstance(value, WithNulls):
        example = _join(path, "field") if path else "field"
        return (
            f"{message}; with_nulls() wraps only the whole request body: name nested fields "
            f"by path instead, like uc.with_nulls(body, {example!r})"
        )
    if isinstance(value, Mapping):
        return f"{message}; build models.{target.__name__}(...) instead of a dict"
    return message


def _json_name(cls: type, name: str) -> str:
    json_name: str = attrs.fields_dict(cls)[name].metadata.get(JSON_NAME, name)
    return json_name


class UltraCartConverter(OrjsonConverter):
    """cattrs' orjson converter with fast, generated hooks for the API models.

    `loads(data, cls)` and `structure(obj, cls)` raise `DecodeError` (with `.path`) on bad
    JSON or a wrong type; `dumps(obj)` gives compact JSON bytes; `unstructure(obj)` drops
    unset (None) fields. `unstructure`, `dumps` and `check(obj)` raise `InvalidInputError`
    naming the path when a model holds a value of the wrong type (see the module docstring).
    """

    def __init__(self) -> None:
        # As cattrs.preconf.orjson.make_converter configures it, plus the model hooks.
        super().__init__(unstruct_collection_overrides={AbstractSet: list})
        configure_converter(self)
        self._codegen = _Codegen()
        self.register_structure_hook_factory(is_model_class, self._model_structure_hook)
        self.register_structure_hook_factory(_is_model_list, self._model_list_structure_hook)
        self.register_unstructure_hook_factory(is_model_class, self._model_unstructure_hook)
        self.register_unstructure_hook(WithNulls, self._unstructure_with_nulls)

    def _model_structure_hook(self, cls: type) -> Callable[[Any, Any], Any]:
        self._codegen.fields(cls)  # an unsupported field type fails here, not on first use
        return functools.partial(_structure_hook, self._codegen, cls)

    def _model_list_structure_hook(self, tp: Any) -> Callable[[Any, Any], Any]:
        (cls,) = typing.get_args(tp)
        self._codegen.fields(cls)
        return functools.partial(_structure_list_hook, self._codegen, cls)

    def _model_unstructure_hook(self, cls: type) -> Callable[[Any], Any]:
        self._codegen.fields(cls)
        return functools.partial(_unstructure_hook, self._codegen, cls)

    def _unstructure_with_nulls(self, value: WithNulls[Any]) -> Any:
        try:
            return self._with_nulls_data(value)
        except _MismatchError as mismatch:
            raise mismatch.error() from None

    def _with_nulls_data(self, value: WithNulls[Any]) -> Any:
        """The model's data plus its null paths set to None; `_MismatchError` on any problem."""
        model = value.model
        cls = type(model)
        if cls not in self._codegen.unstructurers and not is_model_class(cls):
            raise _MismatchError("", f"with_nulls() wraps a model instance, got {_describe(model)}")
        data = self._codegen.unstructure_model(model, cls)
        for path in sorted(value.null_fields):
            try:  # the model may have changed since with_nulls() checked the path
                resolve_null_path(model, path)
            except InvalidInputError as exc:
                raise _MismatchError("", str(exc)) from None
            *steps, (last, _) = parse_null_path(path)
            obj, node = model, data
            for name, index in steps:
                node = node[_json_name(type(obj), name)]
                obj = getattr(obj, name)
                if index is not None:
                    node, obj = node[index], obj[index]
            node[_json_name(type(obj), last)] = None
        return data

    def _encode(self, obj: Any, root: str, **kwargs: Any) -> bytes:
        """JSON bytes of a model or `WithNulls`, every value checked; InvalidInputError if not."""
        try:
            if isinstance(obj, WithNulls):
                data = self._with_nulls_data(obj)
                model = obj.model
            else:
                data = self._codegen.unstructure_model(obj, type(obj))
                model = obj
            try:
                return orjson.dumps(data, **kwargs)
            except orjson.JSONEncodeError:  # NaN, a huge int, a lone surrogate: say where
                self._codegen.unstructure_detailed(model, ("model", type(model)), "")
                raise
        except _MismatchError as mismatch:
            raise mismatch.error(root) from None

    def encode(self, obj: Any, *, root: str = "") -> bytes:
        """Return the JSON bytes of a model body, every value checked.

        Args:
            obj: A model instance, or `WithNulls` of one; every value at every depth must fit its
                field's type.
            root: A prefix for error messages (the request passes its operation and argument).

        Returns:
            Compact JSON bytes: unset fields left out, `with_nulls` fields as null, JSON names where
            they differ from the attribute names.

        Raises:
            InvalidInputError: `obj` is not a model (or `WithNulls`), or a value does not fit its
                field; the message names the path
                (`billing[0].day_phone: expected string, got int`), after `root` when given.
        """
        known = type(obj) in self._codegen.unstructurers or isinstance(obj, WithNulls)
        if not known and not is_model_class(type(obj)):
            raise _MismatchError("", f"expected a model instance, got {_describe(obj)}").error(root)
        return self._encode(obj, root)

    def check(self, obj: Any, *, root: str = "") -> None:
        """Check that `obj` is a model body `encode` accepts.

        Args:
            obj: A model instance, or `WithNulls` of one.
            root: A prefix for error messages.

        Raises:
            InvalidInputError: As `encode` raises it.
        """
        self.encode(obj, root=root)

    def structure(self, obj: Any, cl: type[T]) -> T:
        """Build `cl` from already parsed JSON data (dicts, lists, scalars).

        For a model, unknown keys are ignored, and null and a missing key both give None.

        Args:
            obj: The parsed JSON data.
            cl: The type to build: a model class, or any type cattrs handles.

        Returns:
            An instance of `cl`.

        Raises:
            DecodeError: The data does not fit `cl`; `path` names the field.
        """
        structurer = self._codegen.structurers.get(cl)
        if structurer is not None:
            return self._codegen.structure_model(obj, cl)
        try:
            return super().structure(obj, cl)
        except DecodeError:
            raise
        except (BaseValidationError, ValueError, TypeError) as exc:
            raise DecodeError(f"cannot structure {cl!r}: {exc}") from exc

    def loads(self, data: bytes | bytearray | memoryview | str, cl: type[T]) -> T:
        """Parse JSON with orjson and build `cl` from it.

        Args:
            data: The JSON text (bytes or str).
            cl: The type to build, as in `structure`.

        Returns:
            An instance of `cl`.

        Raises:
            DecodeError: The JSON does not parse, or does not fit `cl` (`path` names the field).
        """
        try:
            obj = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise DecodeError(f"invalid JSON: {exc}") from exc
        return self.structure_parsed(obj, cl, data)

    def structure_parsed(
        self, obj: Any, cl: type[T], source: bytes | bytearray | memoryview | str
    ) -> T:
        """Structure `obj`, which `orjson.loads(source)` just gave and nothing else will use.

        As `structure`, but a model is built from `obj` in place: its lists are converted and
        kept, and its dicts are freed as the objects replacing them are built (fewer
        allocations, and never two copies of a large page alive). `obj` must not be used
        afterwards. On a type mismatch, `source` is parsed again to name the path.
        """
        if cl in self._codegen.owned_structurers or is_model_class(cl):
            return self._codegen.structure_owned(obj, cl, functools.partial(_parse, source))
        return self.structure(obj, cl)

    def dumps(self, obj: Any, unstructure_as: Any = None, **kwargs: Any) -> bytes:
        """Unstructure `obj` (unset fields dropped) and encode it as JSON with orjson.

        A model or `WithNulls` is checked as `check` checks it.

        Args:
            obj: A model, a `WithNulls`, or anything cattrs can unstructure.
            unstructure_as: The type to unstructure `obj` as (cattrs' argument); None: its own.
            **kwargs: Passed to `orjson.dumps` (e.g. `option=orjson.OPT_INDENT_2`).

        Returns:
            The JSON bytes.

        Raises:
            InvalidInputError: A model holds a value that does not fit its field, or one JSON cannot
                carry (NaN, infinity, an integer beyond 64 bits, a lone surrogate); the message
                names the path.
        """
        if unstructure_as is None:
            fast = self._codegen.unstructurers.get(type(obj))
            if fast is not None:
                try:
                    return orjson.dumps(fast(obj), **kwargs)
                except Exception:  # redone in detail, to accept or to explain
                    return self._encode(obj, "", **kwargs)
            if isinstance(obj, WithNulls) or is_model_class(type(obj)):
                return self._encode(obj, "", **kwargs)
        return orjson.dumps(self.unstructure(obj, unstructure_as=unstructure_as), **kwargs)


def _parse(source: bytes | bytearray | memoryview | str) -> Any:
    return orjson.loads(source)


def _structure_hook(codegen: _Codegen, cls: type, value: Any, _: Any) -> Any:
    return codegen.structure_model(value, cls)


def _structure_list_hook(codegen: _Codegen, cls: type, value: Any, _: Any) -> Any:
    try:
        if type(value) is not list:
            raise TypeError
        fast = codegen.function(STRUCTURE, cls)
        return [fast(item) for item in value]
    except Exception:  # re-checked in detail
        return codegen.structure_detailed(value, ("list", ("model", cls)), "", nullable=False)


def _unstructure_hook(codegen: _Codegen, cls: type, obj: Any) -> Any:
    try:
        return codegen.function(UNSTRUCTURE, cls)(obj)
    except Exception:  # re-checked in detail, to accept or to explain
        try:
            return codegen.unstructure_detailed(obj, ("model", cls), "")
        except _MismatchError as mismatch:
            raise mismatch.error() from None


def _is_model_list(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is list and len(args) == 1 and is_model_class(args[0])


converter: UltraCartConverter = UltraCartConverter()
"""The converter every part of the library uses."""
