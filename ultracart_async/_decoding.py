"""A response into its model, or into the typed error it stands for."""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
import orjson

from ._constants import HEADER_REQUEST_ID
from ._converter import converter
from ._error_mapping import excerpt, raise_for_status, raise_if_error_body
from ._exceptions import DecodeError, ResponseDecodeError
from ._operation import Operation

R = TypeVar("R")

__all__ = ["decode_response"]


def _undecodable(
    op: Operation[Any], response: httpx.Response, message: str, **details: Any
) -> ResponseDecodeError:
    request = response.request
    return ResponseDecodeError(
        f"{op.operation_id}: {message}",
        status_code=response.status_code,
        request_id=response.headers.get(HEADER_REQUEST_ID),
        method=request.method,
        url=str(request.url),
        **details,
    )


def decode_response(op: Operation[R], response: httpx.Response) -> R:
    """The response's model (None for operations that answer with no body), or raise."""
    raise_for_status(op, response)
    content = response.content
    if not content.strip():
        if op.response_type is None:
            return None  # type: ignore[return-value]  # Operation[None] answers 204
        expected = op.response_type.__name__
        message = f"{response.status_code} with an empty body (expected {expected})"
        raise _undecodable(op, response, message)
    try:
        data = orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        body = excerpt(content)
        message = (
            f"{response.status_code} body is not JSON (HTML from a proxy, or cut short?): {body!r}"
        )
        raise _undecodable(op, response, message, body_excerpt=body) from exc
    raise_if_error_body(op, response, data)
    if op.response_type is None:  # a JSON body where none is expected: not an error
        return None  # type: ignore[return-value]
    try:
        decoded: R = converter.structure(data, op.response_type)
    except DecodeError as exc:
        where = f"field {exc.path!r}" if exc.path else "the top level"
        message = f"cannot decode {op.response_type.__name__}: {where}: {exc.reason}"
        raise _undecodable(
            op, response, message, path=exc.path, body_excerpt=excerpt(content)
        ) from exc
    return decoded
