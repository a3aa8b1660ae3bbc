"""The record that describes one Customer API operation, and the vocabulary it is written in.

`_operations.py` (generated from the spec) holds one `Operation` per operation; the request
pipeline reads nothing else to validate, encode, authenticate, retry and decode a call.
"""

from __future__ import annotations

import enum
from typing import Any, Generic, TypeVar

import attrs

R = TypeVar("R")

__all__ = ["Auth", "Operation", "Param", "ParamKind", "Policy", "Safety"]


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
    #: The body comes before the path parameters, as in the official SDK's older releases.
    body_first: bool = False


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
        path = tuple(p.name for p in self.path_params)
        body = (self.body_param,) if self.body_param else ()
        return (*body, *path) if self.policy.body_first else (*path, *body)

    @property
    def arg_names(self) -> tuple[str, ...]:
        """The name of every argument the client method passes (positional, then keywords)."""
        return (*self.positional, *(p.name for p in self.query_params))
