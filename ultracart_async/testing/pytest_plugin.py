"""Pytest fixtures for testing your code against FakeUltraCart.

Installed with the package, pytest loads it by itself (entry point `pytest11`). Loading it
imports nothing of the client or the fake: a suite that never asks for these fixtures pays
nothing for them.

Fixtures:

- `fake_ultracart`: a fresh `FakeUltraCart(customers=100, seed=1)` per test.
- `fake_ultracart_factory`: call it with FakeUltraCart's arguments for a differently configured
  fake (`fake_ultracart_factory(customers=5000, latency_ms=20)`).

When a test fails, the request log of every fake it used (secrets redacted) is added to the
failure report as a section named "FakeUltraCart requests".
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ._fake import FakeUltraCart

_FAKES = pytest.StashKey[list["FakeUltraCart"]]()

FakeFactory = Callable[..., "FakeUltraCart"]


@pytest.fixture
def fake_ultracart_factory(request: pytest.FixtureRequest) -> FakeFactory:
    """Build FakeUltraCart instances (keyword arguments as FakeUltraCart's) logged on failure."""

    def build(**kwargs: Any) -> FakeUltraCart:
        from ._fake import FakeUltraCart  # only when a test asks for a fake

        kwargs.setdefault("customers", 100)
        fake = FakeUltraCart(**kwargs)
        request.node.stash.setdefault(_FAKES, []).append(fake)
        return fake

    return build


@pytest.fixture
def fake_ultracart(fake_ultracart_factory: FakeFactory) -> FakeUltraCart:
    """A fresh FakeUltraCart with 100 seeded customers (seed=1)."""
    return fake_ultracart_factory()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    fakes = item.stash.get(_FAKES, [])
    if report.failed and fakes:
        for number, fake in enumerate(fakes, 1):
            title = "FakeUltraCart requests" + (f" (fake {number})" if len(fakes) > 1 else "")
            report.sections.append((title, fake.format_requests()))
    return report
