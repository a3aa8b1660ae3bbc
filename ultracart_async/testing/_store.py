"""FakeUltraCart's in-memory store: seeded customers (built lazily) plus every write made to them.

All methods are synchronous and raise `StoreError` for what UltraCart answers with an error
status (400 for bad input and for records that do not exist, as UltraCart does).
"""

from __future__ import annotations

import copy
import hashlib
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Final

import orjson

from ultracart_async._constants import CUSTOMER_EXPANSIONS

from ._dates import format_dts, parse_dts
from ._merchant import EMAIL_LISTS, PRICING_TIERS, email_list
from ._seed import Seeder
from ._types import JSON

EXPANSION_KEYS: Final = CUSTOMER_EXPANSIONS

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
#: get_customers query parameters / CustomerQuery fields matched against an address part.
ADDRESS_FILTERS: Final = {
    "first_name": "first_name",
    "last_name": "last_name",
    "company": "company",
    "city": "city",
    "state": "state_region",
    "postal_code": "postal_code",
    "country_code": "country_code",
    "day_phone": "day_phone",
    "evening_phone": "evening_phone",
}
DATE_FILTERS: Final = ("last_modified_dts", "signup_dts")
#: Categories of search_customer_profile_values: category -> (part, field).
LOOKUP_CATEGORIES: Final = {
    "email": (None, "email"),
    **{f"billing_{name}": ("billing", field) for name, field in ADDRESS_FILTERS.items()},
    **{f"shipping_{name}": ("shipping", field) for name, field in ADDRESS_FILTERS.items()},
}
CONSENT_SOURCES: Final = frozenset({"phone", "email", "chat", "in_person", "written", "other"})
QUERY_TARGETS: Final = frozenset({"origin", "cache"})
#: Filters that are strings in the spec; another JSON type is a 400, as a strict server answers.
_STRING_FILTERS: Final = frozenset(
    {"email", "qb_class", "quickbooks_code", "pricing_tier_name", "search_string"}
)
_EMAIL_INDEX = re.compile(r"^[^@]*?(\d+)@")


