"""The core's defaults, header names and limits (the CLI and the fake keep their own)."""

from __future__ import annotations

from typing import Final

from ._version import __version__

# Endpoint and protocol
DEFAULT_BASE_URL: Final = "https://secure.ultracart.com/rest/v2"
API_VERSION: Final = "2017-03-01"
USER_AGENT: Final = f"ultracart-async/{__version__}"
ENV_SIMPLE_KEY: Final = "ULTRACART_SIMPLE_KEY"
ENV_BASE_URL: Final = "ULTRACART_BASE_URL"

# Request headers
HEADER_API_VERSION: Final = "X-UltraCart-Api-Version"
HEADER_SIMPLE_KEY: Final = "x-ultracart-simple-key"
HEADER_BROWSER_KEY: Final = "x-ultracart-browser-key"
HEADER_AUTHORIZATION: Final = "Authorization"
HEADER_USER_AGENT: Final = "User-Agent"
# Response headers
HEADER_REQUEST_ID: Final = "X-UltraCart-Request-Id"
HEADER_REST_ERROR: Final = "UC-REST-ERROR"
HEADER_REST_ERROR_MERCHANT_ID: Final = "UC-REST-ERROR-MERCHANT-ID"
HEADER_RETRY_AFTER: Final = "Retry-After"
# Every header whose value is a secret: redacted in logs, reprs and errors.
SECRET_HEADERS: Final = frozenset(
    {HEADER_SIMPLE_KEY.lower(), HEADER_BROWSER_KEY.lower(), HEADER_AUTHORIZATION.lower()}
)

# Timeouts (seconds): finite by default, unlike the official SDK.
DEFAULT_CONNECT_TIMEOUT: Final = 10.0
DEFAULT_READ_TIMEOUT: Final = 60.0
DEFAULT_WRITE_TIMEOUT: Final = 60.0
DEFAULT_POOL_TIMEOUT: Final = 10.0
# The whole attempt (connect, send, full response): a server that trickles a byte at a time
# passes every per-read timeout, never this.
DEFAULT_DEADLINE: Final = 120.0
# Bytes of a decoded response body; UltraCart's densest page of 200 customers is ~2 MB.
DEFAULT_MAX_RESPONSE_BYTES: Final = 32 * 1024 * 1024
# Bytes of an error response read for its message: UltraCart's error bodies are < 1 KB.
ERROR_BODY_MAX_BYTES: Final = 64 * 1024
DEFAULT_MAX_CONNECTIONS: Final = 20
DEFAULT_MAX_KEEPALIVE_CONNECTIONS: Final = 10

# Retries: exponential backoff with full jitter, Retry-After honoured up to a cap.
DEFAULT_MAX_RETRIES: Final = 4
DEFAULT_BACKOFF_INITIAL: Final = 0.5
DEFAULT_BACKOFF_MAX: Final = 30.0
RETRY_AFTER_CAP: Final = 120.0
RETRYABLE_STATUS_CODES: Final = frozenset({429, 500, 502, 503, 504})

# UltraCart's published quotas (leaky bucket, per application and IP).
ULTRACART_REQUESTS_PER_HOUR: Final = 1_000
ULTRACART_REQUESTS_PER_DAY: Final = 10_000

# Pagination
PAGE_LIMIT_DEFAULT: Final = 100
PAGE_LIMIT_MAX: Final = 200
DEFAULT_PAGE_SIZE: Final = 200
DEFAULT_PAGER_CONCURRENCY: Final = 4

# Customer _expand values UltraCart documents.
CUSTOMER_EXPANSIONS: Final = (
    "attachments",
    "billing",
    "cards",
    "cc_emails",
    "loyalty",
    "orders_summary",
    "pricing_tiers",
    "privacy",
    "properties",
    "quotes_summary",
    "reviewer",
    "shipping",
    "software_entitlements",
    "tags",
    "tax_codes",
)

LOGGER_NAME: Final = "ultracart_async"

# Requests and responses
# Characters of a non-JSON error body kept in exception messages (HTML from a proxy, ...).
ERROR_BODY_EXCERPT_CHARS: Final = 200
# int32 object ids, as the spec declares them.
OID_MAX: Final = 2**31 - 1
MEDIA_TYPE_JSON: Final = "application/json"
MEDIA_TYPE_JSON_UTF8: Final = "application/json; charset=UTF-8"  # as the spec names some bodies
ACCEPT_JSON: Final = MEDIA_TYPE_JSON
HEADER_ACCEPT: Final = "Accept"
HEADER_CONTENT_TYPE: Final = "Content-Type"
HEADER_ACCEPT_ENCODING: Final = "Accept-Encoding"
HEADER_CONTENT_ENCODING: Final = "Content-Encoding"
SECONDS_PER_HOUR: Final = 3_600.0
SECONDS_PER_DAY: Final = 86_400.0
REDACTED: Final = "[REDACTED]"  # stands in for every secret in logs, reprs and errors
