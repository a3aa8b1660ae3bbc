"""FakeUltraCart's shape: routes from the client's operations, one-way imports, stable seeds."""

from __future__ import annotations

import ast
import hashlib
import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import orjson
import pytest

from tools.spec import PROJECT_ROOT
from ultracart_async._operation import Auth, Safety
from ultracart_async._operations import OPERATIONS as CLIENT_OPERATIONS
from ultracart_async.testing import OPERATIONS, WRITE_OPERATIONS, FakeUltraCart
from ultracart_async.testing._constants import FAKE_REST_PREFIX
from ultracart_async.testing._handlers import Handlers
from ultracart_async.testing._routes import BROWSER_KEY_OPERATIONS, ROUTES, route
from ultracart_async.testing._seed import Seeder

TESTING_PACKAGE = PROJECT_ROOT / "ultracart_async" / "testing"
#: The layers of ultracart_async.testing, bottom first: a module imports its layer and below.
LAYERS = (
    # the state: seeded data, the store and its parts, fault rules, limits, the request log
    {
        "_types", "_constants", "_dates", "_errors", "_serial", "_merchant", "_seed_tables",
        "_seed", "_schema", "_shape", "_filters", "_sorting", "_customers", "_ledgers",
        "_email_lists", "_wishlists", "_tokens", "_lookups", "_store", "_faults", "_ratelimit",
        "_record", "_settings", "_drip", "_big_bodies",
    },
    # the ASGI app
    {
        "_routes", "_request", "_paging", "_responses", "_auth", "_handlers", "_late_faults",
        "_app",
    },
    # the carriers
    {"_bridge", "_transport", "_server"},
    # the facade and its front ends
    {"_fake", "__main__", "pytest_plugin"},
)  # fmt: skip


def test_operations_are_the_clients() -> None:
    assert tuple(sorted(CLIENT_OPERATIONS)) == OPERATIONS
    assert len(OPERATIONS) == 29
    assert {
        op.operation_id for op in CLIENT_OPERATIONS.values() if op.safety is not Safety.READ
    } == WRITE_OPERATIONS
    assert (
        {op.operation_id for op in CLIENT_OPERATIONS.values() if Auth.BROWSER_KEY in op.auth}
        == BROWSER_KEY_OPERATIONS
        == {"search_customer_profile_values"}
    )


def test_every_client_operation_routes_to_itself() -> None:
    for op in CLIENT_OPERATIONS.values():
        path = re.sub(r"\{[^}]+\}", "123", op.path)
        matched = route(op.method.upper(), FAKE_REST_PREFIX + path)
        assert matched.operation == op.operation_id, (op.method, op.path)
        assert set(matched.path_params) == set(re.findall(r"\{([^}]+)\}", op.path))


def test_literal_segments_route_before_parameters() -> None:
    assert route("GET", "/rest/v2/customer/customers/search").operation == "search_customers"
    assert route("GET", "/rest/v2/customer/customers/by_email/a@b.c").operation == (
        "get_customer_by_email"
    )
    wrong_method = route("DELETE", "/rest/v2/customer/customers/query")
    assert wrong_method.operation == "delete_customer"  # {customer_profile_oid} = "query"
    assert route("PATCH", "/rest/v2/customer/customers").method_mismatch
    positions = {(r.method, "/".join(r.segments)): n for n, r in enumerate(ROUTES)}
    assert (
        positions[("GET", "customer/customers/search")]
        < positions[("GET", "customer/customers/{customer_profile_oid}")]
    )


def test_every_operation_has_a_handler(fake_ultracart: FakeUltraCart) -> None:
    handlers = Handlers(fake_ultracart.store, fake_ultracart)
    for operation in OPERATIONS:
        assert callable(handlers.for_operation(operation)), operation


def _testing_imports(path: Path) -> set[str]:
    """The testing modules `path` imports, lazy and TYPE_CHECKING imports included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                found |= {node.module} if node.module else {a.name for a in node.names}
            elif (node.module or "").startswith("ultracart_async.testing."):
                found.add((node.module or "").rsplit(".", 1)[1])
    return found


def test_testing_modules_import_one_way() -> None:
    graph = {
        path.stem: _testing_imports(path)
        for path in TESTING_PACKAGE.glob("*.py")
        if path.stem != "__init__"
    }
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as error:  # pragma: no cover - the failure message
        pytest.fail(f"import circle in ultracart_async.testing: {error.args[1]}")
    layer_of = {module: n for n, layer in enumerate(LAYERS) for module in layer}
    assert set(graph) == set(layer_of)
    upward = {
        f"{module} -> {imported}"
        for module, imports in graph.items()
        for imported in imports
        if layer_of[imported] > layer_of[module]
    }
    assert upward == set()
    carriers = graph["_bridge"] | graph["_transport"] | graph["_server"]
    assert carriers <= LAYERS[0] | {"_bridge"}  # any ASGI app: not bound to the fake's


def _seed_digest(seed: int, customers: int) -> str:
    seeder = Seeder(seed=seed, customers=customers)
    digest = hashlib.sha256()
    for index in range(customers):
        parts = [
            seeder.customer(index),
            seeder.store_credit_ledger(index),
            sorted(seeder.email_lists(index)),
            seeder.wishlist(index),
        ]
        digest.update(orjson.dumps(parts))
    return digest.hexdigest()


def test_seeded_data_stays_the_same() -> None:
    """A seed names the same customers in every version (their draws keep their order)."""
    assert _seed_digest(1, 300) == (
        "355eee7ef5e3ef1dec680aed71103412e3bdded61820c740d3e5b89b672208d0"
    )
    assert _seed_digest(42, 50) == (
        "bcbf4fcc49fd123b150199421badadd4cf983bd7f0184cee6230359c9687ce5b"
    )


def test_core_fields_are_those_of_the_full_customer() -> None:
    seeder = Seeder(seed=5, customers=40)
    for index in range(40):
        core, full = seeder.core(index), seeder.customer(index)
        assert {key: full[key] for key in core} == core
