"""Building a request: every argument checked and encoded, the credential chosen, before any I/O.

A `PreparedRequest` is built once per call and sent as is by every attempt, so a retry sends
exactly the bytes that were checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ._body import ACCEPT_ENCODING
from ._constants import (
    ACCEPT_JSON,
    API_VERSION,
    HEADER_ACCEPT,
    HEADER_ACCEPT_ENCODING,
    HEADER_API_VERSION,
    HEADER_AUTHORIZATION,
    HEADER_BROWSER_KEY,
    HEADER_CONTENT_TYPE,
    HEADER_SIMPLE_KEY,
    HEADER_USER_AGENT,
    USER_AGENT,
)
from ._exceptions import InvalidInputError
from ._logging import Secret
from ._operation import Auth, Operation
from ._validate import encode_body, encode_path, encode_query

__all__ = ["PreparedRequest", "prepare"]

_AUTH_HEADERS: Mapping[Auth, tuple[str, str]] = {
    Auth.SIMPLE_KEY: (HEADER_SIMPLE_KEY, "{}"),
    Auth.OAUTH_TOKEN: (HEADER_AUTHORIZATION, "Bearer {}"),
    Auth.BROWSER_KEY: (HEADER_BROWSER_KEY, "{}"),
}
_FIXED_HEADERS: Mapping[str, str] = {
    HEADER_API_VERSION: API_VERSION,
    HEADER_USER_AGENT: USER_AGENT,
    HEADER_ACCEPT: ACCEPT_JSON,
    HEADER_ACCEPT_ENCODING: ACCEPT_ENCODING,
}


@attrs.frozen
class PreparedRequest:
    """One operation call, checked and encoded, ready to be sent (possibly several times)."""

    op: Operation[Any]
    url: str
    path: str  # for logs and errors: the encoded path with its query, no host, no secrets
    headers: dict[str, str] = attrs.field(repr=False)
    content: bytes | None
    body: Any  # the body argument as given, for WriteOutcomeUnknownError

    @property
    def where(self) -> str:
        """`operation: METHOD /path?query`, the prefix of every message about this request."""
        return f"{self.op.operation_id}: {self.op.method} {self.path}"


def _auth_header(op: Operation[Any], credentials: Mapping[Auth, Secret]) -> tuple[str, str]:
    for kind in Auth:  # preference order: simple key, OAuth token, browser key
        if kind in op.auth and kind in credentials:
            name, template = _AUTH_HEADERS[kind]
            return name, template.format(credentials[kind].reveal())
    held = ", ".join(kind.value for kind in credentials)
    accepted = " or ".join(kind.value for kind in Auth if kind in op.auth)
    raise InvalidInputError(
        f"{op.operation_id}: UltraCart accepts only {accepted} for this operation, and "
        f"this client holds {held} (browser keys work only for "
        "search_customer_profile_values)"
    )


def prepare(
    op: Operation[Any],
    args: Mapping[str, Any],
    *,
    base_url: str,
    credentials: Mapping[Auth, Secret],
) -> PreparedRequest:
    """Check every argument and build URL, headers and body; raise before any I/O."""
    path = encode_path(op, args)
    query = encode_query(op, args)
    body, content = encode_body(op, args)
    auth_name, auth_value = _auth_header(op, credentials)
    headers = {**_FIXED_HEADERS, auth_name: auth_value}
    if op.content_type is not None:
        headers[HEADER_CONTENT_TYPE] = op.content_type
    path_and_query = f"{path}?{query}" if query else path
    return PreparedRequest(op, base_url + path_and_query, path_and_query, headers, content, body)
