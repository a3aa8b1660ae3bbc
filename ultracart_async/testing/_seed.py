"""Deterministic, lazily generated customer data for FakeUltraCart.

Seeded customer `i` is a pure function of `(seed, i, customers)`: nothing is built until it is asked
for, so 100,000 customers cost no memory until they are read. Field names and types follow the
Customer API spec's schemas (`Customer`, `CustomerBilling`, `CustomerLoyalty`, ...).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Final, TypeVar

from ultracart_async._constants import CUSTOMER_EXPANSIONS

T = TypeVar("T")

JSON = dict[str, Any]

#: UltraCart reports times in US Eastern; the fake uses a fixed -05:00 offset.
EASTERN: Final = timezone(timedelta(hours=-5))
#: Seeded signups spread from SIGNUP_START to SIGNUP_END; seeded edits end before DATA_END.
SIGNUP_START: Final = datetime(2016, 1, 1, 9, 0, tzinfo=EASTERN)
SIGNUP_END: Final = datetime(2025, 6, 30, 17, 0, tzinfo=EASTERN)
DATA_END: Final = datetime(2025, 12, 31, 23, 0, tzinfo=EASTERN)
FIRST_CUSTOMER_OID: Final = 100_001

FIRST_NAMES: Final = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Carlos", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark", "Sandra",
    "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua",
    "Michelle",
    "Kenji", "Amara", "Sofia", "Mateo", "Aisha", "Lucas", "Chloe", "Omar", "Ingrid", "Priya",
)  # fmt: skip
LAST_NAMES: Final = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
    "Ramirez",
    "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen",
    "O'Brien", "Müller", "Okafor", "Tanaka", "Kowalski", "Novak", "Haddad", "Silva", "Larsen",
)  # fmt: skip
# (city, state_region, postal code prefix, country_code, phone area code)
PLACES: Final = (
    ("Austin", "TX", "787", "US", "512"), ("Houston", "TX", "770", "US", "713"),
    ("Dallas", "TX", "752", "US", "214"), ("Atlanta", "GA", "303", "US", "404"),
    ("Savannah", "GA", "314", "US", "912"), ("Miami", "FL", "331", "US", "305"),
    ("Orlando", "FL", "328", "US", "407"), ("New York", "NY", "100", "US", "212"),
    ("Buffalo", "NY", "142", "US", "716"), ("Chicago", "IL", "606", "US", "312"),
    ("Denver", "CO", "802", "US", "303"), ("Seattle", "WA", "981", "US", "206"),
    ("Portland", "OR", "972", "US", "503"), ("San Diego", "CA", "921", "US", "619"),
    ("Los Angeles", "CA", "900", "US", "213"), ("San Jose", "CA", "951", "US", "408"),
    ("Phoenix", "AZ", "850", "US", "602"), ("Boston", "MA", "021", "US", "617"),
    ("Nashville", "TN", "372", "US", "615"), ("Columbus", "OH", "432", "US", "614"),
    ("Toronto", "ON", "M5V", "CA", "416"), ("Vancouver", "BC", "V6B", "CA", "604"),
    ("London", "London", "SW1", "GB", "20"),
    ("Manchester", "Greater Manchester", "M1", "GB", "161"),
    ("Sydney", "NSW", "200", "AU", "2"), ("Berlin", "Berlin", "101", "DE", "30"),
)  # fmt: skip
STREETS: Final = (
    "Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St", "Pine Rd", "Lakeview Blvd",
    "Sunset Ave", "River Rd", "Hillcrest Dr", "Park Pl", "Washington St", "Market St",
)  # fmt: skip
COMPANIES: Final = (
    "Acme Corp", "Globex", "Initech", "Umbrella Supply", "Stark Outfitters", "Wayne Goods",
    "Hooli", "Vandelay Industries", "Soylent Foods", "Tyrell Trading", "Bluth Company",
)  # fmt: skip
EMAIL_DOMAINS: Final = ("example.com", "example.net", "example.org", "mail.test", "shop.test")
TAGS: Final = ("vip", "wholesale", "newsletter", "returning", "b2b", "holiday-2024", "referral")
#: (pricing_tier_oid, name)
PRICING_TIERS: Final = ((2001, "Retail"), (2002, "Wholesale"), (2003, "VIP"), (2004, "Distributor"))
QB_CLASSES: Final = ("Retail", "Wholesale", "Online")
SALES_REPS: Final = ("JD01", "MK02", "AL03")
TERMS: Final = ("Net 30", "Net 60", "Due on receipt")
REFERRAL_SOURCES: Final = ("Google", "Facebook", "Friend", "Trade show", "Podcast")
CARD_TYPES: Final = (
    ("VISA", "1111"),
    ("MasterCard", "4444"),
    ("AMEX", "0005"),
    ("Discover", "1117"),
)
PROPERTY_NAMES: Final = ("favorite_color", "shoe_size", "crm_id", "preferred_contact")
#: Email lists of the fake merchant: (email_list_uuid, name, public_list)
EMAIL_LISTS: Final = (
    ("5f1f8a52-0000-4000-8000-000000000001", "Newsletter", True),
    ("5f1f8a52-0000-4000-8000-000000000002", "Product updates", True),
    ("5f1f8a52-0000-4000-8000-000000000003", "VIP early access", False),
    ("5f1f8a52-0000-4000-8000-000000000004", "Wholesale buyers", False),
)
EMAIL_LIST_CREATED: Final = "2019-04-01T10:00:00-05:00"
SEEDED_LEDGER_DTS: Final = "2025-06-30T17:00:00-05:00"

#: Parts of a customer returned only when named in `_expand`.
EXPANSION_KEYS: Final = CUSTOMER_EXPANSIONS


def format_dts(moment: datetime) -> str:
    """UltraCart's timestamp format: ISO-8601 with offset, seconds precision."""
    return format_epoch(moment.timestamp())


