"""Read-only searches over all customers: QuickBooks customers and profile value lookups."""

from __future__ import annotations

from typing import Final

from ._customers import CustomerRecords
from ._errors import bad_request
from ._filters import ADDRESS_FILTERS
from ._types import JSON

#: Categories of search_customer_profile_values: category -> (part, field).
LOOKUP_CATEGORIES: Final = {
    "email": (None, "email"),
    **{f"billing_{name}": ("billing", field) for name, field in ADDRESS_FILTERS.items()},
    **{f"shipping_{name}": ("shipping", field) for name, field in ADDRESS_FILTERS.items()},
}
QUICKBOOKS_MAX: Final = 100
LOOKUP_DEFAULT_HITS: Final = 25
LOOKUP_MAX_HITS: Final = 100


def quickbooks_customers(customers: CustomerRecords, q: str | None) -> list[JSON]:
    """Customers with a QuickBooks id whose name or email contains `q` (first 100)."""
    needle = (q or "").casefold()
    found = []
    for customer in customers.iter_views():
        qb_id = customer.get("quickbooks_online_customer_id") or ""
        if not qb_id:
            continue
        billing = (customer.get("billing") or [{}])[0]
        name = f"{billing.get('first_name', '')} {billing.get('last_name', '')}".strip()
        if needle and needle not in name.casefold() and needle not in customer["email"]:
            continue
        found.append({"customer_id": qb_id, "display_name": name, "email": customer["email"]})
        if len(found) >= QUICKBOOKS_MAX:
            break
    return found


def lookup(customers: CustomerRecords, body: JSON) -> list[JSON]:
    """search_customer_profile_values: distinct values of a category starting with `matches`."""
    category = body.get("category")
    if category not in LOOKUP_CATEGORIES:
        raise bad_request(
            f"Unknown category {category!r}; known: {', '.join(sorted(LOOKUP_CATEGORIES))}"
        )
    matches = body.get("matches") or ""
    if not isinstance(matches, str):
        raise bad_request("matches must be a string")
    max_hits = body.get("max_hits") or LOOKUP_DEFAULT_HITS
    if not isinstance(max_hits, int) or isinstance(max_hits, bool) or max_hits < 1:
        raise bad_request("max_hits must be a positive integer")
    max_hits = min(max_hits, LOOKUP_MAX_HITS)
    part, field = LOOKUP_CATEGORIES[str(category)]
    prefix = matches.casefold()
    values: dict[str, None] = {}
    for customer in customers.iter_views():
        sources = [customer] if part is None else customer.get(part) or []
        for source in sources:
            value = source.get(field)
            if isinstance(value, str) and value and value.casefold().startswith(prefix):
                values.setdefault(value)
        if len(values) >= max_hits:
            break
    return [{"key": value, "value": value} for value in sorted(values)[:max_hits]]
