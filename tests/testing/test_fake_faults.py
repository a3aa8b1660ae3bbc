"""FakeUltraCart: injected faults (in-process and on sockets), latency and jitter, rate limiting,
auth, redaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import anyio
import httpx
import orjson
import pytest

import ultracart_async as uc
from ultracart_async import models
from ultracart_async._constants import (
    HEADER_API_VERSION,
    HEADER_BROWSER_KEY,
    HEADER_REQUEST_ID,
    HEADER_REST_ERROR,
    HEADER_RETRY_AFTER,
    HEADER_SIMPLE_KEY,
)
from ultracart_async.testing import (
    FAULT_KINDS,
    RESPONSE_FAULTS,
    SOCKET_FAULTS,
    FakeRateLimit,
    FakeUltraCart,
    _app,
)

pytest_plugins = ["pytester"]

Factory = Callable[..., FakeUltraCart]
NEW_CUSTOMER = {"email": "fault.test@example.com"}


@pytest.fixture(params=["in_process", "loopback"])
def base_url(request: pytest.FixtureRequest, fake_ultracart: FakeUltraCart) -> Iterator[str]:
    """Where to reach the fake: "" for in-process, else the loopback server's URL."""
    if request.param == "in_process":
        yield ""
    else:
        with fake_ultracart.serve_in_thread() as url:
            yield url


def _client(fake: FakeUltraCart, base_url: str = "", **kwargs: Any) -> httpx.AsyncClient:
    kwargs.setdefault("headers", fake.headers())
    if base_url:
        return httpx.AsyncClient(base_url=base_url, **kwargs)
    return httpx.AsyncClient(transport=fake.transport(), base_url=fake.base_url, **kwargs)


def _inserted(fake: FakeUltraCart) -> bool:
    return fake.find_customer_oid(NEW_CUSTOMER["email"]) is not None


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("kind", "status", "content_type"),
    [
        ("server_error", 500, "application/json"),
        ("rate_limit", 429, "application/json"),
        ("forbidden", 403, "application/json"),
        ("app_disabled", 410, "application/json"),
        ("html_502", 502, "text/html"),
        ("empty_502", 502, None),
    ],
)
async def test_error_faults_answer_before_processing(
    fake_ultracart: FakeUltraCart, base_url: str, kind: Any, status: int, content_type: str | None
) -> None:
    fake = fake_ultracart
    rule = fake.inject(kind, operation="insert_customer", retry_after=7)
    async with _client(fake, base_url) as http:
        response = await http.post("/customer/customers", json=NEW_CUSTOMER)
        assert response.status_code == status
        assert response.headers.get("content-type", "").split(";")[0] == (content_type or "")
        if content_type == "application/json":
            body = response.json()
            assert body["success"] is False
            assert body["error"]["developer_message"]
            assert response.headers[HEADER_REST_ERROR] == body["error"]["developer_message"]
            assert response.headers[HEADER_REQUEST_ID]
        if kind == "rate_limit":
            assert response.headers[HEADER_RETRY_AFTER] == "7"
        if kind == "forbidden":
            assert response.json()["error"]["error_code"] == "permission_denied"
            assert "permission" in response.headers[HEADER_REST_ERROR]
        if kind == "empty_502":
            assert response.content == b""
        assert not _inserted(fake)
        assert (rule.remaining, rule.fired) == (0, 1)
        retried = await http.post("/customer/customers", json=NEW_CUSTOMER)
    assert retried.status_code == 200
    assert fake.counters.faults == {kind: 1}
    assert fake.counters.writes == {"insert_customer": 1}
    assert [r.fault for r in fake.requests] == [kind, None]


