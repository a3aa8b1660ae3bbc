"""FakeUltraCart's JSON against the spec's schemas: field names, types, enums, lengths, no nulls.

A Python-side check independent of Prism: every key the fake emits must be a property of the
schema (so a misspelt field fails), every value of the declared type.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ultracart_async._constants import CUSTOMER_EXPANSIONS
from ultracart_async.testing import FakeUltraCart

from .test_fake_operations import exercise_all_operations

INT32 = 2**31


def schema_errors(spec: dict[str, Any], schema: dict[str, Any], value: Any, path: str) -> list[str]:
    """Every way `value` departs from `schema` (empty when it conforms)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    kind = schema.get("type", "object" if "properties" in schema else None)
    if value is None:
        return [] if schema.get("nullable") else [f"{path}: null"]
    errors: list[str] = []
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{path}: expected object, got {type(value).__name__}"]
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key not in properties:
                errors.append(f"{path}.{key}: not in the schema")
            else:
                errors += schema_errors(spec, properties[key], item, f"{path}.{key}")
    elif kind == "array":
        if not isinstance(value, list):
            return [f"{path}: expected array, got {type(value).__name__}"]
        for index, item in enumerate(value):
            errors += schema_errors(spec, schema["items"], item, f"{path}[{index}]")
    elif kind == "string":
        if not isinstance(value, str):
            return [f"{path}: expected string, got {value!r}"]
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{path}: longer than {schema['maxLength']}")
        if "enum" in schema and value not in schema["enum"]:
            errors.append(f"{path}: {value!r} not in enum")
    elif kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{path}: expected integer, got {value!r}"]
        if schema.get("format") == "int32" and not -INT32 <= value < INT32:
            errors.append(f"{path}: {value} outside int32")
    elif kind == "number":
        if not isinstance(value, int | float) or isinstance(value, bool):
            return [f"{path}: expected number, got {value!r}"]
    elif kind == "boolean" and not isinstance(value, bool):
        return [f"{path}: expected boolean, got {value!r}"]
    return errors


def response_schemas(spec: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any] | None]:
    """(operationId, status) -> the response body schema (None: no body)."""
    found: dict[tuple[str, int], dict[str, Any] | None] = {}
    for item in spec["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            for status, response in operation["responses"].items():
                content = response.get("content") or {}
                schema = next(iter(content.values()))["schema"] if content else None
                found[(operation["operationId"], int(status))] = schema
    return found


def test_seeded_customers_match_the_customer_schema(openapi_spec: dict[str, Any]) -> None:
    customer_schema = {"$ref": "#/components/schemas/Customer"}
    for seed in (1, 2):
        fake = FakeUltraCart(customers=150, seed=seed)
        for oid in fake.customer_oids():
            customer = fake.get_customer(oid)
            errors = schema_errors(openapi_spec, customer_schema, customer, f"customer[{oid}]")
            assert errors == []
            assert set(CUSTOMER_EXPANSIONS) <= set(customer or {})


@pytest.mark.anyio
async def test_every_response_matches_its_schema(
    openapi_spec: dict[str, Any], fake_ultracart: FakeUltraCart
) -> None:
    fake = fake_ultracart
    schemas = response_schemas(openapi_spec)
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers=fake.headers()
    ) as http:
        responses = await exercise_all_operations(http, fake)
        # error answers of every kind the fake gives
        responses["get_customer#400"] = await http.get("/customer/customers/1")
        responses["get_customers#401"] = await http.get(
            "/customer/customers", headers={"x-ultracart-simple-key": "wrong"}
        )
        fake.inject("rate_limit")
        responses["get_customers#429"] = await http.get("/customer/customers")
        fake.inject("server_error")
        responses["get_customers#500"] = await http.get("/customer/customers")
        fake.inject("app_disabled")
        responses["get_customers#410"] = await http.get("/customer/customers")
    assert len(responses) == 34
    for name, response in responses.items():
        operation = name.split("#")[0]
        schema = schemas[(operation, response.status_code)]
        if schema is None:
            assert response.content == b"", name
            continue
        assert schema_errors(openapi_spec, schema, response.json(), name) == []


def test_the_checker_catches_departures(openapi_spec: dict[str, Any]) -> None:
    ref = {"$ref": "#/components/schemas/CustomersResponse"}
    good = {"customers": [{"email": "a@b.c", "billing": [{"city": "Austin"}]}], "success": True}
    assert schema_errors(openapi_spec, ref, good, "r") == []
    bad = {
        "customers": [{"emial": "x", "customer_profile_oid": "1", "billing": [{"city": "x" * 33}]}],
        "metadata": {"result_set": {"total_records": None}},
    }
    assert sorted(schema_errors(openapi_spec, ref, bad, "r")) == [
        "r.customers[0].billing[0].city: longer than 32",
        "r.customers[0].customer_profile_oid: expected integer, got '1'",
        "r.customers[0].emial: not in the schema",
        "r.metadata.result_set.total_records: null",
    ]
