"""`UltraCartJSONResponse`: JSON through `ultracart_async.converter`, and jsonable_encoder too."""

from __future__ import annotations

from typing import Any

from fastapi import encoders
from fastapi.responses import JSONResponse

from ultracart_async._converter import converter
from ultracart_async._nulls import WithNulls

from ._pydantic import model_classes

__all__ = ["UltraCartJSONResponse", "install_encoders"]


class UltraCartJSONResponse(JSONResponse):
    """JSON by the library's converter: models (at any depth) with unset fields omitted and
    their JSON names (`recordsTotal`), `with_nulls` fields as null, compact orjson bytes.

    Return one from a route (`return UltraCartJSONResponse(customer)`), or set it as
    `response_class=` / `default_response_class=`.
    """

    def render(self, content: Any) -> bytes:
        return converter.dumps(content)


def install_encoders() -> None:
    """Teach FastAPI's `jsonable_encoder` the models (routes without a response model)."""
    for cls in [*model_classes(), WithNulls]:
        encoders.ENCODERS_BY_TYPE.setdefault(cls, converter.unstructure)