@pytest.mark.anyio
async def test_forbidden_raises_permission_denied_applies_nothing_and_is_not_retried(
    fake_ultracart: FakeUltraCart,
) -> None:
    fake = fake_ultracart
    fake.inject("forbidden", times=None)
    async with fake.client() as client:  # default retries: a 403 must not use any of them
        with pytest.raises(uc.PermissionDeniedError) as read:
            await client.get_customers(limit=5)
        assert len(fake.requests) == 1
        with pytest.raises(uc.PermissionDeniedError) as write:
            await client.insert_customer(models.Customer(email=NEW_CUSTOMER["email"]))
    assert len(fake.requests) == 2
    for info, record in zip((read, write), fake.requests, strict=True):
        error = info.value
        assert error.status_code == 403
        assert error.request_id == record.request_id
        assert error.error is not None
        assert error.error.error_code == "permission_denied"
        assert error.uc_rest_error is not None
        assert "lacks the customer read permission" in error.uc_rest_error
        assert (record.status, record.fault, record.applied) == (403, "forbidden", False)
    assert [r.operation for r in fake.requests] == ["get_customers", "insert_customer"]
    assert not _inserted(fake)
    assert fake.counters.writes == {}
    assert fake.counters.statuses == {403: 2}


@pytest.mark.anyio
async def test_malformed_json_is_processed(fake_ultracart: FakeUltraCart, base_url: str) -> None:
    fake = fake_ultracart
    fake.inject("malformed_json")
    async with _client(fake, base_url) as http:
        response = await http.post("/customer/customers", json=NEW_CUSTOMER)
    assert response.status_code == 200
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(response.content)
    assert _inserted(fake)


@pytest.mark.anyio
async def test_connect_error_in_process(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    fake.inject("connect_error")
    async with _client(fake) as http:
        with pytest.raises(httpx.ConnectError):
            await http.post("/customer/customers", json=NEW_CUSTOMER)
    assert not _inserted(fake)
    assert fake.counters.writes == {}
    assert fake.requests[-1].status is None


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("kind", "error"),
    [("reset", httpx.ReadError), ("commit_then_drop", httpx.RemoteProtocolError)],
)
async def test_answer_lost_after_processing(
    fake_ultracart: FakeUltraCart, base_url: str, kind: Any, error: type[Exception]
) -> None:
    fake = fake_ultracart
    fake.inject(kind)
    async with _client(fake, base_url) as http:
        with pytest.raises(error):
            await http.post("/customer/customers", json=NEW_CUSTOMER)
        assert _inserted(fake)
        assert fake.counters.writes == {"insert_customer": 1}
        assert fake.requests[-1].status is None
        assert fake.requests[-1].applied
        again = await http.get(f"/customer/customers/by_email/{NEW_CUSTOMER['email']}")
    assert again.status_code == 200


@pytest.mark.anyio
async def test_truncated_body(fake_ultracart: FakeUltraCart, base_url: str) -> None:
    fake = fake_ultracart
    fake.inject("truncated", operation="get_customers")
    async with _client(fake, base_url) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get("/customer/customers", params={"_limit": 50})
        whole = await http.get("/customer/customers", params={"_limit": 50})
    assert len(whole.json()["customers"]) == 50
    assert fake.counters.faults == {"truncated": 1}


@pytest.mark.anyio
async def test_slow_answer_times_out_after_processing(
    fake_ultracart: FakeUltraCart, base_url: str
) -> None:
    fake = fake_ultracart
    fake.inject("slow", delay=60)
    async with _client(fake, base_url, timeout=httpx.Timeout(5, read=0.3)) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.post("/customer/customers", json=NEW_CUSTOMER)
    assert _inserted(fake)


@pytest.mark.anyio
async def test_connect_error_on_loopback_processes_nothing(
    fake_ultracart: FakeUltraCart,
) -> None:
    fake = fake_ultracart
    fake.inject("connect_error")
    with fake.serve_in_thread() as url:
        async with _client(fake, url) as http:
            with pytest.raises(httpx.TransportError):
                await http.post("/customer/customers", json=NEW_CUSTOMER)
            follow_up = await http.get("/customer/editor_values")
    assert follow_up.status_code == 200
    assert not _inserted(fake)
    assert fake.counters.faults == {"connect_error": 1}


