"""Transport behaviour over httpx.MockTransport: retry matrix, error mapping, decoding, headers."""

from __future__ import annotations

import inspect
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ultracart_async as uc
from tests.helpers import BASE_URL, SECRET, Script, Step, error_body, make_client, raise_, reply
from ultracart_async import models
from ultracart_async._operation import Operation, ParamKind
from ultracart_async._operations import OPERATIONS
from ultracart_async._retry import parse_retry_after


def ok_for(op: Operation[Any]) -> Step:
    """A success answer for `op`: 204 where it has no body, else an empty JSON object."""
    return reply(204) if op.response_type is None else reply(200, {})


def sample_kwargs(op: Operation[Any]) -> dict[str, Any]:
    """Valid arguments for any operation, by keyword."""
    kwargs: dict[str, Any] = {}
    for param in op.path_params:
        kwargs[param.name] = 7 if param.kind is ParamKind.OID else "shop@example.com"
    if op.body_param is not None and op.body_type is not None:
        kwargs[op.body_param] = op.body_type()
    return kwargs


async def call(client: uc.CustomerClient, op: Operation[Any], **extra: Any) -> Any:
    return await getattr(client, op.operation_id)(**sample_kwargs(op), **extra)


UNSAFE = {
    "add_customer_store_credit",
    "adjust_internal_certificate",
    "adjust_loyalty_points",
    "insert_customer",
    "insert_wish_list_item",
    "merge_customer",
    "validate_email_verification_token",
}
DELETES = {"delete_customer", "delete_wish_list_item"}
HTML_502 = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"

# Failures that provably happen before processing: every operation retries them.
NOT_PROCESSED: dict[str, Step] = {
    "connect_error": raise_(httpx.ConnectError),
    "connect_timeout": raise_(httpx.ConnectTimeout),
    "pool_timeout": raise_(httpx.PoolTimeout),
    "429": reply(429, error_body("slow down"), headers={"Retry-After": "0"}),
}
# Failures after the request may have been processed: reads retry, unsafe writes must not.
MAYBE_PROCESSED: dict[str, Step] = {
    "read_timeout": raise_(httpx.ReadTimeout),
    "write_timeout": raise_(httpx.WriteTimeout),
    "read_error": raise_(httpx.ReadError),
    "cut_body": raise_(httpx.RemoteProtocolError),
    "500": reply(500, error_body()),
    "502_html": reply(502, text=HTML_502, headers={"Content-Type": "text/html"}),
    "503": reply(503, text=""),
    "504": reply(504, error_body()),
}


@pytest.mark.anyio
@pytest.mark.parametrize("failure", sorted(NOT_PROCESSED))
async def test_failures_before_processing_are_retried_for_every_operation(failure: str) -> None:
    for op in OPERATIONS.values():
        script = Script(NOT_PROCESSED[failure], ok_for(op))
        events: list[uc.RetryEvent] = []
        async with make_client(script, on_retry=events.append) as client:
            await call(client, op)
        assert len(script.requests) == 2, op.operation_id
        assert [(e.operation, e.attempt) for e in events] == [(op.operation_id, 1)]
        assert events[0].rate_limited is (failure == "429")


@pytest.mark.anyio
@pytest.mark.parametrize("failure", sorted(MAYBE_PROCESSED))
async def test_failures_after_sending_retry_reads_but_never_unsafe_writes(failure: str) -> None:
    for op in OPERATIONS.values():
        script = Script(MAYBE_PROCESSED[failure], ok_for(op))
        async with make_client(script) as client:
            if op.operation_id in UNSAFE:
                with pytest.raises(uc.WriteOutcomeUnknownError) as info:
                    await call(client, op)
                assert len(script.requests) == 1, op.operation_id
                err = info.value
                assert err.operation == op.operation_id
                assert err.method == op.method
                assert err.url == str(script.requests[0].url)
                assert op.body_type is not None
                assert err.body == op.body_type()  # the model that was sent
                assert isinstance(err.__cause__, uc.APIConnectionError | uc.ServerError)
                assert not isinstance(err, uc.APIConnectionError)
            else:
                await call(client, op)
                assert len(script.requests) == 2, op.operation_id


