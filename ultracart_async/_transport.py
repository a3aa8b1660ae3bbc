"""The transport: auth headers, rate limiter, THE retry loop, error mapping, decoding, logging.

Every operation of every client goes through `Transport.request`; there is no other retry loop
in the library. `Transport` holds what a client and its `with_options` views share (connection
pool, rate limiter, credentials, base URL, closed state); `CallOptions` holds what a view may
override (timeout, retry policy, on_retry).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TypeVar

import anyio
import attrs
import httpx
import orjson

from . import models
from ._constants import (
    ACCEPT_JSON,
    API_VERSION,
    ERROR_BODY_EXCERPT_CHARS,
    HEADER_ACCEPT,
    HEADER_API_VERSION,
    HEADER_AUTHORIZATION,
    HEADER_BROWSER_KEY,
    HEADER_CONTENT_TYPE,
    HEADER_REQUEST_ID,
    HEADER_REST_ERROR,
    HEADER_RETRY_AFTER,
    HEADER_SIMPLE_KEY,
    HEADER_USER_AGENT,
    USER_AGENT,
)
from ._converter import converter
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ApplicationDisabledError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    DecodeError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseDecodeError,
    ServerError,
    UltraCartError,
    WriteOutcomeUnknownError,
)
from ._logging import Secret, logger, redacted_response, scrub_httpx_error
from ._operations import Auth, Operation
from ._ratelimit import RateLimit
from ._retry import (
    Decision,
    NotSentError,
    NotSentTimeoutError,
    RetryEvent,
    RetryPolicy,
    decide,
    is_ambiguous,
    parse_retry_after,
)
from ._validate import encode_body, encode_path, encode_query

R = TypeVar("R")

__all__ = ["CallOptions", "Transport"]

_STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    410: ApplicationDisabledError,
    429: RateLimitError,
}
_AUTH_HEADERS: Mapping[Auth, tuple[str, str]] = {
    Auth.SIMPLE_KEY: (HEADER_SIMPLE_KEY, "{}"),
    Auth.OAUTH_TOKEN: (HEADER_AUTHORIZATION, "Bearer {}"),
    Auth.BROWSER_KEY: (HEADER_BROWSER_KEY, "{}"),
}
_FIXED_HEADERS: Mapping[str, str] = {
    HEADER_API_VERSION: API_VERSION,
    HEADER_USER_AGENT: USER_AGENT,
    HEADER_ACCEPT: ACCEPT_JSON,
}
_WHITESPACE = re.compile(r"\s+")


@attrs.frozen
class CallOptions:
    """What a `with_options` view may override; frozen, so views never affect each other."""

    timeout: httpx.Timeout
    retry: RetryPolicy
    on_retry: Callable[[RetryEvent], None] | None = None


@attrs.frozen
class _Prepared:
    """One operation call, checked and encoded, ready to be sent (possibly several times)."""

    op: Operation[Any]
    url: str
    path: str  # for logs: the encoded path with its query, no host, no secrets
    headers: dict[str, str] = attrs.field(repr=False)
    content: bytes | None
    body: Any  # the body argument as given, for WriteOutcomeUnknownError


class Transport:
    """Shared state of a client and its views, and the one request/retry loop."""

    def __init__(
        self,
        *,
        http_client: httpx.AsyncClient,
        owns_http_client: bool,
        base_url: str,
        credentials: Mapping[Auth, Secret],
        rate_limit: RateLimit | None,
    ) -> None:
        self.http_client = http_client
        self.owns_http_client = owns_http_client
        self.base_url = base_url.rstrip("/")
        self.credentials = dict(credentials)
        self.rate_limit = rate_limit
        self.closed = False

    async def aclose(self) -> None:
        """Refuse further calls; close the connection pool if this library created it."""
        if self.closed:
            return
        self.closed = True
        if self.owns_http_client:
            await self.http_client.aclose()

    # -- preparing ---------------------------------------------------------------------------

    def _auth_header(self, op: Operation[Any]) -> tuple[str, str]:
        for kind in Auth:  # preference order: simple key, OAuth token, browser key
            if kind in op.auth and kind in self.credentials:
                name, template = _AUTH_HEADERS[kind]
                return name, template.format(self.credentials[kind].reveal())
        held = ", ".join(kind.value for kind in self.credentials)
        accepted = " or ".join(kind.value for kind in Auth if kind in op.auth)
        raise InvalidInputError(
            f"{op.operation_id}: UltraCart accepts only {accepted} for this operation, and "
            f"this client holds {held} (browser keys work only for "
            "search_customer_profile_values)"
        )

    def prepare(self, op: Operation[Any], args: Mapping[str, Any]) -> _Prepared:
        """Check every argument and build URL, headers and body; raise before any I/O."""
        path = encode_path(op, args)
        query = encode_query(op, args)
        body, content = encode_body(op, args)
        auth_name, auth_value = self._auth_header(op)
        headers = {**_FIXED_HEADERS, auth_name: auth_value}
        if op.content_type is not None:
            headers[HEADER_CONTENT_TYPE] = op.content_type
        path_and_query = f"{path}?{query}" if query else path
        return _Prepared(op, self.base_url + path_and_query, path_and_query, headers, content, body)

    # -- the retry loop ----------------------------------------------------------------------

    async def request(self, op: Operation[R], args: Mapping[str, Any], options: CallOptions) -> R:
        """Send `op` with `args`, retrying per its safety class; return the decoded model."""
        prepared = self.prepare(op, args)
        policy = options.retry
        ambiguous = False  # may an earlier attempt have been processed?
        attempt = 0
        while True:
            attempt += 1
            if self.closed:  # closed while this call waited to retry
                raise ClientClosedError(f"{op.operation_id}: the client is closed")
            if self.rate_limit is not None:
                await self.rate_limit.acquire()
            started = time.perf_counter()
            try:
                response = await self._send(prepared, options.timeout)
                result: R = self._decode(op, response)
            except (APIConnectionError, APIStatusError, ResponseDecodeError) as error:
                self._log_attempt(prepared, attempt, started, error=error)
                decision = decide(op.safety, error, earlier_attempt_ambiguous=ambiguous)
                if decision is Decision.OUTCOME_UNKNOWN:
                    raise _outcome_unknown(prepared, error) from error
                if decision is Decision.RAISE or attempt > policy.max_retries:
                    raise
                ambiguous = ambiguous or is_ambiguous(error)
                delay = policy.delay(attempt, error)
                event = RetryEvent(
                    operation=op.operation_id,
                    attempt=attempt,
                    delay=delay,
                    error=error,
                    rate_limited=isinstance(error, RateLimitError),
                )
                logger.info(
                    "%s: retry %d of %d in %.2fs after %s",
                    op.operation_id,
                    attempt,
                    policy.max_retries,
                    delay,
                    type(error).__name__,
                    extra={"operation": op.operation_id, "attempt": attempt, "delay": delay},
                )
                if options.on_retry is not None:
                    options.on_retry(event)
                await anyio.sleep(delay)
                continue
            self._log_attempt(prepared, attempt, started, response=response)
            return result

    # -- one attempt -------------------------------------------------------------------------

    async def _send(self, prepared: _Prepared, limits: httpx.Timeout) -> httpx.Response:
        """One HTTP exchange; httpx failures become this library's connection errors."""
        request = self.http_client.build_request(
            prepared.op.method,
            prepared.url,
            headers=prepared.headers,
            content=prepared.content,
            timeout=limits,
        )
        where = f"{prepared.op.operation_id}: {prepared.op.method} {prepared.path}"
        try:
            # Never follow redirects, whatever a caller-supplied client says: a redirect would
            # re-send a write, and the key header, to wherever the Location points.
            return await self.http_client.send(request, follow_redirects=False)
        except (httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            scrub_httpx_error(exc)
            raise NotSentTimeoutError(f"{where}: timed out before sending ({exc!r})") from exc
        except httpx.ConnectError as exc:
            scrub_httpx_error(exc)
            raise NotSentError(f"{where}: could not connect ({exc!r})") from exc
        except httpx.TimeoutException as exc:
            scrub_httpx_error(exc)
            raise APITimeoutError(f"{where}: timed out ({type(exc).__name__})") from exc
        except httpx.LocalProtocolError as exc:
            # Its text may quote one of our header values, the credential included.
            scrub_httpx_error(exc)
            raise APIConnectionError(
                f"{where}: the request could not be sent ({type(exc).__name__})"
            ) from exc
        except httpx.HTTPError as exc:
            scrub_httpx_error(exc)
            raise APIConnectionError(f"{where}: {type(exc).__name__}: {exc}") from exc
        except RuntimeError:
            if self.http_client.is_closed:
                raise ClientClosedError(f"{where}: the http_client is closed") from None
            raise

    def _decode(self, op: Operation[R], response: httpx.Response) -> R:
        """The response's model, or the typed error it stands for."""
        if not response.is_success:
            _raise_status_error(op, response)
        content = response.content
        request_id = response.headers.get(HEADER_REQUEST_ID)
        if not content.strip():
            if op.response_type is None:
                return None  # type: ignore[return-value]  # Operation[None] answers 204
            raise ResponseDecodeError(
                f"{op.operation_id}: {response.status_code} with an empty body "
                f"(expected {op.response_type.__name__})",
                status_code=response.status_code,
                request_id=request_id,
            )
        try:
            data = orjson.loads(content)
        except orjson.JSONDecodeError as exc:
            raise ResponseDecodeError(
                f"{op.operation_id}: {response.status_code} body is not JSON "
                f"(HTML from a proxy, or cut short?): {_excerpt(content)!r}",
                status_code=response.status_code,
                request_id=request_id,
                body_excerpt=_excerpt(content),
            ) from exc
        _raise_if_error_body(op, response, data)
        if op.response_type is None:  # a JSON body where none is expected: not an error
            return None  # type: ignore[return-value]
        try:
            decoded: R = converter.structure(data, op.response_type)
        except DecodeError as exc:
            where = f"field {exc.path!r}" if exc.path else "the top level"
            raise ResponseDecodeError(
                f"{op.operation_id}: cannot decode {op.response_type.__name__}: "
                f"{where}: {exc.reason}",
                status_code=response.status_code,
                request_id=request_id,
                path=exc.path,
                body_excerpt=_excerpt(content),
            ) from exc
        return decoded

    def _log_attempt(
        self,
        prepared: _Prepared,
        attempt: int,
        started: float,
        *,
        response: httpx.Response | None = None,
        error: UltraCartError | None = None,
    ) -> None:
        duration = time.perf_counter() - started
        if isinstance(error, APIStatusError):
            status: int | str | None = error.status_code
            request_id = error.request_id
        elif response is not None:
            status = response.status_code
            request_id = response.headers.get(HEADER_REQUEST_ID)
        elif isinstance(error, ResponseDecodeError):
            status = f"{error.status_code} (undecodable)"
            request_id = error.request_id
        else:
            status = type(error).__name__
            request_id = None
        logger.debug(
            "%s %s -> %s in %.3fs (attempt %d, request id %s)",
            prepared.op.method,
            prepared.path,
            status,
            duration,
            attempt,
            request_id,
            extra={
                "operation": prepared.op.operation_id,
                "method": prepared.op.method,
                "path": prepared.path,
                "status": status,
                "duration": duration,
                "attempt": attempt,
                "request_id": request_id,
            },
        )


def _excerpt(content: bytes) -> str:
    text = content.decode("utf-8", errors="replace")
    return _WHITESPACE.sub(" ", text).strip()[:ERROR_BODY_EXCERPT_CHARS]


def _loads_or_none(content: bytes) -> Any:
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return None


def _parse_error(data: Any) -> models.Error | None:
    """The `error` object of an UltraCart error body, or None when there is none to parse."""
    if not isinstance(data, dict) or not isinstance(data.get("error"), dict):
        return None
    try:
        parsed: models.ErrorResponse = converter.structure(data, models.ErrorResponse)
    except DecodeError:
        return None
    return parsed.error


def _describe(error: models.Error | None, response: httpx.Response) -> str:
    if error is not None:
        text = error.developer_message or error.user_message or error.error_code
        if text:
            return str(text)
    header: str | None = response.headers.get(HEADER_REST_ERROR)
    if header:
        return header
    body = _excerpt(response.content)
    return f"body: {body!r}" if body else "empty body"


def _status_error(
    op: Operation[Any], response: httpx.Response, cls: type[APIStatusError], error: Any
) -> APIStatusError:
    request = response.request
    message = (
        f"{op.operation_id}: {response.status_code} {response.reason_phrase}: "
        f"{_describe(error, response)}"
    )
    kwargs: dict[str, Any] = {
        "status_code": response.status_code,
        "error": error,
        "request_id": response.headers.get(HEADER_REQUEST_ID),
        "uc_rest_error": response.headers.get(HEADER_REST_ERROR),
        "method": request.method,
        "url": str(request.url),
        "response": redacted_response(response),
    }
    if cls is RateLimitError:
        retry_after = parse_retry_after(response.headers.get(HEADER_RETRY_AFTER))
        return RateLimitError(message, retry_after=retry_after, **kwargs)
    return cls(message, **kwargs)


def _raise_status_error(op: Operation[Any], response: httpx.Response) -> NoReturn:
    status = response.status_code
    cls = _STATUS_ERRORS.get(status, ServerError if status >= 500 else APIStatusError)
    raise _status_error(op, response, cls, _parse_error(_loads_or_none(response.content)))


def _raise_if_error_body(op: Operation[Any], response: httpx.Response, data: Any) -> None:
    """A 2xx whose body carries an `error` object is an error all the same."""
    error = _parse_error(data)
    if error is not None:
        raise _status_error(op, response, APIStatusError, error)


def _outcome_unknown(prepared: _Prepared, error: UltraCartError) -> WriteOutcomeUnknownError:
    op = prepared.op
    return WriteOutcomeUnknownError(
        f"{op.operation_id}: {op.method} {prepared.path} may or may not have been applied "
        f"({type(error).__name__}: {error}). It was not retried because repeating it could "
        "apply it twice; check the account before trying again.",
        operation=op.operation_id,
        method=op.method,
        url=prepared.url,
        body=prepared.body,
    )
