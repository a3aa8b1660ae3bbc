"""The request pipeline: rate limit, send, decode, and THE retry loop of the library.

Every operation of every client goes through `Requester.request`: prepare (check and encode,
`_request`), then per attempt wait for the rate limiter, send, decode (`_decoding`), and on a
failure ask `_retry.decide` whether to try again. `Requester` holds what a client and its
`with_options` views share (connection pool, limiter, credentials, base URL, closed state);
`CallOptions` holds what a view may override.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, TypeVar, cast

import anyio
import attrs
import httpx

from ._body import BodyTooLarge, UnsupportedEncoding, read_capped
from ._constants import ERROR_BODY_MAX_BYTES, HEADER_REQUEST_ID
from ._decoding import decode_response, undecodable
from ._error_mapping import outcome_unknown, transport_error
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    EventLoopMismatchError,
    RateLimitError,
    ResponseDecodeError,
    ResponseTooLargeError,
    UltraCartError,
)
from ._http import HttpStack, Timeouts
from ._logging import Scrubber, Secret, logger
from ._operation import Auth, Operation, Safety
from ._ratelimit import RateLimit
from ._raw_response import RawResponse
from ._request import PreparedRequest, prepare
from ._retry import Decision, RetryEvent, RetryPolicy, decide, is_ambiguous

R = TypeVar("R")

__all__ = ["CallOptions", "Requester"]

_RETRYABLE = (APIConnectionError, APIStatusError, ResponseDecodeError)


@attrs.frozen
class CallOptions:
    """What a `with_options` view may override; frozen, so views never affect each other."""

    timeouts: Timeouts
    retry: RetryPolicy
    deadline: float  # seconds for a whole attempt: connect, send and the full response
    max_response_bytes: int  # of a decoded body; past it, ResponseTooLargeError
    on_retry: Callable[[RetryEvent], None] | None = None
    headers: tuple[tuple[str, str], ...] = ()  # sent on every request, after the client's own
    raw: bool = False  # answer with a RawResponse around the model


class Requester:
    """Shared state of a client and its views, and the one request/retry loop."""

    def __init__(
        self,
        *,
        http_client: httpx.AsyncClient,
        stack: HttpStack,
        owns_http_client: bool,
        base_url: str,
        credentials: Mapping[Auth, Secret],
        rate_limit: RateLimit | None,
    ) -> None:
        self.http_client = http_client
        self.stack = stack
        self.owns_http_client = owns_http_client
        self.base_url = base_url.rstrip("/")
        self.credentials = dict(credentials)
        self.rate_limit = rate_limit
        self.scrubber = Scrubber(self.credentials.values())
        self.closed = False
        self._calls: set[anyio.CancelScope] = set()

    async def aclose(self) -> None:
        """Refuse further calls, end the calls under way (each raises ClientClosedError), and
        close the connection pool if this library created it."""
        if self.closed:
            return
        self.closed = True
        for call in self._calls:
            call.cancel()
        if self.owns_http_client:
            await self.http_client.aclose()

    async def request(self, op: Operation[R], args: Mapping[str, Any], options: CallOptions) -> R:
        """Send `op` with `args`, retrying per its safety class; return the decoded model.

        `aclose()` ends the call wherever it waits: ClientClosedError, or for an unsafe write
        that may have been sent, WriteOutcomeUnknownError.
        """
        prepared = prepare(op, args, base_url=self.base_url, credentials=self.credentials)
        if self.closed:
            raise ClientClosedError(f"{op.operation_id}: the client is closed")
        sent = [False]  # set once an attempt may have reached the server
        with anyio.CancelScope() as call:
            self._calls.add(call)
            try:
                return await self._retry_loop(op, prepared, options, sent)
            finally:
                self._calls.discard(call)
        closed = ClientClosedError(f"{prepared.where}: the client was closed during the call")
        if sent[0] and op.safety is Safety.UNSAFE:
            raise outcome_unknown(prepared, closed) from closed
        raise closed

    async def _retry_loop(
        self, op: Operation[R], prepared: PreparedRequest, options: CallOptions, sent: list[bool]
    ) -> R:
        """THE retry loop: attempt, and on failure ask `decide` whether to try again."""
        ambiguous = False  # may an earlier attempt have been processed?
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._attempt(op, prepared, attempt, options, sent)
            except _RETRYABLE as error:
                decision = decide(op.safety, error, earlier_attempt_ambiguous=ambiguous)
                if decision is Decision.OUTCOME_UNKNOWN:
                    raise outcome_unknown(prepared, error) from error
                if decision is Decision.RAISE or attempt > options.retry.max_retries:
                    raise
                ambiguous = ambiguous or is_ambiguous(error)
                await self._before_retry(op, attempt, error, options)

    async def _attempt(
        self,
        op: Operation[R],
        prepared: PreparedRequest,
        attempt: int,
        options: CallOptions,
        sent: list[bool],
    ) -> R:
        """One attempt: rate limiter, exchange, decoding; logged whatever the outcome."""
        if self.rate_limit is not None:
            await self.rate_limit.acquire()
        started = time.perf_counter()
        sent[0] = True
        try:
            response, body = await self._exchange(prepared, options)
            result = decode_response(op, response, body, self.scrubber)
        except _RETRYABLE as error:
            _log_attempt(prepared, attempt, started, error=error)
            raise
        _log_attempt(prepared, attempt, started, response=response)
        if options.raw:
            elapsed = timedelta(seconds=time.perf_counter() - started)
            return _raw(result, response, elapsed, attempt)  # type: ignore[return-value]
        return result

    async def _before_retry(
        self, op: Operation[Any], attempt: int, error: UltraCartError, options: CallOptions
    ) -> None:
        """Tell the log and the `on_retry` hook, then wait out the policy's delay."""
        policy = options.retry
        delay = policy.delay(attempt, error)
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
            rate_limited = isinstance(error, RateLimitError)
            options.on_retry(RetryEvent(op.operation_id, attempt, delay, error, rate_limited))
        await anyio.sleep(delay)

    async def _exchange(
        self, prepared: PreparedRequest, options: CallOptions
    ) -> tuple[httpx.Response, bytes]:
        """One HTTP exchange within the attempt's deadline: the response and its whole body."""
        try:
            with anyio.fail_after(options.deadline):
                return await self._send(prepared, options)
        except TimeoutError:
            message = (
                f"{prepared.where}: no complete response within the deadline of "
                f"{options.deadline:g}s"
            )
            raise APITimeoutError(message, method=prepared.op.method, url=prepared.url) from None

    async def _send(
        self, prepared: PreparedRequest, options: CallOptions
    ) -> tuple[httpx.Response, bytes]:
        """Send, then read the body under its cap; httpx failures become the library's errors."""
        request = self.http_client.build_request(
            prepared.op.method,
            prepared.url,
            headers=_merged_headers(prepared.headers, options.headers),
            content=prepared.content,
            timeout=self.stack.timeout(options.timeouts),
        )
        try:
            # Never follow redirects, whatever a caller-supplied client says: a redirect would
            # re-send a write, and the key header, to wherever the Location points.
            response = await self.http_client.send(request, stream=True, follow_redirects=False)
            try:
                return response, await self._read(prepared, response, options)
            finally:
                await response.aclose()
                self.stack.release(response)
        except self.stack.http_error as exc:
            # The stack's error class: httpx2's has httpx's interface.
            failure = cast("httpx.HTTPError", exc)
            raise transport_error(failure, prepared, self.scrubber, self.stack) from exc
        except RuntimeError as exc:
            raise self._runtime_error(prepared, exc) from None

    async def _read(
        self, prepared: PreparedRequest, response: httpx.Response, options: CallOptions
    ) -> bytes:
        """The decoded body; an error page is read only as far as its message needs."""
        op = prepared.op
        try:
            if not response.is_success:
                limit = ERROR_BODY_MAX_BYTES
                return await read_capped(response, limit, self.stack, truncate=True)
            return await read_capped(response, options.max_response_bytes, self.stack)
        except BodyTooLarge:
            limit = options.max_response_bytes
            message = f"{response.status_code} body larger than max_response_bytes={limit}"
            raise undecodable(op, response, message, ResponseTooLargeError, limit=limit) from None
        except UnsupportedEncoding as exc:
            message = f"{response.status_code} body in an encoding not asked for: {exc}"
            raise undecodable(op, response, self.scrubber.scrub(message)) from None
        except zlib.error as exc:
            message = f"{response.status_code} compressed body is corrupt ({exc})"
            raise undecodable(op, response, message) from None

    def _runtime_error(self, prepared: PreparedRequest, exc: RuntimeError) -> Exception:
        """What a RuntimeError from the pool means: closed under us, or another event loop."""
        if self.http_client.is_closed:
            return ClientClosedError(f"{prepared.where}: the http_client is closed")
        if "event loop is closed" in str(exc).lower() or "different loop" in str(exc).lower():
            return EventLoopMismatchError(
                f"{prepared.where}: this client's connections belong to an event loop that has "
                "ended (a client reused across asyncio.run() calls?). Create one CustomerClient "
                "per event loop, e.g. inside the function asyncio.run() runs."
            )
        return exc


