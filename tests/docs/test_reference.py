"""The API reference covers every public name, and its `<!-- api: ... -->` lines expand."""

from __future__ import annotations

import importlib

import pytest

import ultracart_async
import ultracart_async.models
from tools.docs_hooks import API_LINE, expand_api_lines

from .markdown_examples import ROOT

REFERENCE = ROOT / "docs" / "reference"


def _documented() -> set[str]:
    """`module.Name` for every name on an api line of a reference page."""
    found: set[str] = set()
    for page in REFERENCE.glob("*.md"):
        for line in API_LINE.finditer(page.read_text(encoding="utf-8")):
            found.update(f"{line['module']}.{name}" for name in line["names"].split())
    return found


def test_every_public_name_is_in_the_reference() -> None:
    documented = _documented()
    models = set(ultracart_async.models.__all__)
    missing = []
    for module_name in ["ultracart_async", "ultracart_async.testing", "ultracart_async.fastapi"]:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue  # ultracart_async.fastapi: the fastapi extra, where it exists
        for name in module.__all__:
            if name.startswith("__") or name == "models":
                continue  # __version__ is named on the index; models has a page of its own
            if module is ultracart_async and name in models:
                continue  # re-exported models: on the All models page
            if f"{module_name}.{name}" not in documented:
                missing.append(f"{module_name}.{name}")
    assert not missing, f"add these to a page under docs/reference/: {missing}"


def test_api_lines_expand_to_mkdocstrings_blocks() -> None:
    expanded = expand_api_lines("# T\n\n<!-- api: ultracart_async CustomerClient RawResponse -->\n")
    assert "::: ultracart_async.CustomerClient\n\n::: ultracart_async.RawResponse" in expanded


def test_api_lines_naming_what_the_package_lacks_fail_the_build() -> None:
    with pytest.raises(ValueError, match=r"not in ultracart_async\.__all__: NoSuchThing"):
        expand_api_lines("<!-- api: ultracart_async CustomerClient NoSuchThing -->")
    with pytest.raises(ModuleNotFoundError):
        expand_api_lines("<!-- api: ultracart_async.no_such_module Thing -->")


def test_the_error_tree_on_the_errors_page_is_the_real_one() -> None:
    text = (REFERENCE / "errors.md").read_text(encoding="utf-8")
    tree = text.split("```text\n", 1)[1].split("```", 1)[0]
    parents: list[type] = []
    drawn = set()
    for line in tree.splitlines():
        name = line.lstrip("│├└─ ").split()[0]
        depth = (len(line) - len(line.lstrip("│├└─ "))) // 4
        cls = getattr(ultracart_async, name, None)
        del parents[depth:]
        assert cls is not None, f"{name} is not in ultracart_async"
        if parents:
            assert cls.__bases__[0] is parents[-1], f"{name} is drawn under {parents[-1]}"
        parents.append(cls)
        drawn.add(name)
    errors = {
        name
        for name in ultracart_async.__all__
        if isinstance(getattr(ultracart_async, name), type)
        and issubclass(getattr(ultracart_async, name), ultracart_async.UltraCartError)
    }
    assert errors <= drawn, f"not in the tree: {errors - drawn}"
