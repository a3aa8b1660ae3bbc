"""Request descriptions: one `Operation` record per Customer API operation.

Each client method is a few lines that hand one of these records and its arguments to the
transport. Everything the transport needs to know about an operation lives here: HTTP method,
path template, parameters (Python name -> wire name, with the kind used to validate them), body
and response types, which credentials UltraCart accepts, and how safe it is to repeat.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Generic, TypeVar

import attrs

from . import models
from ._constants import MEDIA_TYPE_JSON, MEDIA_TYPE_JSON_UTF8

R = TypeVar("R")

__all__ = ["OPERATIONS", "Auth", "Operation", "Param", "ParamKind", "Safety"]


class Safety(enum.Enum):
    """How an operation may be retried; see `_retry.decide` for the full table."""

    #: Reads, including the reads sent as POST: retry on anything transient.
    READ = "read"
    #: Writes whose repetition leaves the same state (PUT-like "set" operations).
    IDEMPOTENT = "idempotent"
    #: Deletes: repeating is harmless, but a repeat answers "not found" when the first attempt
    #: already deleted; that answer after an ambiguous attempt means "outcome unknown".
    IDEMPOTENT_DELETE = "idempotent_delete"
    #: Writes that must never be applied twice: retried only when provably never sent or 429.
    UNSAFE = "unsafe"


class Auth(enum.Enum):
    """Credential kinds, in order of preference when a client holds several."""

    SIMPLE_KEY = "simple_key"
    OAUTH_TOKEN = "oauth_token"  # noqa: S105  (a kind of credential, not one)
    BROWSER_KEY = "browser_key"


class ParamKind(enum.Enum):
    """What a parameter must be; `_validate` checks it before anything is sent."""

    OID = "oid"  # int32 object id, > 0
    INT = "int"  # any int32
    STR = "str"
    LIMIT = "limit"  # 1..PAGE_LIMIT_MAX
    OFFSET = "offset"  # >= 0


@attrs.frozen
class Param:
    """One path or query parameter: Python name, wire name, kind."""

    name: str
    wire: str
    kind: ParamKind = ParamKind.STR


@attrs.frozen
class Operation(Generic[R]):
    """Everything the transport needs to send one Customer API operation."""

    operation_id: str
    method: str
    path: (
        str  # template relative to the base URL, e.g. "/customer/customers/{customer_profile_oid}"
    )
    path_params: tuple[Param, ...]
    query_params: tuple[Param, ...]
    body_param: str | None  # Python name of the body argument
    body_type: type[Any] | None
    content_type: str | None  # the spec's request media type
    response_type: type[R] | None  # None: the API answers 204 with no body
    safety: Safety
    auth: frozenset[Auth] = frozenset({Auth.SIMPLE_KEY, Auth.OAUTH_TOKEN})

    @property
    def arg_names(self) -> tuple[str, ...]:
        """The name of every argument the client method passes (path, body, query)."""
        body = (self.body_param,) if self.body_param else ()
        return (
            *(p.name for p in self.path_params),
            *body,
            *(p.name for p in self.query_params),
        )


_JSON = MEDIA_TYPE_JSON
_JSON_UTF8 = MEDIA_TYPE_JSON_UTF8

_OID = Param("customer_profile_oid", "customer_profile_oid", ParamKind.OID)
_ITEM_OID = Param("customer_wishlist_item_oid", "customer_wishlist_item_oid", ParamKind.OID)
_EXPAND = Param("expand", "_expand")
_PAGING = (
    Param("limit", "_limit", ParamKind.LIMIT),
    Param("offset", "_offset", ParamKind.OFFSET),
    Param("since", "_since"),
    Param("sort", "_sort"),
    _EXPAND,
)
# The 27 filters of get_customers, by their spec names, in the spec's order.
_CUSTOMER_FILTERS = (
    *(
        Param(name, name)
        for name in (
            "email",
            "qb_class",
            "quickbooks_code",
            "last_modified_dts_start",
            "last_modified_dts_end",
            "signup_dts_start",
            "signup_dts_end",
            "billing_first_name",
            "billing_last_name",
            "billing_company",
            "billing_city",
            "billing_state",
            "billing_postal_code",
            "billing_country_code",
            "billing_day_phone",
            "billing_evening_phone",
            "shipping_first_name",
            "shipping_last_name",
            "shipping_company",
            "shipping_city",
            "shipping_state",
            "shipping_postal_code",
            "shipping_country_code",
            "shipping_day_phone",
            "shipping_evening_phone",
        )
    ),
    Param("pricing_tier_oid", "pricing_tier_oid", ParamKind.INT),
    Param("pricing_tier_name", "pricing_tier_name"),
)

_CUSTOMERS = "/customer/customers"
_ONE = "/customer/customers/{customer_profile_oid}"
_ITEM = _ONE + "/wishlist/{customer_wishlist_item_oid}"

ADD_CUSTOMER_STORE_CREDIT = Operation(
    "add_customer_store_credit", "POST", _ONE + "/store_credit", (_OID,), (),
    "store_credit_request", models.CustomerStoreCreditAddRequest, _JSON_UTF8,
    models.BaseResponse, Safety.UNSAFE,
)  # fmt: skip
ADJUST_INTERNAL_CERTIFICATE = Operation(
    "adjust_internal_certificate", "POST", _ONE + "/adjust_cashback_balance", (_OID,), (),
    "adjust_internal_certificate_request", models.AdjustInternalCertificateRequest, _JSON_UTF8,
    models.AdjustInternalCertificateResponse, Safety.UNSAFE,
)  # fmt: skip
ADJUST_LOYALTY_POINTS = Operation(
    "adjust_loyalty_points", "POST", _ONE + "/adjust_loyalty_points", (_OID,), (),
    "adjust_loyalty_points_request", models.AdjustLoyaltyPointsRequest, _JSON_UTF8,
    models.AdjustLoyaltyPointsResponse, Safety.UNSAFE,
)  # fmt: skip
DELETE_CUSTOMER: Operation[None] = Operation(
    "delete_customer", "DELETE", _ONE, (_OID,), (),
    None, None, None, None, Safety.IDEMPOTENT_DELETE,
)  # fmt: skip
DELETE_WISH_LIST_ITEM: Operation[None] = Operation(
    "delete_wish_list_item", "DELETE", _ITEM, (_OID, _ITEM_OID), (),
    None, None, None, None, Safety.IDEMPOTENT_DELETE,
)  # fmt: skip
GET_CUSTOMER = Operation(
    "get_customer", "GET", _ONE, (_OID,), (_EXPAND,),
    None, None, None, models.CustomerResponse, Safety.READ,
)  # fmt: skip
GET_CUSTOMER_BY_EMAIL = Operation(
    "get_customer_by_email", "GET", _CUSTOMERS + "/by_email/{email}", (Param("email", "email"),),
    (_EXPAND,), None, None, None, models.CustomerResponse, Safety.READ,
)  # fmt: skip
GET_CUSTOMER_EDITOR_VALUES = Operation(
    "get_customer_editor_values", "GET", "/customer/editor_values", (), (),
    None, None, None, models.CustomerEditorValues, Safety.READ,
)  # fmt: skip
GET_CUSTOMER_EMAIL_LISTS = Operation(
    "get_customer_email_lists", "GET", "/customer/email_lists", (), (),
    None, None, None, models.EmailListsResponse, Safety.READ,
)  # fmt: skip
GET_CUSTOMER_LOYALTY = Operation(
    "get_customer_loyalty", "GET", _ONE + "/loyalty", (_OID,), (),
    None, None, None, models.CustomerLoyaltyResponse, Safety.READ,
)  # fmt: skip
GET_CUSTOMER_STORE_CREDIT = Operation(
    "get_customer_store_credit", "GET", _ONE + "/store_credit", (_OID,), (),
    None, None, None, models.CustomerStoreCreditResponse, Safety.READ,
)  # fmt: skip
GET_CUSTOMER_WISH_LIST = Operation(
    "get_customer_wish_list", "GET", _ONE + "/wishlist", (_OID,), (),
    None, None, None, models.CustomerWishListItemsResponse, Safety.READ,
)  # fmt: skip
GET_CUSTOMER_WISH_LIST_ITEM = Operation(
    "get_customer_wish_list_item", "GET", _ITEM, (_OID, _ITEM_OID), (),
    None, None, None, models.CustomerWishListItemResponse, Safety.READ,
)  # fmt: skip
GET_CUSTOMERS = Operation(
    "get_customers", "GET", _CUSTOMERS, (), (*_CUSTOMER_FILTERS, *_PAGING),
    None, None, None, models.CustomersResponse, Safety.READ,
)  # fmt: skip
GET_CUSTOMERS_BY_QUERY = Operation(
    "get_customers_by_query", "POST", _CUSTOMERS + "/query", (), _PAGING,
    "customer_query", models.CustomerQuery, _JSON, models.CustomersResponse, Safety.READ,
)  # fmt: skip
GET_CUSTOMERS_FOR_DATA_TABLES = Operation(
    "get_customers_for_data_tables", "POST", _CUSTOMERS + "/dataTables", (), (_EXPAND,),
    None, None, None, models.DataTablesServerSideResponse, Safety.READ,
)  # fmt: skip
GET_EMAIL_VERIFICATION_TOKEN = Operation(
    "get_email_verification_token", "POST", _CUSTOMERS + "/email_verify/get_token", (), (),
    "token_request", models.EmailVerifyTokenRequest, _JSON, models.EmailVerifyTokenResponse,
    Safety.IDEMPOTENT,
)  # fmt: skip
GET_MAGIC_LINK = Operation(
    "get_magic_link", "PUT", _ONE + "/magic_link/{storefront_host_name}",
    (_OID, Param("storefront_host_name", "storefront_host_name")), (),
    None, None, None, models.CustomerMagicLinkResponse, Safety.IDEMPOTENT,
)  # fmt: skip
GET_QUICK_BOOKS_ONLINE_CUSTOMERS = Operation(
    "get_quick_books_online_customers", "GET", "/customer/quickbooks_online/customers", (),
    (Param("q", "q"),), None, None, None, models.QuickBooksOnlineCustomersResponse, Safety.READ,
)  # fmt: skip
INSERT_CUSTOMER = Operation(
    "insert_customer", "POST", _CUSTOMERS, (), (_EXPAND,),
    "customer", models.Customer, _JSON_UTF8, models.CustomerResponse, Safety.UNSAFE,
)  # fmt: skip
INSERT_WISH_LIST_ITEM = Operation(
    "insert_wish_list_item", "POST", _ONE + "/wishlist", (_OID,), (),
    "wishlist_item", models.CustomerWishListItem, _JSON_UTF8, models.CustomerWishListItem,
    Safety.UNSAFE,
)  # fmt: skip
MERGE_CUSTOMER: Operation[None] = Operation(
    "merge_customer", "PUT", _ONE + "/merge", (_OID,), (_EXPAND,),
    "customer", models.CustomerMergeRequest, _JSON_UTF8, None, Safety.UNSAFE,
)  # fmt: skip
SEARCH_CUSTOMER_PROFILE_VALUES = Operation(
    "search_customer_profile_values", "POST", "/customer/search", (), (),
    "lookup_request", models.LookupRequest, _JSON, models.LookupResponse, Safety.READ,
    frozenset(Auth),
)  # fmt: skip
SEARCH_CUSTOMERS = Operation(
    "search_customers", "GET", _CUSTOMERS + "/search", (),
    (Param("search_string", "search_string"), Param("signup_dts_start", "signup_dts_start"),
     Param("signup_dts_end", "signup_dts_end"), *_PAGING),
    None, None, None, models.CustomersResponse, Safety.READ,
)  # fmt: skip
UPDATE_CUSTOMER = Operation(
    "update_customer", "PUT", _ONE, (_OID,), (_EXPAND,),
    "customer", models.Customer, _JSON_UTF8, models.CustomerResponse, Safety.IDEMPOTENT,
)  # fmt: skip
UPDATE_CUSTOMER_EMAIL_LISTS = Operation(
    "update_customer_email_lists", "POST", _ONE + "/email_lists", (_OID,), (),
    "list_changes", models.CustomerEmailListChanges, _JSON_UTF8, models.CustomerEmailListChanges,
    Safety.IDEMPOTENT,
)  # fmt: skip
UPDATE_CUSTOMER_EMAIL_SUPPRESSION = Operation(
    "update_customer_email_suppression", "POST", _ONE + "/email_suppression", (_OID,), (),
    "suppression_changes", models.CustomerEmailSuppressionRequest, _JSON_UTF8,
    models.CustomerEmailSuppressionResponse, Safety.IDEMPOTENT,
)  # fmt: skip
UPDATE_WISH_LIST_ITEM = Operation(
    "update_wish_list_item", "PUT", _ITEM, (_OID, _ITEM_OID), (),
    "wishlist_item", models.CustomerWishListItem, _JSON_UTF8, models.CustomerWishListItem,
    Safety.IDEMPOTENT,
)  # fmt: skip
VALIDATE_EMAIL_VERIFICATION_TOKEN = Operation(
    "validate_email_verification_token", "POST", _CUSTOMERS + "/email_verify/validate_token", (),
    (), "validation_request", models.EmailVerifyTokenValidateRequest, _JSON,
    models.EmailVerifyTokenValidateResponse, Safety.UNSAFE,
)  # fmt: skip

#: Every operation by operationId, in the official SDK's (alphabetical) order.
OPERATIONS: Mapping[str, Operation[Any]] = {
    op.operation_id: op
    for op in (
        ADD_CUSTOMER_STORE_CREDIT,
        ADJUST_INTERNAL_CERTIFICATE,
        ADJUST_LOYALTY_POINTS,
        DELETE_CUSTOMER,
        DELETE_WISH_LIST_ITEM,
        GET_CUSTOMER,
        GET_CUSTOMER_BY_EMAIL,
        GET_CUSTOMER_EDITOR_VALUES,
        GET_CUSTOMER_EMAIL_LISTS,
        GET_CUSTOMER_LOYALTY,
        GET_CUSTOMER_STORE_CREDIT,
        GET_CUSTOMER_WISH_LIST,
        GET_CUSTOMER_WISH_LIST_ITEM,
        GET_CUSTOMERS,
        GET_CUSTOMERS_BY_QUERY,
        GET_CUSTOMERS_FOR_DATA_TABLES,
        GET_EMAIL_VERIFICATION_TOKEN,
        GET_MAGIC_LINK,
        GET_QUICK_BOOKS_ONLINE_CUSTOMERS,
        INSERT_CUSTOMER,
        INSERT_WISH_LIST_ITEM,
        MERGE_CUSTOMER,
        SEARCH_CUSTOMER_PROFILE_VALUES,
        SEARCH_CUSTOMERS,
        UPDATE_CUSTOMER,
        UPDATE_CUSTOMER_EMAIL_LISTS,
        UPDATE_CUSTOMER_EMAIL_SUPPRESSION,
        UPDATE_WISH_LIST_ITEM,
        VALIDATE_EMAIL_VERIFICATION_TOKEN,
    )
}
