"""The `ultracart-customers` command line: bulk export with progress and resume."""

from ._main import ExitCode, main

__all__ = ["ExitCode", "main"]
