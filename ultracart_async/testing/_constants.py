"""FakeUltraCart's own constants: fake credentials and URL, fault timings, cache and size limits."""

from __future__ import annotations

from typing import Final

# Well-known credentials of the offline fake: not secrets, but redacted from its request log anyway.
FAKE_BASE_URL: Final = "http://fake-ultracart.test/rest/v2"
FAKE_SIMPLE_KEY: Final = "fake-simple-key-0000000000000000"
FAKE_OAUTH_TOKEN: Final = "fake-oauth-token-0000000000000000"  # noqa: S105 - a fake
FAKE_BROWSER_KEY: Final = "fake-browser-key-0000000000000000"
FAKE_MERCHANT_ID: Final = "DEMO"
FAKE_REST_PREFIX: Final = "/rest/v2"
FAKE_DEFAULT_RETRY_AFTER: Final = 1
FAKE_SLOW_DELAY: Final = 30.0
#: Drips (`slow_drip_body`, `slow_drip_head`): a piece of this many bytes every `delay` seconds,
#: for at most `max_seconds` (then the fake ends the connection).
FAKE_DRIP_DELAY: Final = 0.1
FAKE_DRIP_PIECE_BYTES: Final = 1
FAKE_DRIP_MAX_SECONDS: Final = 30.0
#: Size of `oversized_body` and of what `compressed_bomb` inflates to: twice the client's cap.
FAKE_LARGE_BODY_BYTES: Final = 64 * 1024 * 1024
#: Upper bound of the cache of seeded customers' serialized JSON, in bytes of JSON.
FAKE_SHAPED_CACHE_BYTES: Final = 128 * 1024 * 1024
#: How many `_sort` orders of every customer the fake keeps (least recently used dropped).
FAKE_SORTED_ORDERS: Final = 8
#: Loopback server limits: request head and body sizes; larger requests drop the connection.
FAKE_MAX_REQUEST_HEAD: Final = 64 * 1024
FAKE_MAX_REQUEST_BODY: Final = 32 * 1024 * 1024
