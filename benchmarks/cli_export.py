"""CLI memory benchmark: peak RSS of `ultracart-customers export`, each run in a fresh process.

FakeUltraCart runs as a separate loopback server process (no latency), so its own memory is not
counted; the command exports every customer with billing and shipping to a file in a temporary
directory, once as JSON Lines and once as CSV (default columns). A third row imports the
command's modules and exits: the floor every run starts from.

    python benchmarks/cli_export.py                  # 100,000 customers (~1 min)
    python benchmarks/cli_export.py --quick          # 20,000 customers
    python benchmarks/cli_export.py --customers 50000 --formats jsonl
    python benchmarks/cli_export.py --no-trio        # as installed without trio (see below)

trio is a test dependency of this project, not a dependency of the command; where it is
installed, httpcore imports it anyway (~2 MiB). `--no-trio` runs the command with trio
unimportable, as on a machine where only `ultracart-async[cli]` was installed.

Peak RSS is the child's `ru_maxrss` (Linux: KiB), read by `os.wait4`; wall and CPU time of the
same child are printed beside it.
"""

from __future__ import annotations

import argparse
import os
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

TARGET_PEAK_RSS_MIB = 45.0


def run_child(command: list[str]) -> tuple[float, float, float]:
    """Run `command` to the end: (peak RSS MiB, wall s, CPU s); exits on failure."""
    env = _env()
    env[ENV_SIMPLE_KEY] = FAKE_SIMPLE_KEY
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {proc.returncode}")
    return usage.ru_maxrss / 1024, wall, usage.ru_utime + usage.ru_stime


NO_TRIO = "import sys; sys.modules['trio'] = None; "


def python(no_trio: bool, code: str) -> list[str]:
    """A command running `code` (with trio unimportable if `no_trio`)."""
    return [sys.executable, "-c", (NO_TRIO if no_trio else "") + code]


def export_command(base_url: str, out: Path, export_format: str, no_trio: bool) -> list[str]:
    run_cli = "from ultracart_async.cli import main; sys.exit(main())"
    return [
        *python(no_trio, f"import sys; {run_cli}"),
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
    parser.add_argument("--no-trio", action="store_true", help="run with trio unimportable")
    args = parser.parse_args()
    if args.quick:
        args.customers = 20_000
    rows: list[tuple[str, float, float, float]] = []
    import_only = python(args.no_trio, "import ultracart_async.cli._main")
    rows.append(("import the CLI only", *run_child(import_only)))
    with fake_server(args.customers, 0) as (base_url, _), tempfile.TemporaryDirectory() as tmp:
        for export_format in [f for f in args.formats.split(",") if f]:
            out = Path(tmp) / f"customers.{export_format}"
            measured = run_child(export_command(base_url, out, export_format, args.no_trio))
            lines = sum(1 for _ in out.open("rb"))
            expected = args.customers + (export_format == "csv")
            if lines != expected:
                raise SystemExit(f"{export_format}: {lines} lines, expected {expected}")
            rows.append((f"export {args.customers:,} customers, {export_format}", *measured))
            print(f"  done: {rows[-1][0]}", file=sys.stderr)
    print(f"{'run' + (' (trio unimportable)' if args.no_trio else ''):<40} ", end="")
    print(f"{'peak RSS':>10} {'wall s':>7} {'CPU s':>6}")
    for name, rss, wall, cpu in rows:
        print(f"{name:<40} {rss:>6.1f} MiB {wall:>7.2f} {cpu:>6.2f}")
    for name, rss, _, _ in rows[1:]:
        verdict = "PASS" if rss <= TARGET_PEAK_RSS_MIB else "FAIL"
        print(f"target {name}: peak RSS <= {TARGET_PEAK_RSS_MIB:.0f} MiB: {rss:.1f} MiB  {verdict}")


if __name__ == "__main__":
    main()
