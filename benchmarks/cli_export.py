"""CLI memory benchmark: peak RSS of `ultracart-customers export`, each run in a fresh process.

FakeUltraCart runs as a separate loopback server process (no latency), so its own memory is not
counted; the command exports every customer with billing and shipping to a file in a temporary
directory, once as JSON Lines and once as CSV (default columns). A third row imports the
command's modules and exits: the floor every run starts from.

    python benchmarks/cli_export.py                  # 100,000 customers (~1 min)
    python benchmarks/cli_export.py --quick          # 20,000 customers
    python benchmarks/cli_export.py --customers 50000 --formats jsonl
    python benchmarks/cli_export.py --as-installed   # without this venv's extras (see below)

A development environment holds packages the command does not depend on, which httpx and
httpcore import whenever they are installed: trio (a test dependency here: ~2 MiB), click (then
httpx imports its own command line, with rich and pygments: ~6 MiB), h2 (HTTP/2: ~3 MiB).
`--as-installed` makes those unimportable in the measured processes, as on a machine where
only `ultracart-async[cli]` was installed.

Peak RSS is the child's own high-water mark (`VmHWM` in /proc/self/status, Linux), written by
the child as it exits: its `ru_maxrss` would also count the benchmark process it was forked
from. Wall and CPU time of the same child are printed beside it. Children import from bytecode
caches (written to a temporary `PYTHONPYCACHEPREFIX` by an untimed first import), as an
installed package does: compiling sources at every start, as under `PYTHONDONTWRITEBYTECODE=1`,
costs a few MiB of peak RSS.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for path in (ROOT, HERE):
    if str(path) not in sys.path:  # runnable as a plain script from a checkout
        sys.path.insert(0, str(path))

from pagination import _env, fake_server  # noqa: E402

from ultracart_async._constants import ENV_SIMPLE_KEY  # noqa: E402
from ultracart_async.testing._constants import FAKE_SIMPLE_KEY  # noqa: E402

PYCACHE = Path(tempfile.mkdtemp(prefix="ultracart-bench-pycache-"))


HWM_FILE = PYCACHE / "vmhwm"
# Run first in every child: at exit, write its peak RSS (kB) to HWM_FILE.
REPORT_HWM = (
    "import atexit, os; atexit.register(lambda: open(os.environ['BENCH_HWM_FILE'], 'w').write("
    "next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM'))))"
)


def run_child(command: list[str]) -> tuple[float, float, float]:
    """Run `command` to the end: (peak RSS MiB, wall s, CPU s); exits on failure."""
    env = _env()
    env[ENV_SIMPLE_KEY] = FAKE_SIMPLE_KEY
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env["BENCH_HWM_FILE"] = str(HWM_FILE)
    HWM_FILE.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {proc.returncode}")
    return int(HWM_FILE.read_text()) / 1024, wall, usage.ru_utime + usage.ru_stime


NOT_DEPENDENCIES = ("trio", "click", "h2")  # imported by httpx/httpcore when installed
BLOCK = f"import sys; sys.modules.update(dict.fromkeys({NOT_DEPENDENCIES!r})); "


def python(as_installed: bool, code: str) -> list[str]:
    """A command running `code` (with NOT_DEPENDENCIES unimportable if `as_installed`)."""
    return [sys.executable, "-c", f"{REPORT_HWM}; " + (BLOCK if as_installed else "") + code]


def export_command(base_url: str, out: Path, export_format: str, as_installed: bool) -> list[str]:
    run_cli = "from ultracart_async.cli import main; sys.exit(main())"
    return [
        *python(as_installed, f"import sys; {run_cli}"),
        "export",
        "--base-url",
        base_url,
        "--out",
        str(out),
        "--format",
        export_format,
        "--expand",
        "billing,shipping",
        "--progress",
        "off",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--formats", default="jsonl,csv", help="comma separated")
    parser.add_argument("--quick", action="store_true", help="20,000 customers")
    parser.add_argument(
        "--as-installed",
        action="store_true",
        help=f"make {', '.join(NOT_DEPENDENCIES)} unimportable in the measured processes",
    )
    args = parser.parse_args()
    if args.quick:
        args.customers = 20_000
    rows: list[tuple[str, float, float, float]] = []
    import_only = python(args.as_installed, "import ultracart_async.cli._main")
    run_child(import_only)  # writes the bytecode caches
    rows.append(("import the CLI only", *run_child(import_only)))
    with fake_server(args.customers, 0) as (base_url, _), tempfile.TemporaryDirectory() as tmp:
        for export_format in [f for f in args.formats.split(",") if f]:
            out = Path(tmp) / f"customers.{export_format}"
            measured = run_child(export_command(base_url, out, export_format, args.as_installed))
            lines = sum(1 for _ in out.open("rb"))
            expected = args.customers + (export_format == "csv")
            if lines != expected:
                raise SystemExit(f"{export_format}: {lines} lines, expected {expected}")
            rows.append((f"export {args.customers:,} customers, {export_format}", *measured))
            print(f"  done: {rows[-1][0]}", file=sys.stderr)
    label = f"run (without {', '.join(NOT_DEPENDENCIES)})" if args.as_installed else "run"
    print(f"{label:<40} ", end="")
    print(f"{'peak RSS':>10} {'wall s':>7} {'CPU s':>6}")
    for name, rss, wall, cpu in rows:
        print(f"{name:<40} {rss:>6.1f} MiB {wall:>7.2f} {cpu:>6.2f}")
    for name, rss, _, _ in rows[1:]:
        print(f"{name}: peak RSS {rss:.1f} MiB")
    shutil.rmtree(PYCACHE, ignore_errors=True)


if __name__ == "__main__":
    main()
