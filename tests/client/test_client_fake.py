"""End to end against FakeUltraCart: every operation, real error answers, faults, redaction."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

import pytest

import ultracart_async as uc
from ultracart_async import models
from ultracart_async._operations import OPERATIONS
from ultracart_async.testing import FakeUltraCart, RecordedRequest

SECRET = "sk-live-SECRET-fedcba9876543210"


@pytest.fixture
def fake() -> FakeUltraCart:
    return FakeUltraCart(customers=40, seed=7, simple_key=SECRET)


def client_for(fake: FakeUltraCart, **kwargs: Any) -> uc.CustomerClient:
    """A client that owns its pool, on the fake's in-process transport, without backoff waits."""
    kwargs.setdefault("retry_policy", uc.RetryPolicy(backoff_initial=0.0))
    kwargs.setdefault("simple_key", SECRET)
    return uc.CustomerClient(base_url=fake.base_url, transport=fake.transport(), **kwargs)


def only_request(fake: FakeUltraCart) -> RecordedRequest:
    (request,) = fake.requests
    return request


Check = Callable[[uc.CustomerClient, int], Awaitable[Any]]


async def _every_operation(client: uc.CustomerClient, fake: FakeUltraCart) -> set[str]:
    """Call every operation once; after each, check what the fake received and what came back."""
    oid, other = fake.customer_oids()[:2]
    email = fake.get_customer(oid)["email"]  # type: ignore[index]
    seen: set[str] = set()

    async def run(
        name: str,
        call: Awaitable[Any],
        path: str,
        query: list[tuple[str, str]] | None = None,
        body: Any = None,
    ) -> Any:
        fake.clear_requests()
        result = await call
        op = OPERATIONS[name]
        request = only_request(fake)
        assert request.operation == name
        assert request.method == op.method
        assert request.path == "/rest/v2" + path
        assert request.query == (query or [])
        assert request.json == body
        assert request.status is not None
        assert 200 <= request.status < 300
        assert request.headers["x-ultracart-api-version"] == "2017-03-01"
        assert request.headers["user-agent"] == f"ultracart-async/{uc.__version__}"
        assert "x-ultracart-simple-key" in request.headers
        if op.response_type is None:
            assert result is None
        else:
            assert type(result) is op.response_type
        seen.add(name)
        return result

    one = f"/customer/customers/{oid}"
    page = await run(
        "get_customers",
        client.get_customers(
            billing_state="TX", limit=5, offset=0, sort="+email", expand="billing"
        ),
        "/customer/customers",
        [
            ("billing_state", "TX"),
            ("_limit", "5"),
            ("_offset", "0"),
            ("_sort", "+email"),
            ("_expand", "billing"),
        ],
    )
    assert page.metadata.result_set.limit == 5
    assert all(c.billing for c in page.customers)
    got = await run(
        "get_customer",
        client.get_customer(oid, expand="billing,shipping"),
        one,
        [("_expand", "billing,shipping")],
    )
    assert got.customer.customer_profile_oid == oid
    by_email = await run(
        "get_customer_by_email",
        client.get_customer_by_email(email),
        "/customer/customers/by_email/" + quote(email, safe=""),
    )
    assert by_email.customer.customer_profile_oid == oid
    await run(
        "get_customer_editor_values", client.get_customer_editor_values(), "/customer/editor_values"
    )
    lists = await run(
        "get_customer_email_lists", client.get_customer_email_lists(), "/customer/email_lists"
    )
    list_uuid = lists.lists[0].email_list_uuid
    await run("get_customer_loyalty", client.get_customer_loyalty(oid), one + "/loyalty")
    await run(
        "get_customer_store_credit", client.get_customer_store_credit(oid), one + "/store_credit"
    )
    await run(
        "get_customers_by_query",
        client.get_customers_by_query(models.CustomerQuery(billing_state="TX"), limit=3),
        "/customer/customers/query",
        [("_limit", "3")],
        {"billing_state": "TX"},
    )
    await run(
        "get_customers_for_data_tables",
        client.get_customers_for_data_tables(),
        "/customer/customers/dataTables",
    )
    await run(
        "search_customers",
        client.search_customers(search_string="a", limit=2),
        "/customer/customers/search",
        [("search_string", "a"), ("_limit", "2")],
    )
    await run(
        "search_customer_profile_values",
        client.search_customer_profile_values(
            models.LookupRequest(category="email", matches="a", max_hits=3)
        ),
        "/customer/search",
        body={"category": "email", "matches": "a", "max_hits": 3},
    )
    await run(
        "get_quick_books_online_customers",
        client.get_quick_books_online_customers(q="a"),
        "/customer/quickbooks_online/customers",
        [("q", "a")],
    )
    await run(
        "get_magic_link",
        client.get_magic_link(oid, "shop.example.com"),
        one + "/magic_link/shop.example.com",
    )
    token = await run(
        "get_email_verification_token",
        client.get_email_verification_token(
            models.EmailVerifyTokenRequest(email=email, password="pw")
        ),
        "/customer/customers/email_verify/get_token",
        body={"email": email, "password": "[REDACTED]"},
    )
    await run(
        "validate_email_verification_token",
        client.validate_email_verification_token(
            models.EmailVerifyTokenValidateRequest(token=token.token)
        ),
        "/customer/customers/email_verify/validate_token",
        body={"token": token.token},
    )
    await run(
        "add_customer_store_credit",
        client.add_customer_store_credit(
            oid, models.CustomerStoreCreditAddRequest(amount=5.0, description="goodwill")
        ),
        one + "/store_credit",
        body={"amount": 5.0, "description": "goodwill"},
    )
    cashback = await run(
        "adjust_internal_certificate",
        client.adjust_internal_certificate(
            oid, models.AdjustInternalCertificateRequest(adjustment_amount=2.5, description="x")
        ),
        one + "/adjust_cashback_balance",
        body={"adjustment_amount": 2.5, "description": "x"},
    )
    assert cashback.adjustment_amount == 2.5
    await run(
        "adjust_loyalty_points",
        client.adjust_loyalty_points(
            oid, models.AdjustLoyaltyPointsRequest(loyalty_points=10, description="x")
        ),
        one + "/adjust_loyalty_points",
        body={"loyalty_points": 10, "description": "x"},
    )
    await run(
        "update_customer_email_lists",
        client.update_customer_email_lists(
            oid, models.CustomerEmailListChanges(add_to_lists=[list_uuid])
        ),
        one + "/email_lists",
        body={"add_to_lists": [list_uuid]},
    )
    await run(
        "update_customer_email_suppression",
        client.update_customer_email_suppression(
            oid, models.CustomerEmailSuppressionRequest(clear_bounce=True)
        ),
        one + "/email_suppression",
        body={"clear_bounce": True},
    )
    item = await run(
        "insert_wish_list_item",
        client.insert_wish_list_item(
            oid, models.CustomerWishListItem(merchant_item_oid=11, comments="hi")
        ),
        one + "/wishlist",
        body={"merchant_item_oid": 11, "comments": "hi"},
    )
    item_path = f"{one}/wishlist/{item.customer_wishlist_item_oid}"
    await run("get_customer_wish_list", client.get_customer_wish_list(oid), one + "/wishlist")
    await run(
        "get_customer_wish_list_item",
        client.get_customer_wish_list_item(oid, item.customer_wishlist_item_oid),
        item_path,
    )
    updated = await run(
        "update_wish_list_item",
        client.update_wish_list_item(
            oid, item.customer_wishlist_item_oid, models.CustomerWishListItem(comments="yo")
        ),
        item_path,
        body={"comments": "yo"},
    )
    assert updated.comments == "yo"
    await run(
        "delete_wish_list_item",
        client.delete_wish_list_item(oid, item.customer_wishlist_item_oid),
        item_path,
    )
    inserted = await run(
        "insert_customer",
        client.insert_customer(models.Customer(email="new.person@example.com"), expand="billing"),
        "/customer/customers",
        [("_expand", "billing")],
        {"email": "new.person@example.com"},
    )
    new_oid = inserted.customer.customer_profile_oid
    await run(
        "update_customer",
        client.update_customer(models.Customer(qb_class="VIP"), new_oid, expand="billing"),
        f"/customer/customers/{new_oid}",
        [("_expand", "billing")],
        {"qb_class": "VIP"},
    )
    assert fake.get_customer(new_oid)["qb_class"] == "VIP"  # type: ignore[index]
    await run(
        "merge_customer",
        client.merge_customer(models.CustomerMergeRequest(customer_profile_oid=other), new_oid),
        f"/customer/customers/{new_oid}/merge",
        body={"customer_profile_oid": other},
    )
    assert fake.get_customer(other) is None  # folded into new_oid and deleted
    await run("delete_customer", client.delete_customer(new_oid), f"/customer/customers/{new_oid}")
    assert fake.get_customer(new_oid) is None
    return seen


