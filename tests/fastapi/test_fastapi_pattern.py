"""The FastAPI pattern by hand: one client per app (lifespan), handed to routes by Depends."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, HTTPException, Request

import ultracart_async as uc
from ultracart_async import models
from ultracart_async.testing import FakeUltraCart

from .helpers import served


def ultracart(request: Request) -> uc.CustomerClient:
    """The dependency: the app's one client."""
    client: uc.CustomerClient = request.app.state.ultracart
    return client


UltraCart = Annotated[uc.CustomerClient, Depends(ultracart)]


def create_app(make_client: Callable[[], uc.CustomerClient]) -> FastAPI:
    """The pattern from the README, with the client factory injectable for the test."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with make_client() as client:  # one pool and one rate limiter for the whole app
            app.state.ultracart = client
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/customers/{oid}")
    async def read_customer(oid: int, client: UltraCart) -> dict[str, Any]:
        try:
            response = await client.get_customer(oid, expand="billing")
        except uc.BadRequestError as exc:  # UltraCart answers 400 for a missing customer
            raise HTTPException(status_code=404, detail=str(exc)) from exc
        assert response.customer is not None
        return {"oid": response.customer.customer_profile_oid, "email": response.customer.email}

    @app.post("/customers/{oid}/credit")
    async def add_credit(oid: int, amount: float, client: UltraCart) -> dict[str, Any]:
        try:
            await client.add_customer_store_credit(
                oid, models.CustomerStoreCreditAddRequest(amount=amount)
            )
        except uc.WriteOutcomeUnknownError as exc:  # never blindly retried
            raise HTTPException(status_code=503, detail="outcome unknown; check") from exc
        return {"ok": True}

    return app


@pytest.mark.anyio
async def test_one_client_per_app_shared_by_every_request() -> None:
    fake = FakeUltraCart(customers=10, seed=3)
    created: list[uc.CustomerClient] = []

    def make_client() -> uc.CustomerClient:
        client = uc.CustomerClient(
            fake.simple_key, base_url=fake.base_url, transport=fake.transport()
        )
        created.append(client)
        return client

    oid = fake.customer_oids()[0]
    async with served(create_app(make_client)) as http:
        for _ in range(3):
            answer = await http.get(f"/customers/{oid}")
            assert answer.status_code == 200
            assert answer.json()["oid"] == oid
        assert (await http.get("/customers/999999")).status_code == 404
        fake.inject("commit_then_drop", operation="add_customer_store_credit")
        credit = f"/customers/{oid}/credit"
        assert (await http.post(credit, params={"amount": 5})).status_code == 503
        assert (await http.post(credit, params={"amount": 5})).status_code == 200
        assert [c.is_closed for c in created] == [False]
    assert [c.is_closed for c in created] == [True]  # one client, closed with the app
    assert fake.counters.writes["add_customer_store_credit"] == 2
    assert [r.operation for r in fake.requests].count("get_customer") == 4