@pytest.mark.anyio
async def test_unknown_5xx_is_raised_for_safe_operations_and_unknown_for_unsafe() -> None:
    for op in OPERATIONS.values():
        script = Script(reply(501, error_body()), ok_for(op))
        async with make_client(script) as client:
            expected = uc.WriteOutcomeUnknownError if op.operation_id in UNSAFE else uc.ServerError
            with pytest.raises(expected):
                await call(client, op)
        assert len(script.requests) == 1


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("status", "exc_type"),
    [
        (400, uc.BadRequestError),
        (401, uc.AuthenticationError),
        (403, uc.PermissionDeniedError),
        (404, uc.NotFoundError),
        (410, uc.ApplicationDisabledError),
        (409, uc.APIStatusError),
    ],
)
async def test_client_errors_are_never_retried(status: int, exc_type: type[Exception]) -> None:
    for op in OPERATIONS.values():
        script = Script(reply(status, error_body("nope")), ok_for(op))
        async with make_client(script) as client:
            with pytest.raises(exc_type) as info:
                await call(client, op)
        assert type(info.value) is exc_type
        assert len(script.requests) == 1


@pytest.mark.anyio
async def test_delete_answering_not_found_after_an_ambiguous_attempt_is_outcome_unknown() -> None:
    script = Script(reply(502, text=HTML_502), reply(400, error_body("no such customer")))
    async with make_client(script) as client:
        with pytest.raises(uc.WriteOutcomeUnknownError) as info:
            await client.delete_customer(7)
    assert len(script.requests) == 2
    assert isinstance(info.value.__cause__, uc.BadRequestError)


@pytest.mark.anyio
async def test_delete_not_found_after_a_connect_failure_is_a_plain_bad_request() -> None:
    script = Script(raise_(httpx.ConnectError), reply(400, error_body("no such customer")))
    async with make_client(script) as client:
        with pytest.raises(uc.BadRequestError):
            await client.delete_customer(7)


@pytest.mark.anyio
async def test_unsafe_write_exhausting_429s_raises_rate_limit_error() -> None:
    script = Script(reply(429, error_body(), headers={"Retry-After": "0"}))
    async with make_client(script, max_retries=2) as client:
        with pytest.raises(uc.RateLimitError) as info:
            await client.add_customer_store_credit(7, models.CustomerStoreCreditAddRequest())
    assert len(script.requests) == 3
    assert info.value.retry_after == 0.0


@pytest.mark.anyio
async def test_unsafe_write_exhausting_connect_failures_raises_connection_error() -> None:
    script = Script(raise_(httpx.ConnectError))
    async with make_client(script, max_retries=2) as client:
        with pytest.raises(uc.APIConnectionError) as info:
            await client.insert_customer(models.Customer(email="a@example.com"))
    assert not isinstance(info.value, uc.WriteOutcomeUnknownError)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert len(script.requests) == 3


@pytest.mark.anyio
async def test_read_gives_up_after_max_retries_with_the_last_error() -> None:
    script = Script(reply(503, error_body("down")))
    events: list[uc.RetryEvent] = []
    async with make_client(script, max_retries=3, on_retry=events.append) as client:
        with pytest.raises(uc.ServerError) as info:
            await client.get_customer(7)
    assert info.value.status_code == 503
    assert len(script.requests) == 4
    assert [e.attempt for e in events] == [1, 2, 3]
    assert all(isinstance(e.error, uc.ServerError) and not e.rate_limited for e in events)


@pytest.mark.anyio
async def test_default_max_retries_is_at_least_three() -> None:
    script = Script(raise_(httpx.ReadTimeout))
    async with make_client(script) as client:
        assert client.max_retries >= 3
        with pytest.raises(uc.APITimeoutError):
            await client.get_customer(7)
    assert len(script.requests) == client.max_retries + 1


@pytest.mark.anyio
async def test_zero_retries_sends_once() -> None:
    script = Script(reply(500, error_body()), reply(200, {}))
    async with make_client(script, max_retries=0) as client:
        with pytest.raises(uc.ServerError):
            await client.get_customer(7)
    assert len(script.requests) == 1