@pytest.mark.anyio
async def test_every_operation_end_to_end(fake: FakeUltraCart) -> None:
    async with client_for(fake) as client:
        seen = await _every_operation(client, fake)
    assert seen == set(OPERATIONS)


@pytest.mark.anyio
async def test_every_operation_over_loopback_http(fake: FakeUltraCart) -> None:
    with fake.serve_in_thread() as base_url:
        async with uc.CustomerClient(SECRET, base_url=base_url) as client:
            seen = await _every_operation(client, fake)
    assert seen == set(OPERATIONS)


@pytest.mark.anyio
async def test_oauth_and_browser_key_against_the_fake(fake: FakeUltraCart) -> None:
    lookup = models.LookupRequest(category="email", matches="a", max_hits=1)
    async with client_for(fake, simple_key=None, oauth_token=fake.oauth_token) as client:
        await client.get_customer(fake.customer_oids()[0])
    async with client_for(fake, simple_key=None, browser_key=fake.browser_key) as client:
        assert isinstance(
            await client.search_customer_profile_values(lookup), models.LookupResponse
        )
        with pytest.raises(uc.InvalidInputError):
            await client.get_customer(fake.customer_oids()[0])
    assert [r.operation for r in fake.requests] == [
        "get_customer",
        "search_customer_profile_values",
    ]


