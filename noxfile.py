"""Developer tasks. Quick start: `nox -s demo`, then `nox -s tests`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

# Use the interpreters installed on the machine; never download one (CI has no such network).
os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_venv = "yes"

PYPROJECT = nox.project.load_toml("pyproject.toml")
# Every supported Python; one missing here is skipped locally and fails the run in CI.
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]


def _group(name: str) -> list[str]:
    return nox.project.dependency_groups(PYPROJECT, name)


PRISM = "@stoplight/prism-cli@5"
PRISM_PREFIX = ".ci/node"


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The whole test suite, every async test on asyncio and on trio.

    Where npm is present, Prism is installed for the contract test (which skips without npm).
    """
    session.install("-e", ".[cli,testing]", *_group("test"))
    if shutil.which("npm") and not Path(PRISM_PREFIX, "node_modules", ".bin", "prism").exists():
        session.run(
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--silent",
            "--prefix",
            PRISM_PREFIX,
            PRISM,
            external=True,
        )
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint rules and formatting."""
    session.install(*_group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package, tools, tests and benchmarks."""
    session.install("-e", ".[cli]", *_group("typecheck"), *_group("bench"))
    session.run("mypy", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Decode and pagination benchmarks: ours next to pydantic v2, msgspec and the official SDK."""
    session.install("-e", ".", *_group("bench"))
    session.run("python", "benchmarks/decode.py", *session.posargs)
    session.run("python", "benchmarks/pagination.py", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """Export customers from an embedded FakeUltraCart into customers.jsonl, with progress."""
    session.install("-e", ".[cli]")
    session.run(
        "ultracart-customers",
        "export",
        "--demo",
        "5000",
        "--out",
        "customers.jsonl",
        *session.posargs,
    )


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate ultracart_async/models and _operations.py from the spec in ../shared."""
    session.install("-e", ".")
    session.run("python", "-m", "tools.generate_models", *session.posargs)
    session.run("python", "-m", "tools.generate_operations", *session.posargs)