@pytest.mark.anyio
async def test_retry_after_seconds_is_the_delay() -> None:
    script = Script(reply(429, error_body(), headers={"Retry-After": "0.01"}), reply(200, {}))
    events: list[uc.RetryEvent] = []
    async with make_client(script, on_retry=events.append) as client:
        await client.get_customer(7)
    assert [(e.delay, e.rate_limited) for e in events] == [(0.01, True)]
    assert isinstance(events[0].error, uc.RateLimitError)


@pytest.mark.anyio
async def test_retry_after_is_capped() -> None:
    policy = uc.RetryPolicy(retry_after_cap=0.02)
    script = Script(reply(503, error_body(), headers={"Retry-After": "3600"}), reply(200, {}))
    events: list[uc.RetryEvent] = []
    async with make_client(script, retry_policy=policy, on_retry=events.append) as client:
        await client.get_customer(7)
    assert [e.delay for e in events] == [0.02]


@pytest.mark.anyio
async def test_retry_after_http_date_in_the_past_means_no_wait() -> None:
    past = format_datetime(datetime.now(UTC) - timedelta(minutes=5), usegmt=True)
    script = Script(reply(429, error_body(), headers={"Retry-After": past}), reply(200, {}))
    events: list[uc.RetryEvent] = []
    async with make_client(script, on_retry=events.append) as client:
        await client.get_customer(7)
    assert [e.delay for e in events] == [0.0]


def test_parse_retry_after_seconds_dates_and_garbage() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    in_90s = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after("120", now=lambda: now) == 120.0
    assert parse_retry_after(" 1.5 ", now=lambda: now) == 1.5
    assert parse_retry_after(in_90s, now=lambda: now) == 90.0
    assert parse_retry_after("-5", now=lambda: now) == 0.0
    assert parse_retry_after("soon", now=lambda: now) is None
    assert parse_retry_after("nan", now=lambda: now) is None
    assert parse_retry_after(None) is None


@pytest.fixture
def local_time_is_not_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's local time zone set to UTC-5 (POSIX TZ), so "local" cannot pass as UTC."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    monkeypatch.setenv("TZ", "XST+05")
    time.tzset()
    assert datetime(2026, 11, 29, 10, 0, 0).astimezone().utcoffset() == timedelta(hours=-5)
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("local_time_is_not_utc")
def test_parse_retry_after_http_date_without_a_zone_is_utc() -> None:
    now = datetime(2026, 11, 29, 10, 0, 0, tzinfo=UTC)
    # No zone at all, and RFC 2822's "-0000" (unknown zone): both parse to naive datetimes.
    assert parse_retry_after("Sun, 29 Nov 2026 10:00:30", now=lambda: now) == 30.0
    assert parse_retry_after("Sun, 29 Nov 2026 10:00:30 -0000", now=lambda: now) == 30.0
    # Not local time: a zone-aware date of the same instant agrees.
    assert parse_retry_after("Sun, 29 Nov 2026 11:00:30 +0100", now=lambda: now) == 30.0


