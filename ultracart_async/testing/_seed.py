"""Seeded customers: customer `i` and its ledgers, lists and wish list, built on demand.

Seeded customer `i` is a pure function of `(seed, i, customers)`: nothing is built until it is asked
for, so 100,000 customers cost no memory until they are read. Field names and types follow the
Customer API spec's schemas (`Customer`, `CustomerBilling`, `CustomerLoyalty`, ...).

Every part draws from one seeded stream in a fixed order; the part builders below are called in
that order, so reordering them (or the draws inside them) changes every seeded customer.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Final, TypeVar

from ._constants import FAKE_MERCHANT_ID
from ._dates import EASTERN, format_epoch
from ._merchant import EMAIL_LISTS, PRICING_TIERS, QB_CLASSES, SALES_REPS, TERMS
from ._seed_tables import (
    CARD_TYPES,
    COMPANIES,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    PLACES,
    PROPERTY_NAMES,
    REFERRAL_SOURCES,
    STREETS,
    TAGS,
)
from ._types import JSON

T = TypeVar("T")
Draw = Callable[[], float]

#: Seeded signups spread from SIGNUP_START to SIGNUP_END; seeded edits end before DATA_END.
SIGNUP_START: Final = datetime(2016, 1, 1, 9, 0, tzinfo=EASTERN)
SIGNUP_END: Final = datetime(2025, 6, 30, 17, 0, tzinfo=EASTERN)
DATA_END: Final = datetime(2025, 12, 31, 23, 0, tzinfo=EASTERN)
FIRST_CUSTOMER_OID: Final = 100_001
SEEDED_LEDGER_DTS: Final = "2025-06-30T17:00:00-05:00"
_DAY: Final = 86400


def _pick(draw: Draw, options: Sequence[T]) -> T:
    return options[int(draw() * len(options))]


def _between(draw: Draw, low: int, high: int) -> int:
    """An integer in [low, high]."""
    return low + int(draw() * (high - low + 1))


def _some(draw: Draw, options: Sequence[T], count: int) -> list[T]:
    """`count` distinct items of `options`, in a seeded order."""
    pool = list(options)
    return [pool.pop(int(draw() * len(pool))) for _ in range(min(count, len(pool)))]


class Seeder:
    """Builds seeded customer `index` (0-based) on demand, the same every time."""

    def __init__(self, *, seed: int, customers: int) -> None:
        self.seed = seed
        self.customers = customers
        span = (SIGNUP_END - SIGNUP_START).total_seconds()
        self._step = span / max(customers, 1)
        self._start = SIGNUP_START.timestamp()
        self._end = DATA_END.timestamp()

    def oid(self, index: int) -> int:
        return FIRST_CUSTOMER_OID + index

    def index(self, oid: int) -> int | None:
        index = oid - FIRST_CUSTOMER_OID
        return index if 0 <= index < self.customers else None

    def _rng(self, index: int, salt: int) -> random.Random:
        return random.Random((self.seed * 0x9E3779B1 + index) * 8 + salt)

    def core(self, index: int) -> JSON:
        """The fields filters and sorts look at: scalars, billing, shipping, pricing tiers, tags."""
        return self._core(index, self._rng(index, 1).random)[0]

    def _core(self, index: int, draw: Draw) -> tuple[JSON, float]:
        """The core customer and its signup time (POSIX seconds)."""
        oid = self.oid(index)
        first = _pick(draw, FIRST_NAMES)
        last = _pick(draw, LAST_NAMES)
        local = f"{first}.{last}".lower().replace("'", "").replace("ü", "u")
        email = f"{local}{index + 1}@{_pick(draw, EMAIL_DOMAINS)}"
        signup = self._start + self._step * index + draw() * self._step
        modified = signup + (self._end - signup) * draw() ** 3
        company = _pick(draw, COMPANIES) if draw() < 0.3 else ""
        tier = _pick(draw, PRICING_TIERS) if draw() < 0.4 else None
        qb_class = _pick(draw, QB_CLASSES) if draw() < 0.5 else ""
        customer: JSON = {
            "customer_profile_oid": oid,
            "email": email,
            "merchant_id": FAKE_MERCHANT_ID,
            "signup_dts": format_epoch(signup),
            "last_modified_dts": format_epoch(modified),
            "last_modified_by": _pick(draw, ("system", "admin", "api")),
            "qb_class": qb_class,
            "qb_code": f"QB{oid}" if qb_class else "",
            "quickbooks_online_customer_id": str(5000 + index) if qb_class else "",
        }
        customer["billing"] = _billing(draw, oid, first, last, company)
        customer["shipping"] = _shipping(draw, oid, first, last, company)
        customer["pricing_tiers"] = (
            [{"name": tier[1], "pricing_tier_oid": tier[0]}] if tier is not None else []
        )
        customer["tags"] = [{"tag_value": tag} for tag in _some(draw, TAGS, int(draw() * 3))]
        return customer, signup

    def customer(self, index: int) -> JSON:
        """The full seeded customer: `core()` plus every other part."""
        draw = self._rng(index, 1).random
        customer, signup = self._core(index, draw)
        oid = customer["customer_profile_oid"]
        customer.update(_settings(draw))
        customer["cards"] = _cards(draw, oid, customer["last_modified_dts"])
        customer["cc_emails"] = _cc_emails(draw, oid)
        customer["properties"] = _properties(draw, oid)
        customer["loyalty"] = _loyalty(draw, customer)
        customer["privacy"] = _privacy(draw, customer["signup_dts"])
        customer["orders_summary"] = _orders_summary(draw, signup)
        customer["quotes_summary"] = _quotes_summary(draw, customer["signup_dts"])
        customer["reviewer"] = _reviewer(draw, customer["billing"][0])
        customer["software_entitlements"] = _software_entitlements(
            draw, oid, customer["signup_dts"]
        )
        customer["tax_codes"] = dict.fromkeys(
            (
                "avalara_customer_code",
                "avalara_entity_use_code",
                "sovos_customer_code",
                "taxjar_customer_id",
                "taxjar_exemption_type",
            ),
            "",
        )
        customer["attachments"] = []
        return customer

    def store_credit_ledger(self, index: int) -> list[JSON]:
        """Seeded store credit ledger entries of customer `index` (maybe none)."""
        draw = self._rng(index, 3).random
        if draw() >= 0.2:
            return []
        oid = self.oid(index)
        amount = round(5 + draw() * 45, 2)
        return [
            {
                "action": "Added",
                "amount": amount,
                "description": "Goodwill credit",
                "entry_dts": SEEDED_LEDGER_DTS,
                "gift_certificate_ledger_oid": oid * 10 + 5,
                "gift_certificate_oid": oid * 10 + 4,
                "reference_order_id": "",
            }
        ]

    def email_lists(self, index: int) -> set[str]:
        """The email list uuids customer `index` is a member of."""
        draw = self._rng(index, 4).random
        return {uuid for uuid, _, _ in EMAIL_LISTS if draw() < 0.3}

    def wishlist(self, index: int) -> list[JSON]:
        """Seeded wish list items of customer `index`."""
        draw = self._rng(index, 5).random
        oid = self.oid(index)
        return [
            {
                "add_dts": SEEDED_LEDGER_DTS,
                "comments": "",
                "customer_profile_oid": oid,
                "customer_wishlist_item_oid": oid * 10 + position,
                "merchant_item_oid": 9000 + int(draw() * 500),
                "position": position,
                "priority": _between(draw, 1, 5),
            }
            for position in range(_pick(draw, (0, 0, 1, 2)))
        ]


def _billing(draw: Draw, oid: int, first: str, last: str, company: str) -> list[JSON]:
    billing = []
    for position in range(1 if draw() < 0.8 else 2):
        address = _address(draw, oid, position, first if position == 0 else None, last)
        address["company"] = company
        address["customer_billing_oid"] = oid * 10 + position
        address["default_billing"] = position == 0
        billing.append(address)
    return billing


def _shipping(draw: Draw, oid: int, first: str, last: str, company: str) -> list[JSON]:
    shipping = []
    for position in range(1 + (draw() < 0.35)):
        address = _address(draw, oid, position, first if position == 0 else None, last)
        address["customer_shipping_oid"] = oid * 10 + position
        address["default_shipping"] = position == 0
        shipping.append(address)
    shipping[0]["company"] = company
    return shipping


def _address(draw: Draw, oid: int, position: int, first: str | None, last: str) -> JSON:
    city, state, postal_prefix, country, area = _pick(draw, PLACES)
    first_name = first if first is not None else _pick(draw, FIRST_NAMES)
    digits = f"{int(draw() * 10**7):07d}"
    phone = f"{area}-{digits[:3]}-{digits[3:]}" if country == "US" else f"+{area} {digits}"
    postal = f"{postal_prefix}{int(draw() * 100):02d}" if country == "US" else postal_prefix
    return {
        "address1": f"{_between(draw, 1, 9999)} {_pick(draw, STREETS)}",
        "address2": f"Apt {_between(draw, 1, 40)}" if draw() < 0.2 else "",
        "city": city,
        "company": "",
        "country_code": country,
        "customer_profile_oid": oid,
        "day_phone": phone,
        "day_phone_e164": "+1" + phone.replace("-", "")
        if country == "US"
        else phone.replace(" ", ""),
        "evening_phone": f"{area}-555-{int(draw() * 10**4):04d}" if draw() < 0.15 else "",
        "first_name": first_name,
        "last_name": last,
        "postal_code": postal,
        "state_region": state,
        "tax_county": "",
        "title": "",
    }


def _settings(draw: Draw) -> JSON:
    """The customer's scalar settings (flags, notes, codes)."""
    return {
        "affiliate_oid": 0,
        "allow_3rd_party_billing": False,
        "allow_cod": draw() < 0.05,
        "allow_drop_shipping": draw() < 0.1,
        "allow_purchase_order": draw() < 0.15,
        "allow_quote_request": draw() < 0.2,
        "allow_selection_of_address_type": False,
        "auto_approve_cod": False,
        "auto_approve_purchase_order": False,
        "automatic_merchant_notes": "",
        "business_notes": "Prefers email contact." if draw() < 0.1 else "",
        "dhl_account_number": "",
        "dhl_duty_account_number": "",
        "do_not_send_mail": draw() < 0.1,
        "exempt_shipping_handling_charge": False,
        "fax": "",
        "fedex_account_number": "",
        "free_shipping": draw() < 0.05,
        "free_shipping_minimum": 0.0,
        "maximum_item_count": 0,
        "minimum_item_count": 0,
        "minimum_subtotal": 0.0,
        "no_coupons": False,
        "no_free_shipping": False,
        "no_realtime_charge": False,
        "referral_source": _pick(draw, REFERRAL_SOURCES),
        "sales_rep_code": _pick(draw, SALES_REPS) if draw() < 0.2 else "",
        "send_signup_notification": False,
        "suppress_buysafe": False,
        "tax_exempt": draw() < 0.05,
        "tax_id": "",
        "terms": _pick(draw, TERMS) if draw() < 0.1 else "",
        "track_separately": False,
        "unapproved": False,
        "ups_account_number": "",
        "website_url": "",
    }


