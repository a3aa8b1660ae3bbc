"""The pager's shape: one-way dependency on the client, page variants mirroring their walks."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import ultracart_async as uc
from ultracart_async import pagination

PACKAGE = Path(pagination.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module an import statement in `path` names, lazy and TYPE_CHECKING ones too."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ("." * node.level) + (node.module or "")
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_pagination_never_imports_the_client(path: Path) -> None:
    for module in imported_modules(path):
        assert "_client" not in module.split("."), f"{path.name} imports {module}"
        assert module not in ("ultracart_async", ".."), f"{path.name} imports the package face"


@pytest.mark.parametrize(
    "walk", ["iter_customers", "iter_customers_by_query", "iter_search_customers"]
)
def test_page_variants_take_the_same_arguments(walk: str) -> None:
    customers = inspect.signature(getattr(uc.CustomerClient, walk))
    pages = inspect.signature(getattr(uc.CustomerClient, f"{walk}_pages"))
    assert pages.parameters == customers.parameters
    assert customers.return_annotation == "CustomerIterator"
    assert pages.return_annotation == "CustomerPageIterator"
