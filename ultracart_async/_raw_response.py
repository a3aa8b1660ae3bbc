"""`RawResponse`: what `client.with_raw_response.<operation>(...)` returns."""

from __future__ import annotations

from datetime import timedelta
from typing import Generic, TypeVar

import httpx

R = TypeVar("R")

__all__ = ["RawResponse"]


class RawResponse(Generic[R]):
    """The HTTP response of a call, beside its typed model.

    Failures raise the usual typed errors before a `RawResponse` exists; `parse()` gives the
    model the plain method would have returned. `headers` are the final attempt's response
    headers; `attempts` counts the attempts the call took (1 without retries).
    """

    __slots__ = ("_model", "attempts", "elapsed", "headers", "request_id", "status_code")

    def __init__(
        self,
        model: R,
        *,
        status_code: int,
        headers: httpx.Headers,
        request_id: str | None,
        elapsed: timedelta,
        attempts: int,
    ) -> None:
        self._model = model
        self.status_code = status_code
        self.headers = headers
        self.request_id = request_id
        self.elapsed = elapsed
        self.attempts = attempts

    def parse(self) -> R:
        """The typed model (None for operations that answer with no body)."""
        return self._model

    def __repr__(self) -> str:
        seconds = self.elapsed.total_seconds()
        return (
            f"RawResponse(status_code={self.status_code}, request_id={self.request_id!r}, "
            f"elapsed={seconds:.3f}s, attempts={self.attempts})"
        )
