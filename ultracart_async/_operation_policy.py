"""What the spec cannot say about each operation, chosen by hand: one row per operation.

- `safety`: whether an automatic retry may repeat it (API-NOTES: store credit, cashback, insert,
  merge and token validation must never be applied twice; reads sent as POST are reads).
- `body_param`: the official SDK's name for the body argument, so code ports unchanged.
- `either_order`: `update_customer` and `merge_customer` take `(id, body)`, as the current
  official SDK (4.x) does, and `(body, id)`, as its older releases did; told apart by type.

Method, path, parameters, types, credentials and media types come from the spec through
`tools/generate_operations.py`; a test checks this table covers exactly the spec's operations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ._operation import Policy, Safety

__all__ = ["POLICY"]

_READ: Final = Policy(Safety.READ)
_DELETE: Final = Policy(Safety.IDEMPOTENT_DELETE)

POLICY: Final[Mapping[str, Policy]] = {
    "add_customer_store_credit": Policy(Safety.UNSAFE, "store_credit_request"),
    "adjust_internal_certificate": Policy(Safety.UNSAFE, "adjust_internal_certificate_request"),
    "adjust_loyalty_points": Policy(Safety.UNSAFE, "adjust_loyalty_points_request"),
    "delete_customer": _DELETE,
    "delete_wish_list_item": _DELETE,
    "get_customer": _READ,
    "get_customer_by_email": _READ,
    "get_customer_editor_values": _READ,
    "get_customer_email_lists": _READ,
    "get_customer_loyalty": _READ,
    "get_customer_store_credit": _READ,
    "get_customer_wish_list": _READ,
    "get_customer_wish_list_item": _READ,
    "get_customers": _READ,
    "get_customers_by_query": Policy(Safety.READ, "customer_query"),
    "get_customers_for_data_tables": _READ,
    "get_email_verification_token": Policy(Safety.IDEMPOTENT, "token_request"),
    "get_magic_link": Policy(Safety.IDEMPOTENT),
    "get_quick_books_online_customers": _READ,
    "insert_customer": Policy(Safety.UNSAFE, "customer"),
    "insert_wish_list_item": Policy(Safety.UNSAFE, "wishlist_item"),
    "merge_customer": Policy(Safety.UNSAFE, "customer", either_order=True),
    "search_customer_profile_values": Policy(Safety.READ, "lookup_request"),
    "search_customers": _READ,
    "update_customer": Policy(Safety.IDEMPOTENT, "customer", either_order=True),
    "update_customer_email_lists": Policy(Safety.IDEMPOTENT, "list_changes"),
    "update_customer_email_suppression": Policy(Safety.IDEMPOTENT, "suppression_changes"),
    "update_wish_list_item": Policy(Safety.IDEMPOTENT, "wishlist_item"),
    "validate_email_verification_token": Policy(Safety.UNSAFE, "validation_request"),
}