def test_parse_retry_after_http_date_in_the_past_is_zero_and_garbage_is_none() -> None:
    now = datetime(2026, 11, 29, 10, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Sun, 29 Nov 2026 09:59:00 GMT", now=lambda: now) == 0.0
    assert parse_retry_after("Sun, 29 Nov 2026 09:59:00", now=lambda: now) == 0.0
    assert parse_retry_after("Sun, 29 Nov 2026 10:00:00 GMT", now=lambda: now) == 0.0
    for garbage in ("", "   ", "Sun, 32 Nov 2026 10:00:30 GMT", "tomorrow 10am", "10:00:30"):
        assert parse_retry_after(garbage, now=lambda: now) is None, garbage


@settings(max_examples=50, deadline=None)
@given(
    retry=st.integers(min_value=1, max_value=30),
    draw=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
    initial=st.floats(min_value=0.0, max_value=5.0),
    ceiling=st.floats(min_value=0.0, max_value=60.0),
)
def test_backoff_is_full_jitter_under_an_exponential_ceiling(
    retry: int, draw: float, initial: float, ceiling: float
) -> None:
    policy = uc.RetryPolicy(backoff_initial=initial, backoff_max=ceiling, random=lambda: draw)
    bound = min(ceiling, initial * 2 ** (retry - 1))
    error = uc.ServerError("x", status_code=500)
    delay = policy.delay(retry, error)
    assert 0.0 <= delay <= bound
    assert delay == pytest.approx(draw * bound)


def test_backoff_ceiling_doubles_until_the_cap() -> None:
    policy = uc.RetryPolicy(backoff_initial=0.5, backoff_max=4.0)
    assert [policy.backoff_ceiling(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]


# -- error mapping ---------------------------------------------------------------------------


@pytest.mark.anyio
async def test_error_body_is_parsed_into_the_error_model() -> None:
    script = Script(
        reply(
            400,
            error_body("customer_profile_oid is invalid"),
            headers={"UC-REST-ERROR": "customer_profile_oid is invalid"},
        )
    )
    async with make_client(script) as client:
        with pytest.raises(uc.BadRequestError) as info:
            await client.get_customer(7)
    err = info.value
    assert err.status_code == 400
    assert isinstance(err.error, models.Error)
    assert err.error.developer_message == "customer_profile_oid is invalid"
    assert err.error.error_code == "E1"
    assert err.request_id == "req-1"
    assert err.uc_rest_error == "customer_profile_oid is invalid"
    assert err.method == "GET"
    assert err.url == f"{BASE_URL}/customer/customers/7"
    assert "customer_profile_oid is invalid" in str(err)
    assert err.response is not None
    assert err.response.status_code == 400


@pytest.mark.anyio
async def test_html_502_is_a_server_error_with_an_excerpt() -> None:
    script = Script(reply(502, text=HTML_502, headers={"Content-Type": "text/html"}))
    async with make_client(script, max_retries=0) as client:
        with pytest.raises(uc.ServerError) as info:
            await client.get_customers()
    assert info.value.status_code == 502
    assert info.value.error is None
    assert "502 Bad Gateway" in str(info.value)


@pytest.mark.anyio
async def test_empty_error_body_is_still_typed() -> None:
    script = Script(reply(401))
    async with make_client(script) as client:
        with pytest.raises(uc.AuthenticationError) as info:
            await client.get_customer(7)
    assert info.value.error is None
    assert "empty body" in str(info.value)


@pytest.mark.anyio
async def test_rate_limit_error_carries_retry_after() -> None:
    script = Script(reply(429, error_body("too many"), headers={"Retry-After": "7"}))
    async with make_client(script, max_retries=0) as client:
        with pytest.raises(uc.RateLimitError) as info:
            await client.get_customer(7)
    assert info.value.retry_after == 7.0


@pytest.mark.anyio
async def test_success_status_with_an_error_object_raises() -> None:
    script = Script(reply(200, error_body("silently failed")))
    async with make_client(script) as client:
        with pytest.raises(uc.APIStatusError) as info:
            await client.get_customer(7)
    assert info.value.status_code == 200
    assert info.value.error is not None
    assert "silently failed" in str(info.value)
    assert len(script.requests) == 1


@pytest.mark.anyio
async def test_success_with_null_error_is_fine() -> None:
    body = {"customer": {"customer_profile_oid": 7}, "error": None, "success": True}
    script = Script(reply(200, body))
    async with make_client(script) as client:
        result = await client.get_customer(7)
    assert isinstance(result, models.CustomerResponse)
    assert result.customer is not None
    assert result.customer.customer_profile_oid == 7


@pytest.mark.anyio
async def test_no_body_operation_with_error_object_raises() -> None:
    script = Script(reply(200, error_body("merge refused")))
    async with make_client(script) as client:
        with pytest.raises(uc.APIStatusError, match="merge refused"):
            await client.merge_customer(models.CustomerMergeRequest(), 7)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "empty body"),
        (b"<html>maintenance</html>", "not JSON"),
        (b'{"customers": [{"customer_profile_oid": 1}', "not JSON"),
    ],
)
async def test_undecodable_success_body_is_response_decode_error(
    content: bytes, fragment: str
) -> None:
    script = Script(lambda request: httpx.Response(200, content=content))
    async with make_client(script) as client:
        with pytest.raises(uc.ResponseDecodeError, match=fragment) as info:
            await client.get_customers()
    assert info.value.status_code == 200
    assert len(script.requests) == 1


