"""The fake merchant's fixed configuration: email lists, pricing tiers, codes, editor values."""

from __future__ import annotations

from typing import Final

from ._constants import FAKE_MERCHANT_ID
from ._types import JSON

#: (pricing_tier_oid, name)
PRICING_TIERS: Final = ((2001, "Retail"), (2002, "Wholesale"), (2003, "VIP"), (2004, "Distributor"))
QB_CLASSES: Final = ("Retail", "Wholesale", "Online")
SALES_REPS: Final = ("JD01", "MK02", "AL03")
TERMS: Final = ("Net 30", "Net 60", "Due on receipt")
#: Email lists of the fake merchant: (email_list_uuid, name, public_list)
EMAIL_LISTS: Final = (
    ("5f1f8a52-0000-4000-8000-000000000001", "Newsletter", True),
    ("5f1f8a52-0000-4000-8000-000000000002", "Product updates", True),
    ("5f1f8a52-0000-4000-8000-000000000003", "VIP early access", False),
    ("5f1f8a52-0000-4000-8000-000000000004", "Wholesale buyers", False),
)
EMAIL_LIST_UUIDS: Final = frozenset(uuid for uuid, _, _ in EMAIL_LISTS)
EMAIL_LIST_CREATED: Final = "2019-04-01T10:00:00-05:00"


def email_list(uuid: str, name: str, public: bool, member_count: int) -> JSON:
    """One EmailList of the fake merchant as get_customer_email_lists answers it."""
    return {
        "allow_csv_download": True,
        "created_dts": EMAIL_LIST_CREATED,
        "deleted": False,
        "email_list_uuid": uuid,
        "member_count": member_count,
        "merchant_id": FAKE_MERCHANT_ID,
        "name": name,
        "public_description": f"{name} from the {FAKE_MERCHANT_ID} store",
        "public_list": public,
        "storefront_oid": 1,
        "used_by": [],
    }


def editor_values() -> JSON:
    """The static CustomerEditorValues of the fake merchant."""
    return {
        "affiliates": [
            {"affiliate_oid": 4001, "email": "partner@example.com", "first_name": "Pat",
             "last_name": "Partner"},
        ],
        "card_exp_months": [f"{m:02d}" for m in range(1, 13)],
        "card_exp_years": [str(y) for y in range(2026, 2037)],
        "card_types": ["AMEX", "Discover", "MasterCard", "VISA"],
        "countries": [
            {"iso_2_code": "US", "name": "United States"},
            {"iso_2_code": "CA", "name": "Canada"},
            {"iso_2_code": "GB", "name": "United Kingdom"},
            {"iso_2_code": "AU", "name": "Australia"},
            {"iso_2_code": "DE", "name": "Germany"},
        ],
        "edi_channel_partners": [],
        "loyalty_ledger_descriptions": ["Signup bonus", "Adjustment", "Order"],
        "loyalty_program_type": "points",
        "qb_classes": list(QB_CLASSES),
        "sales_rep_codes": list(SALES_REPS),
        "state_optional_countries": [{"iso_2_code": "GB", "name": "United Kingdom"}],
        "terms": list(TERMS),
    }  # fmt: skip
