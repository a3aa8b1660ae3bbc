"""CustomerClient: construction, credentials, lifecycle, with_options, method signatures."""

from __future__ import annotations

import inspect
import pickle
import typing
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import ultracart_async as uc
from tests.helpers import BASE_URL, SECRET, Script, make_client, method_signatures, reply
from ultracart_async import models
from ultracart_async._logging import Secret, redacted_request, scrub_httpx_error
from ultracart_async._operations import OPERATIONS

# Positional parameters as users call them today (official SDK; the issue fixes
# update_customer/merge_customer as (customer, customer_profile_oid)).
POSITIONAL = {
    "add_customer_store_credit": ["customer_profile_oid", "store_credit_request"],
    "adjust_internal_certificate": ["customer_profile_oid", "adjust_internal_certificate_request"],
    "adjust_loyalty_points": ["customer_profile_oid", "adjust_loyalty_points_request"],
    "delete_customer": ["customer_profile_oid"],
    "delete_wish_list_item": ["customer_profile_oid", "customer_wishlist_item_oid"],
    "get_customer": ["customer_profile_oid"],
    "get_customer_by_email": ["email"],
    "get_customer_editor_values": [],
    "get_customer_email_lists": [],
    "get_customer_loyalty": ["customer_profile_oid"],
    "get_customer_store_credit": ["customer_profile_oid"],
    "get_customer_wish_list": ["customer_profile_oid"],
    "get_customer_wish_list_item": ["customer_profile_oid", "customer_wishlist_item_oid"],
    "get_customers": [],
    "get_customers_by_query": ["customer_query"],
    "get_customers_for_data_tables": [],
    "get_email_verification_token": ["token_request"],
    "get_magic_link": ["customer_profile_oid", "storefront_host_name"],
    "get_quick_books_online_customers": [],
    "insert_customer": ["customer"],
    "insert_wish_list_item": ["customer_profile_oid", "wishlist_item"],
    "merge_customer": ["customer_profile_oid", "customer"],
    "search_customer_profile_values": ["lookup_request"],
    "search_customers": [],
    "update_customer": ["customer_profile_oid", "customer"],
    "update_customer_email_lists": ["customer_profile_oid", "list_changes"],
    "update_customer_email_suppression": ["customer_profile_oid", "suppression_changes"],
    "update_wish_list_item": [
        "customer_profile_oid",
        "customer_wishlist_item_oid",
        "wishlist_item",
    ],
    "validate_email_verification_token": ["validation_request"],
}
PAGING = ["limit", "offset", "since", "sort", "expand"]
KEYWORD_ONLY = {
    "get_customer": ["expand"],
    "get_customer_by_email": ["expand"],
    "get_customers_by_query": PAGING,
    "get_customers_for_data_tables": ["expand"],
    "get_quick_books_online_customers": ["q"],
    "insert_customer": ["expand"],
    "merge_customer": ["expand"],
    "search_customers": ["search_string", "signup_dts_start", "signup_dts_end", *PAGING],
    "update_customer": ["expand"],
}


def operation_methods() -> list[str]:
    return [
        name
        for name, member in vars(uc.CustomerClient).items()
        if inspect.iscoroutinefunction(member) and not name.startswith("_") and name != "aclose"
    ]


def test_29_methods_in_the_sdks_alphabetical_order() -> None:
    methods = operation_methods()
    assert methods == list(OPERATIONS)
    assert methods == sorted(methods)
    assert len(methods) == 29


