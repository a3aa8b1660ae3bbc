"""The command line of the fake: `python -m ultracart_async.testing serve --port 8765 ...`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import anyio

from ultracart_async._constants import PAGE_LIMIT_MAX

from ._fake import FakeUltraCart
from ._ratelimit import FakeRateLimit


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ultracart_async.testing",
        description="Run FakeUltraCart, an offline stand-in for UltraCart's Customer API.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the fake over HTTP/1.1")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8765, help="port (0 = any free port)")
    serve.add_argument("--customers", type=int, default=10_000, help="seeded customers")
    serve.add_argument("--seed", type=int, default=1, help="data and fault seed")
    serve.add_argument("--latency-ms", type=float, default=0.0, help="added to every request")
    serve.add_argument("--jitter-ms", type=float, default=0.0, help="random extra latency")
    serve.add_argument("--max-limit", type=int, default=PAGE_LIMIT_MAX, help="_limit cap")
    serve.add_argument(
        "--null-total-records",
        action="store_true",
        help="answer result_set.total_records as null (UltraCart may)",
    )
    serve.add_argument(
        "--rate-limit",
        action="store_true",
        help="enable UltraCart-like rate limiting (off by default)",
    )
    serve.add_argument("--per-hour", type=int, default=1000, help="rate limit per hour")
    serve.add_argument("--per-day", type=int, default=10_000, help="rate limit per day")
    serve.add_argument(
        "--max-in-flight", type=int, default=None, help="concurrency cap (429); works alone too"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    rate_limit = None
    if args.rate_limit:
        rate_limit = FakeRateLimit(
            per_hour=args.per_hour, per_day=args.per_day, max_in_flight=args.max_in_flight
        )
    elif args.max_in_flight is not None:
        rate_limit = FakeRateLimit(per_hour=None, per_day=None, max_in_flight=args.max_in_flight)
    fake = FakeUltraCart(
        customers=args.customers,
        seed=args.seed,
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        rate_limit=rate_limit,
        max_limit=args.max_limit,
        report_total_records=not args.null_total_records,
    )

    async def run() -> None:
        async with anyio.create_task_group() as group:
            base_url = await group.start(fake.serve, args.host, args.port)
            print(f"FakeUltraCart serving {args.customers} customers at {base_url}", flush=True)
            print(f"  simple key: {fake.simple_key}  (header x-ultracart-simple-key)", flush=True)
            print("  Ctrl+C to stop", flush=True)

    try:
        anyio.run(run)
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
