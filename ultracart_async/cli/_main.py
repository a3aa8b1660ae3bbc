"""`ultracart-customers`: parse and validate the command, run the export, and turn its outcome
into an exit code and at most one line on stderr (never a traceback, never a credential).

Built on the public client and its pager; only defaults come from `ultracart_async._constants`.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import anyio

from ._command import Command, build_command
from ._constants import PROG
from ._errors import ExitCode, UsageError, describe_failure, unwrap
from ._export import ExportSummary, run_export
from ._interrupt import sigint_receiver, until_interrupted
from ._output import ExportOutput, ResumableFileOutput, ResumeRefusedError, StdoutOutput
from ._parser import build_parser
from ._progress import ExportProgress, make_progress

__all__ = ["main"]

_RESUME_HINT = "; progress is saved: rerun with --resume to continue"


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
        command = build_command(args)
    except UsageError as exc:
        _error(str(exc))
        return ExitCode.USAGE
    try:
        with _export_gc():
            return _run(command)
    except KeyboardInterrupt:  # before or after the export itself: nothing half-done
        _error("interrupted")
        return ExitCode.INTERRUPTED


# Young-generation threshold during the export. At the default (700) the ~1,000 tracked
# objects each page allocates (models, lists, alive until the page is written) trigger a young
# collection per page, which walks them and promotes them towards full collections: 0.2-0.6 s
# of CPU per 100,000 customers. At 2,000 a young collection comes every ~10 pages (~30 ms in
# all); much higher would let httpx's per-request cyclic garbage (~40 objects) pile up: +2 MiB
# of peak RSS at 20,000.
_EXPORT_GC_THRESHOLD = 2_000


@contextlib.contextmanager
def _export_gc() -> Iterator[None]:
    """Tune the garbage collector for the export, and restore it afterwards.

    The command owns its process (the library never changes the collector's settings): the
    objects of the start-up (modules, classes, the parser) are frozen out of every collection,
    and young collections are made rare.
    """
    thresholds = gc.get_threshold()
    froze = gc.get_freeze_count() == 0
    if froze:
        gc.freeze()
    gc.set_threshold(max(thresholds[0], _EXPORT_GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if froze:
            gc.unfreeze()


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr, flush=True)


def _run(command: Command) -> int:
    """Open the output (or refuse to resume), then export into it."""
    try:
        output = _open_output(command)
    except ResumeRefusedError as exc:
        _error(str(exc))
        return ExitCode.RESUME_REFUSED
    except OSError as exc:
        _error(f"cannot write {exc.filename or command.out}: {exc.strerror or exc}")
        return ExitCode.OUTPUT
    if command.resume and output.resumed_from is None:
        print("nothing to resume: starting a new export", file=sys.stderr)
    return _run_export(command, output, make_progress(_progress_mode(command)))


def _open_output(command: Command) -> ExportOutput:
    if command.to_stdout:
        return StdoutOutput()
    params = command.plan.fingerprint_params(command.connection.source)
    return ResumableFileOutput(Path(command.out), params, resume=command.resume)


def _progress_mode(command: Command) -> str:
    if command.progress == "auto" and command.to_stdout and sys.stdout.isatty():
        return "off"  # rows scroll on the same terminal: a bar would garble them
    return command.progress


def _run_export(command: Command, output: ExportOutput, progress: ExportProgress) -> int:
    """Export to the end, a failure or Ctrl-C; say how it ended on stderr; the exit code."""
    saved = ""
    try:
        try:
            summary = anyio.run(_export, command, output, progress)
        finally:
            progress.stop()
            output.close()
            if output.checkpoint_saved:
                saved = _RESUME_HINT
    except KeyboardInterrupt:  # where Ctrl-C is not received as a signal (see sigint_receiver)
        _error(f"interrupted{saved}")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()  # the reader of stdout went away (`| head`): no message
        return ExitCode.ERROR
    except Exception as exc:
        connection = command.connection
        described = describe_failure(
            unwrap(exc), where=connection.where, max_retries=connection.max_retries
        )
        if described is None:
            raise
        code, message = described
        _error(f"{message}{saved}")
        return code
    if summary is None:  # Ctrl-C: the export stopped between two pages
        _error(f"interrupted{saved}")
        return ExitCode.INTERRUPTED
    destination = "stdout" if command.to_stdout else command.out
    print(summary.line(destination), file=sys.stderr, flush=True)
    return ExitCode.OK


async def _export(
    command: Command, output: ExportOutput, progress: ExportProgress
) -> ExportSummary | None:
    """The export's summary; None if Ctrl-C interrupted it."""
    with sigint_receiver() as signals:
        client = command.connection.open_client()
        async with client:  # closed normally, also after an interrupt
            return await until_interrupted(
                signals, lambda: run_export(client, command.plan, output, progress)
            )


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
