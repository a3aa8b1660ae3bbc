"""Email marketing of customers: list memberships, member counts and email suppression."""

from __future__ import annotations

from typing import Final

from ._customers import CustomerRecords
from ._errors import bad_request
from ._merchant import EMAIL_LIST_UUIDS, EMAIL_LISTS, email_list
from ._types import JSON

CONSENT_SOURCES: Final = frozenset({"phone", "email", "chat", "in_person", "written", "other"})
_CLEAR_FLAGS: Final = ("clear_bounce", "clear_global_unsubscribe", "clear_spam_complaint")


class EmailLists:
    """Which lists each customer is on (seeded lazily), the lists' member counts, suppression."""

    def __init__(self, customers: CustomerRecords) -> None:
        self._customers = customers
        self._members: dict[int, set[str]] = {}
        self._counts: dict[str, int] | None = None
        self._suppression: dict[int, JSON] = {}

    def lists_of(self, oid: int) -> set[str]:
        """The list uuids customer `oid` is on (kept from now on)."""
        if oid not in self._members:
            self._members[oid] = self._seeded(oid)
        return self._members[oid]

    def _peek(self, oid: int) -> set[str]:
        """`lists_of(oid)` without keeping it (counting every customer stays cheap)."""
        known = self._members.get(oid)
        return known if known is not None else self._seeded(oid)

    def _seeded(self, oid: int) -> set[str]:
        seeder = self._customers.seeder
        index = seeder.index(oid)
        return seeder.email_lists(index) if index is not None else set()

    def set_lists(self, oid: int, lists: set[str]) -> None:
        old = self.lists_of(oid)
        if self._counts is not None:
            for uuid in old - lists:
                self._counts[uuid] -= 1
            for uuid in lists - old:
                self._counts[uuid] += 1
        self._members[oid] = set(lists)

    def forget(self, oid: int) -> None:
        """Drop a deleted customer: off every list, suppression state gone."""
        if self._counts is not None:
            for uuid in self.lists_of(oid):
                self._counts[uuid] -= 1
        self._members.pop(oid, None)
        self._suppression.pop(oid, None)

    def email_lists(self) -> list[JSON]:
        """The merchant's EmailLists with their member counts."""
        counts = self._member_counts()
        return [email_list(uuid, name, public, counts[uuid]) for uuid, name, public in EMAIL_LISTS]

    def _member_counts(self) -> dict[str, int]:
        if self._counts is None:
            counts = dict.fromkeys((uuid for uuid, _, _ in EMAIL_LISTS), 0)
            for oid in self._customers.live_oids():
                for uuid in self._peek(oid):
                    counts[uuid] += 1
            self._counts = counts
        return self._counts

    def update_lists(self, oid: int, body: JSON) -> JSON:
        """Apply an update_customer_email_lists body; the changes as UltraCart echoes them."""
        self._customers.get(oid)
        changes: dict[str, list[str]] = {}
        for key in ("add_to_lists", "remove_from_lists"):
            value = body.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise bad_request(f"{key} must be an array of email list uuids")
            unknown = [v for v in value if v not in EMAIL_LIST_UUIDS]
            if unknown:
                raise bad_request(f"Unknown email list uuid(s): {', '.join(unknown)}")
            changes[key] = value
        self._member_counts()  # the counts must exist before they change
        lists = set(self.lists_of(oid))
        lists |= set(changes["add_to_lists"])
        lists -= set(changes["remove_from_lists"])
        self.set_lists(oid, lists)
        return changes

    def update_suppression(self, oid: int, body: JSON) -> JSON:
        """Apply an update_customer_email_suppression body; the EmailSuppression result."""
        record = self._customers.get(oid)
        consent = body.get("consent_source")
        if consent is not None and consent not in CONSENT_SOURCES:
            raise bad_request(f"consent_source must be one of {sorted(CONSENT_SOURCES)}")
        flags = _clear_flags(body)
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
        _clear(state, result)
        return result


def _clear_flags(body: JSON) -> dict[str, bool]:
    flags = {}
    for key in _CLEAR_FLAGS:
        value = body.get(key)
        if value is not None and not isinstance(value, bool):
            raise bad_request(f"{key} must be a boolean")
        flags[key] = bool(value)
    return flags


def _clear(state: JSON, result: JSON) -> None:
    """Clear in `state` what `result` says was cleared; report the state after it in `result`."""
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
