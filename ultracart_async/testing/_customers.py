"""The customer records: seeded ones (built on demand) plus every insert, update and delete."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from typing import Final

import orjson

from ._constants import FAKE_MERCHANT_ID
from ._dates import format_dts, now
from ._errors import bad_request, not_found
from ._schema import CUSTOMER_SCALARS, EDITABLE_EXPANSIONS, apply_body
from ._seed import Seeder
from ._serial import Serial
from ._shape import ShapedCache, serialize
from ._types import JSON

#: Seeded emails end in the customer's 1-based index before the `@`.
_EMAIL_INDEX: Final = re.compile(r"^[^@]*?(\d+)@")
#: List parts merged from one profile into another.
_MERGED_LISTS: Final = ("billing", "shipping", "cards", "cc_emails", "software_entitlements")


class CustomerRecords:
    """Seeded customers (generated on demand) plus overrides, deletions and insertions.

    A seeded customer gets an override record on its first write; `revision` changes on every
    write, insert and delete, so what is derived from the records knows when to rebuild.
    """

    def __init__(self, seeder: Seeder, serial: Serial) -> None:
        self.seeder = seeder
        self.serial = serial
        self.revision = 0
        self._overrides: dict[int, JSON] = {}
        self._deleted: set[int] = set()
        self._inserted: list[int] = []
        self._next_oid = seeder.oid(seeder.customers)
        self._live: list[int] | None = None
        self._email_owner: dict[str, int] = {}
        self._shaped = ShapedCache()

    # --- reading -------------------------------------------------------------------------

    def exists(self, oid: int) -> bool:
        if oid in self._deleted:
            return False
        return oid in self._overrides or self.seeder.index(oid) is not None

    def live_oids(self) -> list[int]:
        """Every existing customer oid, ascending."""
        if self._live is None:
            seeded = range(self.seeder.oid(0), self.seeder.oid(self.seeder.customers))
            if self._deleted:
                live = [oid for oid in seeded if oid not in self._deleted]
            else:
                live = list(seeded)
            live += [oid for oid in self._inserted if oid not in self._deleted]
            self._live = live
        return self._live

    def view(self, oid: int, *, full: bool = False) -> JSON:
        """The customer record to filter/sort on (do not mutate): core fields unless `full`."""
        record = self._overrides.get(oid)
        if record is not None:
            return record
        index = self.seeder.index(oid)
        assert index is not None
        return self.seeder.customer(index) if full else self.seeder.core(index)

    def iter_views(self) -> Iterator[JSON]:
        for oid in self.live_oids():
            yield self.view(oid)

    def get(self, oid: int) -> JSON:
        """The full customer (do not mutate); 400 when it does not exist."""
        if not self.exists(oid):
            raise not_found(f"Customer profile {oid} does not exist.")
        return self.view(oid, full=True)

    def shaped_json(self, oid: int, expand: frozenset[str]) -> orjson.Fragment:
        """`shape_customer(self.get(oid), expand)` serialized (400 when it does not exist).

        Seeded customers never change until their first write, which gives them an override
        record; so the JSON of a customer without an override is cached and overridden ones are
        serialized afresh.
        """
        if oid in self._overrides or oid in self._deleted:
            return orjson.Fragment(serialize(self.get(oid), expand))
        body = self._shaped.get(oid, expand)
        if body is None:
            body = serialize(self.get(oid), expand)
            self._shaped.put(oid, expand, body)
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

    # --- writing -------------------------------------------------------------------------

    def mutable(self, oid: int) -> JSON:
        """The full record of `oid` to change in place (400 when it does not exist)."""
        record = self._overrides.get(oid)
        if record is None:
            record = self.get(oid)
            self._overrides[oid] = record
        self.revision += 1
        return record

    def replace(self, oid: int, record: JSON) -> None:
        self._overrides[oid] = record
        self.revision += 1

    def insert(self, body: JSON) -> int:
        """Insert a customer from an insert_customer body; its new oid."""
        email = body.get("email")
        if not isinstance(email, str) or "@" not in email:
            raise bad_request("A valid email address is required.", "email_required")
        if self.find_by_email(email) is not None:
            raise bad_request(f"Email address {email} is already in use.", "duplicate_email")
        oid = self._next_oid
        self._next_oid += 1
        record = _new_record(oid, email, format_dts(now()), self.serial.sub_oid())
        apply_body(
            record, body, expand=EDITABLE_EXPANSIONS, created=True, sub_oid=self.serial.sub_oid
        )
        record["customer_profile_oid"] = oid
        self._inserted.append(oid)
        self._email_owner[record["email"].casefold()] = oid
        self._live = None
        self.replace(oid, record)
        return oid

    def update(self, oid: int, body: JSON, expand: list[str]) -> None:
        """Apply an update_customer body (parts only when named in `_expand`)."""
        record = copy.deepcopy(self.get(oid))
        old_email = record["email"]
        apply_body(
            record,
            body,
            expand=set(expand) & EDITABLE_EXPANSIONS,
            created=False,
            sub_oid=self.serial.sub_oid,
        )
        if record["email"].casefold() != old_email.casefold():
            owner = self.find_by_email(record["email"])
            if owner is not None and owner != oid:
                raise bad_request(
                    f"Email address {record['email']} is already in use.", "duplicate_email"
                )
            self._email_owner.pop(old_email.casefold(), None)
            self._email_owner[record["email"].casefold()] = oid
        record["last_modified_dts"] = format_dts(now())
        self.replace(oid, record)

    def delete(self, oid: int) -> None:
        record = self.get(oid)
        self._email_owner.pop(record["email"].casefold(), None)
        self._overrides.pop(oid, None)
        self._deleted.add(oid)
        self._live = None
        self.revision += 1

    def merged(self, oid: int, source_oid: int) -> JSON:
        """A copy of customer `oid` with the profile `source_oid` folded in (UltraCart's merge)."""
        target = copy.deepcopy(self.get(oid))
        _fold_profile(target, self.get(source_oid), oid)
        target["last_modified_dts"] = format_dts(now())
        return target


def _new_record(oid: int, email: str, created_dts: str, certificate_oid: int) -> JSON:
    """A new customer before its insert body is applied."""
    record: JSON = {
        "customer_profile_oid": oid,
        "email": email,
        "merchant_id": FAKE_MERCHANT_ID,
        "signup_dts": created_dts,
        "last_modified_dts": created_dts,
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
            "internal_gift_certificate_oid": certificate_oid,
            "ledger_entries": [],
            "redemptions": [],
        },
        "orders_summary": {"order_count": 0, "total": 0.0},
        "quotes_summary": {"quote_count": 0, "total": 0.0},
        "privacy": {"last_update_dts": created_dts, "marketing": False, "preference": False,
                    "statistics": False},
    }  # fmt: skip
    return record


