"""`ultracart_async.fastapi` in a real FastAPI app against FakeUltraCart, on asyncio.

Models as return types and bodies, the converter's response class, errors as statuses, and the
lifespan + dependency pattern (TestClient, and httpx's ASGI transport).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio
import httpx
import pytest
from fastapi import Body, FastAPI, Response
from fastapi.testclient import TestClient

import ultracart_async as uc
from tests.helpers import NO_WAIT
from ultracart_async import models
from ultracart_async.fastapi import (
    STATUS,
    UltraCart,
    UltraCartJSONResponse,
    add_exception_handlers,
    status_for,
    ultracart_client,
    ultracart_lifespan,
)
from ultracart_async.testing import FakeUltraCart

from .helpers import served

SECRET = "a-secret-key-never-shown"

# One of each error the library exports, and the status the handler answers it with.
ERRORS: dict[str, tuple[uc.UltraCartError, int]] = {
    "not_found": (uc.NotFoundError("no such item", status_code=404), 404),
    "invalid": (uc.InvalidInputError("limit must be between 1 and 200"), 422),
    "decode": (uc.DecodeError("expected integer, got string", path="oid"), 422),
    "bad_request": (uc.BadRequestError("rejected", status_code=400), 400),
    "rate_limit": (uc.RateLimitError("slow down", status_code=429, retry_after=2.5), 429),
    "server": (uc.ServerError("GET /customer: 500", status_code=500), 502),
    "connection": (uc.APIConnectionError("connection reset"), 502),
    "not_sent": (uc.NotSentError("connect refused"), 502),
    "timeout": (uc.APITimeoutError("read timeout"), 504),
    "not_sent_timeout": (uc.NotSentTimeoutError("pool timeout"), 504),
    "response_decode": (uc.ResponseDecodeError("HTML from a proxy"), 502),
    "too_large": (uc.ResponseTooLargeError("too big", limit=10), 502),
    "outcome_unknown": (
        uc.WriteOutcomeUnknownError("lost", operation="insert_customer", method="POST", url="u"),
        502,
    ),
    "status": (uc.APIStatusError("418", status_code=418), 502),
    "authentication": (uc.AuthenticationError("401", status_code=401), 502),
    "permission": (uc.PermissionDeniedError("403", status_code=403), 502),
    "app_disabled": (uc.ApplicationDisabledError("410", status_code=410), 502),
    "api": (uc.APIError("failed"), 502),
    "pagination": (uc.PaginationError("no progress", offset=0, pages=3), 502),
    "closed": (uc.ClientClosedError("the client is closed"), 503),
    "loop": (uc.EventLoopMismatchError("another loop"), 500),
    "sync_in_loop": (uc.SyncClientInEventLoopError("blocking call"), 500),
    "base": (uc.UltraCartError("something"), 500),
}


def create_app(fake: FakeUltraCart, **options: Any) -> FastAPI:
    made: list[uc.CustomerClient] = []
    options.setdefault("retry_policy", NO_WAIT)
    options.setdefault("simple_key", fake.simple_key)

    def make_client() -> uc.CustomerClient:
        client = uc.CustomerClient(base_url=fake.base_url, transport=fake.transport(), **options)
        made.append(client)
        return client

    app = FastAPI(lifespan=ultracart_lifespan(make_client))
    app.state.made = made
    add_exception_handlers(app)

    @app.get("/customers/{oid}")
    async def read(oid: int, client: UltraCart) -> models.CustomerResponse:
        return await client.get_customer(oid, expand="billing")

    @app.get("/customers/{oid}/bare", response_model=models.Customer)
    async def bare(oid: int, client: UltraCart) -> Any:
        return (await client.get_customer(oid)).customer

    @app.get("/table")
    async def table(client: UltraCart) -> models.DataTablesServerSideResponse:
        return await client.get_customers_for_data_tables()

    @app.get("/first")
    async def first(limit: int, client: UltraCart) -> list[models.Customer]:
        return (await client.get_customers(limit=limit)).customers or []

    # No response model: FastAPI's jsonable_encoder meets the models, then the response class.
    @app.get("/unannotated", response_class=UltraCartJSONResponse, response_model=None)
    async def unannotated(client: UltraCart) -> dict[str, Any]:
        return {"page": await client.get_customers(limit=2), "note": "as is"}

    @app.get("/nulls")
    async def nulls() -> Response:
        customer = models.Customer(email="a@example.com")
        return UltraCartJSONResponse(uc.with_nulls(customer, "merchant_id"))

    @app.post("/customers", status_code=201)
    async def create(
        customer: Annotated[models.Customer, Body()], client: UltraCart
    ) -> models.CustomerResponse:
        return await client.insert_customer(customer)

    @app.post("/customers/{oid}/credit")
    async def credit(oid: int, amount: float, client: UltraCart) -> models.BaseResponse:
        request = models.CustomerStoreCreditAddRequest(amount=amount)
        return await client.add_customer_store_credit(oid, request)

    @app.get("/errors/{name}")
    async def error(name: str) -> None:
        raise ERRORS[name][0]

    return app


@pytest.fixture
def fake() -> FakeUltraCart:
    return FakeUltraCart(customers=30, seed=7)


@pytest.fixture
def http(fake: FakeUltraCart) -> Iterator[TestClient]:
    with TestClient(create_app(fake)) as client:  # runs the lifespan, on asyncio
        yield client


# -- models as return types, response models and bodies -----------------------------------


def test_a_model_return_type_is_serialized_by_the_converter(
    fake: FakeUltraCart, http: TestClient
) -> None:
    oid = fake.customer_oids()[0]
    answer = http.get(f"/customers/{oid}")
    assert answer.status_code == 200
    body = answer.json()
    stored = fake.get_customer(oid)
    assert stored is not None
    assert body["customer"]["customer_profile_oid"] == oid
    assert body["customer"]["email"] == stored["email"]
    assert body["customer"]["billing"][0]["first_name"] == stored["billing"][0]["first_name"]
    assert "shipping" not in body["customer"]  # not expanded: absent, not null
    assert None not in _values(body)  # unset fields are omitted at every depth
    bare = http.get(f"/customers/{oid}/bare").json()
    assert bare["customer_profile_oid"] == oid
    assert None not in _values(bare)


def test_json_names_are_kept(http: TestClient) -> None:
    table = http.get("/table").json()
    assert {"recordsTotal", "recordsFiltered"} <= set(table)
    assert "records_total" not in table


def test_lists_of_models_and_unannotated_routes(http: TestClient) -> None:
    assert len(http.get("/first", params={"limit": 3}).json()) == 3
    unannotated = http.get("/unannotated")
    assert unannotated.headers["content-type"] == "application/json"
    body = unannotated.json()
    assert body["note"] == "as is"
    assert len(body["page"]["customers"]) == 2
    assert None not in _values(body)


def test_the_response_class_sends_with_nulls_fields_as_null(http: TestClient) -> None:
    assert http.get("/nulls").json() == {"email": "a@example.com", "merchant_id": None}


def test_a_model_body_is_decoded_by_the_converter(fake: FakeUltraCart, http: TestClient) -> None:
    created = http.post("/customers", json={"email": "new@example.com", "billing": []})
    assert created.status_code == 201
    oid = created.json()["customer"]["customer_profile_oid"]
    assert fake.get_customer(oid) is not None
    wrong = http.post("/customers", json={"email": "x@example.com", "merchant_id": 5})
    assert wrong.status_code == 422
    assert "merchant_id: expected string, got integer" in wrong.text
    assert http.post("/customers", json=[1]).status_code == 422


def test_the_openapi_document_describes_the_models(http: TestClient) -> None:
    document = http.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    table = schemas["DataTablesServerSideResponse"]
    assert table["title"] == "DataTablesServerSideResponse"
    assert {"recordsTotal", "recordsFiltered", "data", "draw"} == set(table["properties"])
    route = document["paths"]["/customers/{oid}"]["get"]
    response = route["responses"]["200"]["content"]["application/json"]["schema"]
    assert response == {"$ref": "#/components/schemas/CustomerResponse"}
    assert "customer" in schemas["CustomerResponse"]["properties"]


def _values(data: Any) -> Iterator[Any]:
    if isinstance(data, dict):
        for value in data.values():
            yield value
            yield from _values(value)
    elif isinstance(data, list):
        for value in data:
            yield value
            yield from _values(value)


# -- errors as statuses ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def error_app() -> Iterator[TestClient]:
    with TestClient(create_app(FakeUltraCart(customers=0))) as client:
        yield client


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_each_error_is_answered_with_its_status(name: str, error_app: TestClient) -> None:
    error, status = ERRORS[name]
    answer = error_app.get(f"/errors/{name}")
    assert answer.status_code == status == status_for(error)
    body = answer.json()
    assert body["error"] == type(error).__name__
    if status < 500:
        assert body["detail"] == str(error)
    else:
        assert str(error) not in body["detail"]  # nothing of the upstream exchange
    if isinstance(error, uc.RateLimitError):
        assert answer.headers["retry-after"] == "3"  # 2.5 s, rounded up
        assert body["retry_after"] == 3


def test_every_exported_error_is_in_the_table() -> None:
    exported = {
        value
        for value in vars(uc).values()
        if isinstance(value, type) and issubclass(value, uc.UltraCartError)
    }
    assert exported == {type(error) for error, _ in ERRORS.values()}
    assert set(STATUS) <= exported


def test_upstream_failures_through_the_fake(fake: FakeUltraCart, http: TestClient) -> None:
    oid = fake.customer_oids()[0]
    fake.inject("rate_limit", operation="get_customer", retry_after=7, times=5)
    limited = http.get(f"/customers/{oid}")
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "7")
    assert limited.json()["request_id"]
    fake.clear_faults()
    fake.inject("server_error", operation="get_customer", times=5)
    assert http.get(f"/customers/{oid}").status_code == 502
    fake.clear_faults()
    assert http.get("/customers/999999").status_code == 400  # UltraCart's answer when missing
    assert http.get("/customers/0").status_code == 422  # refused before sending
    assert http.get("/first", params={"limit": 1000}).json()["detail"] == (
        "get_customers: limit must be between 1 and 200, got 1000"
    )
    fake.inject("commit_then_drop", operation="add_customer_store_credit")
    lost = http.post(f"/customers/{oid}/credit", params={"amount": 5})
    assert lost.status_code == 502
    assert lost.json()["error"] == "WriteOutcomeUnknownError"
    assert "check before trying again" in lost.json()["detail"]
    assert fake.counters.writes["add_customer_store_credit"] == 1  # not retried


def test_a_timeout_is_504_and_a_bad_key_never_shows(fake: FakeUltraCart) -> None:
    fake.inject("slow", operation="get_customer", delay=5, times=None)
    with TestClient(create_app(fake, deadline=0.05, max_retries=0)) as http:
        assert http.get(f"/customers/{fake.customer_oids()[0]}").status_code == 504
    with TestClient(create_app(fake, simple_key=SECRET)) as http:
        refused = http.get("/table")
    assert refused.status_code == 502
    assert refused.json()["error"] == "AuthenticationError"
    assert SECRET not in refused.text


# -- one client per app ---------------------------------------------------------------------


def test_one_client_per_app_made_in_the_lifespan_and_closed_at_shutdown(
    fake: FakeUltraCart,
) -> None:
    app = create_app(fake)
    made: list[uc.CustomerClient] = app.state.made
    with TestClient(app) as http:
        for oid in fake.customer_oids()[:3]:
            assert http.get(f"/customers/{oid}").status_code == 200
        assert http.get("/table").status_code == 200
        assert [client.is_closed for client in made] == [False]
        assert app.state.ultracart is made[0]
    assert [client.is_closed for client in made] == [True]
    assert not hasattr(app.state, "ultracart")


def test_a_route_without_the_lifespan_gets_a_clear_error() -> None:
    app = FastAPI()

    @app.get("/")
    async def route(client: UltraCart) -> None:
        raise AssertionError("unreachable")

    with (
        TestClient(app, raise_server_exceptions=True) as http,
        pytest.raises(RuntimeError, match="ultracart_lifespan"),
    ):
        http.get("/")


class HoldTogether(httpx.AsyncBaseTransport):
    """Holds each request until `count` are in flight at once (fails after 10 s otherwise)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, count: int) -> None:
        self.inner, self.count, self.in_flight, self.peak = inner, count, 0, 0
        self.together = anyio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            if self.in_flight >= self.count:
                self.together.set()
            with anyio.fail_after(10):
                await self.together.wait()
            return await self.inner.handle_async_request(request)
        finally:
            self.in_flight -= 1

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_concurrent_requests_share_the_apps_client_over_asgi(
    fake: FakeUltraCart, anyio_backend: str
) -> None:
    gauge = HoldTogether(fake.transport(), count=8)
    made: list[uc.CustomerClient] = []

    def make_client() -> uc.CustomerClient:
        made.append(fake.client(transport=gauge))
        return made[-1]

    async def own_lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with ultracart_client(app, make_client):
            yield

    app = create_app(fake)
    app.router.lifespan_context = asynccontextmanager(own_lifespan)
    oids = fake.customer_oids()[:8]
    answers: dict[int, int] = {}
    async with served(app) as http:

        async def get(oid: int) -> None:
            answer = await http.get(f"/customers/{oid}")
            answers[oid] = answer.json()["customer"]["customer_profile_oid"]

        async with anyio.create_task_group() as group:
            for oid in oids:
                group.start_soon(get, oid)
        assert made[0].is_closed is False
    assert answers == {oid: oid for oid in oids}
    assert len(made) == 1  # one client served all eight
    assert gauge.peak == 8  # all in flight on it at once
    assert made[0].is_closed


# -- opt-in ---------------------------------------------------------------------------------


def test_import_ultracart_async_alone_installs_nothing() -> None:
    code = (
        "import sys, ultracart_async as uc\n"
        "assert 'fastapi' not in sys.modules and 'pydantic' not in sys.modules\n"
        "assert not hasattr(uc.Customer, '__get_pydantic_core_schema__')\n"
        "import ultracart_async.fastapi\n"
        "assert hasattr(uc.Customer, '__get_pydantic_core_schema__')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603
