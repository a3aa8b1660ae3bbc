"""The validated `export` command: the parsed options checked together (format and columns,
expansions, the query file, the connection) before anything is written or sent."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import attrs

import ultracart_async as uc
from ultracart_async._constants import CUSTOMER_EXPANSIONS

from ._columns import Column, parse_columns, required_expansions
from ._connection import Connection, connection_from
from ._errors import UsageError
from ._export import ExportFormat, ExportPlan

__all__ = ["Command", "build_command"]


@attrs.frozen(kw_only=True)
class Command:
    """A validated `export` command."""

    plan: ExportPlan
    out: str  # a file name, or "-" for stdout
    resume: bool
    progress: str
    connection: Connection

    @property
    def to_stdout(self) -> bool:
        return self.out == "-"


def build_command(args: argparse.Namespace) -> Command:
    """The command the parsed options describe; raises UsageError on the first problem."""
    if args.out == "-" and args.resume:
        raise UsageError("--resume needs --out FILE: an export to stdout cannot be resumed")
    plan = _plan(args)
    return Command(
        plan=plan,
        out=args.out,
        resume=args.resume,
        progress=args.progress,
        connection=connection_from(args),
    )


def _plan(args: argparse.Namespace) -> ExportPlan:
    export_format: ExportFormat = args.format or (
        "csv" if args.out.lower().endswith(".csv") else "jsonl"
    )
    columns = _columns(args.columns, export_format)
    expand = _expansions(args.expand, required_expansions(columns))
    query = None
    if args.query_file is not None:
        query = _load_query(args.query_file, email=args.email, signup_since=args.signup_since)
    return ExportPlan(
        format=export_format,
        columns=columns,
        expand=expand,
        # A query file takes --email and --signup-since into the query itself.
        email=None if query is not None else args.email,
        signup_since=None if query is not None else args.signup_since,
        since=args.since,
        query=query,
        page_size=args.page_size,
        concurrency=args.concurrency,
    )


def _columns(spec: str | None, export_format: ExportFormat) -> tuple[Column, ...]:
    if spec is not None and export_format != "csv":
        raise UsageError("--columns applies to --format csv only")
    if export_format != "csv":
        return ()
    try:
        return tuple(parse_columns(spec))
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _expansions(text: str | None, extra: set[str]) -> tuple[str, ...]:
    """The `--expand` names plus those the columns need, in UltraCart's documented order."""
    names = [name.strip() for name in (text or "").split(",") if name.strip()]
    unknown = [name for name in names if name not in CUSTOMER_EXPANSIONS]
    if unknown:
        raise UsageError(
            f"unknown --expand value(s): {', '.join(unknown)} "
            f"(known: {', '.join(CUSTOMER_EXPANSIONS)})"
        )
    chosen = set(names) | extra
    return tuple(name for name in CUSTOMER_EXPANSIONS if name in chosen)


def _load_query(path: Path, *, email: str | None, signup_since: str | None) -> uc.CustomerQuery:
    """A CustomerQuery from JSON; unknown fields are an error (a typo must not export all)."""
    raw = _read_json_object(path)
    known = attrs.fields_dict(uc.CustomerQuery)
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise UsageError(
            f"query file {path}: unknown CustomerQuery field(s) {', '.join(unknown)} "
            f"(known: {', '.join(known)})"
        )
    for field, value in (("email", email), ("signup_dts_start", signup_since)):
        if value is None:
            continue
        if raw.get(field) not in (None, value):
            raise UsageError(f"query file {path} sets {field} and so does its option: pick one")
        raw[field] = value
    try:
        return uc.converter.structure(raw, uc.CustomerQuery)
    except uc.DecodeError as exc:
        raise UsageError(f"query file {path}: {exc}") from None


def _read_json_object(path: Path) -> dict[str, object]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read query file {path}: {exc.strerror or exc}") from None
    try:
        raw = json.loads(data)
    except ValueError as exc:
        raise UsageError(f"query file {path} is not valid JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise UsageError(f"query file {path} must hold a JSON object (a CustomerQuery)")
    return raw
