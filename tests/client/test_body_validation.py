"""Request bodies are checked in full when they are encoded: wrong types at any depth, explicit
nulls in nested models, and no false positives on valid models."""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterator
from typing import Any, TypeVar

import attrs
import orjson
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.models.test_converter import SETTINGS, SpecStrategies
from ultracart_async import InvalidInputError, converter, models, with_nulls
from ultracart_async._operations import OPERATIONS

T = TypeVar("T")

BODY_MODELS = sorted(
    {op.body_type.__name__ for op in OPERATIONS.values() if op.body_type is not None}
)


@pytest.fixture(scope="module")
def spec_strategies(openapi_spec: dict[str, Any]) -> SpecStrategies:
    return SpecStrategies(openapi_spec)


def _billing(**kwargs: Any) -> models.CustomerBilling:
    return models.CustomerBilling(address1="1 Main St", **kwargs)


def _make(cls: type[T], **kwargs: Any) -> T:
    """`cls(**kwargs)` without static checks: these tests build wrongly typed models."""
    return cls(**kwargs)


# --- wrong values are named by their path -----------------------------------------------------

NOT_JSON = ("64-bit range", "not valid Unicode")  # types that fit, values that JSON cannot carry
WRONG = [
    (
        _make(models.CustomerStoreCreditAddRequest, amount="lots"),
        "amount: expected number, got str",
    ),
    (
        _make(models.CustomerStoreCreditAddRequest, amount=math.nan),
        "amount: expected a finite number",
    ),
    (
        _make(models.CustomerStoreCreditAddRequest, amount=-math.inf),
        "amount: expected a finite number",
    ),
    (_make(models.CustomerStoreCreditAddRequest, amount=True), "amount: expected number, got bool"),
    (
        _make(models.CustomerStoreCreditAddRequest, expiration_days=True),
        "expiration_days: expected integer, got bool",
    ),
    (
        _make(models.CustomerStoreCreditAddRequest, expiration_days=30.0),
        "expiration_days: expected integer, got float",
    ),
    (
        _make(models.CustomerStoreCreditAddRequest, description=b"x"),
        "description: expected string, got bytes",
    ),
    (
        _make(models.Customer, customer_profile_oid=2**64),
        "customer_profile_oid: integer out of the 64-bit range",
    ),
    (_make(models.Customer, email="\ud800@example.com"), "email: string is not valid Unicode"),
    (_make(models.Customer, allow_cod=1), "allow_cod: expected boolean, got int"),
    (
        _make(models.Customer, billing=[_billing(), _billing(day_phone=5551234)]),
        "billing[1].day_phone: expected string, got int",
    ),
    (
        _make(models.Customer, billing=[{"address1": "1 Main St"}]),
        "billing[0]: expected models.CustomerBilling, got dict; build models.CustomerBilling(",
    ),
    (
        _make(models.Customer, billing=[_make(models.CustomerShipping, address1="x")]),
        "billing[0]: expected models.CustomerBilling, got CustomerShipping",
    ),
    (
        _make(models.Customer, billing=[None]),
        "billing[0]: expected models.CustomerBilling, got None",
    ),
    (_make(models.Customer, billing=(_billing(),)), "billing: expected list, got tuple"),
    (_make(models.Customer, tags="vip"), "tags: expected list, got str"),
    (
        _make(models.Customer, edi={"channel_partner_oid": 1}),
        "edi: expected models.CustomerEDI, got dict",
    ),
    (
        _make(models.Customer, edi=_make(models.CustomerEDI, channel_partner_oid="1")),
        "edi.channel_partner_oid: expected integer, got str",
    ),
    (
        _make(models.CustomerQuery, emails=["a@example.com", 7]),
        "emails[1]: expected string, got int",
    ),
    (
        _make(
            models.Customer,
            orders=[_make(models.Order, tags=[_make(models.OrderTag, tag_value=1)])],
        ),
        "orders[0].tags[0].tag_value: expected string, got int",  # Python names, not "Tags"
    ),
    (
        _make(models.Customer, billing=[with_nulls(_billing(), "day_phone")]),
        "billing[0]: expected models.CustomerBilling, got WithNulls; with_nulls() wraps only",
    ),
]


@pytest.mark.parametrize(("body", "message"), WRONG, ids=[m for _, m in WRONG])
def test_wrong_values_are_refused_with_their_path(body: Any, message: str) -> None:
    for encode in (converter.dumps, converter.check):
        with pytest.raises(InvalidInputError) as caught:
            encode(body)
        assert str(caught.value).startswith(message)
    if not any(
        reason in message for reason in NOT_JSON
    ):  # unstructure gives Python data: it checks types only
        with pytest.raises(InvalidInputError) as caught:
            converter.unstructure(body)
        assert str(caught.value).startswith(message)
    # Wrapped for explicit nulls, the same value is found the same way.
    unset = next(a.name for a in attrs.fields(type(body)) if getattr(body, a.name) is None)
    with pytest.raises(InvalidInputError, match="^" + re.escape(message.split(":")[0])):
        converter.dumps(with_nulls(body, unset))


def test_check_names_the_root_it_is_given() -> None:
    body = models.Customer(billing=[_billing(day_phone=5)])
    with pytest.raises(InvalidInputError) as caught:
        converter.check(body, root="insert_customer: customer")
    assert str(caught.value) == (
        "insert_customer: customer.billing[0].day_phone: expected string, got int"
    )
    with pytest.raises(InvalidInputError, match=r"^x: expected a model instance, got dict$"):
        converter.check({"email": "a@example.com"}, root="x")


