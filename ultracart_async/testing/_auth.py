"""Which requests the fake lets in: credentials and the API version header."""

from __future__ import annotations

import hmac

from ultracart_async._constants import (
    API_VERSION,
    HEADER_API_VERSION,
    HEADER_BROWSER_KEY,
    HEADER_SIMPLE_KEY,
)

from ._errors import ApiError
from ._request import Request
from ._routes import BROWSER_KEY_OPERATIONS
from ._settings import FakeSettings


def credential_error(request: Request, settings: FakeSettings) -> str | None:
    """Why the request's credentials are refused (401), or None when they are accepted.

    The first credential present decides: simple key, then OAuth bearer token, then browser key
    (only for the operations that accept one).
    """
    headers = request.headers
    simple = headers.get(HEADER_SIMPLE_KEY.lower())
    authorization = headers.get("authorization")
    browser = headers.get(HEADER_BROWSER_KEY.lower())
    if simple is not None:
        return None if _same(simple, settings.simple_key) else "Invalid simple key."
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and _same(token.strip(), settings.oauth_token):
            return None
        return "Invalid OAuth bearer token."
    if browser is not None:
        if request.operation not in BROWSER_KEY_OPERATIONS:
            return "A browser key is not permitted for this operation."
        return None if _same(browser, settings.browser_key) else "Invalid browser key."
    return "Missing credentials: send x-ultracart-simple-key or Authorization: Bearer."


def check_api_version(request: Request) -> None:
    """400 unless the request names the API version the fake serves."""
    version = request.headers.get(HEADER_API_VERSION.lower())
    if version is None:
        raise ApiError(
            400,
            f"Missing required header {HEADER_API_VERSION} (send {API_VERSION}).",
            error_code="missing_api_version",
        )
    if version.strip() != API_VERSION:
        raise ApiError(
            400,
            f"Unsupported {HEADER_API_VERSION} {version!r} (send {API_VERSION}).",
            error_code="unsupported_api_version",
        )


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
