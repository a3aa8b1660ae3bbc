"""Each operation is described once: the spec, the generated table, the hand-written policy and
the client's method signatures agree for all 29 operations."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path
from typing import Any

import httpx
import pytest

import ultracart_async as uc
import ultracart_async.testing as uc_testing
from tests.helpers import method_signatures
from tools import generate_operations
from ultracart_async import _operations
from ultracart_async._operation import Operation, ParamKind, Safety
from ultracart_async._operation_policy import POLICY
from ultracart_async._operations import OPERATIONS
from ultracart_async.testing import FakeUltraCart
from ultracart_async.testing._constants import FAKE_BASE_URL

GENERATED = Path(_operations.__file__)
INT_KINDS = {ParamKind.OID, ParamKind.INT, ParamKind.LIMIT, ParamKind.OFFSET}


def test_the_generated_table_is_up_to_date(openapi_spec: dict[str, Any]) -> None:
    assert generate_operations.render(openapi_spec) == GENERATED.read_text(encoding="utf-8"), (
        "ultracart_async/_operations.py is stale: run `python -m tools.generate_operations`"
    )


def test_main_writes_the_module(openapi_spec: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "ops.py"
    assert generate_operations.main(["--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == generate_operations.render(openapi_spec)


def test_the_table_covers_exactly_the_specs_operations(openapi_spec: dict[str, Any]) -> None:
    spec_ids = {
        op["operationId"] for item in openapi_spec["paths"].values() for op in item.values()
    }
    assert len(spec_ids) == 29
    assert set(OPERATIONS) == spec_ids
    assert set(POLICY) == spec_ids


def test_the_policy_names_a_body_argument_exactly_for_operations_with_a_body() -> None:
    for op in OPERATIONS.values():
        assert (op.body_param is None) == (op.body_type is None), op.operation_id


def _hints(form: Any) -> dict[str, Any]:
    return typing.get_type_hints(form, globalns=vars(uc._client))


def _accepts(annotation: Any, expected: type) -> bool:
    """True when `annotation` is `expected`, or a union holding it (possibly generic)."""
    if annotation is expected:
        return True
    return any(
        arg is expected or (typing.get_origin(arg) is not None and expected in typing.get_args(arg))
        for arg in typing.get_args(annotation)
    )


@pytest.mark.parametrize("op", list(OPERATIONS.values()), ids=list(OPERATIONS))
def test_the_client_method_matches_the_table(op: Operation[Any]) -> None:
    forms = method_signatures(uc.CustomerClient, op.operation_id)
    orders = [_check_form(op, form) for form in forms]
    assert tuple(orders) == op.orders


def _check_form(op: Operation[Any], form: Any) -> tuple[str, ...]:
    """Check one typed form of the client's method against the table; its positional order."""
    signature = inspect.signature(form)
    assert next(iter(signature.parameters)) == "self"
    kinds = {name: p.kind for name, p in signature.parameters.items() if name != "self"}
    positional = [n for n, k in kinds.items() if k is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    keyword = [n for n, k in kinds.items() if k is inspect.Parameter.KEYWORD_ONLY]
    assert keyword == [p.name for p in op.query_params]
    hints = _hints(form)
    for param in (*op.path_params, *op.query_params):
        expected = int if param.kind in INT_KINDS else str
        assert _accepts(hints[param.name], expected), (param.name, hints[param.name])
    if op.body_param is not None:
        assert op.body_type is not None
        assert _accepts(hints[op.body_param], op.body_type), hints[op.body_param]
    assert hints["return"] is (op.response_type if op.response_type is not None else type(None))
    return tuple(positional)


@pytest.mark.anyio
async def test_the_fakes_routes_match_the_table() -> None:
    """Every operation's method and path reach the fake's handler for that operation."""
    fake = FakeUltraCart(customers=3, seed=1)
    oid = fake.customer_oids()[0]
    values = {"customer_profile_oid": oid, "customer_wishlist_item_oid": 1, "email": "x@y.z"}
    values["storefront_host_name"] = "shop.example.com"
    async with httpx.AsyncClient(transport=fake.transport(), headers=fake.headers()) as http:
        for op in OPERATIONS.values():
            path = op.path.format_map(values)
            await http.request(op.method, FAKE_BASE_URL + path, json={} if op.body_type else None)
            assert fake.requests[-1].operation == op.operation_id, (op.method, path)
    assert set(uc_testing.OPERATIONS) == set(OPERATIONS)
    writes = {op.operation_id for op in OPERATIONS.values() if op.safety is not Safety.READ}
    assert set(uc_testing.WRITE_OPERATIONS) == writes
