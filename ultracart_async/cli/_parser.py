"""The argument parser of `ultracart-customers`: options, their types and the help text.

It checks each value on its own (a number, a date); combinations are checked by `_command`.
"""

from __future__ import annotations

import argparse
import platform
import sys
import textwrap
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import NoReturn

import ultracart_async as uc
from ultracart_async._constants import (
    CUSTOMER_EXPANSIONS,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_PAGE_SIZE,
    DEFAULT_PAGER_CONCURRENCY,
    ENV_BASE_URL,
    ENV_SIMPLE_KEY,
    PAGE_LIMIT_MAX,
)

from ._columns import ADDRESS_FIELDS, CUSTOMER_FIELDS, DEFAULT_COLUMNS
from ._constants import EXPORT_DEMO_CUSTOMERS, PROG
from ._errors import ExitCode
from ._progress import PROGRESS_MODES

__all__ = ["build_parser"]


def _wrap(label: str, names: Sequence[str]) -> str:
    """A wrapped, indented name list for the help epilog (first line's indent is the caller's)."""
    text = textwrap.fill(
        ", ".join(names), width=92, initial_indent="  " + label, subsequent_indent="      "
    )
    return text.replace("\n", "\n    ")


_EPILOG = textwrap.dedent(
    f"""\
    credentials:
      The simple key is read from the environment variable {ENV_SIMPLE_KEY}, or from the
      file named by --key-file (first line). It is never accepted as a plain argument (it
      would show in `ps` and shell history) and never printed. --demo needs no key.

    csv columns (--columns, comma separated; the header row names them):
    {_wrap("default: ", DEFAULT_COLUMNS)}
    {_wrap("customer fields: ", CUSTOMER_FIELDS)}
      billing_<field> and shipping_<field>, from the default address (else the first):
    {_wrap("  field: ", ADDRESS_FIELDS)}
      tags (joined with ";")
      The expansions the columns need (billing, shipping, tags) are added to --expand.

    resume:
      A file export writes FILE.part, FILE.oids and FILE.checkpoint (after every page) and
      renames FILE.part to FILE when complete. After Ctrl-C, a network failure or a crash,
      rerun the same command with --resume: it continues from the checkpoint, with no
      duplicate and no gap. Resuming with different options is refused.

    exit codes:
      0 done, 1 other UltraCart error, 2 bad arguments, 3 resume refused, 4 bad key (401),
      5 permission denied (403), 6 application disabled (410), 7 network unreachable,
      8 rate limited (429), 9 UltraCart server error (5xx), 10 output not writable
      (disk full, permission), 130 interrupted (resumable)

    examples:
      ultracart-customers export --demo 5000 --out customers.jsonl
      ULTRACART_SIMPLE_KEY=... ultracart-customers export --out customers.csv --expand billing
      ultracart-customers export --key-file ~/.ultracart-key --out - --signup-since 2024-01-01
    """
)


