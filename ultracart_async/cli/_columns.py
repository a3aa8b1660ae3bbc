"""CSV columns of the bulk export: which customer fields can be flattened, and how."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import ultracart_async as uc

__all__ = [
    "ADDRESS_FIELDS",
    "CUSTOMER_FIELDS",
    "DEFAULT_COLUMNS",
    "Column",
    "all_column_names",
    "csv_header",
    "csv_rows",
    "parse_columns",
    "required_expansions",
]

# Scalar fields of Customer that make sense in a spreadsheet (the spec's scalar fields, except
# `password`, which has no place in an export file).
CUSTOMER_FIELDS: tuple[str, ...] = (
    "customer_profile_oid",
    "email",
    "merchant_id",
    "signup_dts",
    "last_modified_dts",
    "last_modified_by",
    "birth_date",
    "referral_source",
    "sales_rep_code",
    "affiliate_oid",
    "website_url",
    "fax",
    "tax_id",
    "tax_exempt",
    "terms",
    "do_not_send_mail",
    "send_signup_notification",
    "unapproved",
    "business_notes",
    "automatic_merchant_notes",
    "qb_class",
    "qb_code",
    "qb_tax_exemption_reason_code",
    "quickbooks_online_customer_id",
    "allow_3rd_party_billing",
    "allow_cod",
    "allow_drop_shipping",
    "allow_purchase_order",
    "allow_quote_request",
    "allow_selection_of_address_type",
    "auto_approve_cod",
    "auto_approve_purchase_order",
    "exempt_shipping_handling_charge",
    "free_shipping",
    "free_shipping_minimum",
    "no_free_shipping",
    "no_coupons",
    "no_realtime_charge",
    "suppress_buysafe",
    "track_separately",
    "minimum_item_count",
    "maximum_item_count",
    "minimum_subtotal",
    "dhl_account_number",
    "dhl_duty_account_number",
    "fedex_account_number",
    "ups_account_number",
)

# Fields of CustomerBilling / CustomerShipping offered as `billing_<field>` and `shipping_<field>`.
ADDRESS_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "company",
    "title",
    "address1",
    "address2",
    "city",
    "state_region",
    "postal_code",
    "country_code",
    "tax_county",
    "day_phone",
    "day_phone_e164",
    "evening_phone",
    "evening_phone_e164",
    "last_used_dts",
)

_DEFAULT_ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "address1",
    "address2",
    "city",
    "state_region",
    "postal_code",
    "country_code",
    "day_phone",
)

# The default CSV columns: identity plus the basics of the default billing and shipping address.
DEFAULT_COLUMNS: tuple[str, ...] = (
    "customer_profile_oid",
    "email",
    "signup_dts",
    *(f"billing_{name}" for name in _DEFAULT_ADDRESS_FIELDS),
    *(f"shipping_{name}" for name in _DEFAULT_ADDRESS_FIELDS),
)


class Column:
    """One CSV column: its header name, the `_expand` value it needs, and how to read it."""

    __slots__ = ("expansion", "name", "read")

    def __init__(
        self, name: str, expansion: str | None, read: Callable[[uc.Customer], Any]
    ) -> None:
        self.name = name
        self.expansion = expansion
        self.read = read

    def __repr__(self) -> str:
        return f"Column({self.name!r})"


def _default_address(addresses: Sequence[Any] | None, flag: str) -> Any:
    """The address flagged as default (`default_billing`/`default_shipping`), else the first."""
    if not addresses:
        return None
    for address in addresses:
        if getattr(address, flag, None):
            return address
    return addresses[0]


def _customer_field(name: str) -> Callable[[uc.Customer], Any]:
    def read(customer: uc.Customer) -> Any:
        return getattr(customer, name, None)

    return read


def _address_field(kind: str, name: str) -> Callable[[uc.Customer], Any]:
    flag = f"default_{kind}"

    def read(customer: uc.Customer) -> Any:
        address = _default_address(getattr(customer, kind, None), flag)
        return None if address is None else getattr(address, name, None)

    return read


def _tags(customer: uc.Customer) -> Any:
    tags = customer.tags
    if not tags:
        return None
    return ";".join(tag.tag_value for tag in tags if tag.tag_value is not None)


def _build_columns() -> dict[str, Column]:
    columns = {name: Column(name, None, _customer_field(name)) for name in CUSTOMER_FIELDS}
    for kind in ("billing", "shipping"):
        for name in ADDRESS_FIELDS:
            column = f"{kind}_{name}"
            columns[column] = Column(column, kind, _address_field(kind, name))
    columns["tags"] = Column("tags", "tags", _tags)
    return columns


_COLUMNS = _build_columns()


def all_column_names() -> list[str]:
    """Every column name `--columns` accepts, in a stable order."""
    return list(_COLUMNS)


def parse_columns(spec: str | None) -> list[Column]:
    """Columns from a comma-separated list (None: the defaults). Raises ValueError on a bad name."""
    names = list(DEFAULT_COLUMNS) if spec is None else [n.strip() for n in spec.split(",")]
    names = [name for name in names if name]
    if not names:
        raise ValueError("--columns needs at least one column name")
    unknown = [name for name in names if name not in _COLUMNS]
    if unknown:
        raise ValueError(
            f"unknown column(s): {', '.join(unknown)} (see `ultracart-customers export --help`)"
        )
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"column(s) listed twice: {', '.join(duplicates)}")
    return [_COLUMNS[name] for name in names]


def required_expansions(columns: Iterable[Column]) -> set[str]:
    """The `_expand` values the columns need (billing, shipping, tags)."""
    return {column.expansion for column in columns if column.expansion is not None}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_header(columns: Sequence[Column]) -> bytes:
    """The header row, UTF-8, CRLF-terminated (RFC 4180)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([column.name for column in columns])
    return buffer.getvalue().encode()


def csv_rows(customers: Iterable[uc.Customer], columns: Sequence[Column]) -> bytes:
    """One CSV row per customer, UTF-8, CRLF-terminated (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for customer in customers:
        writer.writerow([_cell(column.read(customer)) for column in columns])
    return buffer.getvalue().encode()