# -- error classes from the fake's real answers ----------------------------------------------


@pytest.mark.anyio
async def test_error_classes_from_real_answers(fake: FakeUltraCart) -> None:
    oid = fake.customer_oids()[0]
    async with client_for(fake, max_retries=0) as client:
        with pytest.raises(uc.BadRequestError, match="does not exist") as bad:
            await client.get_customer(999_999)
        assert bad.value.error is not None
        assert bad.value.error.developer_message
        assert bad.value.request_id
        assert bad.value.uc_rest_error
        cases: list[tuple[Any, type[uc.UltraCartError]]] = [
            ("forbidden", uc.PermissionDeniedError),
            ("app_disabled", uc.ApplicationDisabledError),
            ("rate_limit", uc.RateLimitError),
            ("server_error", uc.ServerError),
            ("html_502", uc.ServerError),
            ("empty_502", uc.ServerError),
            ("malformed_json", uc.ResponseDecodeError),
            ("reset", uc.APIConnectionError),
            ("truncated", uc.APIConnectionError),
            ("connect_error", uc.APIConnectionError),
        ]
        for kind, expected in cases:
            fake.inject(kind, retry_after=3)
            with pytest.raises(expected) as info:
                await client.get_customer(oid)
            assert type(info.value).__mro__.index(expected) <= 1, kind
            if isinstance(info.value, uc.RateLimitError):
                assert info.value.retry_after == 3.0
            if kind == "server_error":
                assert isinstance(info.value, uc.ServerError)
                assert info.value.error is not None
    async with client_for(fake, simple_key="not-the-key") as client:
        with pytest.raises(uc.AuthenticationError) as auth:
            await client.get_customer(oid)
    assert auth.value.status_code == 401
    assert "not-the-key" not in str(auth.value)


