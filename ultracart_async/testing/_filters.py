"""Filters of get_customers, get_customers_by_query and search_customers, as predicates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Final

from ._dates import parse_dts
from ._errors import bad_request
from ._types import JSON

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
QUERY_TARGETS: Final = frozenset({"origin", "cache"})
#: Filters that are strings in the spec; another JSON type is a 400, as a strict server answers.
_STRING_FILTERS: Final = frozenset(
    {"email", "qb_class", "quickbooks_code", "pricing_tier_name", "search_string"}
)
_EPOCH: Final = datetime.min.replace(tzinfo=UTC)

Predicate = Callable[[JSON], bool]


def _ci(value: Any) -> str:
    return str(value).casefold()


def _digits(value: Any) -> str:
    return "".join(ch for ch in str(value) if ch.isdigit())


def dts_of(customer: JSON, field: str) -> datetime:
    """The customer's timestamp `field` (the earliest moment when it has none)."""
    value = customer.get(field)
    return parse_dts(value) if value else _EPOCH


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
        value = dts_of(customer, field)
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
        have = {_ci(tag.get("tag_value", "")) for tag in customer.get("tags") or ()}
        return tags <= have if every else bool(tags & have)

    return check


def _text_search(needle: str) -> Predicate:
    def check(customer: JSON) -> bool:
        return needle in _search_text(customer)

    return check


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
        for name, raw in params.items():
            if raw is None or raw == "" or name.startswith("_"):
                continue
            if name in _STRING_FILTERS and not isinstance(raw, str):
                raise bad_request(f"{name} must be a string")
            predicate = _predicate(name, raw, search=search)
            if predicate is not None:
                filters.predicates.append(predicate)
        return filters


def _predicate(name: str, raw: Any, *, search: bool) -> Predicate | None:
    """The predicate of one filter; None when it filters nothing (or is not a filter)."""
    if name in ("email", "qb_class"):
        return _equals(name, raw)
    if name == "quickbooks_code":
        return _equals("qb_code", raw)
    if name == "emails":
        emails = _strings(name, raw, "emails must be an array of strings")
        return _one_of("email", {_ci(e) for e in emails}) if emails else None
    if name.endswith(("_dts_start", "_dts_end")):
        return _date_predicate(name, raw)
    if name.startswith(("billing_", "shipping_")):
        return _address_predicate(name, raw)
    if name == "pricing_tier_oid":
        return _tier_matches("oid", _parse_int(name, raw))
    if name == "pricing_tier_name":
        return _tier_matches("name", _ci(raw))
    if name in ("all_tags", "any_tags"):
        tags = _strings(name, raw, f"{name} must be an array of strings")
        return _tags_match({_ci(t) for t in tags}, every=name == "all_tags") if tags else None
    if name == "query_target" and raw not in QUERY_TARGETS:
        raise bad_request("query_target must be 'origin' or 'cache'")
    if name == "search_string" and search:
        return _text_search(_ci(raw))
    return None


def _strings(name: str, raw: Any, message: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise bad_request(message)
    return raw


def _date_predicate(name: str, raw: Any) -> Predicate | None:
    field, _, bound = name.rpartition("_")
    if field not in DATE_FILTERS:
        return None
    return _date_bound(field, _parse_date_param(name, raw), start=bound == "start")


def _address_predicate(name: str, raw: Any) -> Predicate | None:
    part, _, key = name.partition("_")
    address_field = ADDRESS_FILTERS.get(key)
    if address_field is None:
        return None
    if not isinstance(raw, str):
        raise bad_request(f"{name} must be a string")
    return _address_equals(part, address_field, raw)


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
