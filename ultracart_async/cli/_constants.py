"""The command line's own names and defaults (the client's are in `ultracart_async._constants`)."""

from __future__ import annotations

from typing import Final

PROG: Final = "ultracart-customers"

EXPORT_CHECKPOINT_VERSION: Final = 1
EXPORT_DEMO_CUSTOMERS: Final = 1_000  # `--demo` without a number
EXPORT_DEMO_SEED: Final = 1
EXPORT_DEMO_LATENCY_MS: Final = 150  # per page, so the demo's progress bar is visible
EXPORT_PLAIN_PROGRESS_INTERVAL: Final = 2.0  # seconds between plain progress lines