def _fold_profile(target: JSON, source: JSON, oid: int) -> None:
    """Add what `source` has and `target` lacks to `target` (the customer `oid`)."""
    for part in _MERGED_LISTS:
        for item in copy.deepcopy(source.get(part) or []):
            if "customer_profile_oid" in item:
                item["customer_profile_oid"] = oid
            item["default_billing" if part == "billing" else "default_shipping"] = False
            if part not in ("billing", "shipping"):
                item.pop("default_billing", None)
                item.pop("default_shipping", None)
            target.setdefault(part, []).append(item)
    _add_missing(target, source, "properties", "name", copy.deepcopy)
    _add_missing(target, source, "tags", "tag_value", dict)
    _add_missing(target, source, "pricing_tiers", "pricing_tier_oid", dict)
    loyalty, other = target.get("loyalty") or {}, source.get("loyalty") or {}
    for points in ("current_points", "pending_points"):
        loyalty[points] = loyalty.get(points, 0) + other.get(points, 0)
    balance = float(loyalty.get("internal_gift_certificate_balance", "0")) + float(
        other.get("internal_gift_certificate_balance", "0")
    )
    loyalty["internal_gift_certificate_balance"] = f"{balance:.2f}"
    target["loyalty"] = loyalty


def _add_missing(
    target: JSON, source: JSON, part: str, key: str, clone: Callable[[JSON], JSON]
) -> None:
    """Append (cloned) the items of `source[part]` whose `key` no item of `target[part]` has."""
    have = {item.get(key) for item in target.get(part) or []}
    for item in source.get(part) or []:
        if item.get(key) not in have:
            target.setdefault(part, []).append(clone(item))