@pytest.mark.anyio
async def test_lowered_limit_cap_is_explained_not_swallowed() -> None:
    fake = FakeUltraCart(customers=5, max_limit=100)
    async with client_for(fake, simple_key=fake.simple_key) as client:
        with pytest.raises(uc.BadRequestError, match="100"):
            await client.get_customers(limit=150)


@pytest.mark.anyio
async def test_dot_dot_email_stays_in_its_route(fake: FakeUltraCart) -> None:
    async with client_for(fake, max_retries=0) as client:
        with pytest.raises(uc.APIStatusError):
            await client.get_customer_by_email("../../customers")
    request = only_request(fake)
    assert request.operation == "get_customer_by_email"


# -- retry matrix under injected faults ------------------------------------------------------

READS: dict[str, Callable[[uc.CustomerClient, int], Awaitable[Any]]] = {
    "get_customer": lambda c, oid: c.get_customer(oid),
    "get_customers": lambda c, oid: c.get_customers(limit=5),
    "get_customers_by_query": lambda c, oid: c.get_customers_by_query(models.CustomerQuery()),
    "search_customer_profile_values": lambda c, oid: c.search_customer_profile_values(
        models.LookupRequest(category="email", matches="a")
    ),
    "update_customer": lambda c, oid: c.update_customer(models.Customer(qb_class="Q"), oid),
    "update_customer_email_suppression": lambda c, oid: c.update_customer_email_suppression(
        oid, models.CustomerEmailSuppressionRequest(clear_bounce=True)
    ),
}
UNSAFE: dict[str, Callable[[uc.CustomerClient, int], Awaitable[Any]]] = {
    "add_customer_store_credit": lambda c, oid: c.add_customer_store_credit(
        oid, models.CustomerStoreCreditAddRequest(amount=1.0)
    ),
    "adjust_internal_certificate": lambda c, oid: c.adjust_internal_certificate(
        oid, models.AdjustInternalCertificateRequest(adjustment_amount=1.0)
    ),
    "adjust_loyalty_points": lambda c, oid: c.adjust_loyalty_points(
        oid, models.AdjustLoyaltyPointsRequest(loyalty_points=1)
    ),
    "insert_customer": lambda c, oid: c.insert_customer(models.Customer(email="x@example.com")),
    "insert_wish_list_item": lambda c, oid: c.insert_wish_list_item(
        oid, models.CustomerWishListItem(merchant_item_oid=1)
    ),
}
RETRIED_BY_ALL = ("connect_error", "rate_limit")
AMBIGUOUS = ("server_error", "html_502", "empty_502", "reset", "truncated")


@pytest.mark.anyio
@pytest.mark.parametrize("kind", RETRIED_BY_ALL + AMBIGUOUS)
async def test_reads_and_idempotent_writes_recover_from_every_fault(
    fake: FakeUltraCart, kind: Any
) -> None:
    oid = fake.customer_oids()[0]
    async with client_for(fake) as client:
        for name, call in READS.items():
            fake.clear_requests()
            events: list[uc.RetryEvent] = []
            fake.inject(kind, operation=name, retry_after=0)
            await call(client.with_options(on_retry=events.append), oid)
            assert [r.operation for r in fake.requests] == [name, name]
            assert [(e.operation, e.attempt) for e in events] == [(name, 1)]
            assert events[0].rate_limited is (kind == "rate_limit")


