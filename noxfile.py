"""Developer tasks. Quick start: `nox -s demo`, then `nox -s tests`."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox
from packaging.requirements import Requirement
from packaging.version import Version

# Use the interpreters installed on the machine; never download one (CI has no such network).
os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "lint", "typecheck", "lowest", "build", "docs"]
nox.options.reuse_venv = "yes"

PYPROJECT = nox.project.load_toml("pyproject.toml")
# Every supported Python; one missing here is skipped locally and fails the run in CI.
PYTHONS = ["3.11", "3.12", "3.13"]
# The HTTP stacks the suite runs on: httpx (the default) and its successor httpx2.
STACKS = ["httpx", "httpx2"]


def _group(name: str) -> list[str]:
    return nox.project.dependency_groups(PYPROJECT, name)


PRISM = "@stoplight/prism-cli@5"
PRISM_PREFIX = ".ci/node"


@nox.session(python=PYTHONS)
@nox.parametrize("stack", STACKS)
def tests(session: nox.Session, stack: str) -> None:
    """The whole test suite, every async test on asyncio and on trio, on each HTTP stack.

    With `stack=httpx2`, the name httpx resolves to httpx2 in the test process (tests/conftest.py),
    so the library, FakeUltraCart and every test run on httpx2 alone.
    Where npm is present, Prism is installed for the contract test (which skips without npm).
    """
    extras = "cli,testing,httpx2" if stack == "httpx2" else "cli,testing"
    session.install("-e", f".[{extras}]", *_group("test"))
    _install_prism(session)
    session.run("pytest", *session.posargs, env={"ULTRACART_TEST_HTTP_STACK": stack})


def _lower_bounds(extras: list[str]) -> list[str]:
    """`name==floor` for every dependency of the package (and of `extras`) with a `>=` bound."""
    project = PYPROJECT["project"]
    declared = list(project["dependencies"])
    for extra in extras:
        declared += project["optional-dependencies"][extra]
    floors: dict[str, Version] = {}
    for line in declared:
        requirement = Requirement(line)
        for spec in requirement.specifier:
            if spec.operator == ">=":
                floor = Version(spec.version)
                floors[requirement.name] = max(floor, floors.get(requirement.name, floor))
    return [f"{name}=={floor}" for name, floor in floors.items()]


@nox.session(python=PYTHONS[0])
def lowest(session: nox.Session) -> None:
    """The suite with every declared lower bound of the package's dependencies installed exactly
    (with the test tools, in one resolution: a floor they cannot live with fails here too)."""
    extras = ["cli", "testing"]
    session.install("-e", f".[{','.join(extras)}]", *_group("test"), *_lower_bounds(extras))
    _install_prism(session)
    session.run("pytest", *session.posargs)


@nox.session
def build(session: nox.Session) -> None:
    """Build the sdist and wheel; twine checks them; the wheel must hold the package alone."""
    session.install(*_group("release"))
    shutil.rmtree("dist", ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", "dist")
    session.run("twine", "check", "--strict", *map(str, Path("dist").iterdir()))
    session.run("python", "tools/check_wheel.py", *map(str, Path("dist").glob("*.whl")))


def _install_prism(session: nox.Session) -> None:
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
def docs(session: nox.Session) -> None:
    """Build the documentation site into site/ with mkdocs, strictly: any warning fails.

    `nox -s docs -- serve` serves it with live reload instead (http://127.0.0.1:8000).
    """
    session.install("-e", ".", *_group("docs"))
    env = {"NO_MKDOCS_2_WARNING": "1"}  # mkdocs-material's banner about its own future
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:], env=env)
    else:
        session.run("mkdocs", "build", "--strict", *session.posargs, env=env)


@nox.session
def bench(session: nox.Session) -> None:
    """Decode and pagination benchmarks: ours next to pydantic v2, msgspec and the official SDK.

    Arguments after `--` go to both scripts: `nox -s bench -- --quick` for a short run.
    """
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
