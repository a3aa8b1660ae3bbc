"""The `ultracart-customers` command line: bulk export with progress and resume."""

from ._errors import ExitCode
from ._main import main

__all__ = ["ExitCode", "main"]
