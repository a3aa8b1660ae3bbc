"""A request as the fake's app sees it, and reading its parameters and JSON body (400 if bad)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import orjson

from ._errors import bad_request
from ._shape import parse_expand
from ._types import JSON


@dataclass
class Request:
    """One HTTP request: `headers` have lower-case names; `path` is the raw path."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    operation: str | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    method_mismatch: bool = False

    def param(self, name: str) -> str | None:
        """The query parameter `name` (its last value when repeated)."""
        value = None
        for key, item in self.query:
            if key == name:
                value = item
        return value

    def params(self) -> dict[str, str]:
        return dict(self.query)

    def oid(self, name: str = "customer_profile_oid") -> int:
        """An integer path parameter."""
        raw = self.path_params[name]
        if not raw.isdigit():
            raise bad_request(f"{name} must be an integer, got {raw!r}")
        return int(raw)

    def json_object(self, *, required: bool = True) -> JSON:
        """The body as a JSON object ({} when empty and not `required`)."""
        if not self.body.strip():
            if required:
                raise bad_request("A JSON request body is required.")
            return {}
        try:
            body = orjson.loads(self.body)
        except orjson.JSONDecodeError:
            raise bad_request("The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object.")
        return body

    def expand(self) -> list[str]:
        return parse_expand(self.param("_expand"))

    def int_param(self, name: str, default: int) -> int:
        return int_value(self.params(), name, default)


def int_value(params: Mapping[str, str], name: str, default: int) -> int:
    """`params[name]` as an integer; `default` when missing or empty; 400 when not a number."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f"{name} must be an integer, got {raw!r}.") from None