@pytest.mark.anyio
async def test_socket_faults_need_a_carrier(fake_ultracart: FakeUltraCart) -> None:
    """Under a plain ASGI server socket faults never fire (and stay pending)."""
    fake = fake_ultracart
    rule = fake.inject("reset")
    transport = httpx.ASGITransport(app=fake.app)
    async with httpx.AsyncClient(
        transport=transport, base_url=fake.base_url, headers=fake.headers()
    ) as http:
        response = await http.get("/customer/email_lists")
    assert response.status_code == 200
    assert (rule.remaining, rule.fired) == (1, 0)


@pytest.mark.anyio
async def test_fault_targeting_times_and_skip(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    fake.inject("server_error", operation="get_customer_email_lists", times=2, skip=1)
    fake.inject("commit_then_drop")  # writes only by default
    async with _client(fake) as http:
        statuses = [(await http.get("/customer/email_lists")).status_code for _ in range(4)]
        assert (await http.get("/customer/editor_values")).status_code == 200
        with pytest.raises(httpx.RemoteProtocolError):
            await http.post("/customer/customers", json=NEW_CUSTOMER)
    assert statuses == [200, 500, 500, 200]
    assert fake.counters.faults == {"server_error": 2, "commit_then_drop": 1}
    assert fake.faults.pending == []


@pytest.mark.anyio
async def test_probabilistic_faults_repeat_with_the_seed() -> None:
    async def run(seed: int) -> list[int]:
        fake = FakeUltraCart(customers=5, seed=seed)
        fake.inject("server_error", times=None, probability=0.5)
        async with _client(fake) as http:
            return [(await http.get("/customer/editor_values")).status_code for _ in range(30)]

    first, again, other = await run(1), await run(1), await run(2)
    assert first == again
    assert first != other
    assert set(first) == {200, 500}


async def _recorded_delays(
    monkeypatch: pytest.MonkeyPatch, requests: int = 20, **options: Any
) -> list[float]:
    """The delays the fake's app sleeps for `requests` requests (its sleeps are observed)."""
    delays: list[float] = []
    real_sleep = anyio.sleep

    async def observed_sleep(delay: float) -> None:
        delays.append(delay)
        await real_sleep(delay)

    fake = FakeUltraCart(customers=5, **options)
    with monkeypatch.context() as patch:
        patch.setattr(_app, "anyio", SimpleNamespace(sleep=observed_sleep))
        async with _client(fake) as http:
            for _ in range(requests):
                assert (await http.get("/customer/editor_values")).status_code == 200
    return delays


@pytest.mark.anyio
async def test_jitter_is_seeded_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    first = await _recorded_delays(monkeypatch, seed=1, latency_ms=2, jitter_ms=8)
    again = await _recorded_delays(monkeypatch, seed=1, latency_ms=2, jitter_ms=8)
    other = await _recorded_delays(monkeypatch, seed=2, latency_ms=2, jitter_ms=8)
    assert len(first) == len(other) == 20  # one sleep per request
    assert first == again  # the same seed gives the same delays
    assert first != other
    for delay in first + other:
        assert 0.002 <= delay <= 0.010 + 1e-9  # latency + uniform [0, jitter]
    assert len(set(first)) == 20
    assert max(first) - min(first) > 0.004  # spread over the range, not a constant offset
    plain = await _recorded_delays(monkeypatch, requests=5, seed=1, latency_ms=2)
    assert plain == [0.002] * 5  # no jitter unless asked for
    assert await _recorded_delays(monkeypatch, requests=5, seed=1) == []  # no sleep at all


def test_inject_rejects_nonsense(fake_ultracart: FakeUltraCart) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        fake_ultracart.inject("meteor")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="probability"):
        fake_ultracart.inject("reset", probability=2)
    with pytest.raises(ValueError, match="times"):
        fake_ultracart.inject("reset", times=0)
    assert FAULT_KINDS == RESPONSE_FAULTS | SOCKET_FAULTS
    assert len(FAULT_KINDS) == 18


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.anyio
async def test_rate_limit_leaky_bucket(fake_ultracart_factory: Factory) -> None:
    clock = FakeClock()
    fake = fake_ultracart_factory(
        customers=5, rate_limit=FakeRateLimit(per_hour=3, per_day=None, clock=clock)
    )
    async with _client(fake) as http:
        ok = [(await http.get("/customer/editor_values")).status_code for _ in range(3)]
        refused = await http.post("/customer/customers", json=NEW_CUSTOMER)
        assert ok == [200, 200, 200]
        assert refused.status_code == 429
        assert refused.headers[HEADER_RETRY_AFTER] == "1200"  # one request drains in 1200 s
        assert refused.json()["error"]["error_code"] == "rate_limit_exceeded"
        assert not _inserted(fake)
        clock.now += 1199
        assert (await http.get("/customer/editor_values")).status_code == 429
        clock.now += 1
        assert (await http.get("/customer/editor_values")).status_code == 200
        assert (await http.get("/customer/editor_values")).status_code == 429
    assert fake.counters.rate_limited == 3
    assert fake.counters.statuses == {200: 4, 429: 3}


