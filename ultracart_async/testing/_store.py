"""The fake's state: every part of it behind one lock, and the writes that span parts.

All methods are synchronous and raise `ApiError` for what UltraCart answers with an error status
(400 for bad input and for records that do not exist, as UltraCart does). Callers hold `lock`
while they use the store and serialize what they read from it before releasing the lock.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from ._customers import CustomerRecords
from ._email_lists import EmailLists
from ._errors import bad_request, not_found
from ._filters import Filters, dts_of
from ._ledgers import Ledgers
from ._seed import Seeder
from ._serial import Serial
from ._sorting import SortedOrders, SortKey
from ._tokens import Tokens
from ._types import JSON
from ._wishlists import Wishlists


class Store:
    """Seeded customers plus every write made to them, their ledgers, lists and tokens."""

    def __init__(self, seeder: Seeder) -> None:
        self.seeder = seeder
        self.lock = threading.RLock()
        self.customers = CustomerRecords(seeder, Serial())
        self.ledgers = Ledgers(self.customers)
        self.email_lists = EmailLists(self.customers)
        self.wishlists = Wishlists(self.customers)
        self.tokens = Tokens(self.customers)
        self._sorted = SortedOrders()

    # --- reading -------------------------------------------------------------------------

    def exists(self, oid: int) -> bool:
        return self.customers.exists(oid)

    def live_oids(self) -> list[int]:
        """Every existing customer oid, ascending."""
        return self.customers.live_oids()

    def get(self, oid: int) -> JSON:
        """The full customer (do not mutate); 400 when it does not exist."""
        return self.customers.get(oid)

    def find_by_email(self, email: str) -> int | None:
        return self.customers.find_by_email(email)

    def store_credit(self, oid: int) -> JSON:
        """The CustomerStoreCredit UltraCart would report for this customer."""
        return self.ledgers.store_credit(oid)

    def query(self, filters: Filters, *, since: datetime | None, sort: list[SortKey]) -> list[int]:
        """Oids of matching customers in answer order (default: by customer_profile_oid).

        A sorted order is kept until a customer changes (see `SortedOrders`); filters and
        `since` then only pick from it.
        """
        customers = self.customers
        ordered = self._sorted.oids(customers, sort) if sort else customers.live_oids()
        if not filters and since is None:
            return ordered
        return [oid for oid in ordered if _matches(customers.view(oid), filters, since)]

    # --- writes spanning parts -----------------------------------------------------------

    def delete_customer(self, oid: int) -> None:
        self.customers.delete(oid)
        self.ledgers.forget(oid)
        self.email_lists.forget(oid)
        self.wishlists.forget(oid)

    def merge_customer(self, oid: int, body: JSON) -> None:
        """Fold the profile named by `body` into `oid`, then delete it (UltraCart's merge)."""
        self.customers.get(oid)
        source_oid = self._merge_source(body)
        if source_oid == oid:
            raise bad_request("A customer profile cannot be merged into itself.")
        target = self.customers.merged(oid, source_oid)
        credit = self.ledgers.store_credit_ledger(oid) + self.ledgers.store_credit_ledger(
            source_oid
        )
        wishlist = self.wishlists.items(oid) + [
            {**item, "customer_profile_oid": oid} for item in self.wishlists.items(source_oid)
        ]
        lists = self.email_lists.lists_of(oid) | self.email_lists.lists_of(source_oid)
        self.delete_customer(source_oid)
        self.customers.replace(oid, target)
        self.ledgers.set_store_credit_ledger(oid, credit)
        self.wishlists.set_items(oid, wishlist)
        self.email_lists.set_lists(oid, lists)

    def _merge_source(self, body: JSON) -> int:
        """The oid of the profile a merge body names (by oid or by email)."""
        source_oid: Any = body.get("customer_profile_oid")
        email = body.get("email")
        if isinstance(source_oid, int) and not isinstance(source_oid, bool) and source_oid:
            if not self.customers.exists(source_oid):
                raise not_found(f"Customer profile {source_oid} does not exist.")
            return source_oid
        if isinstance(email, str) and email:
            found = self.customers.find_by_email(email)
            if found is None:
                raise not_found(f"No customer profile with email {email}.")
            return found
        raise bad_request("customer_profile_oid or email of the profile to merge is required.")


def _matches(customer: JSON, filters: Filters, since: datetime | None) -> bool:
    if since is not None and dts_of(customer, "last_modified_dts") < since:
        return False
    return not filters or filters.matches(customer)
