"""What the app reads from its owner on every request: credentials, policies, latency."""

from __future__ import annotations

from typing import Protocol


class FakeSettings(Protocol):
    """The live settings of a fake: a change applies from the next request on.

    `FakeUltraCart` provides them as its public attributes.
    """

    @property
    def simple_key(self) -> str: ...

    @property
    def oauth_token(self) -> str: ...

    @property
    def browser_key(self) -> str: ...

    @property
    def require_api_version(self) -> bool:
        """Answer 400 when `X-UltraCart-Api-Version` is missing or not the supported one."""
        ...

    @property
    def max_limit(self) -> int:
        """The `_limit` cap; above it the answer is 400."""
        ...

    @property
    def report_total_records(self) -> bool:
        """False answers `result_set.total_records` as null, as UltraCart may."""
        ...

    @property
    def latency_ms(self) -> float: ...

    @property
    def jitter_ms(self) -> float: ...
