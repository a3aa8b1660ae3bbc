"""The ```python blocks of README.md and docs/**/*.md, read as runnable examples.

A page's blocks form one program, run in order: a name one block defines (`fake`, `client`,
`main`) is there for the blocks after it on the same page, as in a notebook; pages share
nothing. A block may use top-level `await`, `async with` and `async for`; the blocks of a page
run on one asyncio event loop, so a client opened in one block can be used in the next. Blocks
without top-level `await` run with no event loop running, so `anyio.run(main)` and
`asyncio.run(main())` work in them as in a script.

Only fences whose language is exactly `python` are examples; a shell session is a ```console
block, sample output a ```text block. A page may say what its examples need with an HTML
comment, which the docs site does not show:

    <!-- examples: requires ultracart_async.SyncCustomerClient -->
    <!-- examples: requires-fault slow_drip_body -->

The first names an attribute that must be importable, the second a FakeUltraCart fault kind
that must exist. A directive holds from where it stands to the end of the page: where what it
names is missing, the blocks after it are skipped (those before it still run), saying why.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ROOT", "Block", "Page", "missing_requirement", "pages", "read_page", "runnable"]

ROOT = Path(__file__).resolve().parents[2]

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
_DIRECTIVE = re.compile(
    r"<!--\s*examples:\s*(?P<kind>requires|requires-fault)\s+(?P<arg>\S+)\s*-->"
)


@dataclass(frozen=True)
class Block:
    """One ```python block: its code (the fence's indentation removed) and where it starts."""

    source: str
    line: int  # 1-based line of the block's first code line in the Markdown file
    requires: tuple[str, ...] = ()  # the directives above it: "attr:a.b.C", "fault:kind"


@dataclass
class Page:
    path: Path
    blocks: list[Block] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.relative_to(ROOT).as_posix()

    def padded(self, block: Block) -> str:
        """The block's code preceded by blank lines, so tracebacks name the Markdown line."""
        return "\n" * (block.line - 1) + block.source


def read_page(path: Path) -> Page:
    page = Page(path)
    requires: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        for directive in _DIRECTIVE.finditer(line):
            kind = "attr" if directive["kind"] == "requires" else "fault"
            requires.append(f"{kind}:{directive['arg']}")
        opening = _FENCE.match(line)
        if opening is None:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        language = opening["info"].split(maxsplit=1)[0] if opening["info"].strip() else ""
        body: list[str] = []
        index += 1
        start = index + 1
        while index < len(lines):
            closing = _FENCE.match(lines[index])
            if (
                closing is not None
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
            ):
                break
            text = lines[index]
            body.append(text[len(indent) :] if text.startswith(indent) else text.lstrip())
            index += 1
        index += 1
        if language == "python":
            page.blocks.append(Block("\n".join(body) + "\n", start, tuple(requires)))
    return page


def pages() -> Iterator[Page]:
    """README.md, then every page under docs/, that has at least one ```python block."""
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        page = read_page(path)
        if page.blocks:
            yield page


def missing_requirement(page: Page, block: Block) -> str | None:
    """Why `block` cannot run here, or None when everything it needs exists."""
    for requirement in block.requires:
        kind, _, name = requirement.partition(":")
        if kind == "attr":
            module_name, _, attribute = name.rpartition(".")
            try:
                present = hasattr(importlib.import_module(module_name), attribute)
            except ImportError:
                present = False
            if not present:
                return f"{page.name}:{block.line} needs {name}, which cannot be imported here"
        else:
            from ultracart_async.testing import FAULT_KINDS

            if name not in FAULT_KINDS:
                return (
                    f"{page.name}:{block.line} needs the FakeUltraCart fault {name!r}, "
                    "which this FakeUltraCart does not have"
                )
    return None


def runnable(page: Page) -> tuple[list[Block], str | None]:
    """The page's blocks up to the first one that cannot run here, and why it cannot."""
    for index, block in enumerate(page.blocks):
        reason = missing_requirement(page, block)
        if reason is not None:
            return page.blocks[:index], reason
    return page.blocks, None
