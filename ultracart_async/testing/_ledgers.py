"""The money ledgers of customers: store credit, cashback balance and loyalty points."""

from __future__ import annotations

from datetime import timedelta

from ._customers import CustomerRecords
from ._dates import format_dts, now, parse_dts
from ._errors import bad_request
from ._types import JSON

_EXPIRING_WITHIN = timedelta(days=30)


class Ledgers:
    """Store credit ledgers (seeded lazily) and the balances kept on the customer record."""

    def __init__(self, customers: CustomerRecords) -> None:
        self._customers = customers
        self._store_credit: dict[int, list[JSON]] = {}

    def store_credit_ledger(self, oid: int) -> list[JSON]:
        """The customer's store credit entries (400 when the customer does not exist)."""
        self._customers.get(oid)
        if oid not in self._store_credit:
            seeder = self._customers.seeder
            index = seeder.index(oid)
            self._store_credit[oid] = seeder.store_credit_ledger(index) if index is not None else []
        return self._store_credit[oid]

    def set_store_credit_ledger(self, oid: int, entries: list[JSON]) -> None:
        self._store_credit[oid] = entries

    def forget(self, oid: int) -> None:
        """Drop what is kept of a deleted customer."""
        self._store_credit.pop(oid, None)

    def store_credit(self, oid: int) -> JSON:
        """The CustomerStoreCredit UltraCart reports: vested, vesting and expiring credit."""
        moment = now()
        past: list[JSON] = []
        future: list[JSON] = []
        expiring = 0.0
        for entry in self.store_credit_ledger(oid):
            public = {key: value for key, value in entry.items() if not key.startswith("_")}
            (future if parse_dts(entry["entry_dts"]) > moment else past).append(public)
            expires = entry.get("_expiration_dts")
            if expires and moment <= parse_dts(expires) <= moment + _EXPIRING_WITHIN:
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
        moment = now()
        entry: JSON = {
            "action": "Added",
            "amount": round(float(amount), 2),
            "description": description,
            "entry_dts": format_dts(moment + timedelta(days=vesting)),
            "gift_certificate_ledger_oid": self._customers.serial.sub_oid(),
            "gift_certificate_oid": oid * 10 + 4,
            "reference_order_id": "",
        }
        if expiration:
            entry["_expiration_dts"] = format_dts(moment + timedelta(days=vesting + expiration))
        ledger.append(entry)

    def adjust_cashback(self, oid: int, body: JSON) -> JSON:
        amount = body.get("adjustment_amount")
        if not isinstance(amount, int | float) or isinstance(amount, bool) or amount == 0:
            raise bad_request("adjustment_amount must be a non-zero number")
        _check_strings(body, ("description", "order_id", "entry_dts"))
        _optional_days(body, "vesting_days")
        _optional_days(body, "expiration_days")
        record = self._customers.mutable(oid)
        loyalty = record.setdefault("loyalty", {})
        balance = round(float(loyalty.get("internal_gift_certificate_balance", "0")) + amount, 2)
        if balance < 0:
            raise bad_request("The adjustment would make the cashback balance negative.")
        loyalty["internal_gift_certificate_balance"] = f"{balance:.2f}"
        record["last_modified_dts"] = format_dts(now())
        return {"adjustment_amount": float(amount), "balance_amount": balance}

    def adjust_loyalty(self, oid: int, body: JSON) -> JSON:
        points = body.get("loyalty_points")
        if not isinstance(points, int) or isinstance(points, bool) or points == 0:
            raise bad_request("loyalty_points must be a non-zero integer")
        vesting = _optional_days(body, "vesting_days")
        _check_strings(body, ("description", "order_id"))
        record = self._customers.mutable(oid)
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
        moment = now()
        loyalty.setdefault("ledger_entries", []).append(
            {
                "created_by": "api",
                "created_dts": format_dts(moment),
                "description": body.get("description") or "Adjustment",
                "email": record["email"],
                "ledger_dts": format_dts(moment),
                "loyalty_ledger_oid": self._customers.serial.sub_oid(),
                "loyalty_points": points,
                "order_id": body.get("order_id") or "",
                "quantity": 1,
                "vesting_dts": format_dts(moment + timedelta(days=vesting)),
            }
        )
        record["last_modified_dts"] = format_dts(moment)
        return {"current_points": current, "loyalty_points": points, "pending_points": pending}


def _check_strings(body: JSON, keys: tuple[str, ...]) -> None:
    for key in keys:
        if body.get(key) is not None and not isinstance(body[key], str):
            raise bad_request(f"{key} must be a string")


def _optional_days(body: JSON, key: str) -> int:
    value = body.get(key)
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise bad_request(f"{key} must be a non-negative integer")
    return value
