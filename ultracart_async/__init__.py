"""ultracart_async: an async, typed, fault-safe client for UltraCart's Customer API."""

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
from ._version import __version__

# --- models & converter (issue 2) ---

# --- client (issue 4) ---

# --- pager (issue 5) ---

__all__ = [
    "__version__",
    "UltraCartError",
    "InvalidInputError",
    "ClientClosedError",
    "DecodeError",
    "ResponseDecodeError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ApplicationDisabledError",
    "RateLimitError",
    "ServerError",
    "APIConnectionError",
    "APITimeoutError",
    "WriteOutcomeUnknownError",
    # --- models & converter (issue 2) ---
    # --- client (issue 4) ---
    # --- pager (issue 5) ---
]
