"""`RawResponse`: what `client.with_raw_response.<operation>(...)` returns."""

from __future__ import annotations

from datetime import timedelta
from typing import Generic, TypeVar

import httpx

R = TypeVar("R")

__all__ = ["RawResponse"]


class RawResponse(Generic[R]):
    """The HTTP response of a call, beside its typed model.

    What `client.with_raw_response.<operation>(...)` returns on success: failures raise the usual
    typed errors before a `RawResponse` exists.

    ```python
    raw = await client.with_raw_response.get_customer(56)
    print(raw.status_code, raw.request_id, raw.attempts)
    customer = raw.parse().customer
    ```

    Attributes:
        status_code: The HTTP status of the final attempt's response.
        headers: The final attempt's response headers (`httpx.Headers`, or the httpx2 stack's).
        request_id: The `X-UltraCart-Request-Id` response header, or None.
        elapsed: Time the final attempt took (`datetime.timedelta`), from sending to the decoded
            model; earlier attempts, retry waits and rate-limit waits are not included.
        attempts: How many attempts the call took (1 without retries).
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
        """Return the typed model the plain method would have returned.

        Returns:
            The operation's model; None for operations that answer with no body (`delete_customer`,
            `delete_wish_list_item`, `merge_customer`).
        """
        return self._model

    def __repr__(self) -> str:
        seconds = self.elapsed.total_seconds()
        return (
            f"RawResponse(status_code={self.status_code}, request_id={self.request_id!r}, "
            f"elapsed={seconds:.3f}s, attempts={self.attempts})"
        )