def _merged_headers(own: Mapping[str, str], extra: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The request's own headers, with the caller's per-call headers replacing same names."""
    if not extra:
        return dict(own)
    replaced = {name.lower() for name, _ in extra}
    kept = {name: value for name, value in own.items() if name.lower() not in replaced}
    return {**kept, **dict(extra)}


def _raw(
    model: Any, response: httpx.Response, elapsed: timedelta, attempts: int
) -> RawResponse[Any]:
    return RawResponse(
        model,
        status_code=response.status_code,
        headers=response.headers,
        request_id=response.headers.get(HEADER_REQUEST_ID),
        elapsed=elapsed,
        attempts=attempts,
    )


def _log_attempt(
    prepared: PreparedRequest,
    attempt: int,
    started: float,
    *,
    response: httpx.Response | None = None,
    error: UltraCartError | None = None,
) -> None:
    duration = time.perf_counter() - started
    status, request_id = _outcome(response, error)
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


def _outcome(
    response: httpx.Response | None, error: UltraCartError | None
) -> tuple[int | str | None, str | None]:
    """(status or failure name, request id) of one attempt, for the log."""
    if isinstance(error, APIStatusError):
        return error.status_code, error.request_id
    if response is not None:
        return response.status_code, response.headers.get(HEADER_REQUEST_ID)
    if isinstance(error, ResponseDecodeError):
        return f"{error.status_code} (undecodable)", error.request_id
    return type(error).__name__, None
