"""The request pipeline: rate limit, send, decode, and THE retry loop of the library.

Every operation of every client goes through `Requester.request`: prepare (check and encode,
`_request`), then per attempt wait for the rate limiter, send, decode (`_decoding`), and on a
failure ask `_retry.decide` whether to try again. `Requester` holds what a client and its
`with_options` views share (connection pool, limiter, credentials, base URL, closed state);
`CallOptions` holds what a view may override.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import anyio
import attrs
import httpx

from ._constants import HEADER_REQUEST_ID
from ._decoding import decode_response
from ._error_mapping import outcome_unknown, transport_error
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    ClientClosedError,
    RateLimitError,
    ResponseDecodeError,
    UltraCartError,
)
from ._logging import Secret, logger
from ._operation import Auth, Operation
from ._ratelimit import RateLimit
from ._request import PreparedRequest, prepare
from ._retry import Decision, RetryEvent, RetryPolicy, decide, is_ambiguous

R = TypeVar("R")

__all__ = ["CallOptions", "Requester"]

_RETRYABLE = (APIConnectionError, APIStatusError, ResponseDecodeError)


@attrs.frozen
class CallOptions:
    """What a `with_options` view may override; frozen, so views never affect each other."""

    timeout: httpx.Timeout
    retry: RetryPolicy
    on_retry: Callable[[RetryEvent], None] | None = None


class Requester:
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

    async def request(self, op: Operation[R], args: Mapping[str, Any], options: CallOptions) -> R:
        """Send `op` with `args`, retrying per its safety class; return the decoded model."""
        prepared = prepare(op, args, base_url=self.base_url, credentials=self.credentials)
        ambiguous = False  # may an earlier attempt have been processed?
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._attempt(op, prepared, attempt, options)
            except _RETRYABLE as error:
                decision = decide(op.safety, error, earlier_attempt_ambiguous=ambiguous)
                if decision is Decision.OUTCOME_UNKNOWN:
                    raise outcome_unknown(prepared, error) from error
                if decision is Decision.RAISE or attempt > options.retry.max_retries:
                    raise
                ambiguous = ambiguous or is_ambiguous(error)
                await self._before_retry(op, attempt, error, options)

    async def _attempt(
        self, op: Operation[R], prepared: PreparedRequest, attempt: int, options: CallOptions
    ) -> R:
        """One attempt: rate limiter, exchange, decoding; logged whatever the outcome."""
        if self.closed:  # closed while this call waited to retry
            raise ClientClosedError(f"{op.operation_id}: the client is closed")
        if self.rate_limit is not None:
            await self.rate_limit.acquire()
        started = time.perf_counter()
        try:
            response = await self._send(prepared, options.timeout)
            result = decode_response(op, response)
        except _RETRYABLE as error:
            _log_attempt(prepared, attempt, started, error=error)
            raise
        _log_attempt(prepared, attempt, started, response=response)
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

    async def _send(self, prepared: PreparedRequest, limits: httpx.Timeout) -> httpx.Response:
        """One HTTP exchange; httpx failures become this library's connection errors."""
        request = self.http_client.build_request(
            prepared.op.method,
            prepared.url,
            headers=prepared.headers,
            content=prepared.content,
            timeout=limits,
        )
        try:
            # Never follow redirects, whatever a caller-supplied client says: a redirect would
            # re-send a write, and the key header, to wherever the Location points.
            return await self.http_client.send(request, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise transport_error(exc, prepared) from exc
        except RuntimeError:
            if self.http_client.is_closed:
                message = f"{prepared.where}: the http_client is closed"
                raise ClientClosedError(message) from None
            raise


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
