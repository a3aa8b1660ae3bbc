"""The error answers the fake gives for bad input and missing records, as UltraCart does."""

from __future__ import annotations


class ApiError(Exception):
    """An error UltraCart answers with `status` and an error body."""

    def __init__(self, status: int, message: str, *, error_code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_code = error_code


def bad_request(message: str, error_code: str | None = None) -> ApiError:
    """A 400: UltraCart's answer to bad input and to records that do not exist."""
    return ApiError(400, message, error_code=error_code)


def not_found(message: str) -> ApiError:
    """UltraCart answers a missing record with a 400 whose error_code is `not_found`."""
    return bad_request(message, "not_found")
