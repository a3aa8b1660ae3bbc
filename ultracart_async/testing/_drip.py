"""Bodies a carrier streams piece by piece: paced (`Drip`), possibly endless (`StreamedBody`).

The app describes such an answer in its `SocketFaultOrder`; the carrier pulls the pieces as it
sends them, so an endless body is never built in memory, a pause is taken between pieces, and
the stream ends when the client goes (a failed send, a closed response) or at `max_seconds`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import anyio
import anyio.lowlevel


class DripCappedError(Exception):
    """The answer ran past its `max_seconds`: the carrier gives up and ends the connection."""


@dataclass(frozen=True)
class Drip:
    """How to send bytes: `piece_bytes` at a time, `delay` seconds apart, for `max_seconds`."""

    delay: float
    piece_bytes: int
    max_seconds: float

    def pace(self, chunks: Iterable[bytes]) -> Paced:
        return Paced(chunks, self)


@dataclass(frozen=True)
class StreamedBody:
    """A body sent in place of the app's: its chunks and its length (None: unknown, endless)."""

    chunks: Iterable[bytes]
    length: int | None


class Paced:
    """`chunks` cut into a drip's pieces, handed out one per `next()` after the drip's pause.

    The clock starts with the first piece; past `max_seconds`, `next()` raises
    `DripCappedError`. A plain object rather than an async generator, so that a consumer that
    stops early leaves nothing suspended behind.
    """

    def __init__(self, chunks: Iterable[bytes], drip: Drip) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)
        self._drip = drip
        self._pending = b""
        self._at = 0
        self._deadline: float | None = None

    async def next(self) -> bytes | None:
        """The next piece; None at the end of the body."""
        drip = self._drip
        if self._deadline is None:
            self._deadline = anyio.current_time() + drip.max_seconds
        elif drip.delay > 0:
            await anyio.sleep(drip.delay)
        else:
            await anyio.lowlevel.checkpoint()
        if anyio.current_time() > self._deadline:
            raise DripCappedError(f"still sending after max_seconds={drip.max_seconds:g}")
        while self._at >= len(self._pending):
            chunk = next(self._chunks, None)
            if chunk is None:
                return None
            self._pending, self._at = chunk, 0
        start, self._at = self._at, self._at + drip.piece_bytes
        return self._pending[start : self._at]