def _cards(draw: Draw, oid: int, last_used_dts: str) -> list[JSON]:
    cards = []
    for position in range(_pick(draw, (0, 0, 1, 1, 2))):
        card_type, last4 = _pick(draw, CARD_TYPES)
        cards.append(
            {
                "card_expiration_month": _between(draw, 1, 12),
                "card_expiration_year": _between(draw, 2026, 2031),
                "card_number": f"************{last4}",
                "card_number_token": f"tok_{oid}_{position}",
                "card_type": card_type,
                "customer_profile_credit_card_id": oid * 10 + position,
                "customer_profile_oid": oid,
                "last_used_dts": last_used_dts,
            }
        )
    return cards


def _cc_emails(draw: Draw, oid: int) -> list[JSON]:
    if draw() >= 0.1:
        return []
    return [
        {
            "customer_profile_email_oid": oid * 10,
            "email": f"accounts+{oid}@example.com",
            "label": "Accounts payable",
            "receipt_notification": True,
            "refund_notification": True,
            "shipment_notification": False,
        }
    ]


def _properties(draw: Draw, oid: int) -> list[JSON]:
    names = _some(draw, PROPERTY_NAMES, int(draw() * 3))
    return [
        {
            "customer_profile_property_oid": oid * 10 + position,
            "name": name,
            "value": f"{name}-{int(draw() * 1000)}",
        }
        for position, name in enumerate(names)
    ]


