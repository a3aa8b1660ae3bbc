"""Lazy public names for a package's `__init__`: a name's module is imported on first use.

`import ultracart_async` (and so loading the pytest plugin, which lives in the package) then
costs next to nothing; `uc.CustomerClient` imports the client when it is first touched.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(
    package: str, origins: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`__getattr__` and `__dir__` for `package`, whose public names come from `origins`
    (name -> module relative to the package); each name is cached in `namespace` once loaded."""

    def attribute(name: str) -> Any:
        origin = origins.get(name)
        if origin is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(origin, package)
        value = module if origin.rpartition(".")[2] == name else getattr(module, name)
        namespace[name] = value
        return value

    def names() -> list[str]:
        return sorted({*namespace, *origins})

    return attribute, names