@pytest.mark.anyio
async def test_no_body_operation_answered_with_html_is_not_a_success() -> None:
    page = b"<html><body>Please log in to the proxy</body></html>"
    script = Script(lambda request: httpx.Response(200, content=page))
    async with make_client(script) as client:
        with pytest.raises(uc.ResponseDecodeError, match="not JSON"):
            await client.delete_customer(7)


@pytest.mark.anyio
async def test_no_body_operation_answered_with_plain_json_succeeds() -> None:
    script = Script(reply(200, {"success": True}))
    async with make_client(script) as client:
        await client.delete_customer(7)  # no exception: a JSON body without `error` is fine
    assert len(script.requests) == 1


@pytest.mark.anyio
async def test_redirects_are_never_followed_even_when_the_callers_client_would() -> None:
    script = Script(
        reply(307, headers={"Location": "https://elsewhere.test/steal"}),
        reply(200, {}),
    )
    mine = httpx.AsyncClient(transport=httpx.MockTransport(script), follow_redirects=True)
    async with mine, uc.CustomerClient(SECRET, base_url=BASE_URL, http_client=mine) as client:
        with pytest.raises(uc.APIStatusError) as info:
            await client.add_customer_store_credit(
                7, models.CustomerStoreCreditAddRequest(amount=5.0)
            )
    assert info.value.status_code == 307
    assert [str(r.url.host) for r in script.requests] == ["uc.test"]


@pytest.mark.anyio
async def test_wrong_type_names_the_field() -> None:
    body = {"customers": [{"customer_profile_oid": 1}, {"customer_profile_oid": "not a number"}]}
    script = Script(reply(200, body))
    async with make_client(script) as client:
        with pytest.raises(uc.ResponseDecodeError) as info:
            await client.get_customers()
    assert info.value.path == "customers[1].customer_profile_oid"
    assert "customers[1].customer_profile_oid" in str(info.value)
    assert isinstance(info.value.__cause__, uc.DecodeError)


@pytest.mark.anyio
async def test_unknown_keys_are_ignored() -> None:
    body = {"customer": {"customer_profile_oid": 7, "brand_new": {"x": 1}}, "also_new": 1}
    script = Script(reply(200, body))
    async with make_client(script) as client:
        result = await client.get_customer(7)
    assert result.customer is not None
    assert result.customer.customer_profile_oid == 7


@pytest.mark.anyio
async def test_connection_error_types() -> None:
    for httpx_error, ours in [
        (httpx.ConnectError, uc.APIConnectionError),
        (httpx.ConnectTimeout, uc.APITimeoutError),
        (httpx.ReadTimeout, uc.APITimeoutError),
        (httpx.ReadError, uc.APIConnectionError),
        (httpx.RemoteProtocolError, uc.APIConnectionError),
    ]:
        script = Script(raise_(httpx_error))
        async with make_client(script, max_retries=0) as client:
            with pytest.raises(ours) as info:
                await client.get_customer(7)
        assert isinstance(info.value.__cause__, httpx_error)


ILLEGAL_HEADER = "THE-SECRET-KEY"


def raise_local_protocol_error(request: httpx.Request) -> httpx.Response:
    # What h11 says about a header value it refuses: it quotes the value.
    raise httpx.LocalProtocolError(f"Illegal header value b'{ILLEGAL_HEADER}'")


def assert_cause_request_redacted(error: BaseException) -> None:
    """The httpx error chained as __cause__ carries a redacted copy of the request."""
    cause = error.__cause__
    assert isinstance(cause, httpx.HTTPError)
    request = cause.request
    assert request.headers["x-ultracart-simple-key"] == "[REDACTED]"
    shown = repr(request) + repr(request.headers.multi_items()) + str(request.url)
    assert SECRET not in shown
    assert ILLEGAL_HEADER not in shown


