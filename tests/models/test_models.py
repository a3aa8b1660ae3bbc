"""The generated models: names, optional keyword-only fields, absent vs null, JSON names."""

from __future__ import annotations

import typing
from typing import Any

import attrs
import pytest

import ultracart_async as uc
from ultracart_async import InvalidInputError, converter, models, with_nulls


def test_every_schema_is_exported_under_its_spec_name() -> None:
    classes = [getattr(models, n) for n in models.__all__ if attrs.has(getattr(models, n))]
    assert len(classes) == 140
    for cls in classes:
        assert cls.__name__ in models.__all__
    assert models.CustomersResponse is uc.CustomersResponse
    for name in ("Customer", "CustomerQuery", "ResultSet", "ResponseMetadata", "ErrorResponse"):
        assert getattr(uc, name) is getattr(models, name)
        assert name in uc.__all__


def test_fields_are_optional_and_keyword_only() -> None:
    customer = models.Customer()
    assert all(getattr(customer, a.name) is None for a in attrs.fields(models.Customer))
    customer_cls: Any = models.Customer
    with pytest.raises(TypeError):
        customer_cls("x@example.com")


def test_nested_attribute_names_are_snake_case() -> None:
    page = converter.loads(
        b'{"customers": [{"customer_profile_oid": 5}],'
        b' "metadata": {"result_set": {"total_records": 12, "next_offset": 1}}}',
        models.CustomersResponse,
    )
    assert page.customers is not None
    assert page.customers[0].customer_profile_oid == 5
    assert page.metadata is not None
    assert page.metadata.result_set is not None
    assert page.metadata.result_set.total_records == 12


def test_unset_fields_are_never_sent() -> None:
    assert converter.unstructure(models.Customer(email="x")) == {"email": "x"}
    assert converter.dumps(models.Customer(email="x")) == b'{"email":"x"}'
    assert converter.dumps(models.Customer()) == b"{}"
    # Falsy values are values, not "unset".
    customer = models.Customer(email="", tax_exempt=False, maximum_item_count=0, cc_emails=[])
    assert converter.unstructure(customer) == {
        "email": "",
        "tax_exempt": False,
        "maximum_item_count": 0,
        "cc_emails": [],
    }


def test_json_null_decodes_to_none() -> None:
    page = converter.loads(
        b'{"metadata": {"result_set": {"total_records": null}}}', uc.CustomersResponse
    )
    assert page.metadata is not None
    assert page.metadata.result_set is not None
    assert page.metadata.result_set.total_records is None


def test_with_nulls_sends_explicit_null() -> None:
    customer = models.Customer(email="x", tax_id=None)
    body = with_nulls(customer, "tax_id", "qb_class")
    assert isinstance(body, uc.WithNulls)
    assert body.model is customer
    assert converter.unstructure(body) == {"email": "x", "tax_id": None, "qb_class": None}
    assert converter.dumps(body) == b'{"email":"x","qb_class":null,"tax_id":null}'
    # The model itself is unchanged: without the wrapper nothing is sent as null.
    assert converter.unstructure(customer) == {"email": "x"}


def test_with_nulls_uses_json_names() -> None:
    body = with_nulls(models.DataTablesServerSideResponse(draw=1), "records_total")
    assert converter.unstructure(body) == {"draw": 1, "recordsTotal": None}


@pytest.mark.parametrize(
    ("model", "fields", "message"),
    [
        (models.Customer(email="x"), ("email",), "is set"),
        (models.Customer(), ("no_such_field",), "no field 'no_such_field'"),
        (models.Customer(), (), "at least one"),
        ({"email": None}, ("email",), "model instance"),
        (with_nulls(models.Customer(), "email"), ("tax_id",), "model instance"),
    ],
)
def test_with_nulls_rejects_mistakes(model: object, fields: tuple[str, ...], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        with_nulls(model, *fields)


def test_json_name_oddities() -> None:
    data = b'{"recordsFiltered": 3, "recordsTotal": 9, "records_total": 1, "draw": 2}'
    page = converter.loads(data, models.DataTablesServerSideResponse)
    assert (page.records_filtered, page.records_total, page.draw) == (3, 9, 2)
    assert converter.unstructure(page) == {"draw": 2, "recordsFiltered": 3, "recordsTotal": 9}

    order = converter.loads(b'{"Tags": [{"tag_value": "vip"}], "tags": "ignored"}', models.Order)
    assert order.tags == [models.OrderTag(tag_value="vip")]
    assert converter.unstructure(order) == {"Tags": [{"tag_value": "vip"}]}


def test_enum_values_not_in_the_spec_are_kept() -> None:
    assert typing.get_args(models.CustomerQueryQueryTarget) == ("origin", "cache")
    query = converter.loads(b'{"query_target": "edge-cache-2031"}', uc.CustomerQuery)
    assert query.query_target == "edge-cache-2031"
    assert converter.unstructure(query) == {"query_target": "edge-cache-2031"}
    known = converter.loads(b'{"payment_method": "Klarna"}', models.OrderPayment)
    assert known.payment_method == "Klarna"


def test_credentials_are_left_out_of_repr() -> None:
    customer = models.Customer(email="a@example.com", password="hunter2-secret")
    assert "hunter2-secret" not in repr(customer)
    assert "a@example.com" in repr(customer)
    token = models.EmailVerifyTokenValidateRequest(token="tok-secret-123")
    assert "tok-secret-123" not in repr(token)


def test_repr_shows_the_fields_that_are_set() -> None:
    customer = models.Customer(email="a@example.com", tags=[models.CustomerTag(tag_value="vip")])
    assert repr(customer) == (
        "Customer(email='a@example.com', tags=[CustomerTag(tag_value='vip')])"
    )
    assert repr(models.ResultSet(total_records=0, more=False)) == (
        "ResultSet(more=False, total_records=0)"
    )
    assert repr(models.Customer()) == "Customer()"


def test_models_compare_by_value() -> None:
    assert models.Customer(email="x", tags=[models.CustomerTag(tag_value="a")]) == models.Customer(
        email="x", tags=[models.CustomerTag(tag_value="a")]
    )
    assert models.Customer(email="x") != models.Customer(email="y")
