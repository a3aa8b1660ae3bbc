"""Pagination benchmark: the concurrent pager against the official SDK's sequential loop.

FakeUltraCart runs as a separate loopback server process (`python -m ultracart_async.testing
serve`) answering each page after --latency-ms. In one run this measures customers/s, client
CPU and server CPU for `iter_customers` at several concurrencies and for the official SDK's
sample loop (`CustomerApi.get_customers(limit=200, offset=...)`, sequential) on the same
server; two rows of plain httpx with no decoding show what the server allows (8 workers from
the start) and what the pager's own schedule allows with no client work (the first page alone,
then 8 at a time); then the peak RSS of a full export at two sizes, each in a fresh subprocess.
Every row's clock covers the export alone: each client is built, and makes one untimed call,
before it starts.

    python benchmarks/pagination.py                 # 20,000 customers, 100 ms/page (~2 min)
    python benchmarks/pagination.py --quick         # smaller and faster, for a smoke run
    python benchmarks/pagination.py --no-sdk --rss-sizes ""   # pager rows only

Speed is measured here only; the test suite has no timed assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # runnable as a plain script from a checkout
    sys.path.insert(0, str(ROOT))

import anyio  # noqa: E402
import psutil  # noqa: E402

import ultracart_async as uc  # noqa: E402
from ultracart_async._constants import API_VERSION  # noqa: E402
from ultracart_async.testing._constants import FAKE_SIMPLE_KEY  # noqa: E402


@dataclass
class Row:
    name: str
    concurrency: int | None
    customers: int
    wall: float
    cpu: float
    server_cpu: float
    requests: int = 0
    kind: str = "pager"  # "pager", "sdk", "raw" or "schedule" (raw, first page alone)

    @property
    def rate(self) -> float:
        return self.customers / self.wall

    @property
    def pages(self) -> int:
        return max(1, self.requests)

    @property
    def client_ms_per_page(self) -> float:
        return self.cpu / self.pages * 1000

    @property
    def server_ms_per_page(self) -> float:
        return self.server_cpu / self.pages * 1000


# -- the server ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


@contextmanager
def fake_server(customers: int, latency_ms: int) -> Iterator[tuple[str, psutil.Process]]:
    """FakeUltraCart in its own process on a loopback port; yields (base_url, its process)."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "ultracart_async.testing",
        "serve",
        "--port",
        str(port),
        "--customers",
        str(customers),
        "--latency-ms",
        str(latency_ms),
    ]
    proc = subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/rest/v2"
    try:
        _wait_ready(base_url, proc)
        yield base_url, psutil.Process(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(base_url: str, proc: subprocess.Popen[bytes]) -> None:
    request = urllib.request.Request(
        f"{base_url}/customer/customers?_limit=1",
        headers={"x-ultracart-simple-key": FAKE_SIMPLE_KEY, "X-UltraCart-Api-Version": API_VERSION},
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the fake server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise SystemExit("the fake server did not become ready in 120 s")


def _server_cpu(server: psutil.Process) -> float:
    times = server.cpu_times()
    return float(times.user + times.system)


# -- the clients -----------------------------------------------------------------------------


async def _warm_up(base_url: str, page_size: int, expand: str | None) -> None:
    """One untimed export of every page, before any timed row.

    Keeps one-time costs out of the rows: the client's imports and decoder set-up, and the
    fake's first serialization of each customer (it caches each customer's JSON; the first
    request for a page costs the server ~40 ms of CPU, later ones ~1 ms). Every row, the
    official SDK's included, then meets the same warm server.
    """
    async with uc.CustomerClient(FAKE_SIMPLE_KEY, base_url=base_url) as client:
        async for _ in client.iter_customers_pages(
            page_size=page_size, concurrency=16, expand=expand
        ):
            pass


@dataclass
class Timing:
    """What one timed export measured: wall seconds, this process's CPU, the server's CPU."""

    wall: float
    cpu: float
    server_cpu: float


@asynccontextmanager
async def _timed(server: psutil.Process | None) -> AsyncIterator[list[Timing]]:
    """Time the block; the Timing lands in the yielded list when the block ends."""
    result: list[Timing] = []
    server_before = _server_cpu(server) if server is not None else 0.0
    cpu_before = time.process_time()
    start = time.perf_counter()
    yield result
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_before
    server_cpu = _server_cpu(server) - server_before if server is not None else 0.0
    result.append(Timing(wall, cpu, server_cpu))


async def _pager_export(
    base_url: str,
    server: psutil.Process | None,
    concurrency: int,
    page_size: int,
    expand: str | None,
    prefetch: bool,
    stop_after: int | None = None,
) -> tuple[int, int, Timing]:
    """Export every customer (or the first `stop_after`); (customers, requests, timing).

    As for the official SDK's row, the client is built and makes one untimed call first (its
    set-up, TLS context included, and one connection are not timed); the clock covers the
    export alone.
    """
    count = 0
    async with uc.CustomerClient(FAKE_SIMPLE_KEY, base_url=base_url) as client:
        await client.get_customers(limit=1)
        customers = client.iter_customers(
            page_size=page_size, concurrency=concurrency, expand=expand
        )
        async with _timed(server) as timing:
            if prefetch:
                async with customers:
                    async for _ in customers:
                        count += 1
                        if count == stop_after:
                            break
            else:
                async for _ in customers:
                    count += 1
                    if count == stop_after:
                        break
        return count, customers.stats.requests, timing[0]


def run_pager(
    base_url: str,
    server: psutil.Process,
    concurrency: int,
    page_size: int,
    expand: str | None,
    *,
    prefetch: bool = True,
    stop_after: int | None = None,
    label: str = "",
) -> Row:
    count, requests, timing = anyio.run(
        _pager_export, base_url, server, concurrency, page_size, expand, prefetch, stop_after
    )
    name = f"ultracart_async c={concurrency}" + ("" if prefetch else " (bare async for)") + label
    return Row(name, concurrency, count, timing.wall, timing.cpu, timing.server_cpu, requests)


async def _raw_fetch(
    base_url: str,
    server: psutil.Process,
    concurrency: int,
    page_size: int,
    expand: str | None,
    customers: int,
    first_alone: bool,
) -> Timing:
    """`concurrency` plain httpx workers fetching every page: bytes only, no decoding, no order.

    `first_alone`: fetch the first page alone first, as the pager must (it learns the total
    from it), then the rest with the workers: the schedule of any pager, with no client work.
    """
    import httpx

    headers = {"x-ultracart-simple-key": FAKE_SIMPLE_KEY, "X-UltraCart-Api-Version": API_VERSION}
    offsets = list(range(0, customers, page_size))[::-1]
    extra: dict[str, str] = {"_expand": expand} if expand else {}

    async with httpx.AsyncClient(base_url=base_url, headers=headers) as client:

        async def fetch(offset: int) -> None:
            params: dict[str, str | int] = {"_limit": page_size, "_offset": offset, **extra}
            response = await client.get("/customer/customers", params=params)
            response.raise_for_status()

        async def worker() -> None:
            while offsets:
                await fetch(offsets.pop())

        await fetch(0)  # untimed: opens a connection, as the other rows' warm-up call does
        async with _timed(server) as timing:
            if first_alone:
                await fetch(offsets.pop())
            async with anyio.create_task_group() as group:
                for _ in range(concurrency):
                    group.start_soon(worker)
    return timing[0]


def run_raw(
    base_url: str,
    server: psutil.Process,
    concurrency: int,
    page_size: int,
    expand: str | None,
    customers: int,
    *,
    first_alone: bool = False,
) -> Row:
    timing = anyio.run(
        _raw_fetch, base_url, server, concurrency, page_size, expand, customers, first_alone
    )
    name = (
        f"raw httpx, first page alone, then c={concurrency}"
        if first_alone
        else f"raw httpx c={concurrency}, no decoding"
    )
    return Row(
        name,
        concurrency,
        customers,
        timing.wall,
        timing.cpu,
        timing.server_cpu,
        -(-customers // page_size),
        kind="schedule" if first_alone else "raw",
    )


def raw_rows(
    base_url: str, server: psutil.Process, page_size: int, expand: str | None, customers: int
) -> list[Row]:
    """The two no-decoding rows: the pager's schedule (first page alone), then server capacity."""
    rows = []
    for first_alone in (True, False):
        rows.append(
            run_raw(base_url, server, 8, page_size, expand, customers, first_alone=first_alone)
        )
        print(f"  done: {rows[-1].name}", file=sys.stderr)
    return rows


def run_sdk(
    base_url: str,
    server: psutil.Process,
    page_size: int,
    expand: str | None,
    *,
    max_pages: int | None = None,
    label: str = "",
) -> Row:
    """The official SDK's sample loop: sequential `get_customers(_limit, _offset)` calls."""
    from ultracart import ApiClient, Configuration
    from ultracart.api.customer_api import CustomerApi

    configuration = Configuration(host=base_url)
    configuration.api_key["x-ultracart-simple-key"] = FAKE_SIMPLE_KEY
    api = CustomerApi(
        ApiClient(configuration, header_name="X-UltraCart-Api-Version", header_value=API_VERSION)
    )
    kwargs = {"expand": expand} if expand else {}
    api.get_customers(limit=page_size, offset=0, **kwargs)  # untimed warm-up, as for ours
    server_before = _server_cpu(server)
    cpu_before = time.process_time()
    start = time.perf_counter()
    count = requests = 0
    offset = 0
    while True:
        response = api.get_customers(limit=page_size, offset=offset, **kwargs)
        requests += 1
        customers = response.customers if "customers" in response else []
        count += len(customers)
        if len(customers) < page_size or requests == max_pages:
            break
        offset += page_size
    wall = time.perf_counter() - start
    return Row(
        "official SDK loop" + label,
        None,
        count,
        wall,
        time.process_time() - cpu_before,
        _server_cpu(server) - server_before,
        requests,
        kind="sdk",
    )


# -- memory ----------------------------------------------------------------------------------


def rss_child(base_url: str, concurrency: int, page_size: int, expand: str | None) -> None:
    """Runs in a fresh process: export everything, print peak RSS as JSON."""
    count, _, _ = anyio.run(_pager_export, base_url, None, concurrency, page_size, expand, True)
    print(json.dumps({"customers": count, "peak_rss_mib": _peak_rss_kib() / 1024}))


def _peak_rss_kib() -> int:
    """This process's own peak RSS. Linux: VmHWM, since ru_maxrss also counts the process this
    one was forked from (its high-water mark carries over exec)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def measure_rss(size: int, concurrency: int, page_size: int, expand: str | None) -> float:
    with fake_server(size, 0) as (base_url, _):
        command = [
            sys.executable,
            __file__,
            "--rss-child",
            base_url,
            "--page-size",
            str(page_size),
            "--expand",
            expand or "",
            "--concurrency",
            str(concurrency),
        ]
        output = subprocess.run(
            command, cwd=ROOT, env=_env(), check=True, capture_output=True, text=True
        ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    if result["customers"] != size:
        raise SystemExit(f"RSS run at {size} exported {result['customers']} customers")
    peak: float = result["peak_rss_mib"]
    return peak


# -- report ----------------------------------------------------------------------------------


def print_rows(
    rows: list[Row], *, page_size: int, latency: float
) -> tuple[dict[int, Row], Row | None, Row | None]:
    """The table; returns (rows by concurrency, the SDK row, the c=1 row)."""
    header = (
        f"{'run':<36} {'customers/s':>11} {'wall s':>7} {'reqs':>5} {'client CPU':>13} "
        f"{'server CPU':>13} {'x c=1':>6} {'x SDK':>6} {'% ideal':>7}"
    )
    print(header)
    print("-" * len(header))
    by_c = {
        row.concurrency: row
        for row in rows
        if row.kind == "pager" and row.concurrency is not None and "bare" not in row.name
    }
    sdk = next((row for row in rows if row.kind == "sdk"), None)
    c1 = by_c.get(1)
    for row in rows:
        vs_c1 = f"{row.rate / c1.rate:.1f}" if c1 else "-"
        vs_sdk = f"{row.rate / sdk.rate:.1f}" if sdk else "-"
        ideal = ""
        if row.concurrency:
            ideal = f"{row.rate / (row.concurrency * page_size / latency):.0%}"
        client = f"{row.cpu / row.wall:.0%} {row.client_ms_per_page:4.0f}ms"
        server = f"{row.server_cpu / row.wall:.0%} {row.server_ms_per_page:4.0f}ms"
        print(
            f"{row.name:<36} {row.rate:>11,.0f} {row.wall:>7.2f} {row.requests:>5} "
            f"{client:>13} {server:>13} {vs_c1:>6} {vs_sdk:>6} {ideal:>7}"
        )
    return by_c, sdk, c1


def _ratios(
    by_c: dict[int, Row],
    sdk: Row | None,
    c1: Row | None,
    schedule: Row | None,
    *,
    page_size: int,
    latency: float,
) -> None:
    """The figures the table implies, one a line, each saying what it compares."""
    c8 = by_c.get(8)
    if c8 is None:
        return
    if c1 is not None:
        print(f"c=8 vs c=1: {c8.rate / c1.rate:.1f}x the customers/s")
    if sdk is not None:
        print(f"c=8 vs the official SDK's loop: {c8.rate / sdk.rate:.1f}x the customers/s")
    ideal_rate = 8 * page_size / latency
    print(
        f"c=8 share of the latency-bound ideal (8 x {page_size} / {latency * 1000:.0f} ms = "
        f"{ideal_rate:,.0f}/s): {c8.rate / ideal_rate:.0%}"
    )
    if schedule is not None:
        print(
            f"c=8 share of the raw loop on the pager's schedule ({schedule.name}: "
            f"{schedule.rate:,.0f}/s): {c8.rate / schedule.rate:.0%}"
        )
    print(f"c=8 client CPU per page: {c8.client_ms_per_page:.1f} ms")


def check_report(rows: list[Row], *, page_size: int, latency: float) -> None:
    print()
    print(f"Latency-bound check: same server and pages, {latency * 1000:.0f} ms/page")
    by_c, sdk, c1 = print_rows(rows, page_size=page_size, latency=latency)
    c8 = by_c.get(8)
    if c8 is None:
        return
    print()
    schedule = next((row for row in rows if row.kind == "schedule"), None)
    _ratios(by_c, sdk, c1, schedule, page_size=page_size, latency=latency)
    _explain(rows, c8, page_size=page_size, latency=latency)


def _explain(rows: list[Row], c8: Row, *, page_size: int, latency: float) -> None:
    """Where the time goes: CPU per page on each side, the ceilings, what 20x the SDK needs."""
    raw = next((row for row in rows if row.kind == "raw"), None)
    schedule = next((row for row in rows if row.kind == "schedule"), None)
    sdk = next((row for row in rows if row.kind == "sdk"), None)
    ideal_rate = 8 * page_size / latency
    print(
        f"  CPU per page at c=8: server {c8.server_ms_per_page:.1f} ms (FakeUltraCart, its own "
        f"process), client {c8.client_ms_per_page:.1f} ms (this process: HTTP + decoding + "
        f"pager); client busy {c8.cpu / c8.wall:.0%} of one core (its event loop is one thread)"
    )
    pages = -(-c8.customers // page_size)
    rounds = 1 + -(-(pages - 1) // 8)  # the first page alone, then rounds of up to 8
    ceiling = (c8.customers / (rounds * latency)) / ideal_rate
    print(
        f"  ceiling for any pager: {pages} pages = first page alone + {rounds - 1} rounds of "
        f"<= 8 = {rounds} x {latency * 1000:.0f} ms at best, i.e. {ceiling:.0%} of the ideal"
    )
    if schedule is not None:
        print(
            f"  that schedule with no client work (raw httpx, no decoding): "
            f"{schedule.rate:,.0f} customers/s = {schedule.rate / ideal_rate:.0%} of the ideal "
            f"on this server; c=8 reaches {c8.rate / schedule.rate:.0%} of it"
        )
    if raw is not None:
        print(
            f"  server capacity (8 raw httpx workers from the start, no decoding, no ordering): "
            f"{raw.rate:,.0f} customers/s = {raw.rate / ideal_rate:.0%} of the ideal"
        )
    if sdk is not None:
        print(
            f"  the official SDK's loop spends {sdk.client_ms_per_page:.0f} ms of CPU per page, "
            f"on top of the {latency * 1000:.0f} ms latency"
        )


def report(
    rows: list[Row],
    rss: dict[int, float],
    *,
    page_size: int,
    latency: float,
    customers: int,
    expand: str | None,
) -> None:
    cores = os.cpu_count() or 1
    print()
    print(
        f"{customers:,} customers, page_size={page_size}, {latency * 1000:.0f} ms/page, "
        f"expand={expand or '-'}, {cores} CPU cores (load avg {os.getloadavg()[0]:.1f}); "
        "CPU % of one core, ms = CPU per page"
    )
    by_c, sdk, c1 = print_rows(rows, page_size=page_size, latency=latency)
    print()
    c8 = by_c.get(8)
    if c8 is not None:
        schedule = next((row for row in rows if row.kind == "schedule"), None)
        _ratios(by_c, sdk, c1, schedule, page_size=page_size, latency=latency)
        _explain(rows, c8, page_size=page_size, latency=latency)
    if len(rss) == 2:
        (small, small_rss), (large, large_rss) = sorted(rss.items())
        ratio = large_rss / small_rss
        print(
            f"peak RSS at {large:,} customers vs at {small:,}: "
            f"{large_rss:.1f} MiB / {small_rss:.1f} MiB = {ratio:.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--page-size", type=int, default=200)
    parser.add_argument("--concurrency", default="1,4,8,16", help="comma separated")
    parser.add_argument("--expand", default="billing,shipping", help='"" for none')
    parser.add_argument("--no-sdk", action="store_true", help="skip the official SDK loop")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare async-for row")
    parser.add_argument("--rss-sizes", default="10000,100000", help='two sizes, or ""')
    parser.add_argument(
        "--check-latency-ms",
        type=int,
        default=500,
        help="also run c=1 (first pages), c=8 and the SDK (first pages) at this latency, "
        "where CPU is not saturated (0 = skip)",
    )
    parser.add_argument("--check-pages", type=int, default=15, help="pages for c=1/SDK there")
    parser.add_argument("--quick", action="store_true", help="5,000 customers, 10k/50k RSS")
    parser.add_argument("--rss-child", metavar="BASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    expand = args.expand or None
    if args.rss_child:
        rss_child(args.rss_child, int(args.concurrency), args.page_size, expand)
        return
    if args.quick:
        args.customers = 5_000
        args.rss_sizes = "10000,50000"
    concurrencies = [int(c) for c in args.concurrency.split(",") if c]
    latency = args.latency_ms / 1000
    rows: list[Row] = []
    with fake_server(args.customers, args.latency_ms) as (base_url, server):
        anyio.run(_warm_up, base_url, args.page_size, expand)
        for concurrency in concurrencies:
            rows.append(run_pager(base_url, server, concurrency, args.page_size, expand))
            print(f"  done: {rows[-1].name}", file=sys.stderr)
        if not args.no_bare and 8 in concurrencies:
            rows.append(run_pager(base_url, server, 8, args.page_size, expand, prefetch=False))
            print(f"  done: {rows[-1].name}", file=sys.stderr)
        if not args.no_sdk:
            rows.append(run_sdk(base_url, server, args.page_size, expand))
            print(f"  done: {rows[-1].name}", file=sys.stderr)
        if 8 in concurrencies:
            rows.extend(raw_rows(base_url, server, args.page_size, expand, args.customers))
    for row in rows:
        if row.customers != args.customers:
            raise SystemExit(f"{row.name} exported {row.customers} of {args.customers} customers")
    check: list[Row] = []
    if args.check_latency_ms:
        first = args.check_pages * args.page_size
        with fake_server(args.customers, args.check_latency_ms) as (base_url, server):
            anyio.run(_warm_up, base_url, args.page_size, expand)
            label = f" ({args.check_pages} pages)"
            check.append(
                run_pager(
                    base_url, server, 1, args.page_size, expand, stop_after=first, label=label
                )
            )
            check.append(run_pager(base_url, server, 8, args.page_size, expand))
            check.extend(raw_rows(base_url, server, args.page_size, expand, args.customers))
            if not args.no_sdk:
                check.append(
                    run_sdk(
                        base_url,
                        server,
                        args.page_size,
                        expand,
                        max_pages=args.check_pages,
                        label=label,
                    )
                )
        print(f"  done: latency-bound check at {args.check_latency_ms} ms", file=sys.stderr)
    rss: dict[int, float] = {}
    for size in [int(s) for s in args.rss_sizes.split(",") if s]:
        rss[size] = measure_rss(size, 8, args.page_size, expand)
        print(f"  done: peak RSS at {size:,}", file=sys.stderr)
    report(
        rows,
        rss,
        page_size=args.page_size,
        latency=latency,
        customers=args.customers,
        expand=expand,
    )
    if check:
        check_report(check, page_size=args.page_size, latency=args.check_latency_ms / 1000)


if __name__ == "__main__":
    main()
