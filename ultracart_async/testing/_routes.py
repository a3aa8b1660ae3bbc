"""Routing: which operation a method and path are, from the client's own operation table.

The fake serves exactly the operations `ultracart_async._operations.OPERATIONS` describes, at
their method and path; reads are those marked `Safety.READ`, browser-key operations those that
accept `Auth.BROWSER_KEY`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from urllib.parse import unquote

from ultracart_async._operation import Auth, ParamKind, Safety
from ultracart_async._operations import OPERATIONS as CLIENT_OPERATIONS

from ._constants import FAKE_REST_PREFIX


@dataclass(frozen=True)
class Route:
    """One operation's method and path template, split into segments."""

    method: str
    segments: tuple[str, ...]
    operation: str

    @property
    def specificity(self) -> tuple[bool, ...]:
        """Sorts literal segments before parameters, position by position."""
        return tuple(_is_parameter(segment) for segment in self.segments)

    def match(self, segments: list[str]) -> dict[str, str] | None:
        """The path parameters when `segments` fit this template, else None."""
        if len(segments) != len(self.segments):
            return None
        params: dict[str, str] = {}
        for expected, actual in zip(self.segments, segments, strict=True):
            if _is_parameter(expected):
                if not actual:
                    return None
                params[expected[1:-1]] = actual
            elif expected != actual:
                return None
        return params


def _is_parameter(segment: str) -> bool:
    return segment.startswith("{")


def _routes() -> tuple[Route, ...]:
    routes = [
        Route(op.method.upper(), tuple(op.path.strip("/").split("/")), op.operation_id)
        for op in CLIENT_OPERATIONS.values()
    ]
    return tuple(sorted(routes, key=lambda r: (r.specificity, r.segments, r.method)))


#: Every route, literal segments tried before parameters (`/customers/search` before `{oid}`).
ROUTES: Final = _routes()
#: Every operationId the fake serves, sorted.
OPERATIONS: Final = tuple(sorted(CLIENT_OPERATIONS))
#: Operations that change state (counted in `counters.writes`; `commit_then_drop` targets them).
WRITE_OPERATIONS: Final = frozenset(
    op.operation_id for op in CLIENT_OPERATIONS.values() if op.safety is not Safety.READ
)
#: Paged listings: the operations that take `_offset` (`offset_ignored` targets them).
LISTING_OPERATIONS: Final = frozenset(
    op.operation_id
    for op in CLIENT_OPERATIONS.values()
    if any(param.kind is ParamKind.OFFSET for param in op.query_params)
)
#: Operations a browser key may call.
BROWSER_KEY_OPERATIONS: Final = frozenset(
    op.operation_id for op in CLIENT_OPERATIONS.values() if Auth.BROWSER_KEY in op.auth
)


@dataclass(frozen=True)
class RouteMatch:
    """The operation a request names (None if none) and its path parameters.

    `method_mismatch`: no operation matched, but some path matched under another method (405).
    """

    operation: str | None
    path_params: dict[str, str]
    method_mismatch: bool = False


def route(method: str, path: str) -> RouteMatch:
    """Match a raw path under /rest/v2 and its method against `ROUTES`."""
    if not path.startswith(FAKE_REST_PREFIX + "/"):
        return RouteMatch(None, {})
    segments = [unquote(part) for part in path[len(FAKE_REST_PREFIX) :].strip("/").split("/")]
    mismatch = False
    for candidate in ROUTES:
        params = candidate.match(segments)
        if params is None:
            continue
        if candidate.method == method:
            return RouteMatch(candidate.operation, params)
        mismatch = True
    return RouteMatch(None, {}, mismatch)
