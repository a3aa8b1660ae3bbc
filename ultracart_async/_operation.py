"""The record that describes one Customer API operation, and the vocabulary it is written in.

`_operations.py` (generated from the spec) holds one `Operation` per operation; the request
pipeline reads nothing else to validate, encode, authenticate, retry and decode a call.
"""

from __future__ import annotations

import enum
from typing import Any, Generic, TypeVar

import attrs

R = TypeVar("R")

__all__ = ["Auth", "Operation", "Param", "ParamKind", "Policy", "Safety", "either_order"]


class Safety(enum.Enum):
    """How an operation may be retried; `_retry.decide` holds the full table."""

    #: Reads, including the reads sent as POST: retry on anything transient.
    READ = "read"
    #: Writes whose repetition leaves the same state (PUT-like "set" operations).
    IDEMPOTENT = "idempotent"
    #: Deletes: repeating is harmless, but a repeat answers "not found" when the first attempt
    #: already deleted; that answer after an ambiguous attempt means "outcome unknown".
    IDEMPOTENT_DELETE = "idempotent_delete"
    #: Writes that must never be applied twice: retried only when provably never sent or 429.
    UNSAFE = "unsafe"


class Auth(enum.Enum):
    """Credential kinds, in order of preference when a client holds several."""

    SIMPLE_KEY = "simple_key"
    OAUTH_TOKEN = "oauth_token"  # noqa: S105  (a kind of credential, not one)
    BROWSER_KEY = "browser_key"


class ParamKind(enum.Enum):
    """What a parameter must be; `_validate` checks it before anything is sent."""

    OID = "oid"  # int32 object id, > 0
    INT = "int"  # any int32
    STR = "str"
    LIMIT = "limit"  # 1..PAGE_LIMIT_MAX
    OFFSET = "offset"  # >= 0


@attrs.frozen
class Param:
    """One path or query parameter: Python name, wire name, kind."""

    name: str
    wire: str
    kind: ParamKind = ParamKind.STR


@attrs.frozen
class Policy:
    """What the spec cannot say about an operation: chosen by hand in `_operation_policy`."""

    safety: Safety
    #: The Python name of the body argument (the official SDK's name), if there is a body.
    body_param: str | None = None
    #: Also accepts the body before the path parameters (the official SDK's older order), told
    #: apart by type; the path parameters first is the current official SDK's order.
    either_order: bool = False


@attrs.frozen(kw_only=True)
class Operation(Generic[R]):
    """Everything the request pipeline needs to send one Customer API operation."""

    operation_id: str
    method: str
    #: Template relative to the base URL, e.g. "/customer/customers/{customer_profile_oid}".
    path: str
    path_params: tuple[Param, ...]
    query_params: tuple[Param, ...]
    body_type: type[Any] | None
    content_type: str | None  # the spec's request media type
    response_type: type[R] | None  # None: the API answers 204 with no body
    auth: frozenset[Auth]
    policy: Policy

    @property
    def safety(self) -> Safety:
        """How the operation may be retried."""
        return self.policy.safety

    @property
    def body_param(self) -> str | None:
        """The Python name of the body argument, if the operation takes a body."""
        return self.policy.body_param

    @property
    def positional(self) -> tuple[str, ...]:
        """The client method's positional arguments, in order (query parameters are keywords)."""
        body = (self.body_param,) if self.body_param else ()
        return (*(p.name for p in self.path_params), *body)

    @property
    def orders(self) -> tuple[tuple[str, ...], ...]:
        """Every order the positional arguments may come in."""
        if not self.policy.either_order:
            return (self.positional,)
        body = (self.body_param,) if self.body_param else ()
        return (self.positional, (*body, *(p.name for p in self.path_params)))

    @property
    def arg_names(self) -> tuple[str, ...]:
        """The name of every argument the client method passes (positional, then keywords)."""
        return (*self.positional, *(p.name for p in self.query_params))


def either_order(
    op: Operation[Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any]:
    """The positional arguments of an `either_order` operation by name: an int is the object id
    whichever place it takes; anything else is the body (the validators check its type)."""
    names = op.positional
    unknown = sorted(set(kwargs) - set(names))
    if unknown or len(args) + len(kwargs) > len(names):
        raise TypeError(f"{op.operation_id}() takes {', '.join(names)} (and keyword options)")
    if len(args) == len(names) and _is_id(args[-1]) and not _is_id(args[0]):
        args = args[::-1]  # the older (body, id) order
    by_name = dict(kwargs)
    id_name, body_name = names[0], names[-1]
    # Two values go in order; a lone one goes where its type says.
    targets = names if len(args) != 1 else [id_name if _is_id(args[0]) else body_name]
    for name, value in zip(targets, args, strict=False):
        if name in by_name:
            raise TypeError(f"{op.operation_id}() got multiple values for {name!r}")
        by_name[name] = value
    missing = [name for name in names if name not in by_name]
    if missing:
        raise TypeError(f"{op.operation_id}() missing argument(s): {', '.join(missing)}")
    return by_name


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
