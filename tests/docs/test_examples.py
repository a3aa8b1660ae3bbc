"""Every ```python block of README.md and docs/ runs, and type-checks under mypy --strict.

How the blocks are found and grouped: `tests/docs/markdown_examples.py`. Each page runs as
one program, blocks in order, on one asyncio event loop, against FakeUltraCart:

- the page gets a fresh `FakeUltraCart()` (1,000 seeded customers) served on a loopback port
  (`fake.serve_in_thread()`), with `ULTRACART_BASE_URL` pointed at it and
  `ULTRACART_SIMPLE_KEY` set to its key, so examples written for UltraCart (a bare
  `uc.CustomerClient()`, the CLI) reach the fake; examples that build their own
  `FakeUltraCart` use that one instead;
- a block with top-level `await` runs on the page's loop; any other block runs with no loop
  running (so `anyio.run(main)` works in it); tracebacks name the Markdown file and line.

For mypy, each page becomes one module whose body is `async def _page() -> None:` holding the
blocks in order (so top-level `await` type-checks), checked with `--strict`; errors are
reported at their Markdown line. A name may be bound again with another type
(`allow_redefinition`) and a function defined again (`no-redef` off): successive scripts on a
page each define their own `main`.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .markdown_examples import ROOT, Block, Page, pages, runnable

PAGES = list(pages())


@pytest.fixture
def ultracart_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """ULTRACART_BASE_URL and ULTRACART_SIMPLE_KEY of a FakeUltraCart on a loopback port."""
    from ultracart_async.testing import FakeUltraCart

    fake = FakeUltraCart()
    with fake.serve_in_thread() as base_url:
        monkeypatch.setenv("ULTRACART_BASE_URL", base_url)
        monkeypatch.setenv("ULTRACART_SIMPLE_KEY", fake.simple_key)
        monkeypatch.delenv("ULTRACART_HTTP_STACK", raising=False)
        yield


def test_every_page_with_examples_is_found() -> None:
    names = {page.name for page in PAGES}
    assert "README.md" in names
    assert any(name.startswith("docs/") for name in names)


@pytest.mark.usefixtures("ultracart_env")
@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_examples_run(page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks, missing = runnable(page)
    monkeypatch.chdir(tmp_path)  # files an example writes (an export) land here
    namespace: dict[str, Any] = {"__name__": "__docs_example__"}
    loop = asyncio.new_event_loop()
    try:
        for block in blocks:
            code = compile(
                page.padded(block),
                str(page.path),
                "exec",
                flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
                dont_inherit=True,
            )
            outcome = eval(code, namespace)  # noqa: S307 (our own documentation's examples)
            if inspect.iscoroutine(outcome):
                loop.run_until_complete(outcome)
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
    if missing is not None:
        pytest.skip(f"{missing} (the {len(blocks)} blocks before it ran)")


def _as_module(page: Page, blocks: list[Block]) -> tuple[str, dict[int, int]]:
    """The page as one module (see the docstring) and a map: module line -> Markdown line."""
    lines = [f"# {page.name}", "async def _page() -> None:"]
    where: dict[int, int] = {}
    for block in blocks:
        for offset, text in enumerate(block.source.splitlines()):
            lines.append(f"    {text}" if text.strip() else "")
            where[len(lines)] = block.line + offset
        lines.append("    pass")
    return "\n".join(lines) + "\n", where


_MYPY_CONFIG = """\
[mypy]
strict = True
warn_unreachable = True
allow_redefinition = True
disable_error_code = no-redef
mypy_path = {root}
cache_dir = {cache}

[mypy-ultracart.*]
ignore_missing_imports = True
"""

_MYPY_ERROR = re.compile(r"^(?P<file>[^:\n]+\.py):(?P<line>\d+):(?P<rest>.*)$", re.MULTILINE)


def test_examples_type_check(tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (the typecheck group has it)")
    files: dict[str, tuple[Page, dict[int, int]]] = {}
    for number, page in enumerate(PAGES):
        blocks, _ = runnable(page)
        if not blocks:
            continue
        source, where = _as_module(page, blocks)
        name = f"docs_example_{number:02d}.py"
        (tmp_path / name).write_text(source, encoding="utf-8")
        files[name] = (page, where)
    config = tmp_path / "mypy.ini"
    config.write_text(_MYPY_CONFIG.format(root=ROOT, cache=ROOT / ".mypy_cache" / "docs"))
    result = subprocess.run(  # noqa: S603 (our own interpreter, our own files)
        [sys.executable, "-m", "mypy", "--config-file", str(config), *sorted(files)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": str(ROOT)},
    )

    def to_markdown(match: re.Match[str]) -> str:
        name = Path(match["file"]).name
        if name not in files:
            return match[0]
        page, where = files[name]
        return f"{page.name}:{where.get(int(match['line']), 0)}:{match['rest']}"

    report = _MYPY_ERROR.sub(to_markdown, result.stdout + result.stderr)
    assert result.returncode == 0, report
