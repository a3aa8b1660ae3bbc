"""The converter: round trips of every model, forward compatibility, errors that name the path."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ultracart_async as uc
from ultracart_async import DecodeError, converter, models
from ultracart_async._converter import _Codegen
from ultracart_async.models import JSON_NAME

MODEL_NAMES = sorted(n for n in models.__all__ if attrs.has(getattr(models, n)))
MAX_DEPTH = 2  # nested models below this depth are left unset, so examples stay small
SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- strategies derived from the spec -------------------------------------------------------


def _ref(prop: Mapping[str, Any]) -> str:
    ref: str = prop["$ref"]
    return ref.rsplit("/", 1)[-1]


class SpecStrategies:
    """Hypothesis strategies for every schema, built from the spec's property definitions."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.schemas: Mapping[str, Any] = spec["components"]["schemas"]
        self._cache: dict[tuple[str, int], st.SearchStrategy[Any]] = {}

    def model(self, name: str, depth: int = 0) -> st.SearchStrategy[Any]:
        """Instances of `models.<name>` with any subset of fields set."""
        key = (name, depth)
        if key not in self._cache:
            cls = getattr(models, name)
            attr_of = {a.metadata.get(JSON_NAME, a.name): a.name for a in attrs.fields(cls)}
            fields = {
                attr_of[json_name]: st.none() | self.value(prop, depth)
                for json_name, prop in self.schemas[name]["properties"].items()
            }
            self._cache[key] = st.builds(cls, **fields)
        return self._cache[key]

    def value(self, prop: Mapping[str, Any], depth: int) -> st.SearchStrategy[Any]:
        """Values of one property."""
        if "$ref" in prop:
            return st.none() if depth >= MAX_DEPTH else self.model(_ref(prop), depth + 1)
        kind = prop["type"]
        if kind == "array":
            items = prop["items"]
            if "$ref" in items and depth >= MAX_DEPTH:
                return st.just([])
            return st.lists(self.value(items, depth), max_size=2)
        if "enum" in prop:
            return st.sampled_from(prop["enum"]) | st.text(max_size=8)
        if kind == "string":
            return st.text(max_size=min(prop.get("maxLength", 20), 20))
        if kind == "integer":
            return st.integers(-(2**63), 2**63 - 1)
        if kind == "number":
            return st.floats(allow_nan=False, allow_infinity=False)
        assert kind == "boolean"
        return st.booleans()


@pytest.fixture(scope="session")
def strategies(openapi_spec: dict[str, Any]) -> SpecStrategies:
    return SpecStrategies(openapi_spec)


def reference_unstructure(obj: Any) -> Any:
    """What unstructure must give: set fields only, under their JSON names."""
    if isinstance(obj, list):
        return [reference_unstructure(item) for item in obj]
    if not attrs.has(type(obj)):
        return obj
    return {
        a.metadata.get(JSON_NAME, a.name): reference_unstructure(getattr(obj, a.name))
        for a in attrs.fields(type(obj))
        if getattr(obj, a.name) is not None
    }


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", MODEL_NAMES)
@SETTINGS
@given(data=st.data())
def test_round_trip_every_model(strategies: SpecStrategies, name: str, data: st.DataObject) -> None:
    cls = getattr(models, name)
    original = data.draw(strategies.model(name))
    plain = converter.unstructure(original)
    assert plain == reference_unstructure(original)  # unset fields dropped, JSON names used
    assert converter.structure(plain, cls) == original
    assert converter.loads(converter.dumps(original), cls) == original
    # The detailed path (used to explain failures) agrees with the fast one.
    assert converter._codegen.structure_detailed(plain, ("model", cls), "") == original
    # The generated functions accept good data themselves (no silent detour through the
    # detailed path): copying, in place on freshly parsed data, and back.
    codegen = converter._codegen
    assert codegen.function("s", cls)(plain) == original
    assert codegen.function("o", cls)(orjson.loads(orjson.dumps(plain))) == original
    assert codegen.function("u", cls)(original) == plain


@SETTINGS
@given(data=st.data())
def test_unknown_keys_are_ignored_at_every_depth(
    strategies: SpecStrategies, data: st.DataObject
) -> None:
    original = data.draw(strategies.model("CustomersResponse"))
    noisy = _with_unknown_keys(converter.unstructure(original))
    assert converter.loads(orjson.dumps(noisy), models.CustomersResponse) == original


def _with_unknown_keys(value: Any) -> Any:
    if isinstance(value, list):
        return [_with_unknown_keys(item) for item in value]
    if isinstance(value, dict):
        noisy = {key: _with_unknown_keys(item) for key, item in value.items()}
        noisy["added_by_ultracart_next_year"] = {"nested": [1, "two", None, {"x": True}]}
        noisy["Email"] = 12  # differs from a known key only by case
        return noisy
    return value