@pytest.mark.anyio
@pytest.mark.parametrize("kind", RETRIED_BY_ALL)
async def test_unsafe_writes_retry_only_what_was_never_processed(
    fake: FakeUltraCart, kind: Any
) -> None:
    oid = fake.customer_oids()[0]
    async with client_for(fake) as client:
        for name, call in UNSAFE.items():
            fake.inject(kind, operation=name, retry_after=0)
            await call(client, oid)
            assert fake.counters.writes[name] == 1, name  # applied exactly once
            assert fake.counters.requests[name] == 2, name


@pytest.mark.anyio
@pytest.mark.parametrize("kind", [*AMBIGUOUS, "commit_then_drop"])
async def test_unsafe_writes_never_retry_after_sending(fake: FakeUltraCart, kind: Any) -> None:
    oid = fake.customer_oids()[0]
    async with client_for(fake) as client:
        for name, call in UNSAFE.items():
            fake.inject(kind, operation=name)
            with pytest.raises(uc.WriteOutcomeUnknownError) as info:
                await call(client, oid)
            assert info.value.operation == name
            assert isinstance(info.value.__cause__, uc.APIConnectionError | uc.ServerError)
            assert fake.counters.requests[name] == 1, name  # sent once, never repeated
            assert fake.counters.writes[name] <= 1, name


@pytest.mark.anyio
async def test_slow_answer_times_out_per_call_and_is_retried_only_for_reads(
    fake: FakeUltraCart,
) -> None:
    oid = fake.customer_oids()[0]
    async with client_for(fake) as client:
        quick = client.with_options(timeout=0.05)
        fake.inject("slow", operation="get_customer", delay=5.0)
        assert (await quick.get_customer(oid)).customer is not None  # timed out, then retried
        fake.inject("slow", operation="add_customer_store_credit", delay=5.0)
        with pytest.raises(uc.WriteOutcomeUnknownError) as info:
            await quick.add_customer_store_credit(oid, models.CustomerStoreCreditAddRequest())
    assert isinstance(info.value.__cause__, uc.APITimeoutError)
    assert fake.counters.requests["get_customer"] == 2
    assert fake.counters.requests["add_customer_store_credit"] == 1


@pytest.mark.anyio
async def test_commit_then_drop_on_store_credit_is_one_error_and_one_ledger_entry(
    fake: FakeUltraCart,
) -> None:
    oid = fake.customer_oids()[0]

    def ledger_size() -> int:
        credit = _credit(fake, oid)
        return len(credit["past_ledgers"]) + len(credit["future_ledgers"])

    before = ledger_size()
    request = models.CustomerStoreCreditAddRequest(amount=25.0, description="refund #1")
    fake.inject("commit_then_drop", operation="add_customer_store_credit")
    errors: list[uc.WriteOutcomeUnknownError] = []
    async with client_for(fake) as client:
        try:
            await client.add_customer_store_credit(oid, request)
        except uc.WriteOutcomeUnknownError as exc:
            errors.append(exc)
    assert len(errors) == 1
    err = errors[0]
    assert err.operation == "add_customer_store_credit"
    assert err.method == "POST"
    assert err.url == f"{fake.base_url}/customer/customers/{oid}/store_credit"
    assert err.body == request
    assert ledger_size() == before + 1
    assert fake.counters.writes["add_customer_store_credit"] == 1
    assert [r.operation for r in fake.requests] == ["add_customer_store_credit"]


@pytest.mark.anyio
async def test_delete_after_commit_then_drop_is_outcome_unknown(fake: FakeUltraCart) -> None:
    oid = fake.customer_oids()[0]
    fake.inject("commit_then_drop", operation="delete_customer")
    async with client_for(fake) as client:
        with pytest.raises(uc.WriteOutcomeUnknownError) as info:
            await client.delete_customer(oid)
    assert isinstance(info.value.__cause__, uc.BadRequestError)  # the retry found it gone
    assert fake.get_customer(oid) is None
    assert fake.counters.writes["delete_customer"] == 1


# -- bad input never reaches the server ------------------------------------------------------


