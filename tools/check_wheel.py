"""Check that a wheel holds the package and its metadata, and nothing else.

`python tools/check_wheel.py dist/*.whl`; exits 1 naming every stray file.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

PACKAGE = "ultracart_async/"
REQUIRED = ("ultracart_async/py.typed", "ultracart_async/__init__.py")


def stray_files(wheel: Path) -> list[str]:
    """Names in `wheel` outside the package and its .dist-info folder."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    missing = [name for name in REQUIRED if name not in names]
    stray = [
        name
        for name in names
        if not (name.startswith(PACKAGE) or name.split("/", 1)[0].endswith(".dist-info"))
    ]
    return [f"missing: {name}" for name in missing] + stray


def main(argv: list[str]) -> int:
    """Check each wheel named in `argv`."""
    if not argv:
        print("usage: python tools/check_wheel.py WHEEL...", file=sys.stderr)
        return 2
    failed = False
    for wheel in map(Path, argv):
        problems = stray_files(wheel)
        for problem in problems:
            print(f"{wheel.name}: {problem}", file=sys.stderr)
        failed = failed or bool(problems)
        if not problems:
            print(f"{wheel.name}: only the package and its metadata")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
