"""Models as pydantic types: `__get_pydantic_core_schema__` on every model class.

Installed when `ultracart_async.fastapi` is imported (never by `import ultracart_async`), so
a model can be a route's return type, `response_model` or `Body()` parameter as it is: no
pydantic copy of the 140 classes. Validation takes a model instance as it is and decodes a
JSON object through `ultracart_async.converter` (its errors, with the field's path, become
pydantic's); serialization is the converter's `unstructure` (unset fields omitted, JSON names
kept). The JSON schema (OpenAPI) is built from the attrs fields, under the JSON names.
"""

from __future__ import annotations

import threading
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal, Union

import attrs
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

import ultracart_async.models as models
from ultracart_async._converter import converter, is_model_class
from ultracart_async._exceptions import DecodeError
from ultracart_async.models import JSON_NAME

__all__ = ["install_pydantic_support", "model_classes"]

_SCALARS: dict[type, Callable[[], CoreSchema]] = {
    str: core_schema.str_schema,
    int: core_schema.int_schema,
    float: core_schema.float_schema,
    bool: core_schema.bool_schema,
}
_building = threading.local()  # classes whose schema is being built (recursive models)


def model_classes() -> list[type]:
    """Every model class of `ultracart_async.models`."""
    found = (getattr(models, name) for name in models.__all__)
    return [cls for cls in found if is_model_class(cls)]


def install_pydantic_support() -> None:
    """Give every model class a pydantic core schema (idempotent)."""
    hook: classmethod[Any, Any, CoreSchema] = classmethod(_core_schema)
    for cls in model_classes():
        if "__get_pydantic_core_schema__" not in cls.__dict__:
            cls.__get_pydantic_core_schema__ = hook  # type: ignore[attr-defined]


def _core_schema(cls: type, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
    ref = f"{cls.__module__}.{cls.__qualname__}:{id(cls)}"  # pydantic's own ref for a class
    building: set[type] = _building.__dict__.setdefault("classes", set())
    if cls in building:  # a model that contains itself, at some depth
        return core_schema.definition_reference_schema(ref)
    building.add(cls)
    try:
        shape = _json_shape(cls, handler)
    finally:
        building.discard(cls)

    def validate(value: Any) -> Any:
        if isinstance(value, cls):
            return value
        if not isinstance(value, Mapping):
            raise ValueError(f"expected a {cls.__name__} object, got {type(value).__name__}")
        try:
            return converter.structure(dict(value), cls)
        except DecodeError as exc:
            raise ValueError(str(exc)) from None

    def json_schema(_: CoreSchema, json_handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = json_handler(shape)
        schema["title"] = cls.__name__
        return schema

    return core_schema.no_info_plain_validator_function(
        validate,
        ref=ref,
        json_schema_input_schema=shape,  # keeps nested definitions in the schema
        metadata={"pydantic_js_functions": [json_schema]},
        serialization=core_schema.plain_serializer_function_ser_schema(
            converter.unstructure, return_schema=core_schema.any_schema()
        ),
    )


def _json_shape(cls: type, handler: GetCoreSchemaHandler) -> CoreSchema:
    """The model's JSON object: every field optional, under its JSON name."""
    hints = typing.get_type_hints(cls)
    fields = {
        field.metadata.get(JSON_NAME, field.name): core_schema.typed_dict_field(
            _field_schema(hints[field.name], handler), required=False
        )
        for field in attrs.fields(cls)
    }
    return core_schema.typed_dict_schema(fields, total=False)


def _field_schema(annotation: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        literals = [a for a in args if typing.get_origin(a) is Literal]
        if literals and len(args) == len(literals) + 1 and str in args:  # an open enum
            return core_schema.nullable_schema(core_schema.str_schema())
        if len(args) == 1:
            return core_schema.nullable_schema(_field_schema(args[0], handler))
        return core_schema.any_schema()
    if origin is list:
        (item,) = typing.get_args(annotation)
        return core_schema.list_schema(_field_schema(item, handler))
    if is_model_class(annotation):
        return handler.generate_schema(annotation)
    scalar = _SCALARS.get(annotation)
    return scalar() if scalar is not None else core_schema.any_schema()
