"""`python -m ultracart_async.cli`: the `ultracart-customers` command line."""

from __future__ import annotations

from ._main import main

if __name__ == "__main__":
    raise SystemExit(main())