@pytest.mark.anyio
async def test_rate_limit_per_day(fake_ultracart_factory: Factory) -> None:
    clock = FakeClock()
    fake = fake_ultracart_factory(
        customers=5, rate_limit=FakeRateLimit(per_hour=None, per_day=2, clock=clock)
    )
    async with _client(fake) as http:
        statuses = [(await http.get("/customer/editor_values")).status_code for _ in range(3)]
        retry_after = (await http.get("/customer/editor_values")).headers[HEADER_RETRY_AFTER]
    assert statuses == [200, 200, 429]
    assert retry_after == "43200"


@pytest.mark.anyio
async def test_rate_limit_max_in_flight(fake_ultracart_factory: Factory) -> None:
    fake = fake_ultracart_factory(
        customers=5,
        latency_ms=300,
        rate_limit=FakeRateLimit(per_hour=None, per_day=None, max_in_flight=1),
    )
    statuses: list[int] = []
    async with _client(fake) as http:

        async def call() -> None:
            statuses.append((await http.get("/customer/editor_values")).status_code)

        async with anyio.create_task_group() as group:
            group.start_soon(call)
            group.start_soon(call)
        statuses.append((await http.get("/customer/editor_values")).status_code)
    assert sorted(statuses[:2]) == [200, 429]
    assert statuses[2] == 200


@pytest.mark.anyio
async def test_rate_limit_is_off_by_default(fake_ultracart: FakeUltraCart) -> None:
    assert fake_ultracart.rate_limit is None
    async with _client(fake_ultracart) as http:
        statuses = {(await http.get("/customer/editor_values")).status_code for _ in range(60)}
    assert statuses == {200}


@pytest.mark.anyio
async def test_auth(fake_ultracart: FakeUltraCart, base_url: str) -> None:
    fake = fake_ultracart
    version = {HEADER_API_VERSION: "2017-03-01"}
    cases = [
        ({}, 401),
        ({HEADER_SIMPLE_KEY: "wrong"}, 401),
        ({HEADER_SIMPLE_KEY: fake.simple_key}, 200),
        ({"Authorization": f"Bearer {fake.oauth_token}"}, 200),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": f"Basic {fake.oauth_token}"}, 401),
        ({HEADER_BROWSER_KEY: fake.browser_key}, 401),  # browser keys only for lookups
    ]
    async with _client(fake, base_url, headers={}) as http:
        for headers, status in cases:
            response = await http.get("/customer/email_lists", headers={**version, **headers})
            assert response.status_code == status, headers
            assert response.headers[HEADER_REQUEST_ID]
            if status == 401:
                assert response.json()["error"]["error_code"] == "unauthorized"
                assert response.headers[HEADER_REST_ERROR]
        lookup = {"category": "email", "matches": "a"}
        for key, status in ((fake.browser_key, 200), ("wrong", 401)):
            response = await http.post(
                "/customer/search", json=lookup, headers={**version, HEADER_BROWSER_KEY: key}
            )
            assert response.status_code == status