def format_epoch(seconds: float) -> str:
    """`format_dts` of a POSIX timestamp (fast path for seeding)."""
    t = time.gmtime(int(seconds) - 5 * 3600)
    return (
        f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
        f"T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}-05:00"
    )


def _pick(draw: Callable[[], float], options: Sequence[T]) -> T:
    return options[int(draw() * len(options))]


def _between(draw: Callable[[], float], low: int, high: int) -> int:
    """An integer in [low, high]."""
    return low + int(draw() * (high - low + 1))


def _some(draw: Callable[[], float], options: Sequence[T], count: int) -> list[T]:
    """`count` distinct items of `options`, in a seeded order."""
    pool = list(options)
    return [pool.pop(int(draw() * len(pool))) for _ in range(min(count, len(pool)))]


def parse_dts(text: str) -> datetime:
    """Parse an ISO-8601 timestamp (`Z` or offset; a bare date means midnight Eastern).

    Raises ValueError for anything else.
    """
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    moment = datetime.fromisoformat(cleaned)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=EASTERN)
    return moment


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

    def _core(self, index: int, draw: Callable[[], float]) -> tuple[JSON, float]:
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
            "merchant_id": "DEMO",
            "signup_dts": format_epoch(signup),
            "last_modified_dts": format_epoch(modified),
            "last_modified_by": _pick(draw, ("system", "admin", "api")),
            "qb_class": qb_class,
            "qb_code": f"QB{oid}" if qb_class else "",
            "quickbooks_online_customer_id": str(5000 + index) if qb_class else "",
        }
        billing = []
        for position in range(1 if draw() < 0.8 else 2):
            billing.append(
                _address(draw, "billing", oid, position, first if position == 0 else None, last)
            )
            billing[-1]["company"] = company
        shipping = [
            _address(draw, "shipping", oid, position, first if position == 0 else None, last)
            for position in range(1 + (draw() < 0.35))
        ]
        shipping[0]["company"] = company
        customer["billing"] = billing
        customer["shipping"] = shipping
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
        customer.update(
            {
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
        )
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
                    "last_used_dts": customer["last_modified_dts"],
                }
            )
        customer["cards"] = cards
        customer["cc_emails"] = (
            [
                {
                    "customer_profile_email_oid": oid * 10,
                    "email": f"accounts+{oid}@example.com",
                    "label": "Accounts payable",
                    "receipt_notification": True,
                    "refund_notification": True,
                    "shipment_notification": False,
                }
            ]
            if draw() < 0.1
            else []
        )
        customer["properties"] = [
            {
                "customer_profile_property_oid": oid * 10 + position,
                "name": name,
                "value": f"{name}-{int(draw() * 1000)}",
            }
            for position, name in enumerate(_some(draw, PROPERTY_NAMES, int(draw() * 3)))
        ]
        points = 5 * int(draw() * 1000)
        cashback = round(draw() * 40, 2) if draw() < 0.3 else 0.0
        customer["loyalty"] = {
            "current_points": points,
            "pending_points": 5 * int(draw() * 40),
            "internal_gift_certificate_balance": f"{cashback:.2f}",
            "internal_gift_certificate_oid": oid * 10 + 7,
            "ledger_entries": [
                {
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
            ]
            if points
            else [],
            "loyalty_tier_name": "Gold" if points > 2500 else "Silver",
            "loyalty_tier_oid": 3002 if points > 2500 else 3001,
            "redemptions": [],
        }
        customer["privacy"] = {
            "last_update_dts": customer["signup_dts"],
            "marketing": draw() < 0.6,
            "preference": True,
            "statistics": draw() < 0.7,
        }
        orders = _pick(draw, (0, 1, 1, 2, 3, 5, 8, 13))
        first_order = signup + 86400 * int(draw() * 30)
        customer["orders_summary"] = {
            "order_count": orders,
            "total": round(orders * (20 + draw() * 180), 2),
            **(
                {
                    "first_order_dts": format_epoch(first_order),
                    "last_order_dts": format_epoch(first_order + 86400 * int(draw() * 400)),
                }
                if orders
                else {}
            ),
        }
        quotes = 1 if draw() < 0.05 else 0
        customer["quotes_summary"] = {
            "quote_count": quotes,
            "total": round(quotes * 250.0, 2),
            **(
                {
                    "first_quote_dts": customer["signup_dts"],
                    "last_quote_dts": customer["signup_dts"],
                }
                if quotes
                else {}
            ),
        }
        reviews = _pick(draw, (0, 0, 0, 1, 3))
        customer["reviewer"] = {
            "auto_approve": False,
            "average_overall_rating": round(3 + draw() * 2, 1) if reviews else 0.0,
            "expert": False,
            "location": customer["billing"][0]["city"],
            "nickname": customer["billing"][0]["first_name"],
            "number_helpful_review_votes": reviews * 2,
            "rank": 0,
            "reviews_contributed": reviews,
        }
        customer["software_entitlements"] = (
            [
                {
                    "activation_code": f"ACT-{oid}-{int(draw() * 10**6):06d}",
                    "activation_dts": customer["signup_dts"],
                    "customer_software_entitlement_oid": oid * 10 + 3,
                    "purchased_via_item_description": "Desktop license",
                    "purchased_via_item_id": "SOFT-01",
                    "purchased_via_order_id": f"DEMO-{oid}",
                    "software_sku": "SKU-SOFT-01",
                }
            ]
            if draw() < 0.03
            else []
        )
        customer["tax_codes"] = {
            "avalara_customer_code": "",
            "avalara_entity_use_code": "",
            "sovos_customer_code": "",
            "taxjar_customer_id": "",
            "taxjar_exemption_type": "",
        }
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


def _address(
    draw: Callable[[], float], kind: str, oid: int, position: int, first: str | None, last: str
) -> JSON:
    city, state, postal_prefix, country, area = _pick(draw, PLACES)
    first_name = first if first is not None else _pick(draw, FIRST_NAMES)
    digits = f"{int(draw() * 10**7):07d}"
    phone = f"{area}-{digits[:3]}-{digits[3:]}" if country == "US" else f"+{area} {digits}"
    postal = f"{postal_prefix}{int(draw() * 100):02d}" if country == "US" else postal_prefix
    address: JSON = {
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
    if kind == "billing":
        address["customer_billing_oid"] = oid * 10 + position
        address["default_billing"] = position == 0
    else:
        address["customer_shipping_oid"] = oid * 10 + position
        address["default_shipping"] = position == 0
    return address
