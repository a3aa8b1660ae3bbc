"""Which server the export talks to, with which key: checked from the options, and opened as a
client (UltraCart's API, or the embedded FakeUltraCart of `--demo`)."""

from __future__ import annotations

import argparse
import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import attrs

import ultracart_async as uc
from ultracart_async._constants import DEFAULT_BASE_URL, ENV_BASE_URL, ENV_SIMPLE_KEY
from ultracart_async._options import base_url_option

from ._constants import EXPORT_DEMO_LATENCY_MS, EXPORT_DEMO_SEED
from ._errors import UsageError

__all__ = ["Connection", "connection_from"]

_LOOPBACK_NAMES = frozenset({"localhost"})


@attrs.frozen(kw_only=True)
class Connection:
    """A checked server and key (no key for `--demo`), and the client's retry budget."""

    demo: int | None  # customers of the embedded stand-in; None for a real server
    base_url: str
    key: str | None = attrs.field(repr=False)
    max_retries: int

    @property
    def source(self) -> str:
        """The base URL, or "demo:N": part of the resume fingerprint."""
        return f"demo:{self.demo}" if self.demo is not None else self.base_url

    @property
    def where(self) -> str:
        """The server as failure messages name it."""
        return "the demo server" if self.demo is not None else urlsplit(self.base_url).netloc

    def open_client(self) -> uc.CustomerClient:
        """A new client; the caller closes it (`async with`)."""
        if self.demo is None:
            return uc.CustomerClient(
                simple_key=self.key, base_url=self.base_url, max_retries=self.max_retries
            )
        from ultracart_async.testing import FakeUltraCart

        fake = FakeUltraCart(
            customers=self.demo, seed=EXPORT_DEMO_SEED, latency_ms=EXPORT_DEMO_LATENCY_MS
        )
        return fake.client(max_retries=self.max_retries)


def connection_from(args: argparse.Namespace) -> Connection:
    """The connection the options ask for; raises UsageError for a bad URL or a missing key."""
    if args.demo is not None:
        if args.base_url is not None or args.key_file is not None:
            raise UsageError("--demo runs against an embedded stand-in: drop --base-url/--key-file")
        return Connection(demo=args.demo, base_url="", key=None, max_retries=args.max_retries)
    base_url = _check_base_url(args.base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL)
    return Connection(
        demo=None, base_url=base_url, key=_read_key(args.key_file), max_retries=args.max_retries
    )


def _check_base_url(url: str) -> str:
    """The client's own check of a base URL, plus one of the command's: a key goes over plain
    http only to this machine."""
    try:
        url = base_url_option(url)
    except uc.InvalidInputError as exc:
        raise UsageError(f"--base-url: {exc}") from None
    parts = urlsplit(url)
    if parts.scheme == "http":
        host = parts.hostname or ""  # base_url_option made sure there is one
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host in _LOOPBACK_NAMES
        if not loopback:
            raise UsageError(
                "refusing to send the key over plain http to a non-loopback host: use https"
            )
    return url


def _read_key(key_file: Path | None) -> str:
    """The first line of `key_file`, else the environment variable; never echoed."""
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