def _loyalty(draw: Draw, customer: JSON) -> JSON:
    oid = customer["customer_profile_oid"]
    points = 5 * int(draw() * 1000)
    cashback = round(draw() * 40, 2) if draw() < 0.3 else 0.0
    signup_bonus: JSON = {
        "created_by": "system",
        "created_dts": customer["signup_dts"],
        "description": "Signup bonus",
        "email": customer["email"],
        "ledger_dts": customer["signup_dts"],
        "loyalty_ledger_oid": oid * 10 + 1,
        "loyalty_points": points,
        "order_id": "",
        "quantity": 1,
        "vesting_dts": customer["signup_dts"],
    }
    return {
        "current_points": points,
        "pending_points": 5 * int(draw() * 40),
        "internal_gift_certificate_balance": f"{cashback:.2f}",
        "internal_gift_certificate_oid": oid * 10 + 7,
        "ledger_entries": [signup_bonus] if points else [],
        "loyalty_tier_name": "Gold" if points > 2500 else "Silver",
        "loyalty_tier_oid": 3002 if points > 2500 else 3001,
        "redemptions": [],
    }


def _privacy(draw: Draw, signup_dts: str) -> JSON:
    return {
        "last_update_dts": signup_dts,
        "marketing": draw() < 0.6,
        "preference": True,
        "statistics": draw() < 0.7,
    }


