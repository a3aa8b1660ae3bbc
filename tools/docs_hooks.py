"""MkDocs hooks (`hooks:` in mkdocs.yml): API reference lists written once, checked against
the package's `__all__`.

A reference page names the public objects it documents on one line:

    <!-- api: ultracart_async CustomerClient WithRawResponse -->

and the hook turns the line into one mkdocstrings block per name (`::: ultracart_async.Name`,
which griffe resolves through the package's lazy `__getattr__` to the defining module). A
name the module's `__all__` does not have (yet) becomes a note on the page, not a failed build:
the reference of a feature still on its way renders once the feature is there.
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
        try:
            public = set(getattr(importlib.import_module(module_name), "__all__", ()))
        except ModuleNotFoundError as exc:  # a module still on its way, or an extra not installed
            if not module_name.startswith(exc.name or "\0"):
                raise
            public = set()
        blocks = []
        for name in match["names"].split():
            if name in public:
                blocks.append(f"::: {module_name}.{name}")
            else:
                blocks.append(
                    f'!!! note "`{name}`"\n    `{module_name}.{name}` is not part of this '
                    "version of the package."
                )
        return "\n\n".join(blocks)

    return API_LINE.sub(expand, markdown)


def on_page_markdown(markdown: str, **_: Any) -> str:
    return expand_api_lines(markdown)
