"""The one module that knows which HTTP stack is in use: httpx (the default) or httpx2.

httpx2 is httpx's maintained successor with the same API under another module name. A client
runs on the stack of the `http_client` it was given, or builds its own pool on the stack named
by `http_stack=` (or `ULTRACART_HTTP_STACK`); nothing switches because of what happens to be
installed. Everything else in the library reaches the stack's classes through `HttpStack`, so a
failure maps to the same `uc.*` error on either stack. The two stacks' objects have identical
interfaces; the library's annotations name httpx's.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType
from typing import Any, Final, Literal

import attrs
import httpx

from ._constants import DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_KEEPALIVE_CONNECTIONS
from ._exceptions import InvalidInputError

__all__ = ["ENV_HTTP_STACK", "STACKS", "HttpStack", "StackName", "Timeouts"]

StackName = Literal["httpx", "httpx2"]
STACKS: Final[tuple[StackName, ...]] = ("httpx", "httpx2")
#: Names the stack a client builds its own pool on, when `http_stack=` is not given.
ENV_HTTP_STACK: Final = "ULTRACART_HTTP_STACK"


@attrs.frozen
class Timeouts:
    """Per-phase timeouts in seconds, independent of the stack."""

    connect: float
    read: float
    write: float
    pool: float


@attrs.frozen
class HttpStack:
    """One HTTP stack's module, and the few things the library takes from it."""

    module: ModuleType

    @property
    def name(self) -> str:
        """`httpx` or `httpx2`."""
        return self.module.__name__

    @classmethod
    def named(cls, name: object) -> HttpStack:
        """The stack called `name`; InvalidInputError if it is unknown or not installed."""
        if name not in STACKS:
            raise InvalidInputError(f"http_stack must be one of {', '.join(STACKS)}, got {name!r}")
        try:
            return cls(importlib.import_module(str(name)))
        except ImportError:
            raise InvalidInputError(
                f"http_stack={name!r} is not installed: pip install 'ultracart-async[{name}]'"
            ) from None

    @classmethod
    def default(cls) -> HttpStack:
        """The stack named by `ULTRACART_HTTP_STACK`, else httpx."""
        return cls.named(os.environ.get(ENV_HTTP_STACK) or "httpx")

    @classmethod
    def of(cls, obj: object) -> HttpStack:
        """The stack an object of either stack (a request, a response, an error) comes from."""
        root = type(obj).__module__.partition(".")[0]
        return cls(sys.modules[root if root in STACKS else "httpx"])

    @classmethod
    def of_client(cls, client: object) -> HttpStack:
        """The stack a caller's `http_client` belongs to; InvalidInputError for anything else."""
        for name in STACKS:
            module = sys.modules.get(name)
            if module is not None and isinstance(client, module.AsyncClient):
                return cls(module)
        raise InvalidInputError(
            "http_client must be an httpx.AsyncClient or an httpx2.AsyncClient, "
            f"got {type(client).__name__}"
        )

    # -- what the pipeline needs ---------------------------------------------------------------

    @property
    def http_error(self) -> type[Exception]:
        """The base class of every failure the stack raises for a request."""
        error: type[Exception] = self.module.HTTPError
        return error

    def error_kind(self, exc: BaseException) -> str:
        """How far a failed request got: `not_sent_timeout`, `not_sent`, `timeout`,
        `local_protocol` (refused before or while writing) or `other`."""
        module = self.module
        if isinstance(exc, module.ConnectTimeout | module.PoolTimeout):
            return "not_sent_timeout"
        if isinstance(exc, module.ConnectError):
            return "not_sent"
        if isinstance(exc, module.TimeoutException):
            return "timeout"
        if isinstance(exc, module.LocalProtocolError):
            return "local_protocol"
        return "other"

    def content_of(self, response: httpx.Response) -> bytes | None:
        """The body a response already holds in memory, or None while it is still a stream."""
        try:
            return response.content
        except self.module.ResponseNotRead:
            return None

    def request_content(self, request: httpx.Request) -> bytes:
        """A request's body, or b"" for a streaming body that was never read into memory."""
        try:
            return request.content
        except self.module.RequestNotRead:
            return b""

    def release(self, response: httpx.Response) -> None:
        """Drop a closed response's stream: the stack's stream points back at its response, and
        that cycle would leave every response (and its request) to the cyclic garbage collector
        instead of being freed as soon as the last reference goes."""
        response.stream = self.module.ByteStream(b"")

    def timeout(self, timeouts: Timeouts) -> Any:
        """The stack's own Timeout object for `timeouts`."""
        return self.module.Timeout(
            connect=timeouts.connect, read=timeouts.read, write=timeouts.write, pool=timeouts.pool
        )

    def new_client(self, transport: Any, timeouts: Timeouts) -> httpx.AsyncClient:
        """A connection pool of this stack, as the client builds its own."""
        module = self.module
        client: httpx.AsyncClient = module.AsyncClient(
            transport=transport,
            timeout=self.timeout(timeouts),
            limits=module.Limits(
                max_connections=DEFAULT_MAX_CONNECTIONS,
                max_keepalive_connections=DEFAULT_MAX_KEEPALIVE_CONNECTIONS,
            ),
            follow_redirects=False,
        )
        return client
