"""A response into its model, or into the typed error it stands for."""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
import orjson

from ._constants import HEADER_REQUEST_ID
from ._converter import converter
from ._error_mapping import excerpt, raise_for_status, raise_if_error_body
from ._exceptions import DecodeError, ResponseDecodeError
from ._logging import Scrubber
from ._operation import Operation

R = TypeVar("R")

__all__ = ["decode_response", "undecodable"]


def undecodable(
    op: Operation[Any],
    response: httpx.Response,
    message: str,
    cls: type[ResponseDecodeError] = ResponseDecodeError,
    **details: Any,
) -> ResponseDecodeError:
    """A `ResponseDecodeError` (or `cls`) about `response`, naming the operation."""
    request = response.request
    return cls(
        f"{op.operation_id}: {message}",
        status_code=response.status_code,
        request_id=response.headers.get(HEADER_REQUEST_ID),
        method=request.method,
        url=str(request.url),
        **details,
    )


def decode_response(
    op: Operation[R], response: httpx.Response, body: bytes, scrubber: Scrubber
) -> R:
    """The model `body` holds (None for operations that answer with no body), or raise.

    Texts from the server that end up in an error are scrubbed of the client's credentials.
    """
    raise_for_status(op, response, body, scrubber)
    if not body or body.isspace():  # strip() would copy a body ending in a newline
        if op.response_type is None:
            return None  # type: ignore[return-value]  # Operation[None] answers 204
        expected = op.response_type.__name__
        message = f"{response.status_code} with an empty body (expected {expected})"
        raise undecodable(op, response, message)
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        text = excerpt(body, scrubber)
        message = (
            f"{response.status_code} body is not JSON (HTML from a proxy, or cut short?): {text!r}"
        )
        raise undecodable(op, response, message, body_excerpt=text) from exc
    raise_if_error_body(op, response, data, body, scrubber)
    if op.response_type is None:  # a JSON body where none is expected: not an error
        return None  # type: ignore[return-value]
    try:  # `data` is ours and used no more: decoded in place
        decoded: R = converter.structure_parsed(data, op.response_type, body)
    except DecodeError as exc:
        where = f"field {exc.path!r}" if exc.path else "the top level"
        reason = scrubber.scrub(exc.reason)
        message = f"cannot decode {op.response_type.__name__}: {where}: {reason}"
        raise undecodable(
            op, response, message, path=exc.path, body_excerpt=excerpt(body, scrubber)
        ) from exc
    return decoded