@pytest.mark.anyio
async def test_bad_input_never_reaches_the_server(fake: FakeUltraCart) -> None:
    bad_calls: list[Callable[[uc.CustomerClient], Awaitable[Any]]] = [
        lambda c: c.get_customer("56"),  # type: ignore[arg-type]
        lambda c: c.get_customer(True),
        lambda c: c.get_customers(limit=500),
        lambda c: c.get_customers(offset=-1),
        lambda c: c.get_customers(billing_state=5),  # type: ignore[arg-type]
        lambda c: c.get_customer_by_email(""),
        lambda c: c.insert_customer(models.CustomerQuery()),  # type: ignore[arg-type]
        lambda c: c.add_customer_store_credit(1, models.Customer()),  # type: ignore[arg-type]
        lambda c: c.merge_customer(1, models.Customer()),  # type: ignore[call-overload]
        lambda c: c.get_customers_by_query(models.CustomerQuery(), limit=0),
    ]
    async with client_for(fake) as client:
        for bad in bad_calls:
            with pytest.raises(uc.InvalidInputError):
                await bad(client)
    assert fake.requests == []


# -- secrets under DEBUG logging -------------------------------------------------------------


@pytest.mark.anyio
async def test_secret_never_logged_or_shown_even_at_debug(
    fake: FakeUltraCart, caplog: pytest.LogCaptureFixture
) -> None:
    # Both stacks' loggers (httpx2 logs as httpx2 and httpcore2).
    for name in ("httpx", "httpcore", "httpx2", "httpcore2", "ultracart_async"):
        caplog.set_level(logging.DEBUG, logger=name)
    oid = fake.customer_oids()[0]
    shown: list[str] = []
    with fake.serve_in_thread() as base_url:
        client = uc.CustomerClient(SECRET, base_url=base_url, max_retries=1)
        shown += [repr(client), str(client)]
        async with client:
            await client.get_customer(oid, expand="billing")
            fake.inject("server_error", operation="get_customers", times=None)
            fake.inject("reset", operation="add_customer_store_credit")
            for failing in (
                client.get_customers(),
                client.add_customer_store_credit(oid, models.CustomerStoreCreditAddRequest()),
            ):
                try:
                    await failing
                except uc.UltraCartError as exc:
                    chain: BaseException | None = exc
                    while chain is not None:
                        shown += [str(chain), repr(chain), repr(vars(chain))]
                        for attr in ("response", "request"):
                            obj = getattr(chain, attr, None)
                            if obj is not None:
                                shown += [repr(obj.headers)] + (
                                    [repr(obj.request.headers)] if attr == "response" else []
                                )
                        chain = chain.__cause__ or chain.__context__
    records = caplog.records
    assert any(r.name.startswith("httpcore") for r in records)  # DEBUG really was on
    ours = [r for r in records if r.name == "ultracart_async"]
    assert any(getattr(r, "status", None) == 200 and getattr(r, "request_id", None) for r in ours)
    assert any(getattr(r, "attempt", None) == 2 for r in ours)
    everything = caplog.text + "".join(repr(vars(r)) for r in records) + "".join(shown)
    assert SECRET not in everything
    assert len(shown) > 6


def _credit(fake: FakeUltraCart, oid: int) -> dict[str, Any]:
    credit = fake.store_credit(oid)
    assert credit is not None, f"no customer {oid}"
    return credit


@pytest.mark.anyio
async def test_calls_leave_no_cyclic_garbage(fake: FakeUltraCart) -> None:
    """Responses are freed by reference counting, not left to the cyclic collector."""
    import gc

    async with client_for(fake) as client:
        await client.get_customers(limit=50)
        gc.collect()
        gc.disable()
        try:
            for offset in range(0, 200, 50):
                await client.get_customers(limit=50, offset=offset)
            found = gc.collect()
        finally:
            gc.enable()
    assert found == 0  # was ~23 objects per call: each response in a cycle with its stream