class StoreError(Exception):
    """An error UltraCart answers with `status` and an error body."""

    def __init__(self, status: int, message: str, *, error_code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_code = error_code


def bad_request(message: str, error_code: str | None = None) -> StoreError:
    return StoreError(400, message, error_code=error_code)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _sortable_fields() -> frozenset[str]:
    sample = Seeder(seed=0, customers=1).customer(0)
    fields = {key for key, value in sample.items() if not isinstance(value, list | dict)}
    fields |= set(CUSTOMER_SCALARS) - {"password"}
    for key, value in sample.items():
        if isinstance(value, dict):
            fields |= {f"{key}.{sub}" for sub, v in value.items() if not isinstance(v, list)}
    fields |= {f"billing.{name}" for name in sample["billing"][0]}
    fields |= {f"shipping.{name}" for name in sample["shipping"][0]}
    fields |= {"pricing_tiers.name", "pricing_tiers.pricing_tier_oid", "tags.tag_value"}
    fields |= {"orders_summary.first_order_dts", "orders_summary.last_order_dts"}
    fields |= {"quotes_summary.first_quote_dts", "quotes_summary.last_quote_dts"}
    return frozenset(fields)


SORTABLE_FIELDS: Final = _sortable_fields()
#: Top-level keys `Seeder.core()` fills: sorts on other fields need the full record.
CORE_KEYS: Final = frozenset(Seeder(seed=0, customers=1).core(0))


_EXPANSIONS: Final = frozenset(EXPANSION_KEYS)
_NEVER_RETURNED: Final = frozenset({"password"})
#: Upper bound of the serialized-customer cache (`Store.shaped_json`), in bytes of JSON.
SHAPED_CACHE_BYTES: Final = 128 * 1024 * 1024


def shape_customer(customer: JSON, expand: Iterable[str]) -> JSON:
    """What UltraCart returns: the limited customer plus the parts named in `_expand`.

    The result shares nested objects with `customer`: serialize it before the store changes.
    """
    hidden = _NEVER_RETURNED | (_EXPANSIONS - set(expand))
    return {key: value for key, value in customer.items() if key not in hidden}


def parse_expand(value: str | None) -> list[str]:
    """The `_expand` values (unknown ones are ignored, as UltraCart does)."""
    if not value:
        return []
    parts = [part.strip() for part in value.split(",")]
    return [part for part in parts if part in EXPANSION_KEYS]


class SortKey:
    """One parsed `_sort` term."""

    __slots__ = ("descending", "path")

    def __init__(self, path: tuple[str, ...], descending: bool) -> None:
        self.path = path
        self.descending = descending

    def value(self, customer: JSON) -> tuple[bool, Any]:
        current: Any = customer
        for part in self.path:
            if isinstance(current, list):
                current = current[0] if current else None
            if not isinstance(current, dict):
                current = None
                break
            current = current.get(part)
        if isinstance(current, list):
            current = current[0] if current else None
        if isinstance(current, str):
            return (False, current.casefold())
        return (current is None, current if current is not None else 0)


def parse_sort(value: str | None) -> list[SortKey]:
    """Parse `_sort` (`+billing.last_name,-signup_dts`); 400 "improper sort attribute" if bad.

    An unencoded `+` reaches the server as a space, which UltraCart rejects.
    """
    if value is None or value == "":
        return []
    keys = []
    for term in value.split(","):
        if not term or term != term.strip() or " " in term:
            raise bad_request(f"improper sort attribute: {term!r}", "improper_sort_attribute")
        descending = term.startswith("-")
        field = term[1:] if term[0] in "+-" else term
        if field not in SORTABLE_FIELDS:
            raise bad_request(f"improper sort attribute: {term!r}", "improper_sort_attribute")
        keys.append(SortKey(tuple(field.split(".")), descending))
    return keys


def _ci(value: Any) -> str:
    return str(value).casefold()


def _digits(value: Any) -> str:
    return "".join(ch for ch in str(value) if ch.isdigit())


Predicate = Callable[[JSON], bool]


def _equals(field: str, raw: Any) -> Predicate:
    want = _ci(raw)

    def check(customer: JSON) -> bool:
        return _ci(customer.get(field, "")) == want

    return check


def _one_of(field: str, wanted: set[str]) -> Predicate:
    def check(customer: JSON) -> bool:
        return _ci(customer.get(field, "")) in wanted

    return check


def _date_bound(field: str, moment: datetime, *, start: bool) -> Predicate:
    def check(customer: JSON) -> bool:
        value = _dts_of(customer, field)
        return value >= moment if start else value <= moment

    return check


def _address_equals(part: str, field: str, raw: str) -> Predicate:
    normalize = _digits if field.endswith("phone") else _ci
    want = normalize(raw)

    def check(customer: JSON) -> bool:
        return any(normalize(a.get(field, "")) == want for a in customer.get(part) or ())

    return check


def _tier_matches(field: str, want: Any) -> Predicate:
    def check(customer: JSON) -> bool:
        tiers = customer.get("pricing_tiers") or ()
        if field == "name":
            return any(_ci(t.get("name", "")) == want for t in tiers)
        return any(t.get("pricing_tier_oid") == want for t in tiers)

    return check


def _tags_match(tags: set[str], *, every: bool) -> Predicate:
    def check(customer: JSON) -> bool:
        have = _tags_of(customer)
        return tags <= have if every else bool(tags & have)

    return check


def _text_search(needle: str) -> Predicate:
    def check(customer: JSON) -> bool:
        return needle in _search_text(customer)

    return check


class Filters:
    """Parsed filters of get_customers / get_customers_by_query / search_customers."""

    def __init__(self) -> None:
        self.predicates: list[Predicate] = []

    def __bool__(self) -> bool:
        return bool(self.predicates)

    def matches(self, customer: JSON) -> bool:
        return all(predicate(customer) for predicate in self.predicates)

    @classmethod
    def from_params(cls, params: Mapping[str, Any], *, search: bool = False) -> Filters:
        """Build from query parameters or a CustomerQuery body (unknown keys are ignored)."""
        filters = cls()
        add = filters.predicates.append
        for name, raw in params.items():
            if raw is None or raw == "" or name.startswith("_"):
                continue
            if name in _STRING_FILTERS and not isinstance(raw, str):
                raise bad_request(f"{name} must be a string")
            if name in ("email", "qb_class"):
                add(_equals(name, raw))
            elif name == "quickbooks_code":
                add(_equals("qb_code", raw))
            elif name == "emails":
                if not isinstance(raw, list) or not all(isinstance(e, str) for e in raw):
                    raise bad_request("emails must be an array of strings")
                if raw:
                    add(_one_of("email", {_ci(e) for e in raw}))
            elif name.endswith(("_dts_start", "_dts_end")):
                field, _, bound = name.rpartition("_")
                if field in DATE_FILTERS:
                    moment = _parse_date_param(name, raw)
                    add(_date_bound(field, moment, start=bound == "start"))
            elif name.startswith(("billing_", "shipping_")):
                part, _, key = name.partition("_")
                address_field = ADDRESS_FILTERS.get(key)
                if address_field is None:
                    continue
                if not isinstance(raw, str):
                    raise bad_request(f"{name} must be a string")
                add(_address_equals(part, address_field, raw))
            elif name == "pricing_tier_oid":
                add(_tier_matches("oid", _parse_int(name, raw)))
            elif name == "pricing_tier_name":
                add(_tier_matches("name", _ci(raw)))
            elif name in ("all_tags", "any_tags"):
                if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
                    raise bad_request(f"{name} must be an array of strings")
                if raw:
                    add(_tags_match({_ci(t) for t in raw}, every=name == "all_tags"))
            elif name == "query_target":
                if raw not in QUERY_TARGETS:
                    raise bad_request("query_target must be 'origin' or 'cache'")
            elif name == "search_string" and search:
                add(_text_search(_ci(raw)))
        return filters


def _parse_int(name: str, raw: Any) -> int:
    if isinstance(raw, bool):
        raise bad_request(f"{name} must be an integer")
    if isinstance(raw, int):
        return raw
    try:
        return int(str(raw))
    except ValueError:
        raise bad_request(f"{name} must be an integer") from None


def _parse_date_param(name: str, raw: Any) -> datetime:
    if not isinstance(raw, str):
        raise bad_request(f"{name} must be an ISO-8601 date string")
    try:
        return parse_dts(raw)
    except ValueError:
        raise bad_request(
            f"Invalid date for {name}: {raw!r} (expected ISO-8601, e.g. 2024-01-31T00:00:00-05:00)"
        ) from None


def _dts_of(customer: JSON, field: str) -> datetime:
    value = customer.get(field)
    return parse_dts(value) if value else datetime.min.replace(tzinfo=timezone.utc)


def _tags_of(customer: JSON) -> set[str]:
    return {_ci(tag.get("tag_value", "")) for tag in customer.get("tags") or ()}


def _search_text(customer: JSON) -> str:
    parts = [customer.get("email", "")]
    for address in customer.get("billing") or ():
        parts += [
            address.get("first_name", ""),
            address.get("last_name", ""),
            address.get("company", ""),
            address.get("city", ""),
            address.get("day_phone", ""),
        ]
    return " ".join(str(p) for p in parts).casefold()


class Store:
    """Seeded customers (generated on demand) plus overrides, deletions and insertions."""

    def __init__(self, seeder: Seeder) -> None:
        self.seeder = seeder
        self.lock = threading.RLock()
        self._overrides: dict[int, JSON] = {}
        self._deleted: set[int] = set()
        self._inserted: list[int] = []
        self._next_oid = seeder.oid(seeder.customers)
        self._live_cache: list[int] | None = None
        self._email_owner: dict[str, int] = {}
        self._store_credit: dict[int, list[JSON]] = {}
        self._email_lists: dict[int, set[str]] = {}
        self._list_counts: dict[str, int] | None = None
        self._wishlists: dict[int, list[JSON]] = {}
        self._suppression: dict[int, JSON] = {}
        self._verify_tokens: dict[str, str] = {}
        self._serial = 0
        #: (oid, expand) -> `orjson.dumps(shape_customer(...))` of an unmodified seeded customer.
        self._shaped: dict[tuple[int, frozenset[str]], bytes] = {}
        self._shaped_bytes = 0

    # --- reading -------------------------------------------------------------------------

    def exists(self, oid: int) -> bool:
        if oid in self._deleted:
            return False
        return oid in self._overrides or self.seeder.index(oid) is not None

    def live_oids(self) -> list[int]:
        """Every existing customer oid, ascending."""
        if self._live_cache is None:
            seeded = range(self.seeder.oid(0), self.seeder.oid(self.seeder.customers))
            if self._deleted:
                live = [oid for oid in seeded if oid not in self._deleted]
            else:
                live = list(seeded)
            live += [oid for oid in self._inserted if oid not in self._deleted]
            self._live_cache = live
        return self._live_cache

    def view(self, oid: int, *, full: bool = False) -> JSON:
        """The customer record to filter/sort on (do not mutate): core fields unless `full`."""
        record = self._overrides.get(oid)
        if record is not None:
            return record
        index = self.seeder.index(oid)
        assert index is not None
        return self.seeder.customer(index) if full else self.seeder.core(index)

    def get(self, oid: int) -> JSON:
        """The full customer (do not mutate); 400 when it does not exist."""
        if not self.exists(oid):
            raise bad_request(f"Customer profile {oid} does not exist.", "not_found")
        return self.view(oid, full=True)

    def shaped_json(self, oid: int, expand: frozenset[str]) -> orjson.Fragment:
        """`shape_customer(self.get(oid), expand)` serialized (400 when it does not exist).

        Seeded customers never change until their first write, which gives them an override
        record; so the JSON of a customer without an override is cached (up to
        `SHAPED_CACHE_BYTES`, oldest dropped first) and overridden ones are serialized afresh.
        """
        if oid in self._overrides or oid in self._deleted:
            return orjson.Fragment(orjson.dumps(shape_customer(self.get(oid), expand)))
        key = (oid, expand)
        body = self._shaped.get(key)
        if body is None:
            body = orjson.dumps(shape_customer(self.get(oid), expand))
            while self._shaped and self._shaped_bytes + len(body) > SHAPED_CACHE_BYTES:
                oldest = next(iter(self._shaped))
                self._shaped_bytes -= len(self._shaped.pop(oldest))
            self._shaped[key] = body
            self._shaped_bytes += len(body)
        return orjson.Fragment(body)

    def find_by_email(self, email: str) -> int | None:
        wanted = email.strip().casefold()
        owner = self._email_owner.get(wanted)
        if owner is not None and self.exists(owner):
            return owner
        match = _EMAIL_INDEX.match(wanted)
        if match:
            index = int(match.group(1)) - 1
            oid = self.seeder.oid(index)
            if 0 <= index < self.seeder.customers and oid not in self._deleted:
                record = self._overrides.get(oid) or self.seeder.core(index)
                if record["email"].casefold() == wanted:
                    return oid
        return None

    def query(
        self,
        filters: Filters,
        *,
        since: datetime | None,
        sort: list[SortKey],
    ) -> list[int]:
        """Oids of matching customers in answer order (default: by customer_profile_oid)."""
        live = self.live_oids()
        if not filters and since is None and not sort:
            return live
        need_full = any(key.path[0] not in CORE_KEYS for key in sort)
        matched: list[tuple[tuple[tuple[bool, Any], ...], int]] = []
        for oid in live:
            record = self.view(oid, full=need_full)
            if since is not None and _dts_of(record, "last_modified_dts") < since:
                continue
            if filters and not filters.matches(record):
                continue
            matched.append((tuple(key.value(record) for key in sort), oid))
        for position in range(len(sort) - 1, -1, -1):
            matched.sort(key=_nth_key(position), reverse=sort[position].descending)
        return [oid for _, oid in matched]

    def iter_views(self) -> Iterator[JSON]:
        for oid in self.live_oids():
            yield self.view(oid)

    # --- customer writes -----------------------------------------------------------------

    def _mutable(self, oid: int) -> JSON:
        record = self._overrides.get(oid)
        if record is None:
            record = self.get(oid)
            self._overrides[oid] = record
        return record

    def _sub_oid(self) -> int:
        self._serial += 1
        return 900_000_000 + self._serial

    def _invalidate(self) -> None:
        self._live_cache = None

    def insert_customer(self, body: JSON) -> int:
        email = body.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise bad_request("A valid email address is required.", "email_required")
        if self.find_by_email(email) is not None:
            raise bad_request(f"Email address {email} is already in use.", "duplicate_email")
        oid = self._next_oid
        self._next_oid += 1
        now = format_dts(_now())
        record: JSON = {
            "customer_profile_oid": oid,
            "email": email,
            "merchant_id": "DEMO",
            "signup_dts": now,
            "last_modified_dts": now,
            "last_modified_by": "api",
            "qb_class": "",
            "qb_code": "",
            **{key: False for key, kind in CUSTOMER_SCALARS.items() if kind is bool},
            "billing": [],
            "shipping": [],
            "cards": [],
            "cc_emails": [],
            "properties": [],
            "pricing_tiers": [],
            "tags": [],
            "software_entitlements": [],
            "attachments": [],
            "loyalty": {
                "current_points": 0,
                "pending_points": 0,
                "internal_gift_certificate_balance": "0.00",
                "internal_gift_certificate_oid": self._sub_oid(),
                "ledger_entries": [],
                "redemptions": [],
            },
            "orders_summary": {"order_count": 0, "total": 0.0},
            "quotes_summary": {"quote_count": 0, "total": 0.0},
            "privacy": {"last_update_dts": now, "marketing": False, "preference": False,
                        "statistics": False},
        }  # fmt: skip
        self._apply(record, body, expand=EDITABLE_EXPANSIONS, created=True)
        record["customer_profile_oid"] = oid
        self._overrides[oid] = record
        self._inserted.append(oid)
        self._email_owner[record["email"].casefold()] = oid
        self._store_credit[oid] = []
        self._email_lists[oid] = set()
        self._wishlists[oid] = []
        self._invalidate()
        return oid

    def update_customer(self, oid: int, body: JSON, expand: list[str]) -> None:
        self.get(oid)
        record = copy.deepcopy(self.get(oid))
        old_email = record["email"]
        self._apply(record, body, expand=set(expand) & EDITABLE_EXPANSIONS, created=False)
        if record["email"].casefold() != old_email.casefold():
            owner = self.find_by_email(record["email"])
            if owner is not None and owner != oid:
                raise bad_request(
                    f"Email address {record['email']} is already in use.", "duplicate_email"
                )
            self._email_owner.pop(old_email.casefold(), None)
            self._email_owner[record["email"].casefold()] = oid
        record["last_modified_dts"] = format_dts(_now())
        self._overrides[oid] = record

    def _apply(self, record: JSON, body: JSON, *, expand: Iterable[str], created: bool) -> None:
        """Copy the scalars and the parts named in `expand` from `body` into `record`."""
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
        if not isinstance(record.get("email"), str) or "@" not in record["email"]:
            raise bad_request("A valid email address is required.", "email_required")
        oid = record["customer_profile_oid"]
        for part in expand:
            if part not in body or body[part] is None:
                continue
            value = body[part]
            if part in SUB_OIDS or part in ("tags", "pricing_tiers"):
                if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                    raise bad_request(f"customer.{part} must be an array of objects")
                record[part] = [self._sub_record(part, oid, dict(item)) for item in value]
            else:
                if not isinstance(value, dict):
                    raise bad_request(f"customer.{part} must be an object")
                record[part] = {**record.get(part, {}), **value}
        if created or "billing" in expand:
            _ensure_default(record.get("billing", []), "default_billing")
        if created or "shipping" in expand:
            _ensure_default(record.get("shipping", []), "default_shipping")

    def _sub_record(self, part: str, oid: int, item: JSON) -> JSON:
        limits = (
            MAX_LENGTHS["address"] if part in ("billing", "shipping") else MAX_LENGTHS.get(part, {})
        )
        for key, limit in limits.items():
            value = item.get(key)
            if value is not None and (not isinstance(value, str) or len(value) > limit):
                raise bad_request(f"customer.{part}[].{key} must be a string of at most {limit}")
        item = {key: value for key, value in item.items() if value is not None}
        id_field = SUB_OIDS.get(part)
        if id_field is not None:
            if not isinstance(item.get(id_field), int) or isinstance(item.get(id_field), bool):
                item[id_field] = self._sub_oid()
            if part in ("billing", "shipping", "cards"):
                item["customer_profile_oid"] = oid
        if part == "cards":
            number = item.pop("card_number", "")
            digits = _digits(number)
            item["card_number"] = f"************{digits[-4:]}" if digits else ""
            item.pop("card_verification_number_token", None)
        if part == "pricing_tiers" and "pricing_tier_oid" not in item:
            by_name = {name.casefold(): tier for tier, name in PRICING_TIERS}
            tier = by_name.get(str(item.get("name", "")).casefold())
            if tier is None:
                raise bad_request(f"Unknown pricing tier {item.get('name')!r}")
            item["pricing_tier_oid"] = tier
        return item

    def delete_customer(self, oid: int) -> None:
        record = self.get(oid)
        self._email_owner.pop(record["email"].casefold(), None)
        self._overrides.pop(oid, None)
        self._deleted.add(oid)
        if self._list_counts is not None:
            for uuid in self._lists_of(oid):
                self._list_counts[uuid] -= 1
        for aux in (self._store_credit, self._email_lists, self._wishlists, self._suppression):
            aux.pop(oid, None)
        self._invalidate()

    def merge_customer(self, oid: int, body: JSON) -> None:
        """Fold the profile named by `body` into `oid`, then delete it (UltraCart's merge)."""
        self.get(oid)
        source_oid = body.get("customer_profile_oid")
        email = body.get("email")
        if isinstance(source_oid, int) and not isinstance(source_oid, bool) and source_oid:
            if not self.exists(source_oid):
                raise bad_request(f"Customer profile {source_oid} does not exist.", "not_found")
        elif isinstance(email, str) and email:
            found = self.find_by_email(email)
            if found is None:
                raise bad_request(f"No customer profile with email {email}.", "not_found")
            source_oid = found
        else:
            raise bad_request("customer_profile_oid or email of the profile to merge is required.")
        if source_oid == oid:
            raise bad_request("A customer profile cannot be merged into itself.")
        source = self.get(source_oid)
        target = copy.deepcopy(self.get(oid))
        for part in ("billing", "shipping", "cards", "cc_emails", "software_entitlements"):
            for item in copy.deepcopy(source.get(part) or []):
                if "customer_profile_oid" in item:
                    item["customer_profile_oid"] = oid
                item["default_billing" if part == "billing" else "default_shipping"] = False
                if part not in ("billing", "shipping"):
                    item.pop("default_billing", None)
                    item.pop("default_shipping", None)
                target.setdefault(part, []).append(item)
        names = {prop.get("name") for prop in target.get("properties") or []}
        for prop in source.get("properties") or []:
            if prop.get("name") not in names:
                target.setdefault("properties", []).append(copy.deepcopy(prop))
        tags = {tag.get("tag_value") for tag in target.get("tags") or []}
        for tag in source.get("tags") or []:
            if tag.get("tag_value") not in tags:
                target.setdefault("tags", []).append(dict(tag))
        tiers = {tier.get("pricing_tier_oid") for tier in target.get("pricing_tiers") or []}
        for tier in source.get("pricing_tiers") or []:
            if tier.get("pricing_tier_oid") not in tiers:
                target.setdefault("pricing_tiers", []).append(dict(tier))
        loyalty, other = target.get("loyalty") or {}, source.get("loyalty") or {}
        loyalty["current_points"] = loyalty.get("current_points", 0) + other.get(
            "current_points", 0
        )
        loyalty["pending_points"] = loyalty.get("pending_points", 0) + other.get(
            "pending_points", 0
        )
        balance = float(loyalty.get("internal_gift_certificate_balance", "0")) + float(
            other.get("internal_gift_certificate_balance", "0")
        )
        loyalty["internal_gift_certificate_balance"] = f"{balance:.2f}"
        target["loyalty"] = loyalty
        target["last_modified_dts"] = format_dts(_now())
        credit = self.store_credit_ledger(oid) + self.store_credit_ledger(source_oid)
        wishlist = self.wishlist(oid) + [
            {**item, "customer_profile_oid": oid} for item in self.wishlist(source_oid)
        ]
        lists = self._lists_of(oid) | self._lists_of(source_oid)
        self.delete_customer(source_oid)
        self._overrides[oid] = target
        self._store_credit[oid] = credit
        self._wishlists[oid] = wishlist
        self._set_lists(oid, lists)

    # --- store credit, cashback, loyalty -------------------------------------------------

    def store_credit_ledger(self, oid: int) -> list[JSON]:
        self.get(oid)
        if oid not in self._store_credit:
            index = self.seeder.index(oid)
            self._store_credit[oid] = (
                self.seeder.store_credit_ledger(index) if index is not None else []
            )
        return self._store_credit[oid]

    def store_credit(self, oid: int) -> JSON:
        now = _now()
        soon = now + timedelta(days=30)
        past: list[JSON] = []
        future: list[JSON] = []
        expiring = 0.0
        for entry in self.store_credit_ledger(oid):
            public = {key: value for key, value in entry.items() if not key.startswith("_")}
            (future if parse_dts(entry["entry_dts"]) > now else past).append(public)
            expires = entry.get("_expiration_dts")
            if expires and now <= parse_dts(expires) <= soon:
                expiring += entry["amount"]
        available = round(sum(entry["amount"] for entry in past), 2)
        vesting = round(sum(entry["amount"] for entry in future), 2)
        return {
            "available": available,
            "expiring": round(expiring, 2),
            "future_ledgers": future,
            "past_ledgers": past,
            "total": round(available + vesting, 2),
            "vesting": vesting,
        }

    def add_store_credit(self, oid: int, body: JSON) -> None:
        amount = body.get("amount")
        if not isinstance(amount, int | float) or isinstance(amount, bool) or amount <= 0:
            raise bad_request("amount must be a positive number")
        description = body.get("description") or "Store credit"
        if not isinstance(description, str) or len(description) > 50:
            raise bad_request("description must be a string of at most 50 characters")
        vesting = _optional_days(body, "vesting_days")
        expiration = _optional_days(body, "expiration_days")
        ledger = self.store_credit_ledger(oid)
        now = _now()
        entry: JSON = {
            "action": "Added",
            "amount": round(float(amount), 2),
            "description": description,
            "entry_dts": format_dts(now + timedelta(days=vesting)),
            "gift_certificate_ledger_oid": self._sub_oid(),
            "gift_certificate_oid": oid * 10 + 4,
            "reference_order_id": "",
        }
        if expiration:
            entry["_expiration_dts"] = format_dts(now + timedelta(days=vesting + expiration))
        ledger.append(entry)

    def adjust_cashback(self, oid: int, body: JSON) -> JSON:
        amount = body.get("adjustment_amount")
        if not isinstance(amount, int | float) or isinstance(amount, bool) or amount == 0:
            raise bad_request("adjustment_amount must be a non-zero number")
        for key in ("description", "order_id", "entry_dts"):
            if body.get(key) is not None and not isinstance(body[key], str):
                raise bad_request(f"{key} must be a string")
        _optional_days(body, "vesting_days")
        _optional_days(body, "expiration_days")
        record = self._mutable(oid)
        loyalty = record.setdefault("loyalty", {})
        balance = round(float(loyalty.get("internal_gift_certificate_balance", "0")) + amount, 2)
        if balance < 0:
            raise bad_request("The adjustment would make the cashback balance negative.")
        loyalty["internal_gift_certificate_balance"] = f"{balance:.2f}"
        record["last_modified_dts"] = format_dts(_now())
        return {"adjustment_amount": float(amount), "balance_amount": balance}

    def adjust_loyalty(self, oid: int, body: JSON) -> JSON:
        points = body.get("loyalty_points")
        if not isinstance(points, int) or isinstance(points, bool) or points == 0:
            raise bad_request("loyalty_points must be a non-zero integer")
        vesting = _optional_days(body, "vesting_days")
        for key in ("description", "order_id"):
            if body.get(key) is not None and not isinstance(body[key], str):
                raise bad_request(f"{key} must be a string")
        record = self._mutable(oid)
        loyalty = record.setdefault("loyalty", {})
        current = loyalty.get("current_points", 0)
        pending = loyalty.get("pending_points", 0)
        if vesting and points > 0:
            pending += points
        else:
            current += points
        if current < 0:
            raise bad_request("The adjustment would make the loyalty points negative.")
        loyalty["current_points"] = current
        loyalty["pending_points"] = pending
        now = _now()
        loyalty.setdefault("ledger_entries", []).append(
            {
                "created_by": "api",
                "created_dts": format_dts(now),
                "description": body.get("description") or "Adjustment",
                "email": record["email"],
                "ledger_dts": format_dts(now),
                "loyalty_ledger_oid": self._sub_oid(),
                "loyalty_points": points,
                "order_id": body.get("order_id") or "",
                "quantity": 1,
                "vesting_dts": format_dts(now + timedelta(days=vesting)),
            }
        )
        record["last_modified_dts"] = format_dts(now)
        return {"current_points": current, "loyalty_points": points, "pending_points": pending}

    # --- email lists and suppression -----------------------------------------------------

    def _lists_of(self, oid: int) -> set[str]:
        if oid not in self._email_lists:
            index = self.seeder.index(oid)
            self._email_lists[oid] = self.seeder.email_lists(index) if index is not None else set()
        return self._email_lists[oid]

    def _set_lists(self, oid: int, lists: set[str]) -> None:
        old = self._lists_of(oid)
        if self._list_counts is not None:
            for uuid in old - lists:
                self._list_counts[uuid] -= 1
            for uuid in lists - old:
                self._list_counts[uuid] += 1
        self._email_lists[oid] = set(lists)

    def email_lists(self) -> list[JSON]:
        if self._list_counts is None:
            counts = dict.fromkeys((uuid for uuid, _, _ in EMAIL_LISTS), 0)
            for oid in self.live_oids():
                for uuid in self._lists_of_peek(oid):
                    counts[uuid] += 1
            self._list_counts = counts
        return [
            email_list(uuid, name, public, self._list_counts[uuid])
            for uuid, name, public in EMAIL_LISTS
        ]

    def _lists_of_peek(self, oid: int) -> set[str]:
        known = self._email_lists.get(oid)
        if known is not None:
            return known
        index = self.seeder.index(oid)
        return self.seeder.email_lists(index) if index is not None else set()

    def update_email_lists(self, oid: int, body: JSON) -> JSON:
        self.get(oid)
        known = {uuid for uuid, _, _ in EMAIL_LISTS}
        changes: dict[str, list[str]] = {}
        for key in ("add_to_lists", "remove_from_lists"):
            value = body.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise bad_request(f"{key} must be an array of email list uuids")
            unknown = [v for v in value if v not in known]
            if unknown:
                raise bad_request(f"Unknown email list uuid(s): {', '.join(unknown)}")
            changes[key] = value
        self.email_lists()  # make sure the counts exist before they change
        lists = set(self._lists_of(oid))
        lists |= set(changes["add_to_lists"])
        lists -= set(changes["remove_from_lists"])
        self._set_lists(oid, lists)
        return changes

    def update_suppression(self, oid: int, body: JSON) -> JSON:
        record = self.get(oid)
        consent = body.get("consent_source")
        if consent is not None and consent not in CONSENT_SOURCES:
            raise bad_request(f"consent_source must be one of {sorted(CONSENT_SOURCES)}")
        flags = {}
        for key in ("clear_bounce", "clear_global_unsubscribe", "clear_spam_complaint"):
            value = body.get(key)
            if value is not None and not isinstance(value, bool):
                raise bad_request(f"{key} must be a boolean")
            flags[key] = bool(value)
        if flags["clear_global_unsubscribe"] and consent is None:
            raise bad_request("consent_source is required to clear a global unsubscribe")
        state = self._suppression.setdefault(
            oid,
            {
                "global_unsubscribed": bool(record.get("do_not_send_mail")),
                "spam_complaint": False,
                "bounced": False,
            },
        )
        result: JSON = {
            "bounce_cleared": flags["clear_bounce"] and state["bounced"],
            "customer_profile_oid": oid,
            "email": record["email"],
            "esp_suppression_removed": False,
            "global_unsubscribe_cleared": flags["clear_global_unsubscribe"]
            and state["global_unsubscribed"],
            "spam_complaint_cleared": flags["clear_spam_complaint"] and state["spam_complaint"],
        }
        if result["global_unsubscribe_cleared"]:
            state["global_unsubscribed"] = False
            result["esp_suppression_removed"] = True
        if result["spam_complaint_cleared"]:
            state["spam_complaint"] = False
        if result["bounce_cleared"]:
            state["bounced"] = False
        result["global_unsubscribed"] = state["global_unsubscribed"]
        result["spam_complaint"] = state["spam_complaint"]
        result["suppression_surfaces"] = {
            "central_ses_suppression": "not_suppressed",
            "esp_customer_flags": "unsubscribed" if state["global_unsubscribed"] else "none",
            "ses_account_suppression": "not_suppressed",
        }
        return result

    # --- tokens and links ----------------------------------------------------------------

    def _token(self, *parts: object) -> str:
        self._serial += 1
        text = "|".join(str(p) for p in (self.seeder.seed, self._serial, *parts))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def email_verification_token(self, body: JSON) -> str:
        email = body.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise bad_request("A valid email address is required.", "email_required")
        password = body.get("password")
        if password is not None and not isinstance(password, str):
            raise bad_request("password must be a string")
        token = self._token("verify", email)
        self._verify_tokens[token] = email
        return token

    def validate_email_verification_token(self, body: JSON) -> None:
        token = body.get("token")
        if not isinstance(token, str) or self._verify_tokens.pop(token, None) is None:
            raise bad_request(
                "The email verification token is invalid or expired.", "invalid_token"
            )

    def magic_link(self, oid: int, storefront_host_name: str) -> str:
        self.get(oid)
        host = storefront_host_name.strip()
        if not host or "/" in host or " " in host:
            raise bad_request("storefront_host_name must be a host name")
        return f"https://{host}/catalog/magic-login?token={self._token('magic', oid, host)}"

    # --- wish list -----------------------------------------------------------------------

    def wishlist(self, oid: int) -> list[JSON]:
        self.get(oid)
        if oid not in self._wishlists:
            index = self.seeder.index(oid)
            self._wishlists[oid] = self.seeder.wishlist(index) if index is not None else []
        return self._wishlists[oid]

    def wishlist_item(self, oid: int, item_oid: int) -> JSON:
        for item in self.wishlist(oid):
            if item["customer_wishlist_item_oid"] == item_oid:
                return item
        raise bad_request(f"Wish list item {item_oid} does not exist.", "not_found")

    def _check_wishlist_body(self, body: JSON) -> JSON:
        item: JSON = {}
        for key in ("merchant_item_oid", "position", "priority"):
            value = body.get(key)
            if value is not None:
                if not isinstance(value, int) or isinstance(value, bool):
                    raise bad_request(f"{key} must be an integer")
                item[key] = value
        comments = body.get("comments")
        if comments is not None:
            if not isinstance(comments, str) or len(comments) > 1024:
                raise bad_request("comments must be a string of at most 1024 characters")
            item["comments"] = comments
        return item

    def insert_wishlist_item(self, oid: int, body: JSON) -> JSON:
        fields = self._check_wishlist_body(body)
        if "merchant_item_oid" not in fields:
            raise bad_request("merchant_item_oid is required")
        items = self.wishlist(oid)
        item: JSON = {
            "add_dts": format_dts(_now()),
            "comments": "",
            "customer_profile_oid": oid,
            "customer_wishlist_item_oid": self._sub_oid(),
            "position": len(items),
            "priority": 3,
            **fields,
        }
        items.append(item)
        return item

    def update_wishlist_item(self, oid: int, item_oid: int, body: JSON) -> JSON:
        fields = self._check_wishlist_body(body)
        item = self.wishlist_item(oid, item_oid)
        item.update(fields)
        return item

    def delete_wishlist_item(self, oid: int, item_oid: int) -> None:
        item = self.wishlist_item(oid, item_oid)
        self._wishlists[oid].remove(item)

    # --- lookups -------------------------------------------------------------------------

    def quickbooks_customers(self, q: str | None) -> list[JSON]:
        needle = (q or "").casefold()
        found = []
        for customer in self.iter_views():
            qb_id = customer.get("quickbooks_online_customer_id") or ""
            if not qb_id:
                continue
            billing = (customer.get("billing") or [{}])[0]
            name = f"{billing.get('first_name', '')} {billing.get('last_name', '')}".strip()
            if needle and needle not in name.casefold() and needle not in customer["email"]:
                continue
            found.append({"customer_id": qb_id, "display_name": name, "email": customer["email"]})
            if len(found) >= 100:
                break
        return found

    def lookup(self, body: JSON) -> list[JSON]:
        category = body.get("category")
        if category not in LOOKUP_CATEGORIES:
            raise bad_request(
                f"Unknown category {category!r}; known: {', '.join(sorted(LOOKUP_CATEGORIES))}"
            )
        matches = body.get("matches") or ""
        if not isinstance(matches, str):
            raise bad_request("matches must be a string")
        max_hits = body.get("max_hits") or 25
        if not isinstance(max_hits, int) or isinstance(max_hits, bool) or max_hits < 1:
            raise bad_request("max_hits must be a positive integer")
        max_hits = min(max_hits, 100)
        part, field = LOOKUP_CATEGORIES[str(category)]
        prefix = matches.casefold()
        values: dict[str, None] = {}
        for customer in self.iter_views():
            sources = [customer] if part is None else customer.get(part) or []
            for source in sources:
                value = source.get(field)
                if isinstance(value, str) and value and value.casefold().startswith(prefix):
                    values.setdefault(value)
            if len(values) >= max_hits:
                break
        return [{"key": value, "value": value} for value in sorted(values)[:max_hits]]


def _nth_key(
    position: int,
) -> Callable[[tuple[tuple[tuple[bool, Any], ...], int]], tuple[bool, Any]]:
    def key(item: tuple[tuple[tuple[bool, Any], ...], int]) -> tuple[bool, Any]:
        return item[0][position]

    return key


def _optional_days(body: JSON, key: str) -> int:
    value = body.get(key)
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise bad_request(f"{key} must be a non-negative integer")
    return value


def _ensure_default(addresses: list[JSON], flag: str) -> None:
    if addresses and not any(address.get(flag) for address in addresses):
        addresses[0][flag] = True
    for address in addresses:
        address.setdefault(flag, False)
