"""Reading a response body with a size cap that holds after decompression.

The body is read raw and inflated here, a bounded piece at a time, so neither an endless body
nor a small compressed one that inflates to gigabytes can grow memory past the cap: the read
stops at the first byte over it. Only the encodings the client asks for are accepted.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator

import httpx

from ._constants import HEADER_CONTENT_ENCODING

__all__ = ["ACCEPT_ENCODING", "BodyTooLarge", "UnsupportedEncoding", "read_capped"]

#: What the client asks servers to compress with: the encodings `_inflated` can bound.
ACCEPT_ENCODING = "gzip, deflate"
#: Bytes inflated per step: the most a compressed chunk can add to memory at once.
_INFLATE_STEP = 64 * 1024
_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


class BodyTooLarge(Exception):  # noqa: N818  (a signal to the pipeline, never seen by users)
    """The body grew past the cap; `read` is how many bytes were read before stopping."""

    def __init__(self, read: int) -> None:
        self.read = read
        super().__init__(read)


class UnsupportedEncoding(Exception):  # noqa: N818  (a signal to the pipeline)
    """The server compressed with an encoding the client did not offer."""


def _inflate(decompressor: zlib._Decompress, data: bytes) -> Iterator[bytes]:
    while True:
        piece = decompressor.decompress(data, _INFLATE_STEP)
        data = decompressor.unconsumed_tail
        if piece:
            yield piece
        # A full step may leave output buffered in zlib even when all input is consumed.
        if not data and len(piece) < _INFLATE_STEP:
            return


async def _inflated(raw: AsyncIterator[bytes], encoding: str) -> AsyncIterator[bytes]:
    """The decoded body, in pieces of at most `_INFLATE_STEP` bytes for compressed bodies."""
    if encoding in {"", "identity"}:
        async for chunk in raw:
            yield chunk
        return
    if encoding not in _WBITS:
        raise UnsupportedEncoding(encoding)
    decompressor = zlib.decompressobj(_WBITS[encoding])
    async for chunk in raw:
        for piece in _inflate(decompressor, chunk):
            yield piece
    tail = decompressor.flush()
    if tail:
        yield tail


async def _already_read(content: bytes) -> AsyncIterator[bytes]:
    yield content


def _decoded(response: httpx.Response) -> AsyncIterator[bytes]:
    """The decoded body: inflated here from the raw stream, or as a transport already held it
    in memory (a response built with `content=`, e.g. by a mock transport)."""
    try:
        return _already_read(response.content)
    except httpx.ResponseNotRead:
        encoding = response.headers.get(HEADER_CONTENT_ENCODING, "").strip().lower()
        return _inflated(response.aiter_raw(), encoding)


async def read_capped(response: httpx.Response, limit: int, *, truncate: bool = False) -> bytes:
    """The whole decoded body of a streamed `response`, or BodyTooLarge past `limit` bytes.

    With `truncate`, the first `limit` bytes instead (an error page, read only for its message).
    zlib errors (a corrupt compressed body) propagate as `zlib.error`.
    """
    parts: list[bytes] = []
    size = 0
    async for piece in _decoded(response):
        size += len(piece)
        if size > limit:
            if truncate:
                parts.append(piece[: len(piece) - (size - limit)])
                break
            raise BodyTooLarge(size)
        parts.append(piece)
    return b"".join(parts)
