"""`ultracart-customers`: bulk export of UltraCart customers to JSON Lines or CSV.

Built only on the public client and its pager. `main(argv)` returns the exit code; expected
failures print one line on stderr (never a traceback, never a credential).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import anyio
import attrs

import ultracart_async as uc
from ultracart_async._constants import (
    CUSTOMER_EXPANSIONS,
    DEFAULT_BASE_URL,
    ENV_SIMPLE_KEY,
)

from ._columns import (
    parse_columns,
    required_expansions,
)
from ._constants import EXPORT_DEMO_LATENCY_MS, EXPORT_DEMO_SEED, PROG
from ._errors import ExitCode, UsageError, describe_failure, unwrap
from ._export import ExportFormat, ExportPlan, ExportSummary, run_export
from ._interrupt import sigint_receiver, until_interrupted
from ._output import ExportOutput, ResumableFileOutput, ResumeRefusedError, StdoutOutput
from ._parser import build_parser
from ._progress import ExportProgress, make_progress

__all__ = ["main"]


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr, flush=True)


def _expansions(text: str | None, extra: set[str]) -> tuple[str, ...]:
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


def _read_key(args: argparse.Namespace) -> str:
    key_file: Path | None = args.key_file
    if key_file is not None:
        try:
            text = key_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "unreadable"
            # The path is not echoed: a key pasted by mistake in its place must not be printed.
            raise UsageError(f"cannot read the --key-file: {reason}") from None
        lines = text.strip().splitlines()
        key = lines[0].strip() if lines else ""
        if not key:
            raise UsageError("the --key-file is empty")
        return key
    key = os.environ.get(ENV_SIMPLE_KEY, "").strip()
    if not key:
        raise UsageError(
            f"no UltraCart key: set {ENV_SIMPLE_KEY} or pass --key-file FILE (or try --demo)"
        )
    return key


_LOOPBACK_NAMES = frozenset({"localhost"})


def _check_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--base-url must be an http(s) URL, got {url!r}")
    if parts.scheme == "http":
        host = parts.hostname
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host in _LOOPBACK_NAMES
        if not loopback:
            raise UsageError(
                "refusing to send the key over plain http to a non-loopback host: use https"
            )
    return url.rstrip("/")


@attrs.frozen(kw_only=True)
class _Command:
    """A validated `export` command."""

    plan: ExportPlan
    out: str
    resume: bool
    progress: str
    source: str  # base URL, or "demo:N" (part of the resume fingerprint)
    demo: int | None
    base_url: str
    key: str | None = attrs.field(repr=False)
    max_retries: int


def _build_command(args: argparse.Namespace) -> _Command:
    out: str = args.out
    if out == "-" and args.resume:
        raise UsageError("--resume needs --out FILE: an export to stdout cannot be resumed")
    export_format: ExportFormat = args.format or (
        "csv" if out.lower().endswith(".csv") else "jsonl"
    )
    if args.columns is not None and export_format != "csv":
        raise UsageError("--columns applies to --format csv only")
    try:
        columns = tuple(parse_columns(args.columns)) if export_format == "csv" else ()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    expand = _expansions(args.expand, required_expansions(columns))
    query = None
    if args.query_file is not None:
        query = _load_query(args.query_file, email=args.email, signup_since=args.signup_since)
    plan = ExportPlan(
        format=export_format,
        columns=columns,
        expand=expand,
        email=None if query is not None else args.email,
        signup_since=None if query is not None else args.signup_since,
        since=args.since,
        query=query,
        page_size=args.page_size,
        concurrency=args.concurrency,
    )
    if args.demo is not None:
        if args.base_url is not None or args.key_file is not None:
            raise UsageError("--demo runs against an embedded stand-in: drop --base-url/--key-file")
        return _Command(
            plan=plan,
            out=out,
            resume=args.resume,
            progress=args.progress,
            source=f"demo:{args.demo}",
            demo=args.demo,
            base_url="",
            key=None,
            max_retries=args.max_retries,
        )
    base_url = _check_base_url(args.base_url or DEFAULT_BASE_URL)
    return _Command(
        plan=plan,
        out=out,
        resume=args.resume,
        progress=args.progress,
        source=base_url,
        demo=None,
        base_url=base_url,
        key=_read_key(args),
        max_retries=args.max_retries,
    )


async def _export(
    command: _Command, output: ExportOutput, progress: ExportProgress
) -> ExportSummary | None:
    """The export's summary; None if Ctrl-C interrupted it."""
    with sigint_receiver() as signals:
        if command.demo is not None:
            from ultracart_async.testing import FakeUltraCart

            fake = FakeUltraCart(
                customers=command.demo, seed=EXPORT_DEMO_SEED, latency_ms=EXPORT_DEMO_LATENCY_MS
            )
            client: uc.CustomerClient = fake.client(max_retries=command.max_retries)
        else:
            client = uc.CustomerClient(
                simple_key=command.key, base_url=command.base_url, max_retries=command.max_retries
            )
        async with client:  # closed normally, also after an interrupt
            return await until_interrupted(
                signals, lambda: run_export(client, command.plan, output, progress)
            )


def _where(command: _Command) -> str:
    return "the demo server" if command.demo is not None else urlsplit(command.base_url).netloc


def _run(command: _Command) -> int:
    try:
        output: ExportOutput = (
            StdoutOutput()
            if command.out == "-"
            else ResumableFileOutput(
                Path(command.out),
                command.plan.fingerprint_params(command.source),
                resume=command.resume,
            )
        )
    except ResumeRefusedError as exc:
        _error(str(exc))
        return ExitCode.RESUME_REFUSED
    except OSError as exc:
        _error(f"cannot write {exc.filename or command.out}: {exc.strerror or exc}")
        return ExitCode.OUTPUT
    if command.resume and output.resumed_from is None:
        print("nothing to resume: starting a new export", file=sys.stderr)
    mode = command.progress
    if mode == "auto" and command.out == "-" and sys.stdout.isatty():
        mode = "off"  # rows scroll on the same terminal: a bar would garble them
    progress = make_progress(mode)
    saved = ""
    try:
        try:
            summary = anyio.run(_export, command, output, progress)
        finally:
            progress.stop()
            output.close()
            if output.checkpoint_saved:
                saved = "; progress is saved: rerun with --resume to continue"
    except KeyboardInterrupt:  # where Ctrl-C is not received as a signal (see sigint_receiver)
        _error(f"interrupted{saved}")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader of stdout went away (`| head`): no message; silence the final flush.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.ERROR
    except Exception as exc:
        described = describe_failure(
            unwrap(exc), where=_where(command), max_retries=command.max_retries
        )
        if described is None:
            raise
        code, message = described
        _error(f"{message}{saved}")
        return code
    if summary is None:  # Ctrl-C: the export stopped between two pages
        _error(f"interrupted{saved}")
        return ExitCode.INTERRUPTED
    destination = "stdout" if command.out == "-" else command.out
    print(summary.line(destination), file=sys.stderr, flush=True)
    return ExitCode.OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run `ultracart-customers` with `argv` (default: sys.argv[1:]); returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed by argparse
        return exc.code if isinstance(exc.code, int) else ExitCode.USAGE
    if args.command is None:
        parser.print_help(sys.stderr)
        return ExitCode.USAGE
    try:
        command = _build_command(args)
    except UsageError as exc:
        _error(str(exc))
        return ExitCode.USAGE
    try:
        return _run(command)
    except KeyboardInterrupt:  # before or after the export itself: nothing half-done
        _error("interrupted")
        return ExitCode.INTERRUPTED
