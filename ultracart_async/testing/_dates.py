"""UltraCart's timestamps: formatting and parsing them, in the fake's fixed Eastern offset."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Final

#: UltraCart reports times in US Eastern; the fake uses a fixed -05:00 offset.
EASTERN: Final = timezone(timedelta(hours=-5))
_EASTERN_SECONDS: Final = 5 * 3600


def now() -> datetime:
    """The current moment (UTC), for timestamps of writes."""
    return datetime.now(UTC)


def format_dts(moment: datetime) -> str:
    """UltraCart's timestamp format: ISO-8601 with offset, seconds precision."""
    return format_epoch(moment.timestamp())


def format_epoch(seconds: float) -> str:
    """`format_dts` of a POSIX timestamp (fast path for seeding)."""
    t = time.gmtime(int(seconds) - _EASTERN_SECONDS)
    return (
        f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
        f"T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}-05:00"
    )


def parse_dts(text: str) -> datetime:
    """Parse an ISO-8601 timestamp (`Z` or offset; a bare date means midnight Eastern).

    Raises ValueError for anything else.
    """
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    moment = datetime.fromisoformat(cleaned)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=EASTERN)
    return moment