def _orders_summary(draw: Draw, signup: float) -> JSON:
    orders = _pick(draw, (0, 1, 1, 2, 3, 5, 8, 13))
    first_order = signup + _DAY * int(draw() * 30)
    summary: JSON = {"order_count": orders, "total": round(orders * (20 + draw() * 180), 2)}
    if orders:
        summary["first_order_dts"] = format_epoch(first_order)
        summary["last_order_dts"] = format_epoch(first_order + _DAY * int(draw() * 400))
    return summary


def _quotes_summary(draw: Draw, signup_dts: str) -> JSON:
    quotes = 1 if draw() < 0.05 else 0
    summary: JSON = {"quote_count": quotes, "total": round(quotes * 250.0, 2)}
    if quotes:
        summary["first_quote_dts"] = signup_dts
        summary["last_quote_dts"] = signup_dts
    return summary


def _reviewer(draw: Draw, billing: JSON) -> JSON:
    reviews = _pick(draw, (0, 0, 0, 1, 3))
    return {
        "auto_approve": False,
        "average_overall_rating": round(3 + draw() * 2, 1) if reviews else 0.0,
        "expert": False,
        "location": billing["city"],
        "nickname": billing["first_name"],
        "number_helpful_review_votes": reviews * 2,
        "rank": 0,
        "reviews_contributed": reviews,
    }


def _software_entitlements(draw: Draw, oid: int, signup_dts: str) -> list[JSON]:
    if draw() >= 0.03:
        return []
    return [
        {
            "activation_code": f"ACT-{oid}-{int(draw() * 10**6):06d}",
            "activation_dts": signup_dts,
            "customer_software_entitlement_oid": oid * 10 + 3,
            "purchased_via_item_description": "Desktop license",
            "purchased_via_item_id": "SOFT-01",
            "purchased_via_order_id": f"{FAKE_MERCHANT_ID}-{oid}",
            "software_sku": "SKU-SOFT-01",
        }
    ]
