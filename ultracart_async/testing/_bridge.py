"""The ASGI bridge of both carriers: run the app for one whole request, collect its answer.

The in-process transport and the loopback server both hand the app a complete request and take
back a complete answer plus the `SocketFaultOrder` the app left for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote

import anyio

from ._faults import CHANNEL_KEY, SocketFaultOrder
from ._types import ASGIApp, Message, Scope

Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class BridgedRequest:
    """A whole HTTP request as a carrier received it."""

    method: str
    raw_path: bytes
    query_string: bytes
    headers: Headers
    body: bytes
    scheme: str = "http"
    server: tuple[str, int] = ("127.0.0.1", 80)
    client: tuple[str, int] = ("127.0.0.1", 50000)
    http_version: str = "1.1"

    def scope(self, order: SocketFaultOrder) -> Scope:
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": self.http_version,
            "method": self.method.upper(),
            "scheme": self.scheme,
            "path": unquote(self.raw_path.decode("latin-1")),
            "raw_path": self.raw_path,
            "query_string": self.query_string,
            "root_path": "",
            "headers": [(name.lower(), value) for name, value in self.headers],
            "client": self.client,
            "server": self.server,
            "extensions": {CHANNEL_KEY: order},
        }


@dataclass
class BridgedAnswer:
    """What the app answered: `status` None when it sent no answer at all."""

    order: SocketFaultOrder
    status: int | None = None
    headers: Headers = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)


async def call_app(app: ASGIApp, request: BridgedRequest) -> BridgedAnswer:
    """Run `app` for `request` until it returns; its answer and socket fault order."""
    answer = BridgedAnswer(SocketFaultOrder())
    request_sent = False
    answered = anyio.Event()

    async def receive() -> Message:
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": request.body, "more_body": False}
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer.status = int(message["status"])
            answer.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            answer.chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                answered.set()

    try:
        await app(request.scope(answer.order), receive, send)
    finally:
        answered.set()
    return answer
