"""MkDocs hooks (`hooks:` in mkdocs.yml): API reference lists written once, checked against
the package's `__all__`.

A reference page names the public objects it documents on one line:

    <!-- api: ultracart_async CustomerClient WithRawResponse -->

and the hook turns the line into one mkdocstrings block per name (`::: ultracart_async.Name`,
which griffe resolves through the package's lazy `__getattr__` to the defining module). A
name the module's `__all__` does not have fails the build, naming the page's line.
`tests/docs/test_reference.py` checks that every public name is on some reference page.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

__all__ = ["API_LINE", "expand_api_lines", "on_page_markdown"]

API_LINE = re.compile(r"^<!--\s*api:\s*(?P<module>[\w.]+)\s+(?P<names>[^>]*?)\s*-->\s*$", re.M)


def expand_api_lines(markdown: str) -> str:
    """`markdown` with every `<!-- api: module Name ... -->` line expanded."""

    def expand(match: re.Match[str]) -> str:
        module_name = match["module"]
        public = set(getattr(importlib.import_module(module_name), "__all__", ()))
        names = match["names"].split()
        missing = [name for name in names if name not in public]
        if missing:
            raise ValueError(f"{match[0]!r}: not in {module_name}.__all__: {', '.join(missing)}")
        return "\n\n".join(f"::: {module_name}.{name}" for name in names)

    return API_LINE.sub(expand, markdown)


def on_page_markdown(markdown: str, **_: Any) -> str:
    return expand_api_lines(markdown)