def test_every_paged_operation_has_its_iterator_methods() -> None:
    """Each operation taking `limit`/`offset` has `iter_<name>` and `iter_<name>_pages`."""
    paged = [
        name
        for name, op in OPERATIONS.items()
        if {"limit", "offset"} <= {p.name for p in op.query_params}
    ]
    assert paged == ["get_customers", "get_customers_by_query", "search_customers"]
    for name in paged:
        base = "iter_" + name.removeprefix("get_")
        for method, returns in (
            (base, uc.CustomerIterator),
            (f"{base}_pages", uc.CustomerPageIterator),
        ):
            hints = typing.get_type_hints(
                getattr(uc.CustomerClient, method), globalns=vars(uc._client), localns={}
            )
            assert hints["return"] is returns


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_signature_matches_the_sdk_and_the_operation(name: str) -> None:
    orders = []
    for form in method_signatures(uc.CustomerClient, name):
        params = [p for p in inspect.signature(form).parameters.values() if p.name != "self"]
        positional = [p.name for p in params if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
        keyword = [p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY]
        orders.append(positional)
        if name != "get_customers":
            assert keyword == KEYWORD_ONLY.get(name, [])
        assert all(p.default is None for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY)
        assert all(not p.name.startswith("_") for p in params)
        assert set(positional + keyword) == set(OPERATIONS[name].arg_names)
        hints = typing.get_type_hints(form, globalns=vars(uc._client), localns={})
        expected = OPERATIONS[name].response_type
        assert hints["return"] is (type(None) if expected is None else expected)
    # The current official SDK's order first; the older one too where both are accepted.
    assert orders[0] == POSITIONAL[name]
    assert len(orders) == (2 if name in {"update_customer", "merge_customer"} else 1)


# -- credentials -----------------------------------------------------------------------------


def test_no_credential_at_all_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ULTRACART_SIMPLE_KEY", raising=False)
    with pytest.raises(uc.InvalidInputError, match="ULTRACART_SIMPLE_KEY"):
        uc.CustomerClient()


@pytest.mark.parametrize("bad", ["sk-line\nbreak", "sk-\u00e9t\u00e9", "sk-tab\there"])
@pytest.mark.parametrize("kind", ["simple_key", "oauth_token", "browser_key"])
def test_credentials_a_header_cannot_carry_are_refused_without_echo(kind: str, bad: str) -> None:
    credential: dict[str, Any] = {kind: bad}
    with pytest.raises(uc.InvalidInputError, match="printable ASCII") as info:
        uc.CustomerClient(**credential)
    assert bad.strip() not in str(info.value)
    assert "sk-" not in str(info.value)


@pytest.mark.anyio
async def test_simple_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ULTRACART_SIMPLE_KEY", "env-SECRET")
    script = Script(reply(200, {}))
    async with uc.CustomerClient(
        base_url=BASE_URL, transport=httpx.MockTransport(script)
    ) as client:
        await client.get_customer_editor_values()
    assert script.requests[0].headers["x-ultracart-simple-key"] == "env-SECRET"


@pytest.mark.parametrize("bad", ["", "   ", 123, b"key"])
def test_credentials_must_be_non_empty_strings(bad: Any) -> None:
    with pytest.raises(uc.InvalidInputError, match="simple_key"):
        uc.CustomerClient(bad)


def test_secrets_are_not_in_repr() -> None:
    client = uc.CustomerClient(SECRET, oauth_token="tok-SECRET", browser_key="bk-SECRET")
    text = repr(client) + str(client) + repr(vars(client)) + repr(vars(client._requester))
    for secret in (SECRET, "tok-SECRET", "bk-SECRET"):
        assert secret not in text
    assert "simple_key" in repr(client)


def test_secret_formatting_never_reveals_the_value() -> None:
    secret = Secret(SECRET)
    redacted = "Secret('[REDACTED]')"
    shown = [
        f"{secret}",
        f"{secret!s}",
        f"{secret!r}",
        f"{secret:s}",
        f"{secret:>60}",
        format(secret),
        format(secret, "s"),
        "{}".format(secret),  # noqa: UP032 - str.format itself is what is tested
        "%s" % secret,  # noqa: UP031 - %-formatting itself is what is tested
        "%r" % secret,  # noqa: UP031
        str(secret),
        repr(secret),
    ]
    assert shown == [redacted] * len(shown)
    assert secret.reveal() == SECRET


def test_secret_cannot_be_pickled_and_the_error_does_not_quote_it() -> None:
    secret = Secret(SECRET)
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        with pytest.raises(TypeError, match="cannot be pickled") as info:
            pickle.dumps(secret, protocol=protocol)
        assert SECRET not in str(info.value)
        assert SECRET not in repr(info.value)


def test_redacted_request_of_a_streaming_body_keeps_no_body_and_no_secret() -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"password": "hunter2"}'

    original = httpx.Request(
        "POST",
        f"{BASE_URL}/customer/customers",
        headers={
            "x-ultracart-simple-key": SECRET,
            "Authorization": "Bearer tok-SECRET",
            "x-ultracart-browser-key": "bk-SECRET",
            "X-UltraCart-Api-Version": "2017-03-01",
        },
        content=chunks(),
    )
    with pytest.raises(httpx.RequestNotRead):
        _ = original.content  # the case being covered: a body that was never read
    copy = redacted_request(original)
    assert copy is not original
    assert (copy.method, str(copy.url)) == ("POST", f"{BASE_URL}/customer/customers")
    assert copy.content == b""
    assert copy.headers["x-ultracart-simple-key"] == "[REDACTED]"
    assert copy.headers["authorization"] == "[REDACTED]"
    assert copy.headers["x-ultracart-browser-key"] == "[REDACTED]"
    assert copy.headers["x-ultracart-api-version"] == "2017-03-01"
    values = [value for _, value in copy.headers.multi_items()]
    for secret in (SECRET, "tok-SECRET", "bk-SECRET"):
        assert not any(secret in value for value in values)
    assert original.headers["x-ultracart-simple-key"] == SECRET  # the original is untouched


