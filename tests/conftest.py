"""Shared fixtures: every async test runs on asyncio and on trio."""

from __future__ import annotations

from typing import Any

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