def test_unknown_keys_in_a_hand_written_page() -> None:
    data = {
        "new_top_level": 1,
        "customers": [
            {
                "email": "a@example.com",
                "loyalty": {"current_points": 3, "tier_v2": {"name": "gold"}},
                "billing": [{"first_name": "Ann", "geo": [1.5, 2.5]}],
            }
        ],
        "metadata": {"result_set": {"count": 1, "cursor": "abc"}, "trace": {}},
    }
    page = converter.loads(orjson.dumps(data), models.CustomersResponse)
    assert page == models.CustomersResponse(
        customers=[
            models.Customer(
                email="a@example.com",
                loyalty=models.CustomerLoyalty(current_points=3),
                billing=[models.CustomerBilling(first_name="Ann")],
            )
        ],
        metadata=models.ResponseMetadata(result_set=models.ResultSet(count=1)),
    )


# --- wrong types ----------------------------------------------------------------------------


WRONG_VALUES: dict[str, list[Any]] = {
    "string": [1, 2.5, True, [], {}],
    "integer": ["1", True, False, 1.5, [], {}],
    "number": ["1.5", True, [], {}],
    "boolean": [0, 1, "true", [], {}],
    "array": ["x", 1, {}],
    "object": ["x", 1, [], True],
}


def _leaves(
    schemas: Mapping[str, Any], schema: str, value: dict[str, Any], path: str
) -> Iterator[tuple[str, str, Any, Any]]:
    """(path, JSON kind expected, container, key) of every value in `value`, at any depth."""
    props = schemas[schema]["properties"]
    for key, item in value.items():
        item_path = f"{path}.{key}" if path else key
        yield from _prop_leaves(schemas, props[key], item, item_path, value, key)


def _prop_leaves(
    schemas: Mapping[str, Any],
    prop: Mapping[str, Any],
    item: Any,
    path: str,
    container: Any,
    key: Any,
) -> Iterator[tuple[str, str, Any, Any]]:
    if "$ref" in prop:
        yield path, "object", container, key
        yield from _leaves(schemas, _ref(prop), item, path)
    elif prop["type"] == "array":
        yield path, "array", container, key
        for index, element in enumerate(item):
            yield from _prop_leaves(
                schemas, prop["items"], element, f"{path}[{index}]", item, index
            )
    else:
        yield path, prop["type"], container, key


@pytest.mark.parametrize("name", ["CustomersResponse", "Customer", "DataTablesServerSideResponse"])
@SETTINGS
@given(data=st.data())
def test_a_wrong_type_anywhere_names_its_path(
    openapi_spec: dict[str, Any], strategies: SpecStrategies, name: str, data: st.DataObject
) -> None:
    schemas = openapi_spec["components"]["schemas"]
    original = data.draw(strategies.model(name).filter(lambda m: converter.unstructure(m)))
    plain = converter.unstructure(original)
    path, kind, container, key = data.draw(st.sampled_from(list(_leaves(schemas, name, plain, ""))))
    container[key] = data.draw(st.sampled_from(WRONG_VALUES[kind]))
    with pytest.raises(DecodeError) as caught:
        converter.loads(orjson.dumps(plain), getattr(models, name))
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}: expected ")


@pytest.mark.parametrize(
    ("data", "path", "expected"),
    [
        (
            b'{"customers": [{}, {"customer_profile_oid": "12"}]}',
            "customers[1].customer_profile_oid",
            "integer, got string",
        ),
        (
            b'{"customers": [{"customer_profile_oid": true}]}',
            "customers[0].customer_profile_oid",
            "integer, got boolean",
        ),
        (b'{"customers": [{"email": 5}]}', "customers[0].email", "string, got integer"),
        (b'{"customers": [{"tax_exempt": 1}]}', "customers[0].tax_exempt", "boolean, got integer"),
        (
            b'{"customers": [{"free_shipping_minimum": "5"}]}',
            "customers[0].free_shipping_minimum",
            "number, got string",
        ),
        (
            b'{"customers": [{"free_shipping_minimum": false}]}',
            "customers[0].free_shipping_minimum",
            "number, got boolean",
        ),
        (
            b'{"customers": [{"cc_emails": [{"email": []}]}]}',
            "customers[0].cc_emails[0].email",
            "string, got array",
        ),
        (
            b'{"customers": [{"billing": {"first_name": "x"}}]}',
            "customers[0].billing",
            "array, got object",
        ),
        (
            b'{"metadata": {"result_set": {"more": "yes"}}}',
            "metadata.result_set.more",
            "boolean, got string",
        ),
        (b'{"customers": [{"loyalty": []}]}', "customers[0].loyalty", "object, got array"),
        (b'{"customers": {"0": {}}}', "customers", "array, got object"),
        (b'{"customers": [1]}', "customers[0]", "object, got integer"),
        (b"[]", "", "object, got array"),
        (b"null", "", "object, got null"),
        (b'{"customers": [null]}', "customers[0]", "object, got null"),
    ],
)
def test_wrong_types_are_rejected_with_the_path(data: bytes, path: str, expected: str) -> None:
    with pytest.raises(DecodeError) as caught:
        converter.loads(data, uc.CustomersResponse)
    assert caught.value.path == path
    assert caught.value.reason == f"expected {expected}"


