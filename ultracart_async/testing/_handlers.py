"""One handler per operationId: read the request, act on the store, build the payload.

Handlers run with the store's lock held and return the JSON payload (None for 204 answers); they
raise `ApiError` for error answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final
from urllib.parse import parse_qsl

from ._errors import bad_request, not_found
from ._filters import Filters
from ._lookups import lookup, quickbooks_customers
from ._merchant import editor_values
from ._paging import PageRequest
from ._request import Request, int_value
from ._settings import FakeSettings
from ._store import Store
from ._types import JSON

Handler = Callable[[Request], JSON | None]
_ITEM_OID: Final = "customer_wishlist_item_oid"


def _ok(**payload: object) -> JSON:
    """`payload` in the envelope of most answers."""
    return {**payload, "metadata": {}, "success": True}


class Handlers:
    """The operations of the Customer API over one store; `for_operation` finds a handler."""

    def __init__(self, store: Store, settings: FakeSettings) -> None:
        self.store = store
        self.settings = settings

    def for_operation(self, operation: str) -> Handler:
        handler: Handler = getattr(self, operation)
        return handler

    # --- listings ------------------------------------------------------------------------

    def _page(self, request: Request, filters: Filters) -> JSON:
        page = PageRequest.from_request(request, self.settings.max_limit)
        store = self.store
        oids = store.query(filters, since=page.since, sort=page.sort)
        chosen = page.slice(oids)
        expand = frozenset(request.expand())
        result_set = page.result_set(
            len(chosen), len(oids), report_total=self.settings.report_total_records
        )
        return {
            "customers": [store.customers.shaped_json(oid, expand) for oid in chosen],
            "metadata": {"payload_name": "customers", "result_set": result_set},
            "success": True,
        }

    def get_customers(self, request: Request) -> JSON:
        return self._page(request, Filters.from_params(request.params()))

    def get_customers_by_query(self, request: Request) -> JSON:
        return self._page(request, Filters.from_params(request.json_object()))

    def search_customers(self, request: Request) -> JSON:
        return self._page(request, Filters.from_params(request.params(), search=True))

    def get_customers_for_data_tables(self, request: Request) -> JSON:
        params = _data_tables_params(request)
        draw = int_value(params, "draw", 0)
        start = int_value(params, "start", 0)
        length = int_value(params, "length", 10)
        if start < 0 or not 1 <= length <= self.settings.max_limit:
            raise bad_request("start must be >= 0 and length between 1 and the page limit.")
        store = self.store
        everything = store.live_oids()
        search = params.get("search[value]") or ""
        filters = Filters.from_params({"search_string": search}, search=True)
        matched = store.query(filters, since=None, sort=[]) if search else everything
        expand = frozenset(request.expand())
        return {
            "data": [
                store.customers.shaped_json(oid, expand) for oid in matched[start : start + length]
            ],
            "draw": draw,
            "recordsFiltered": len(matched),
            "recordsTotal": len(everything),
        }

    # --- one customer --------------------------------------------------------------------

    def _customer_payload(self, oid: int, request: Request) -> JSON:
        customer = self.store.customers.shaped_json(oid, frozenset(request.expand()))
        return _ok(customer=customer)

    def get_customer(self, request: Request) -> JSON:
        return self._customer_payload(request.oid(), request)

    def get_customer_by_email(self, request: Request) -> JSON:
        email = request.path_params["email"]
        oid = self.store.find_by_email(email)
        if oid is None:
            raise not_found(f"No customer profile with email {email}.")
        return self._customer_payload(oid, request)

    def insert_customer(self, request: Request) -> JSON:
        oid = self.store.customers.insert(request.json_object())
        return self._customer_payload(oid, request)

    def update_customer(self, request: Request) -> JSON:
        oid = request.oid()
        self.store.customers.update(oid, request.json_object(), request.expand())
        return self._customer_payload(oid, request)

    def delete_customer(self, request: Request) -> None:
        self.store.delete_customer(request.oid())

    def merge_customer(self, request: Request) -> None:
        self.store.merge_customer(request.oid(), request.json_object())

    # --- store credit, cashback, loyalty -------------------------------------------------

    def get_customer_store_credit(self, request: Request) -> JSON:
        return _ok(customer_store_credit=self.store.ledgers.store_credit(request.oid()))

    def add_customer_store_credit(self, request: Request) -> JSON:
        self.store.ledgers.add_store_credit(request.oid(), request.json_object())
        return _ok()

    def adjust_internal_certificate(self, request: Request) -> JSON:
        return _ok(**self.store.ledgers.adjust_cashback(request.oid(), request.json_object()))

    def adjust_loyalty_points(self, request: Request) -> JSON:
        return _ok(**self.store.ledgers.adjust_loyalty(request.oid(), request.json_object()))

    def get_customer_loyalty(self, request: Request) -> JSON:
        loyalty = self.store.get(request.oid()).get("loyalty") or {}
        return _ok(customer_loyalty=dict(loyalty))

    # --- email lists and suppression -----------------------------------------------------

    def get_customer_email_lists(self, request: Request) -> JSON:
        return _ok(lists=self.store.email_lists.email_lists())

    def update_customer_email_lists(self, request: Request) -> JSON:
        return self.store.email_lists.update_lists(request.oid(), request.json_object())

    def update_customer_email_suppression(self, request: Request) -> JSON:
        result = self.store.email_lists.update_suppression(request.oid(), request.json_object())
        return _ok(email_suppression=result)

    # --- tokens and links ----------------------------------------------------------------

    def get_email_verification_token(self, request: Request) -> JSON:
        return _ok(token=self.store.tokens.email_verification_token(request.json_object()))

    def validate_email_verification_token(self, request: Request) -> JSON:
        self.store.tokens.validate_email_verification_token(request.json_object())
        return _ok()

    def get_magic_link(self, request: Request) -> JSON:
        host = request.path_params["storefront_host_name"]
        return _ok(url=self.store.tokens.magic_link(request.oid(), host))

    # --- wish list -----------------------------------------------------------------------

    def get_customer_wish_list(self, request: Request) -> JSON:
        items = self.store.wishlists.items(request.oid())
        return _ok(wishlist_items=[dict(item) for item in items])

    def get_customer_wish_list_item(self, request: Request) -> JSON:
        item = self.store.wishlists.item(request.oid(), request.oid(_ITEM_OID))
        return _ok(wishlist_item=dict(item))

    def insert_wish_list_item(self, request: Request) -> JSON:
        return dict(self.store.wishlists.insert(request.oid(), request.json_object()))

    def update_wish_list_item(self, request: Request) -> JSON:
        item = self.store.wishlists.update(
            request.oid(), request.oid(_ITEM_OID), request.json_object()
        )
        return dict(item)

    def delete_wish_list_item(self, request: Request) -> None:
        self.store.wishlists.delete(request.oid(), request.oid(_ITEM_OID))

    # --- lookups -------------------------------------------------------------------------

    def get_customer_editor_values(self, request: Request) -> JSON:
        return editor_values()

    def get_quick_books_online_customers(self, request: Request) -> JSON:
        customers = quickbooks_customers(self.store.customers, request.param("q"))
        return _ok(quickbooks_online_customers=customers)

    def search_customer_profile_values(self, request: Request) -> JSON:
        return _ok(values=lookup(self.store.customers, request.json_object()))


def _data_tables_params(request: Request) -> dict[str, str]:
    """The DataTables parameters: the query, then a JSON or form body on top."""
    params = request.params()
    if request.body.strip():
        if "json" in request.headers.get("content-type", ""):
            params.update({k: str(v) for k, v in request.json_object().items()})
        else:
            params.update(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
    return params