@pytest.mark.anyio
async def test_local_protocol_error_on_a_read_is_retried_and_never_shows_the_key() -> None:
    script = Script(raise_local_protocol_error)
    events: list[uc.RetryEvent] = []
    async with make_client(script, max_retries=2, on_retry=events.append) as client:
        with pytest.raises(uc.APIConnectionError) as info:
            await client.get_customer(7)
    err = info.value
    assert type(err) is uc.APIConnectionError  # neither "not sent" nor a timeout
    assert len(script.requests) == 3  # an APIConnectionError on a READ: retried max_retries times
    assert [e.attempt for e in events] == [1, 2]
    assert str(err) == (
        "get_customer: GET /customer/customers/7: "
        "the request could not be sent (LocalProtocolError)"
    )
    for text in (str(err), repr(err), repr(vars(err)), *(str(e.error) for e in events)):
        assert SECRET not in text
        assert ILLEGAL_HEADER not in text
    assert isinstance(err.__cause__, httpx.LocalProtocolError)
    assert_cause_request_redacted(err)
    assert script.requests[0].headers["x-ultracart-simple-key"] == SECRET  # it was sent with it


@pytest.mark.anyio
async def test_local_protocol_error_on_an_unsafe_write_is_outcome_unknown_sent_once() -> None:
    script = Script(raise_local_protocol_error)
    async with make_client(script, max_retries=3) as client:
        with pytest.raises(uc.WriteOutcomeUnknownError) as info:
            await client.add_customer_store_credit(
                7, models.CustomerStoreCreditAddRequest(amount=5.0)
            )
    err = info.value
    assert len(script.requests) == 1  # never repeated: it could apply the credit twice
    assert err.operation == "add_customer_store_credit"
    assert err.method == "POST"
    assert err.url == f"{BASE_URL}/customer/customers/7/store_credit"
    assert err.body == models.CustomerStoreCreditAddRequest(amount=5.0)
    cause = err.__cause__
    assert type(cause) is uc.APIConnectionError
    for text in (str(err), repr(err), str(cause), repr(cause)):
        assert SECRET not in text
        assert ILLEGAL_HEADER not in text
    assert "LocalProtocolError" in str(err)
    assert_cause_request_redacted(cause)


@pytest.mark.anyio
@pytest.mark.parametrize("httpx_error", [httpx.UnsupportedProtocol, httpx.DecodingError])
async def test_other_httpx_errors_become_connection_errors_naming_the_operation(
    httpx_error: type[httpx.RequestError],
) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx_error("no can do")

    script = Script(fail)
    async with make_client(script, max_retries=1) as client:
        with pytest.raises(uc.APIConnectionError) as info:
            await client.get_customer(7)
    err = info.value
    assert type(err) is uc.APIConnectionError
    assert len(script.requests) == 2  # an APIConnectionError on a READ: retried
    assert str(err) == (
        f"get_customer: GET /customer/customers/7: {httpx_error.__name__}: no can do"
    )
    assert SECRET not in str(err) + repr(err)
    assert isinstance(err.__cause__, httpx_error)
    assert_cause_request_redacted(err)


# -- the request on the wire -----------------------------------------------------------------


@pytest.mark.anyio
async def test_every_request_carries_version_user_agent_and_key() -> None:
    for op in OPERATIONS.values():
        script = Script(ok_for(op))
        async with make_client(script) as client:
            await call(client, op)
        (request,) = script.requests
        assert request.method == op.method
        assert request.headers["X-UltraCart-Api-Version"] == "2017-03-01"
        assert request.headers["User-Agent"] == f"ultracart-async/{uc.__version__}"
        assert request.headers["x-ultracart-simple-key"] == SECRET
        assert "authorization" not in request.headers
        if op.body_type is not None:
            assert request.headers["Content-Type"] == op.content_type
            assert request.content == b"{}"
        else:
            assert request.content == b""


@pytest.mark.anyio
async def test_oauth_token_is_sent_as_bearer() -> None:
    script = Script(reply(200, {}))
    async with make_client(script, simple_key=None, oauth_token="tok-SECRET") as client:
        await client.get_customer(7)
    assert script.requests[0].headers["Authorization"] == "Bearer tok-SECRET"
    assert "x-ultracart-simple-key" not in script.requests[0].headers


@pytest.mark.anyio
async def test_browser_key_only_for_search_customer_profile_values() -> None:
    script = Script(reply(200, {}))
    async with make_client(script, simple_key=None, browser_key="bk-SECRET") as client:
        await client.search_customer_profile_values(models.LookupRequest())
        assert script.requests[0].headers["x-ultracart-browser-key"] == "bk-SECRET"
        with pytest.raises(uc.InvalidInputError, match="browser") as info:
            await client.get_customer(7)
    assert "bk-SECRET" not in str(info.value)
    assert len(script.requests) == 1