def test_scrub_httpx_error_without_a_request_returns_it_unchanged() -> None:
    error = httpx.ConnectError("could not connect")
    with pytest.raises(RuntimeError):
        _ = error.request  # no request attached
    assert scrub_httpx_error(error) is error
    assert str(error) == "could not connect"
    with pytest.raises(RuntimeError):
        _ = error.request  # still none: nothing was invented


@pytest.mark.parametrize("url", ["secure.ultracart.com/rest/v2", "ftp://x", ""])
def test_base_url_must_be_http(url: str) -> None:
    with pytest.raises(uc.InvalidInputError, match="base_url"):
        uc.CustomerClient(SECRET, base_url=url)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timeout": 0},
        {"timeout": -1},
        {"timeout": httpx.Timeout(None)},
        {"max_retries": -1},
        {"max_retries": True},
        {"rate_limit": 1000},
    ],
    ids=lambda kwargs: ",".join(kwargs),
)
def test_bad_options_are_rejected(kwargs: dict[str, Any]) -> None:
    with pytest.raises(uc.InvalidInputError):
        uc.CustomerClient(SECRET, **kwargs)


@pytest.mark.anyio
async def test_http_client_and_transport_are_exclusive() -> None:
    async with httpx.AsyncClient() as mine:
        with pytest.raises(uc.InvalidInputError, match="not both"):
            uc.CustomerClient(SECRET, http_client=mine, transport=httpx.MockTransport(reply()))


def test_default_timeouts_are_finite() -> None:
    client = uc.CustomerClient(SECRET)
    timeout = client.timeout
    parts = (timeout.connect, timeout.read, timeout.write, timeout.pool)
    assert all(isinstance(t, float) and 0 < t < 600 for t in parts)
    assert client.max_retries >= 3


# -- lifecycle -------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_closed_client_refuses_calls() -> None:
    script = Script(reply(200, {}))
    client = make_client(script)
    async with client:
        await client.get_customer(1)
    assert client.is_closed
    assert "closed" in repr(client)
    with pytest.raises(uc.ClientClosedError):
        await client.get_customer(1)
    with pytest.raises(uc.ClientClosedError):
        async with client:
            pass
    await client.aclose()  # idempotent
    assert len(script.requests) == 1


@pytest.mark.anyio
async def test_own_pool_is_closed_but_a_callers_http_client_is_not() -> None:
    script = Script(reply(200, {}))
    owned = make_client(script)
    async with owned:
        pass
    assert owned._requester.http_client.is_closed

    mine = httpx.AsyncClient(transport=httpx.MockTransport(script), base_url="http://ignored")
    async with uc.CustomerClient(SECRET, base_url=BASE_URL, http_client=mine) as client:
        await client.get_customer(3)
    assert not mine.is_closed
    assert str(script.requests[-1].url) == f"{BASE_URL}/customer/customers/3"  # base_url wins
    await mine.aclose()


