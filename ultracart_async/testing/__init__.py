"""Test against UltraCart offline: `FakeUltraCart`, a faithful, deterministic stand-in.

    fake = FakeUltraCart(customers=1000, seed=1)
    async with fake.client() as client:          # in-process, no sockets
        page = await client.get_customers(limit=200)

    with fake.serve_in_thread() as base_url:     # a real HTTP/1.1 server on 127.0.0.1
        ...

Faults (`fake.inject(kind, ...)`): see `FAULT_KINDS`, `RESPONSE_FAULTS` (work everywhere) and
`SOCKET_FAULTS` (need `fake.transport()` or the loopback server), hostile ones included: drips,
oversized and compressed-bomb bodies, echoed credentials (placed as an `EchoPlace` says) and
ignored offsets. Pytest fixtures (`fake_ultracart`, `fake_ultracart_factory`) are registered
with pytest when the package is installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ultracart_async._lazy import lazy_attributes

if TYPE_CHECKING:
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

# Where each public name lives; imported on first use (see `_lazy`).
_ORIGINS = {
    "FakeUltraCart": "._fake",
    "FAULT_KINDS": "._faults",
    "RESPONSE_FAULTS": "._faults",
    "SOCKET_FAULTS": "._faults",
    "Fault": "._faults",
    "FaultKind": "._faults",
    "EchoPlace": "._faults",
    "FakeRateLimit": "._ratelimit",
    "FakeCounters": "._record",
    "RecordedRequest": "._record",
    "OPERATIONS": "._routes",
    "WRITE_OPERATIONS": "._routes",
    "FakeTransport": "._transport",
}
__getattr__, __dir__ = lazy_attributes(__name__, _ORIGINS, globals())
