"""ultracart_async: an async, typed, fault-safe client for UltraCart's Customer API."""

from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ApplicationDisabledError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    DecodeError,
    InvalidInputError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseDecodeError,
    ServerError,
    UltraCartError,
    WriteOutcomeUnknownError,
)
from ._version import __version__

# --- models & converter (issue 2) ---
# isort: split
from . import models
from ._converter import UltraCartConverter, converter
from ._nulls import WithNulls, with_nulls
from .models import (
    AdjustInternalCertificateRequest,
    AdjustInternalCertificateResponse,
    AdjustLoyaltyPointsRequest,
    AdjustLoyaltyPointsResponse,
    BaseResponse,
    Customer,
    CustomerEditorValues,
    CustomerEmailListChanges,
    CustomerEmailSuppressionRequest,
    CustomerEmailSuppressionResponse,
    CustomerLoyaltyResponse,
    CustomerMagicLinkResponse,
    CustomerMergeRequest,
    CustomerQuery,
    CustomerResponse,
    CustomersResponse,
    CustomerStoreCreditAddRequest,
    CustomerStoreCreditResponse,
    CustomerWishListItem,
    CustomerWishListItemResponse,
    CustomerWishListItemsResponse,
    DataTablesServerSideResponse,
    EmailListsResponse,
    EmailVerifyTokenRequest,
    EmailVerifyTokenResponse,
    EmailVerifyTokenValidateRequest,
    EmailVerifyTokenValidateResponse,
    Error,
    ErrorResponse,
    LookupRequest,
    LookupResponse,
    QuickBooksOnlineCustomersResponse,
    ResponseMetadata,
    ResultSet,
)

# isort: split
# --- client (issue 4) ---
from ._client import DEFAULT_TIMEOUT, CustomerClient
from ._ratelimit import RateLimit
from ._retry import RetryEvent, RetryPolicy

# --- pager (issue 5) ---
# isort: split
from .pagination import CustomerIterator, CustomerPageIterator, PagerStats

__all__ = [
    "__version__",
    "UltraCartError",
    "InvalidInputError",
    "ClientClosedError",
    "DecodeError",
    "ResponseDecodeError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ApplicationDisabledError",
    "RateLimitError",
    "ServerError",
    "APIConnectionError",
    "APITimeoutError",
    "WriteOutcomeUnknownError",
    "PaginationError",
    # --- models & converter (issue 2) ---
    "models",
    "converter",
    "UltraCartConverter",
    "with_nulls",
    "WithNulls",
    "AdjustInternalCertificateRequest",
    "AdjustInternalCertificateResponse",
    "AdjustLoyaltyPointsRequest",
    "AdjustLoyaltyPointsResponse",
    "BaseResponse",
    "Customer",
    "CustomerEditorValues",
    "CustomerEmailListChanges",
    "CustomerEmailSuppressionRequest",
    "CustomerEmailSuppressionResponse",
    "CustomerLoyaltyResponse",
    "CustomerMagicLinkResponse",
    "CustomerMergeRequest",
    "CustomerQuery",
    "CustomerResponse",
    "CustomersResponse",
    "CustomerStoreCreditAddRequest",
    "CustomerStoreCreditResponse",
    "CustomerWishListItem",
    "CustomerWishListItemResponse",
    "CustomerWishListItemsResponse",
    "DataTablesServerSideResponse",
    "EmailListsResponse",
    "EmailVerifyTokenRequest",
    "EmailVerifyTokenResponse",
    "EmailVerifyTokenValidateRequest",
    "EmailVerifyTokenValidateResponse",
    "Error",
    "ErrorResponse",
    "LookupRequest",
    "LookupResponse",
    "QuickBooksOnlineCustomersResponse",
    "ResponseMetadata",
    "ResultSet",
    # --- client (issue 4) ---
    "CustomerClient",
    "RetryEvent",
    "RetryPolicy",
    "RateLimit",
    "DEFAULT_TIMEOUT",
    # --- pager (issue 5) ---
    "CustomerIterator",
    "CustomerPageIterator",
    "PagerStats",
]