@pytest.mark.anyio
async def test_api_version_header_policy(fake_ultracart_factory: Factory) -> None:
    strict = fake_ultracart_factory(customers=5)
    lenient = fake_ultracart_factory(customers=5, require_api_version=False)
    key = {HEADER_SIMPLE_KEY: strict.simple_key}
    async with _client(strict, headers=key) as http:
        missing = await http.get("/customer/email_lists")
        wrong = await http.get("/customer/email_lists", headers={HEADER_API_VERSION: "2099-01-01"})
    async with _client(lenient, headers=key) as http:
        accepted = await http.get("/customer/email_lists")
    assert missing.status_code == 400
    assert missing.json()["error"]["error_code"] == "missing_api_version"
    assert HEADER_API_VERSION in missing.headers[HEADER_REST_ERROR]
    assert wrong.status_code == 400
    assert wrong.json()["error"]["error_code"] == "unsupported_api_version"
    assert accepted.status_code == 200


@pytest.mark.anyio
async def test_request_log_redacts_secrets(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    secret_password = "correct-horse-battery-staple"
    async with _client(fake) as http:
        await http.post(
            "/customer/customers/email_verify/get_token",
            json={"email": "a@example.com", "password": secret_password},
        )
        await http.get(
            "/customer/email_lists", headers={"Authorization": f"Bearer {fake.oauth_token}"}
        )
        await http.post(
            "/customer/search",
            json={"category": "email"},
            headers={HEADER_BROWSER_KEY: fake.browser_key},
        )
        await http.post(
            "/customer/customers",
            json={"email": "card@example.com", "cards": [{"card_number": "4111111111111111"}]},
        )
    dumped = fake.format_requests() + repr(fake.requests) + str(fake.requests)
    for secret in (
        fake.simple_key,
        fake.oauth_token,
        fake.browser_key,
        secret_password,
        "4111111111111111",
    ):
        assert secret not in dumped
    first = fake.requests[0]
    assert first.headers[HEADER_SIMPLE_KEY.lower()] == "[REDACTED]"
    assert first.json == {"email": "a@example.com", "password": "[REDACTED]"}
    assert first.operation == "get_email_verification_token"
    assert first.method == "POST"
    assert first.path == "/rest/v2/customer/customers/email_verify/get_token"
    assert first.status == 200


def test_plugin_reports_the_request_log_on_failure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx
        import anyio

        def test_fails(fake_ultracart):
            async def go():
                async with httpx.AsyncClient(
                    transport=fake_ultracart.transport(),
                    base_url=fake_ultracart.base_url,
                    headers=fake_ultracart.headers(),
                ) as http:
                    await http.get("/customer/customers/by_email/nobody@example.com")
            anyio.run(go)
            assert False, "boom"

        def test_passes(fake_ultracart):
            assert len(fake_ultracart.customer_oids()) == 100
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*FakeUltraCart requests*", "*by_email/nobody*-> 400*"])
    assert FakeUltraCart().simple_key not in result.stdout.str()


@pytest.mark.anyio
async def test_rate_limited_requests_do_not_use_up_faults(fake_ultracart_factory: Factory) -> None:
    fake = fake_ultracart_factory(
        customers=5, rate_limit=FakeRateLimit(per_hour=1, per_day=None, clock=FakeClock())
    )
    async with _client(fake) as http:
        assert (await http.get("/customer/editor_values")).status_code == 200
        rule = fake.inject("server_error")
        assert (await http.get("/customer/editor_values")).status_code == 429
        fake.rate_limit = None
        assert (await http.get("/customer/editor_values")).status_code == 500
    assert (rule.remaining, rule.fired) == (0, 1)
    assert fake.counters.faults == {"server_error": 1}
