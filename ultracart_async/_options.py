"""The client's options, each checked once when given: a bad one is an InvalidInputError at
construction (or `with_options`), never a surprise on the first call."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import cast
from urllib.parse import urlsplit

import attrs
import httpx

from ._constants import (
    DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_POOL_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_WRITE_TIMEOUT,
    ENV_BASE_URL,
    ENV_SIMPLE_KEY,
    HEADER_API_VERSION,
    HEADER_AUTHORIZATION,
    HEADER_BROWSER_KEY,
    HEADER_SIMPLE_KEY,
)
from ._exceptions import InvalidInputError
from ._http import STACKS, HttpStack, Timeouts
from ._logging import Secret
from ._operation import Auth
from ._requester import CallOptions
from ._retry import RetryEvent, RetryPolicy

__all__ = [
    "DEFAULT_TIMEOUT",
    "as_httpx_timeout",
    "base_url_option",
    "byte_limit_option",
    "call_options",
    "chain_hooks",
    "credentials_option",
    "headers_option",
    "pool_option",
    "seconds_option",
    "stack_option",
    "timeout_option",
    "with_max_retries",
]

#: Finite by default (the official SDK waits forever): connect, read, write, pool.
DEFAULT_TIMEOUT = httpx.Timeout(
    connect=DEFAULT_CONNECT_TIMEOUT,
    read=DEFAULT_READ_TIMEOUT,
    write=DEFAULT_WRITE_TIMEOUT,
    pool=DEFAULT_POOL_TIMEOUT,
)


def timeout_option(value: object) -> Timeouts:
    """Per-phase timeouts from seconds or either stack's `Timeout`: every part finite."""
    if type(value).__name__ == "Timeout" and type(value).__module__.partition(".")[0] in STACKS:
        parts = [getattr(value, phase) for phase in ("connect", "read", "write", "pool")]
        if None in parts:
            raise InvalidInputError("timeout: every part must be finite (no None)")
        return Timeouts(*(seconds_option("timeout", part) for part in parts))
    seconds = seconds_option("timeout", value)
    return Timeouts(seconds, seconds, seconds, seconds)


def as_httpx_timeout(timeouts: Timeouts) -> httpx.Timeout:
    """`timeouts` as an httpx.Timeout, the type `CustomerClient.timeout` has always had."""
    return httpx.Timeout(
        connect=timeouts.connect, read=timeouts.read, write=timeouts.write, pool=timeouts.pool
    )


def seconds_option(name: str, value: object) -> float:
    """A finite number of seconds > 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e9:
        raise InvalidInputError(f"{name} must be a number of seconds > 0, got {value!r}")
    return float(value)


def byte_limit_option(name: str, value: object) -> int:
    """A whole number of bytes > 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidInputError(f"{name} must be an int number of bytes > 0, got {value!r}")
    return value


def base_url_option(value: object) -> str:
    """An absolute http(s) URL with a host and nothing a request line cannot carry.

    None: `ULTRACART_BASE_URL` from the environment (to point code at a FakeUltraCart server
    without changing it), else UltraCart's own.
    """
    if value is None:
        value = os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    if not isinstance(value, str):
        raise InvalidInputError(f"base_url must be a str, got {type(value).__name__}")
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in value):
        raise InvalidInputError(
            f"base_url holds a space or a control character (CR, LF, NUL, ...): {value!r}"
        )
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError as exc:
        raise InvalidInputError(f"base_url is not a valid URL ({exc}): {value!r}") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidInputError(f"base_url must be an http(s) URL with a host, got {value!r}")
    if parts.username is not None or parts.password is not None:
        raise InvalidInputError("base_url must not hold credentials; pass simple_key= instead")
    if parts.query or parts.fragment:
        raise InvalidInputError(f"base_url must not have a query or fragment, got {value!r}")
    return value.rstrip("/")


def call_options(
    timeout: object,
    deadline: object,
    max_response_bytes: object,
    max_retries: object,
    retry_policy: RetryPolicy | None,
    on_retry: Callable[[RetryEvent], None] | None,
) -> CallOptions:
    """The per-call options of a new client, each checked."""
    policy = retry_policy if retry_policy is not None else RetryPolicy()
    if max_retries is not None:
        policy = with_max_retries(policy, max_retries)
    return CallOptions(
        timeouts=timeout_option(timeout),
        retry=policy,
        deadline=seconds_option("deadline", deadline),
        max_response_bytes=byte_limit_option("max_response_bytes", max_response_bytes),
        on_retry=on_retry,
    )


