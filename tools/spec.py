"""Where the Customer API OpenAPI spec lives: `../shared/ultracart/` beside the project root.

It is read in place, never copied into the project. `ULTRACART_SPEC` overrides the path.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = Path(
    os.environ.get(
        "ULTRACART_SPEC",
        PROJECT_ROOT.parent / "shared" / "ultracart" / "customer-openapi.json",
    )
)


def spec_available() -> bool:
    """True when the spec file is present."""
    return SPEC_PATH.is_file()


def load_spec() -> dict[str, Any]:
    """The parsed OpenAPI document; FileNotFoundError names the path looked at."""
    if not spec_available():
        raise FileNotFoundError(f"Customer API spec not found at {SPEC_PATH}")
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return spec