@pytest.mark.anyio
async def test_simple_key_preferred_when_several_credentials_are_held() -> None:
    script = Script(reply(200, {}))
    client = make_client(script, oauth_token="tok-SECRET", browser_key="bk-SECRET")
    async with client:
        await client.search_customer_profile_values(models.LookupRequest())
    assert script.requests[0].headers["x-ultracart-simple-key"] == SECRET
    assert "x-ultracart-browser-key" not in script.requests[0].headers


@pytest.mark.anyio
async def test_body_is_the_model_without_unset_fields_and_with_explicit_nulls() -> None:
    script = Script(reply(200, {}))
    async with make_client(script) as client:
        await client.update_customer(models.Customer(email="a@example.com"), 7, expand="billing")
        customer = uc.with_nulls(models.Customer(email="b@example.com"), "qb_class")
        await client.update_customer(customer, 7)
    assert script.requests[0].content == b'{"email":"a@example.com"}'
    assert script.requests[0].url.params["_expand"] == "billing"
    assert script.requests[0].url.path == "/rest/v2/customer/customers/7"
    assert b'"qb_class":null' in script.requests[1].content


@pytest.mark.anyio
async def test_no_body_responses_return_none() -> None:
    script = Script(reply(204))
    no_body = ("delete_customer", "delete_wish_list_item", "merge_customer")
    async with make_client(script) as client:
        results = [await call(client, OPERATIONS[name]) for name in no_body]
    assert results == [None, None, None]
    assert [r.method for r in script.requests] == ["DELETE", "DELETE", "PUT"]


@pytest.mark.anyio
async def test_responses_decode_into_the_spec_models() -> None:
    for op in OPERATIONS.values():
        script = Script(ok_for(op))
        async with make_client(script) as client:
            result = await call(client, op)
        if op.response_type is None:
            assert result is None
        else:
            assert type(result) is op.response_type
            assert attrs.has(type(result))


def test_operation_records_match_the_spec(openapi_spec: dict[str, Any]) -> None:
    spec_ops = {
        op["operationId"]: (method.upper(), path, op)
        for path, item in openapi_spec["paths"].items()
        for method, op in item.items()
    }
    assert set(spec_ops) == set(OPERATIONS)
    for op in OPERATIONS.values():
        method, path, spec = spec_ops[op.operation_id]
        assert (op.method, op.path) == (method, path)
        params = spec.get("parameters", [])
        assert [p.wire for p in op.path_params] == [p["name"] for p in params if p["in"] == "path"]
        assert {p.wire for p in op.query_params} == {
            p["name"] for p in params if p["in"] == "query"
        }
        body = spec.get("requestBody")
        if body is None:
            assert op.body_type is None
        else:
            (content_type,) = body["content"]
            ref = body["content"][content_type]["schema"]["$ref"].rsplit("/", 1)[1]
            assert op.body_type is getattr(models, ref)
            assert op.content_type == content_type
        ok = next(code for code in spec["responses"] if code.startswith("2"))
        content = spec["responses"][ok].get("content")
        if content is None:
            assert op.response_type is None
        else:
            ref = next(iter(content.values()))["schema"]["$ref"].rsplit("/", 1)[1]
            assert op.response_type is getattr(models, ref)
        browser = any("ultraCartBrowserApiKey" in s for s in spec.get("security", []))
        assert (uc_auth_names(op) >= {"browser_key"}) is browser


def uc_auth_names(op: Operation[Any]) -> set[str]:
    return {kind.value for kind in op.auth}


def test_get_customers_takes_all_27_filters_by_spec_name(openapi_spec: dict[str, Any]) -> None:
    spec = openapi_spec["paths"]["/customer/customers"]["get"]
    filters = [p["name"] for p in spec["parameters"] if not p["name"].startswith("_")]
    assert len(filters) == 27
    params = inspect.signature(uc.CustomerClient.get_customers).parameters
    assert [n for n in params if n != "self"] == [
        *filters,
        "limit",
        "offset",
        "since",
        "sort",
        "expand",
    ]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for n, p in params.items() if n != "self")
