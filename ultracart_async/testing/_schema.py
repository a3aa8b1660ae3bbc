"""Writing a customer body onto a record, checked against the Customer schema as UltraCart does.

The tables hold what the fake enforces from the spec: the JSON type of every writable scalar,
maxLength of strings, the id field of each list part and which parts `update_customer` may change.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, Final

from ._errors import bad_request
from ._merchant import PRICING_TIERS
from ._types import JSON

#: Parts of a customer `update_customer` may change (when named in `_expand`).
EDITABLE_EXPANSIONS: Final = frozenset(
    {
        "billing",
        "cards",
        "cc_emails",
        "pricing_tiers",
        "privacy",
        "properties",
        "reviewer",
        "shipping",
        "software_entitlements",
        "tags",
        "tax_codes",
    }
)
#: JSON type of every writable scalar field of `Customer` (from the spec).
CUSTOMER_SCALARS: Final[Mapping[str, type | tuple[type, ...]]] = {
    **dict.fromkeys(
        (
            "allow_3rd_party_billing", "allow_cod", "allow_drop_shipping", "allow_purchase_order",
            "allow_quote_request", "allow_selection_of_address_type", "auto_approve_cod",
            "auto_approve_purchase_order", "do_not_send_mail", "exempt_shipping_handling_charge",
            "free_shipping", "no_coupons", "no_free_shipping", "no_realtime_charge",
            "send_signup_notification", "suppress_buysafe", "tax_exempt", "track_separately",
            "unapproved",
        ),
        bool,
    ),
    **dict.fromkeys(
        (
            "affiliate_oid", "maximum_item_count", "minimum_item_count",
            "qb_tax_exemption_reason_code",
        ),
        int,
    ),
    **dict.fromkeys(("free_shipping_minimum", "minimum_subtotal"), (int, float)),
    **dict.fromkeys(
        (
            "automatic_merchant_notes", "birth_date", "business_notes", "dhl_account_number",
            "dhl_duty_account_number", "email", "fax", "fedex_account_number", "last_modified_by",
            "password", "qb_class", "qb_code", "quickbooks_online_customer_id", "referral_source",
            "sales_rep_code", "tax_id", "terms", "ups_account_number", "website_url",
        ),
        str,
    ),
}  # fmt: skip
#: maxLength of string fields (from the spec), checked on writes.
MAX_LENGTHS: Final[Mapping[str, Mapping[str, int]]] = {
    "customer": {
        "business_notes": 2000, "dhl_account_number": 20, "dhl_duty_account_number": 20,
        "fax": 32, "fedex_account_number": 20, "last_modified_by": 100, "password": 30,
        "quickbooks_online_customer_id": 50, "referral_source": 50, "sales_rep_code": 10,
        "tax_id": 15, "ups_account_number": 20, "website_url": 100,
    },
    "address": {
        "address1": 50, "address2": 50, "city": 32, "company": 50, "country_code": 2,
        "day_phone": 25, "evening_phone": 25, "first_name": 30, "last_name": 30,
        "postal_code": 20, "state_region": 32, "tax_county": 32, "title": 50,
    },
    "tags": {"tag_value": 250},
    "properties": {"name": 100, "value": 1500},
    "pricing_tiers": {"name": 50},
    "cc_emails": {"email": 100, "label": 100},
    "wishlist": {"comments": 1024},
    "store_credit": {"description": 50},
}  # fmt: skip
#: Sub-record id field of each list part (assigned on writes when missing).
SUB_OIDS: Final = {
    "billing": "customer_billing_oid",
    "shipping": "customer_shipping_oid",
    "cards": "customer_profile_credit_card_id",
    "cc_emails": "customer_profile_email_oid",
    "properties": "customer_profile_property_oid",
    "software_entitlements": "customer_software_entitlement_oid",
}
#: Parts that are arrays of objects (the others are objects).
LIST_PARTS: Final = frozenset({*SUB_OIDS, "tags", "pricing_tiers"})
_OWNED_PARTS: Final = frozenset({"billing", "shipping", "cards"})


def check_email(record: JSON) -> None:
    if not isinstance(record.get("email"), str) or "@" not in record["email"]:
        raise bad_request("A valid email address is required.", "email_required")


def apply_body(
    record: JSON,
    body: JSON,
    *,
    expand: Collection[str],
    created: bool,
    sub_oid: Callable[[], int],
) -> None:
    """Copy the scalars and the parts named in `expand` from `body` into `record`.

    `sub_oid` gives ids to new sub-records, part by part in the order `body` names the parts (so
    ids do not depend on set iteration order); `created` marks a new customer (defaults are set
    on every address list, not only the written ones).
    """
    _apply_scalars(record, body)
    check_email(record)
    oid = record["customer_profile_oid"]
    for part, value in body.items():
        if part not in expand or value is None:
            continue
        if part in LIST_PARTS:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise bad_request(f"customer.{part} must be an array of objects")
            record[part] = [_sub_record(part, oid, dict(item), sub_oid) for item in value]
        else:
            if not isinstance(value, dict):
                raise bad_request(f"customer.{part} must be an object")
            record[part] = {**record.get(part, {}), **value}
    if created or "billing" in expand:
        _ensure_default(record.get("billing", []), "default_billing")
    if created or "shipping" in expand:
        _ensure_default(record.get("shipping", []), "default_shipping")


def _apply_scalars(record: JSON, body: JSON) -> None:
    for key, kind in CUSTOMER_SCALARS.items():
        if key not in body or body[key] is None:
            continue  # left out or null: no change
        value = body[key]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise bad_request(f"customer.{key} has the wrong type")
        limit = MAX_LENGTHS["customer"].get(key)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            raise bad_request(f"customer.{key} is longer than {limit} characters")
        record[key] = value


def _sub_record(part: str, oid: int, item: JSON, sub_oid: Callable[[], int]) -> JSON:
    _check_lengths(part, item)
    item = {key: value for key, value in item.items() if value is not None}
    id_field = SUB_OIDS.get(part)
    if id_field is not None:
        if not _is_int(item.get(id_field)):
            item[id_field] = sub_oid()
        if part in _OWNED_PARTS:
            item["customer_profile_oid"] = oid
    if part == "cards":
        digits = "".join(ch for ch in str(item.pop("card_number", "")) if ch.isdigit())
        item["card_number"] = f"************{digits[-4:]}" if digits else ""
        item.pop("card_verification_number_token", None)
    if part == "pricing_tiers" and "pricing_tier_oid" not in item:
        item["pricing_tier_oid"] = _tier_oid(item)
    return item


def _check_lengths(part: str, item: JSON) -> None:
    limits = (
        MAX_LENGTHS["address"] if part in ("billing", "shipping") else MAX_LENGTHS.get(part, {})
    )
    for key, limit in limits.items():
        value = item.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            raise bad_request(f"customer.{part}[].{key} must be a string of at most {limit}")


def _tier_oid(item: JSON) -> int:
    by_name = {name.casefold(): tier for tier, name in PRICING_TIERS}
    tier = by_name.get(str(item.get("name", "")).casefold())
    if tier is None:
        raise bad_request(f"Unknown pricing tier {item.get('name')!r}")
    return tier


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _ensure_default(addresses: list[JSON], flag: str) -> None:
    if addresses and not any(address.get(flag) for address in addresses):
        addresses[0][flag] = True
    for address in addresses:
        address.setdefault(flag, False)