def test_null_items_in_arrays_are_rejected() -> None:
    with pytest.raises(DecodeError) as caught:
        converter.loads(b'{"emails": ["a@example.com", null]}', uc.CustomerQuery)
    assert (caught.value.path, caught.value.reason) == ("emails[1]", "expected string, got null")


def test_integer_is_accepted_for_a_number() -> None:
    customer = converter.loads(b'{"free_shipping_minimum": 25}', models.Customer)
    assert customer.free_shipping_minimum == 25.0
    assert isinstance(customer.free_shipping_minimum, float)


def test_integer_too_large_for_a_number() -> None:
    with pytest.raises(DecodeError, match="too large") as caught:
        converter.structure({"free_shipping_minimum": 10**400}, models.Customer)
    assert caught.value.path == "free_shipping_minimum"


def test_invalid_json_is_a_decode_error() -> None:
    for data in (b"{", b"", b"<html>502 Bad Gateway</html>", '{"a": '):
        with pytest.raises(DecodeError, match="invalid JSON") as caught:
            converter.loads(data, uc.CustomersResponse)
        assert caught.value.path == ""


def test_structure_of_a_list_of_models_names_the_index() -> None:
    customers = converter.structure([{"email": "a"}, {"email": "b"}], list[models.Customer])
    assert [c.email for c in customers] == ["a", "b"]
    with pytest.raises(DecodeError) as caught:
        converter.structure([{"email": "a"}, {"email": 2}], list[models.Customer])
    assert caught.value.path == "[1].email"


def test_other_types_still_raise_decode_error() -> None:
    assert converter.loads(b"[1, 2]", list[int]) == [1, 2]
    with pytest.raises(DecodeError):
        converter.loads(b'["x"]', list[int])


def test_structure_accepts_other_mappings_and_copies_lists() -> None:
    tags = ["a", "b"]
    query = converter.structure(_ReadOnlyMapping({"all_tags": tags}), uc.CustomerQuery)
    assert query.all_tags == ["a", "b"]
    tags.append("c")
    assert query.all_tags == ["a", "b"]


class _ReadOnlyMapping(Mapping[str, Any]):
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def test_structure_leaves_the_callers_data_as_it_was() -> None:
    data: dict[str, Any] = {
        "customers": [{"email": "a", "billing": [{"first_name": "Ann"}], "tags": []}],
        "metadata": {"result_set": {"count": 1}},
    }
    before = orjson.loads(orjson.dumps(data))
    page = converter.structure(data, models.CustomersResponse)
    assert data == before
    assert page.customers is not None
    assert page.customers is not data["customers"]
    assert page.customers[0].billing is not data["customers"][0]["billing"]


def test_structure_parsed_decodes_in_place_and_reparses_to_explain() -> None:
    good = b'{"customers": [{"email": "a", "billing": [{"first_name": "Ann"}]}]}'
    parsed = orjson.loads(good)
    page = converter.structure_parsed(parsed, models.CustomersResponse, good)
    assert page == converter.loads(good, models.CustomersResponse)
    assert page.customers is parsed["customers"]  # the parsed list, kept: no copy
    # A mismatch after part of the data was converted in place is still explained from the
    # original data.
    bad = b'{"customers": [{"email": "a"}, {"email": "b"}, {"email": 3}]}'
    with pytest.raises(DecodeError) as caught:
        converter.structure_parsed(orjson.loads(bad), models.CustomersResponse, bad)
    assert (caught.value.path, caught.value.reason) == (
        "customers[2].email",
        "expected string, got integer",
    )


def test_functions_are_compiled_per_class_on_first_use() -> None:
    codegen = _Codegen()
    data = {"customers": [{"email": "a", "billing": [{"first_name": "Ann"}]}], "success": True}
    page = codegen.structure_owned(data, models.CustomersResponse, lambda: None)
    assert page.customers is not None
    compiled = {kind: {c.__name__ for c in table} for kind, table in codegen._compiled.items()}
    # Only what the data reached: not `metadata`, not Customer's other nested models.
    assert compiled == {
        "o": {"CustomersResponse", "Customer", "CustomerBilling"},
        "s": set(),
        "u": set(),
    }
    codegen.unstructure_model(page.customers[0], models.Customer)
    assert codegen._compiled["u"].keys() == {models.Customer, models.CustomerBilling}


def test_first_use_from_many_threads_compiles_once() -> None:
    codegen = _Codegen()
    barrier = threading.Barrier(8)
    results: list[Any] = []

    def decode() -> None:
        barrier.wait()
        results.append(codegen.structure_model({"email": "a"}, models.Customer))

    threads = [threading.Thread(target=decode) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [models.Customer(email="a")] * 8
    assert list(codegen._compiled["s"]) == [models.Customer]


def test_floats_survive_json_exactly() -> None:
    value = models.Currency(value=0.1 + 0.2, exchange_rate=1e-300)
    back = converter.loads(converter.dumps(value), models.Currency)
    assert back == value
    assert back.value is not None
    assert math.isclose(back.value, 0.30000000000000004, rel_tol=0)
