"""Faults that strike after a request was processed: late, malformed, huge or lost answers,
and the answers of a proxy that ignores `_offset`."""

from __future__ import annotations

from typing import Final

import anyio
import orjson

from ultracart_async._constants import HEADER_REQUEST_ID

from ._big_bodies import CHUNK_BYTES, gzip_bomb, json_page
from ._drip import Drip, StreamedBody
from ._faults import Fault, SocketFaultOrder
from ._request import Request
from ._responses import CONTENT_TYPE_JSON, Response

#: The record an oversized page repeats when the real answer holds no customer.
_STOCK_RECORD: Final = orjson.dumps({"customer_profile_oid": 1, "email": "oversized@example.com"})


def forget_offset(request: Request) -> int:
    """`offset_ignored`, before processing: ask for the first page; the offset asked for."""
    raw = request.param("_offset")
    try:
        asked = int(raw) if raw else 0
    except ValueError:
        return 0  # left alone: the handler answers 400 as usual
    request.query = [(name, "0" if name == "_offset" else value) for name, value in request.query]
    return asked


async def late_fault_answer(
    response: Response, fault: Fault, channel: SocketFaultOrder | None, *, asked_offset: int
) -> Response | None:
    """The answer `fault` makes of the processed request's `response`; None when it is lost.

    Socket faults are ordered through `channel` (present whenever they can be taken).
    """
    kind = fault.kind
    if kind == "slow":
        await anyio.sleep(fault.delay)
        return response
    if kind == "malformed_json":
        response.body = response.body[: max(1, len(response.body) // 2)]
        response.set_header("Content-Length", str(len(response.body)))
        return response
    if kind == "compressed_bomb":
        return _bomb(response, fault)
    if kind == "offset_ignored":
        return _offset_ignored(response, asked_offset)
    assert channel is not None
    return _order_socket_fault(response, fault, channel)


def _order_socket_fault(
    response: Response, fault: Fault, channel: SocketFaultOrder
) -> Response | None:
    channel.kind = fault.kind
    if fault.kind == "truncated":
        channel.truncate_at = len(response.body) // 2
    elif fault.kind == "slow_drip_head":
        channel.head_drip = fault.drip()
    elif fault.kind == "slow_drip_body":
        channel.body_drip = fault.drip()
    elif fault.kind == "oversized_body":
        return _oversized(response, fault, channel)
    else:
        return None  # reset / commit_then_drop: processed, answer lost
    return response


def _oversized(response: Response, fault: Fault, channel: SocketFaultOrder) -> Response:
    """A 200 JSON page of `fault.size_bytes`, streamed by the carrier a chunk at a time."""
    size = fault.size_bytes
    channel.body = StreamedBody(json_page(size, _sample_record(response.body)), size)
    channel.body_drip = Drip(0.0, CHUNK_BYTES, fault.max_seconds)
    answer = Response(200, _json_headers(response), b"")
    if size is not None:
        answer.set_header("Content-Length", str(size))
    return answer


def _bomb(response: Response, fault: Fault) -> Response:
    assert fault.size_bytes is not None  # checked when the rule was added
    body = gzip_bomb(fault.size_bytes)
    answer = Response(200, _json_headers(response), body)
    answer.set_header("Content-Encoding", "gzip")
    answer.set_header("Content-Length", str(len(body)))
    return answer


def _json_headers(response: Response) -> list[tuple[str, str]]:
    """A JSON answer's headers, keeping the request id of `response`."""
    kept = [(k, v) for k, v in response.headers if k.lower() == HEADER_REQUEST_ID.lower()]
    return [("Content-Type", CONTENT_TYPE_JSON), *kept]


def _sample_record(body: bytes) -> bytes:
    """A customer record of the real answer (the first of a page), to repeat."""
    try:
        payload = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        payload = None
    if isinstance(payload, dict):
        customers = payload.get("customers")
        record = customers[0] if isinstance(customers, list) and customers else None
        record = record if record is not None else payload.get("customer")
        if isinstance(record, dict):
            return orjson.dumps(record)
    return _STOCK_RECORD


def _offset_ignored(response: Response, asked: int) -> Response:
    """The first page, presented as the page at `asked`: `more` and a `next_offset` past it."""
    if response.status != 200:
        return response
    payload = orjson.loads(response.body)
    metadata = payload.get("metadata") if isinstance(payload, dict) else None
    result_set = metadata.get("result_set") if isinstance(metadata, dict) else None
    if not isinstance(result_set, dict):
        return response
    count = result_set.get("count") or 0
    result_set.update(offset=asked, more=True, next_offset=asked + count)
    response.body = orjson.dumps(payload)
    response.set_header("Content-Length", str(len(response.body)))
    return response