def test_enum_members_and_ints_for_numbers_are_accepted() -> None:
    class Target(str, enum.Enum):  # noqa: UP042  (what users of older Pythons write)
        CACHE = "cache"

    class Days(enum.IntEnum):
        MONTH = 30

    query = models.CustomerQuery(query_target=Target.CACHE)
    assert converter.dumps(query) == b'{"query_target":"cache"}'
    credit = models.CustomerStoreCreditAddRequest(amount=5, expiration_days=Days.MONTH)
    assert converter.dumps(credit) == b'{"amount":5,"expiration_days":30}'
    assert converter.unstructure(credit) == {"amount": 5, "expiration_days": 30}


def test_other_values_still_encode_as_before() -> None:
    assert converter.dumps({"a": [1, 2]}) == b'{"a":[1,2]}'
    assert converter.dumps([models.CustomerTag(tag_value="vip")]) == b'[{"tag_value":"vip"}]'


# --- explicit nulls at any depth ---------------------------------------------------------------


def test_nested_nulls_are_named_by_path() -> None:
    customer = models.Customer(
        email="a@example.com",
        billing=[_billing(), _billing(city="Austin")],
        edi=models.CustomerEDI(channel_partner_oid=4),
        orders=[models.Order(order_id="A-1")],
    )
    body = with_nulls(
        customer, "billing[1].day_phone", "edi.store_number", "orders[0].tags", "tax_id"
    )
    assert converter.dumps(body) == orjson.dumps(
        {
            "billing": [
                {"address1": "1 Main St"},
                {"address1": "1 Main St", "city": "Austin", "day_phone": None},
            ],
            "edi": {"channel_partner_oid": 4, "store_number": None},
            "email": "a@example.com",
            "orders": [{"order_id": "A-1", "Tags": None}],  # the JSON name, nested too
            "tax_id": None,
        }
    )
    assert converter.unstructure(customer)["billing"][1] == {
        "address1": "1 Main St",
        "city": "Austin",
    }


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("billing.day_phone", "billing is a list; name the item, like billing[0]"),
        ("billing[2].day_phone", "billing has 1 item(s), no [2]"),
        ("edi.store_number", "edi is None (not set), not a model"),
        ("billing[0].no_such_field", "CustomerBilling has no field 'no_such_field'"),
        ("billing[0].address1", "billing[0].address1 is set"),
        ("billing[0]", "ends in a list item"),
        ("billing[0]..day_phone", "bad field path"),
        ("billing[01].day_phone", "bad field path"),
        ("email.x", "email is str, not a model"),
    ],
)
def test_bad_null_paths_are_refused(path: str, message: str) -> None:
    customer = models.Customer(email="a@example.com", billing=[_billing()])
    with pytest.raises(InvalidInputError) as caught:
        with_nulls(customer, path)
    assert message in str(caught.value)


def test_a_model_changed_after_with_nulls_is_refused_not_overwritten() -> None:
    customer = models.Customer(billing=[_billing()])
    body = with_nulls(customer, "billing[0].day_phone", "email")
    assert converter.dumps(body) == (
        b'{"billing":[{"address1":"1 Main St","day_phone":null}],"email":null}'
    )
    customer.email = "new@example.com"
    with pytest.raises(InvalidInputError, match="email is set; a field is either sent"):
        converter.dumps(body)
    customer.email = None
    customer.billing = []
    with pytest.raises(InvalidInputError, match=r"billing has 0 item\(s\), no \[0\]"):
        converter.check(body)


# --- properties: valid models always pass, a wrong leaf is always found -------------------------


@pytest.mark.parametrize("name", [*BODY_MODELS, "Customer", "CustomersResponse"])
@SETTINGS
@given(data=st.data())
def test_valid_models_pass_the_check(
    spec_strategies: SpecStrategies, name: str, data: st.DataObject
) -> None:
    original = data.draw(spec_strategies.model(name))
    converter.check(original)
    plain = converter.unstructure(original)
    assert orjson.loads(converter.dumps(original)) == orjson.loads(orjson.dumps(plain))
    # The detailed walk (used to accept subclasses and explain failures) agrees with the fast one.
    cls = getattr(models, name)
    assert converter._codegen.unstructure_detailed(original, ("model", cls), "") == plain


WRONG_FOR = {
    str: [1, b"x", True, ["x"]],
    int: ["1", 1.5, True],
    float: ["1.5", True, math.nan, math.inf],
    bool: [1, "true", 0.0],
}


def _scalar_leaves(obj: Any, path: str) -> Iterator[tuple[str, Any, str, type]]:
    """(path, owner, attribute, field type) of every set str/int/float/bool field, any depth."""
    for f in converter._codegen.fields(type(obj)):
        value = getattr(obj, f.name)
        if value is None:
            continue
        where = f"{path}.{f.name}" if path else f.name
        kind, target = f.shape
        if kind == "scalar":
            yield where, obj, f.name, target
        elif kind == "model":
            yield from _scalar_leaves(value, where)
        elif target[0] == "model":
            for index, item in enumerate(value):
                yield from _scalar_leaves(item, f"{where}[{index}]")


@SETTINGS
@given(data=st.data())
def test_a_wrong_value_anywhere_is_found(
    spec_strategies: SpecStrategies, data: st.DataObject
) -> None:
    original = data.draw(spec_strategies.model("Customer"))
    leaves = list(_scalar_leaves(original, ""))
    assume(leaves)
    path, owner, name, target = data.draw(st.sampled_from(leaves))
    setattr(owner, name, data.draw(st.sampled_from(WRONG_FOR[target])))
    with pytest.raises(InvalidInputError) as caught:
        converter.dumps(original)
    assert str(caught.value).startswith(f"{path}: ")