def pool_option(
    name: object, http_client: object, transport: object, timeouts: Timeouts
) -> tuple[HttpStack, httpx.AsyncClient]:
    """The stack and the connection pool: the caller's `http_client`, or a new one."""
    if http_client is not None and transport is not None:
        raise InvalidInputError("pass http_client= or transport=, not both")
    stack = stack_option(name, http_client)
    if http_client is None:
        return stack, stack.new_client(transport, timeouts)
    # Either stack's client: httpx2's has httpx's interface.
    return stack, cast("httpx.AsyncClient", http_client)


def stack_option(name: object, http_client: object) -> HttpStack:
    """The stack of the caller's `http_client`, else the one named, else the default."""
    if http_client is None:
        return HttpStack.default() if name is None else HttpStack.named(name)
    stack = HttpStack.of_client(http_client)
    if name is not None and name != stack.name:
        raise InvalidInputError(f"http_stack={name!r} but http_client is a {stack.name} client")
    return stack


def credentials_option(
    simple_key: str | None, oauth_token: str | None, browser_key: str | None
) -> dict[Auth, Secret]:
    """The credentials given, or the simple key from the environment; never echoed."""
    given = {
        Auth.SIMPLE_KEY: simple_key,
        Auth.OAUTH_TOKEN: oauth_token,
        Auth.BROWSER_KEY: browser_key,
    }
    if all(value is None for value in given.values()):
        given[Auth.SIMPLE_KEY] = os.environ.get(ENV_SIMPLE_KEY) or None
    credentials = {
        kind: _credential(kind, value) for kind, value in given.items() if value is not None
    }
    if not credentials:
        raise InvalidInputError(
            "no UltraCart credential: pass simple_key=, oauth_token= or browser_key=, "
            f"or set the {ENV_SIMPLE_KEY} environment variable"
        )
    return credentials


def _credential(kind: Auth, value: object) -> Secret:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{kind.value} must be a non-empty str")
    value = value.strip()
    if not (value.isascii() and value.isprintable()):
        # The value itself is never echoed: it is a secret, however malformed.
        raise InvalidInputError(
            f"{kind.value} holds characters no HTTP header can carry "
            "(only printable ASCII is allowed); check how it was loaded"
        )
    return Secret(value)


# Headers a caller may not set per call: credentials and the API version are the client's; the
# framing headers are the HTTP stack's.
_RESERVED_HEADERS = frozenset(
    {
        HEADER_SIMPLE_KEY.lower(),
        HEADER_BROWSER_KEY.lower(),
        HEADER_AUTHORIZATION.lower(),
        HEADER_API_VERSION.lower(),
        "host",
        "content-length",
        "transfer-encoding",
        "connection",
    }
)


def headers_option(
    headers: object, current: tuple[tuple[str, str], ...] = ()
) -> tuple[tuple[str, str], ...]:
    """`current` with `headers` (a mapping of str to str) added or replacing same names."""
    if not isinstance(headers, Mapping):
        raise InvalidInputError(f"headers must be a mapping, got {type(headers).__name__}")
    merged = {name.lower(): (name, value) for name, value in current}
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise InvalidInputError("headers: names and values must be str")
        if name.lower() in _RESERVED_HEADERS:
            raise InvalidInputError(
                f"headers: {name!r} cannot be set per call (credentials and the API version "
                "belong to the client; framing headers to the HTTP stack)"
            )
        if not _is_token(name) or not all(" " <= c <= "~" or c == "\t" for c in value):
            # The value is not echoed: it may be a secret of the caller's.
            raise InvalidInputError(f"headers: {name!r} holds characters no header can carry")
        merged[name.lower()] = (name, value)
    return tuple(merged.values())


def _is_token(name: str) -> bool:
    return bool(name) and all(c.isascii() and (c.isalnum() or c in "!#$%&'*+-.^_`|~") for c in name)


def with_max_retries(policy: RetryPolicy, max_retries: object) -> RetryPolicy:
    """`policy` with `max_retries`, an int >= 0."""
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise InvalidInputError(f"max_retries must be an int >= 0, got {max_retries!r}")
    return attrs.evolve(policy, max_retries=max_retries)


def chain_hooks(
    first: Callable[[RetryEvent], None] | None, second: Callable[[RetryEvent], None]
) -> Callable[[RetryEvent], None]:
    """A hook that runs `first` (if any), then `second`."""
    if first is None:
        return second

    def both(event: RetryEvent) -> None:
        first(event)
        second(event)

    return both
