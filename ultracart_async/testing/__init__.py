"""Test against UltraCart offline: `FakeUltraCart`, a faithful, deterministic stand-in.

    fake = FakeUltraCart(customers=1000, seed=1)
    async with fake.client() as client:          # in-process, no sockets
        page = await client.get_customers(limit=200)

    with fake.serve_in_thread() as base_url:     # a real HTTP/1.1 server on 127.0.0.1
        ...

Faults (`fake.inject(kind, ...)`): see `FAULT_KINDS`, `RESPONSE_FAULTS` (work everywhere) and
`SOCKET_FAULTS` (need `fake.transport()` or the loopback server), hostile ones included: drips,
oversized and compressed-bomb bodies, echoed credentials (placed as an `EchoPlace` says) and
ignored offsets. Pytest fixtures:
`pytest_plugins = ["ultracart_async.testing.pytest_plugin"]`.
"""

from __future__ import annotations

from ._fake import FakeUltraCart
from ._faults import FAULT_KINDS, RESPONSE_FAULTS, SOCKET_FAULTS, EchoPlace, Fault, FaultKind
from ._ratelimit import FakeRateLimit
from ._record import FakeCounters, RecordedRequest
from ._routes import OPERATIONS, WRITE_OPERATIONS
from ._transport import FakeTransport

__all__ = [
    "FakeUltraCart",
    "FakeRateLimit",
    "FakeCounters",
    "FakeTransport",
    "Fault",
    "FaultKind",
    "EchoPlace",
    "RecordedRequest",
    "FAULT_KINDS",
    "RESPONSE_FAULTS",
    "SOCKET_FAULTS",
    "OPERATIONS",
    "WRITE_OPERATIONS",
]