@pytest.mark.anyio
async def test_callers_http_client_closed_under_us_is_client_closed_error() -> None:
    mine = httpx.AsyncClient(transport=httpx.MockTransport(Script(reply(200, {}))))
    await mine.aclose()
    client = uc.CustomerClient(SECRET, base_url=BASE_URL, http_client=mine)
    with pytest.raises(uc.ClientClosedError):
        await client.get_customer(1)


# -- with_options ----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_with_options_shares_pool_and_limiter_and_overrides_per_view() -> None:
    script = Script(reply(503, {}), reply(200, {}))
    limiter = uc.RateLimit()
    client = make_client(script, rate_limit=limiter, max_retries=0)
    events: list[uc.RetryEvent] = []
    view = client.with_options(timeout=5, max_retries=2, on_retry=events.append)
    assert view._requester is client._requester
    assert view.rate_limit is client.rate_limit is limiter
    assert (view.max_retries, client.max_retries) == (2, 0)
    assert view.timeout == httpx.Timeout(5.0)
    assert client.timeout == uc.DEFAULT_TIMEOUT
    async with client:
        await view.get_customer(1)  # 503, retried by the view's policy
        assert [e.attempt for e in events] == [1]
        script.steps = [reply(503, {})]
        with pytest.raises(uc.ServerError):
            await client.get_customer(1)  # the parent keeps max_retries=0
    assert script.requests[0].extensions["timeout"] == httpx.Timeout(5.0).as_dict()
    assert script.requests[-1].extensions["timeout"] == uc.DEFAULT_TIMEOUT.as_dict()
    assert view.is_closed  # closing the client closes its views


@pytest.mark.anyio
async def test_with_options_on_retry_adds_to_the_hooks_already_set() -> None:
    script = Script(reply(503, {}), reply(200, {}))
    calls: list[tuple[str, int]] = []
    client = make_client(script, on_retry=lambda e: calls.append(("client", e.attempt)))
    view = client.with_options(on_retry=lambda e: calls.append(("view", e.attempt)))
    async with client:
        await view.get_customer(1)
    assert calls == [("client", 1), ("view", 1)]


@pytest.mark.anyio
async def test_per_call_timeout_raises_api_timeout_error() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client = uc.CustomerClient(
        SECRET, base_url=BASE_URL, transport=httpx.MockTransport(slow), max_retries=0
    )
    async with client:
        with pytest.raises(uc.APITimeoutError):
            await client.with_options(timeout=0.5).get_customer(1)


@pytest.mark.anyio
async def test_body_model_from_with_nulls_is_accepted() -> None:
    script = Script(reply(200, {}))
    async with make_client(script) as client:
        query = uc.with_nulls(models.CustomerQuery(email="a@example.com"), "billing_state")
        await client.get_customers_by_query(query, limit=10)
    assert script.requests[0].content == b'{"email":"a@example.com","billing_state":null}'


@pytest.mark.parametrize(
    "build",
    [
        lambda: uc.RetryPolicy(max_retries=-1),
        lambda: uc.RetryPolicy(max_retries=True),
        lambda: uc.RetryPolicy(max_retries=2.5),  # type: ignore[arg-type]
        lambda: uc.RetryPolicy(backoff_initial=-0.1),
        lambda: uc.RetryPolicy(backoff_max=float("nan")),
        lambda: uc.RetryPolicy(retry_after_cap=float("inf")),
        lambda: uc.RateLimit(per_hour=float("inf")),
        lambda: uc.RateLimit(per_day=0),
        lambda: uc.RateLimit(per_hour=True),
        lambda: uc.RateLimit(burst=True),
        lambda: uc.RateLimit(burst=0),
        lambda: uc.RateLimit(burst=1.5),  # type: ignore[arg-type]
    ],
)
def test_policy_and_limit_options_are_checked_with_invalid_input_error(
    build: Callable[[], object],
) -> None:
    with pytest.raises(uc.InvalidInputError):
        build()
