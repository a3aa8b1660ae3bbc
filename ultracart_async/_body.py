"""Reading a response body with a size cap that holds after decompression.

The body is read raw and inflated here, a bounded piece at a time, so neither an endless body
nor a small compressed one that inflates to gigabytes can grow memory past the cap: the read
stops at the first byte over it. Only the encodings the client asks for are accepted.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import AsyncIterator, Iterator

import anyio
import httpx

from ._constants import HEADER_CONTENT_ENCODING
from ._http import HttpStack

__all__ = ["ACCEPT_ENCODING", "BodyTooLarge", "UnsupportedEncoding", "read_capped"]

#: What the client asks servers to compress with: the encodings `_inflated` can bound.
ACCEPT_ENCODING = "gzip, deflate"
#: Bytes inflated per step: the most a compressed chunk can add to memory at once.
_INFLATE_STEP = 64 * 1024
_FINISH_SECONDS = 1.0
_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


class BodyTooLarge(Exception):  # noqa: N818  (a signal to the pipeline, never seen by users)
    """The body grew past the cap; `read` is how many bytes were read before stopping."""

    def __init__(self, read: int) -> None:
        self.read = read
        super().__init__(read)


class UnsupportedEncoding(Exception):  # noqa: N818  (a signal to the pipeline)
    """The server compressed with an encoding the client did not offer."""


class _Inflater:
    """Decodes a body as it arrives, in pieces of at most `_INFLATE_STEP` bytes."""

    def __init__(self, encoding: str) -> None:
        if encoding in {"", "identity"}:
            self._decompressor = None
        elif encoding in _WBITS:
            self._decompressor = zlib.decompressobj(_WBITS[encoding])
        else:
            raise UnsupportedEncoding(encoding)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._decompressor is None:
            yield data
            return
        while True:
            piece = self._decompressor.decompress(data, _INFLATE_STEP)
            data = self._decompressor.unconsumed_tail
            if piece:
                yield piece
            # A full step may leave output buffered in zlib even when all input is consumed.
            if not data and len(piece) < _INFLATE_STEP:
                return

    def flush(self) -> bytes:
        return self._decompressor.flush() if self._decompressor is not None else b""


class _Collector:
    """The body so far; refuses (or, truncating, stops at) the byte past `limit`."""

    def __init__(self, limit: int, truncate: bool) -> None:
        self.limit = limit
        self.truncate = truncate
        self.parts: list[bytes] = []
        self.size = 0

    def add(self, piece: bytes) -> bool:
        """Keep `piece`; True once the body is full (truncating), BodyTooLarge past the cap."""
        self.size += len(piece)
        if self.size <= self.limit:
            self.parts.append(piece)
            return False
        if not self.truncate:
            raise BodyTooLarge(self.size)
        self.parts.append(piece[: len(piece) - (self.size - self.limit)])
        return True


async def read_capped(
    response: httpx.Response, limit: int, stack: HttpStack, *, truncate: bool = False
) -> bytes:
    """The whole decoded body of a streamed `response`, or BodyTooLarge past `limit` bytes.

    With `truncate`, the first `limit` bytes instead (an error page, read only for its message).
    A body a transport already holds in memory (a response built with `content=`, as mock
    transports build them) is checked as it is. zlib errors (a corrupt compressed body)
    propagate as `zlib.error`.
    """
    body = _Collector(limit, truncate)
    content = stack.content_of(response)
    if content is None:
        await _stream_into(body, response)
    else:
        body.add(content)
    return b"".join(body.parts)


async def _stream_into(body: _Collector, response: httpx.Response) -> None:
    inflater = _Inflater(response.headers.get(HEADER_CONTENT_ENCODING, "").strip().lower())
    raw = response.aiter_raw()
    try:
        async for chunk in raw:
            for piece in inflater.feed(chunk):
                if body.add(piece):
                    return
        body.add(inflater.flush())
    finally:
        await _finish(response, raw)


async def _finish(response: httpx.Response, raw: AsyncIterator[bytes]) -> None:
    """Close the response, then run its closed stream to the end.

    Stopping early leaves the HTTP stack's nested async generators suspended; closing the
    connection first and then iterating makes each of them end now, rather than be finalized
    by the garbage collector (which trio reports). Shielded and bounded: it only closes.
    """
    with anyio.CancelScope(shield=True), anyio.move_on_after(_FINISH_SECONDS):
        await response.aclose()
        with contextlib.suppress(Exception):
            async for _ in raw:
                pass
