"""Large bodies for the hostile faults: a JSON page of any size (or endless), made a chunk at a
time, and a small gzip body that inflates to a large JSON page (built once per size)."""

from __future__ import annotations

import functools
import itertools
import zlib
from collections.abc import Iterable, Iterator
from typing import Final

#: About how many bytes each chunk of a generated page holds.
CHUNK_BYTES: Final = 64 * 1024
_PAGE_HEAD: Final = b'{"customers":['
_PAGE_TAIL: Final = b'],"metadata":{},"success":true}'
_BOMB_STEP: Final = 1024 * 1024


def json_page(size: int | None, record: bytes) -> Iterator[bytes]:
    """A customers page repeating `record`, exactly `size` bytes long (None: it never ends).

    Valid JSON when it ends: `{"customers":[record,record,...  record],...}`, padded with
    whitespace to the size (a size too small for one record still gets one).
    """
    item = record + b","
    block = item * max(1, CHUNK_BYTES // len(item))
    yield _PAGE_HEAD
    if size is None:
        yield from itertools.repeat(block)
        return  # pragma: no cover - an endless page never gets here
    left = size - len(_PAGE_HEAD) - len(record) - len(_PAGE_TAIL)
    while left >= len(block):
        yield block
        left -= len(block)
    items, spaces = divmod(max(left, 0), len(item))
    yield item * items + b" " * spaces + record + _PAGE_TAIL


@functools.lru_cache(maxsize=4)
def gzip_bomb(size: int) -> bytes:
    """A gzip body that inflates to an empty customers page of exactly `size` bytes.

    `{"customers":[` + spaces + `],...}`: valid JSON, compressed about 1000:1 (a size below an
    empty page inflates to spaces only). Built once per size (64 MiB take about 0.15 s) and
    kept.
    """
    padding = size - len(_PAGE_HEAD) - len(_PAGE_TAIL)
    if padding < 0:
        return _gzip([b" " * size])
    full, rest = divmod(padding, _BOMB_STEP)
    step = b" " * _BOMB_STEP
    return _gzip(
        itertools.chain([_PAGE_HEAD], itertools.repeat(step, full), [b" " * rest + _PAGE_TAIL])
    )


def _gzip(parts: Iterable[bytes]) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    compressed = [compressor.compress(part) for part in parts]
    compressed.append(compressor.flush())
    return b"".join(compressed)
