"""Input checks and wire encoding of parameters, done before anything touches the network.

Bad input raises `InvalidInputError` naming the operation and the argument; nothing is sent.
Path parameters are percent-encoded as exactly one path segment (an email holding `/`, `..`,
`+`, `%`, `#`, `?` or non-ASCII stays one segment and cannot climb out of its route); query
values are percent-encoded entirely, so `_sort=+email` arrives as `%2Bemail`, not as a space.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import attrs

from ._constants import OID_MAX, PAGE_LIMIT_MAX
from ._converter import converter
from ._exceptions import InvalidInputError
from ._nulls import WithNulls
from ._operation import Operation, Param, ParamKind

__all__ = ["check_args", "encode_body", "encode_path", "encode_query"]


def _fail(op: Operation[Any], name: str, message: str) -> InvalidInputError:
    return InvalidInputError(f"{op.operation_id}: {name} {message}")


def _describe(value: object) -> str:
    return type(value).__name__


def _check_value(op: Operation[Any], param: Param, value: object) -> None:
    """Raise InvalidInputError unless `value` fits `param.kind` (None is checked by callers)."""
    if param.kind is ParamKind.STR:
        if not isinstance(value, str):
            raise _fail(op, param.name, f"must be a str, got {_describe(value)}")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _fail(op, param.name, "is not valid Unicode (lone surrogate)") from None
        return
    # Every other kind is an int; bool is an int subclass but never a valid id or count.
    if isinstance(value, bool) or not isinstance(value, int):
        hint = " (arguments swapped?)" if attrs.has(type(value)) else ""
        raise _fail(op, param.name, f"must be an int, got {_describe(value)}{hint}")
    if param.kind is ParamKind.OID and not 0 < value <= OID_MAX:
        raise _fail(op, param.name, f"must be between 1 and {OID_MAX}, got {value}")
    if param.kind is ParamKind.INT and not -OID_MAX - 1 <= value <= OID_MAX:
        raise _fail(op, param.name, f"must fit in 32 bits, got {value}")
    if param.kind is ParamKind.LIMIT and not 1 <= value <= PAGE_LIMIT_MAX:
        raise _fail(op, param.name, f"must be between 1 and {PAGE_LIMIT_MAX}, got {value}")
    if param.kind is ParamKind.OFFSET and not 0 <= value <= OID_MAX:
        raise _fail(op, param.name, f"must be between 0 and {OID_MAX}, got {value}")


def _path_segment(value: str | int) -> str:
    """`value` as one percent-encoded path segment that no URL normaliser can remove."""
    segment = quote(str(value), safe="")
    if segment in {".", ".."}:  # dot segments would be resolved away: encode the dots too
        segment = segment.replace(".", "%2E")
    return segment


def encode_path(op: Operation[Any], args: Mapping[str, Any]) -> str:
    """The operation's path with every path parameter checked and encoded as one segment."""
    segments: dict[str, str] = {}
    for param in op.path_params:
        value = args[param.name]
        if value is None:
            raise _fail(op, param.name, "is required")
        _check_value(op, param, value)
        if value == "":
            raise _fail(op, param.name, "must not be empty")
        segments[param.name] = _path_segment(value)
    return op.path.format_map(segments)


def check_args(op: Operation[Any], args: Mapping[str, Any]) -> None:
    """Raise InvalidInputError unless each argument is a path or query parameter of `op` and
    its value (None: not set) fits the parameter's kind; `args` may hold any subset of them."""
    params = {param.name: param for param in (*op.path_params, *op.query_params)}
    for name, value in args.items():
        param = params.get(name)
        if param is None:
            close = difflib.get_close_matches(name, list(params), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise InvalidInputError(f"{op.operation_id}: unknown argument {name!r}{hint}")
        if value is not None:
            _check_value(op, param, value)


def encode_query(op: Operation[Any], args: Mapping[str, Any]) -> str:
    """The query string (without `?`) of the parameters that are set, fully percent-encoded."""
    values = {param.name: args[param.name] for param in op.query_params}
    check_args(op, values)
    return "&".join(
        f"{quote(param.wire, safe='')}={quote(str(values[param.name]), safe='')}"
        for param in op.query_params
        if values[param.name] is not None
    )


def encode_body(op: Operation[Any], args: Mapping[str, Any]) -> tuple[Any, bytes | None]:
    """The body argument and its JSON bytes (None, None without a body).

    The body must be an instance of the spec's type (or `WithNulls` of it) whose every value, at
    every depth, fits its field (`converter.encode` checks while encoding); else InvalidInputError.
    """
    if op.body_param is None or op.body_type is None:
        return None, None
    body = args[op.body_param]
    inner = body.model if isinstance(body, WithNulls) else body
    if not isinstance(inner, op.body_type):
        expected = op.body_type.__name__
        hint = " (arguments swapped?)" if isinstance(inner, int) else ""
        raise _fail(
            op,
            op.body_param,
            f"must be a models.{expected} (or uc.with_nulls(...) of one), "
            f"got {_describe(body)}{hint}",
        )
    return body, converter.encode(body, root=f"{op.operation_id}: {op.body_param}")
