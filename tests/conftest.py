"""Shared fixtures: every async test runs on asyncio and on trio.

`ULTRACART_TEST_HTTP_STACK=httpx2` (set by `nox -s tests` for its httpx2 sessions) runs the
whole suite on httpx2: the name httpx then resolves to httpx2 in this process, for the library,
FakeUltraCart and the tests alike, as in a project that has only httpx2.
"""

from __future__ import annotations

import os
import sys
from typing import Any

if os.environ.get("ULTRACART_TEST_HTTP_STACK") == "httpx2":
    import httpx2

    if "httpx" in sys.modules and sys.modules["httpx"] is not httpx2:
        raise RuntimeError("httpx was imported before tests/conftest.py could stand httpx2 in")
    sys.modules["httpx"] = httpx2

import pytest

from tools.spec import SPEC_PATH, load_spec, spec_available


@pytest.fixture(
    params=[
        pytest.param(("asyncio", {}), id="asyncio"),
        pytest.param(("trio", {}), id="trio"),
    ]
)
def anyio_backend(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    """Run each `@pytest.mark.anyio` test once per backend."""
    backend: tuple[str, dict[str, Any]] = request.param
    return backend


@pytest.fixture(scope="session")
def openapi_spec() -> dict[str, Any]:
    """The Customer API spec from ../shared; skips visibly where it is absent."""
    if not spec_available():
        pytest.skip(f"Customer API spec not found at {SPEC_PATH} (it lives in ../shared)")
    return load_spec()