class _Parser(argparse.ArgumentParser):
    """argparse, with the one-line error style of the rest of the CLI."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message}\n")


# --- value types ------------------------------------------------------------------------------


def _whole_number(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"must be at least {minimum}: {value}")
    return value


def _positive_int(text: str) -> int:
    return _whole_number(text, 1)


def _non_negative_int(text: str) -> int:
    return _whole_number(text, 0)


def _page_size(text: str) -> int:
    value = _positive_int(text)
    if value > PAGE_LIMIT_MAX:
        raise argparse.ArgumentTypeError(f"UltraCart serves at most {PAGE_LIMIT_MAX} per page")
    return value


def _timestamp(text: str) -> str:
    """ISO-8601 date or date-time, passed on unchanged (UltraCart wants an offset)."""
    try:
        datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO-8601 date or time: {text!r} (e.g. 2024-01-31T00:00:00-05:00)"
        ) from None
    return text


# --- option groups ----------------------------------------------------------------------------


def _add_output_options(export: argparse.ArgumentParser) -> None:
    output = export.add_argument_group("output")
    output.add_argument(
        "--out",
        "-o",
        required=True,
        metavar="FILE",
        help="file to write ('-' for stdout: no .part, no resume)",
    )
    output.add_argument(
        "--format",
        "-f",
        choices=("jsonl", "csv"),
        help="jsonl or csv (default: from the file name, .csv -> csv, else jsonl)",
    )
    output.add_argument(
        "--columns",
        metavar="COL,...",
        help="csv columns (default: customer_profile_oid, email, signup_dts and billing/"
        "shipping basics; all names below)",
    )
    output.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted export to the same FILE from its checkpoint",
    )
    output.add_argument(
        "--progress",
        choices=PROGRESS_MODES,
        default="auto",
        help="auto (default): a bar on a terminal, quiet when piped; bar, plain or off",
    )


def _add_selection_options(export: argparse.ArgumentParser) -> None:
    select = export.add_argument_group("what to export")
    select.add_argument(
        "--expand",
        metavar="PART,...",
        help=f"parts to include, comma separated: {', '.join(CUSTOMER_EXPANSIONS)}",
    )
    select.add_argument("--email", help="only the customer with this email")
    select.add_argument(
        "--since",
        type=_timestamp,
        metavar="TIME",
        help="only customers modified since TIME (ISO-8601, e.g. 2024-01-31T00:00:00-05:00)",
    )
    select.add_argument(
        "--signup-since", type=_timestamp, metavar="TIME", help="only customers who signed up since"
    )
    select.add_argument(
        "--query-file",
        type=Path,
        metavar="FILE",
        help='a CustomerQuery as JSON (e.g. {"billing_state": "TX"}); uses get_customers_by_query',
    )


def _add_connection_options(export: argparse.ArgumentParser) -> None:
    connection = export.add_argument_group("connection")
    connection.add_argument(
        "--key-file",
        type=Path,
        metavar="FILE",
        help=f"file holding the simple key (default: ${ENV_SIMPLE_KEY})",
    )
    connection.add_argument(
        "--base-url",
        metavar="URL",
        help=f"API root (default: ${ENV_BASE_URL}, else {DEFAULT_BASE_URL})",
    )
    connection.add_argument(
        "--demo",
        nargs="?",
        type=_positive_int,
        const=EXPORT_DEMO_CUSTOMERS,
        metavar="N",
        help="export from an embedded FakeUltraCart seeded with N customers "
        f"(default {EXPORT_DEMO_CUSTOMERS}); no key needed",
    )
    connection.add_argument(
        "--concurrency",
        type=_positive_int,
        default=DEFAULT_PAGER_CONCURRENCY,
        metavar="N",
        help=f"pages in flight at most (default {DEFAULT_PAGER_CONCURRENCY}; 1 = sequential)",
    )
    connection.add_argument(
        "--page-size",
        type=_page_size,
        default=DEFAULT_PAGE_SIZE,
        metavar="N",
        help=f"customers per request, 1..{PAGE_LIMIT_MAX} (default {DEFAULT_PAGE_SIZE})",
    )
    connection.add_argument(
        "--max-retries",
        type=_non_negative_int,
        default=DEFAULT_MAX_RETRIES,
        metavar="N",
        help=f"retries per request on transient failures (default {DEFAULT_MAX_RETRIES})",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `ultracart-customers`."""
    parser = _Parser(
        prog=PROG,
        description="Bulk tools for UltraCart's Customer API.",
        allow_abbrev=False,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {uc.__version__} (Python {platform.python_version()})",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    export = commands.add_parser(
        "export",
        help="export every (matching) customer to JSON Lines or CSV",
        description=(
            "Export customers to JSON Lines (one customer per line, as UltraCart returns it) "
            "or CSV (chosen columns), with concurrent paging, retries, progress and resume."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    _add_output_options(export)
    _add_selection_options(export)
    _add_connection_options(export)
    return parser
