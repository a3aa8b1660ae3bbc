"""One client per app: made in the lifespan, closed at shutdown, handed to routes by Depends.

```python
app = FastAPI(lifespan=ultracart_lifespan(lambda: uc.CustomerClient(simple_key=KEY)))

@app.get("/customers/{oid}")
async def read(oid: int, client: UltraCart) -> uc.CustomerResponse:
    return await client.get_customer(oid)
```

One client means one connection pool and one rate limiter for every request of the app; it
is made inside the server's event loop, where its connections live.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated

from fastapi import Depends, Request
from starlette.applications import Starlette

from ultracart_async._client import CustomerClient

__all__ = ["STATE_KEY", "UltraCart", "get_ultracart", "ultracart_client", "ultracart_lifespan"]

STATE_KEY = "ultracart"
"""The `app.state` attribute that holds the app's client."""


@asynccontextmanager
async def ultracart_client(
    app: Starlette, make_client: Callable[[], CustomerClient] = CustomerClient
) -> AsyncIterator[CustomerClient]:
    """Make the app's client and publish it on `app.state` until the block ends (then close).

    For an app with a lifespan of its own: `async with ultracart_client(app, make): yield`.
    `make_client` defaults to `CustomerClient()` (credentials from the environment).
    """
    async with make_client() as client:
        setattr(app.state, STATE_KEY, client)
        try:
            yield client
        finally:
            delattr(app.state, STATE_KEY)


def ultracart_lifespan(
    make_client: Callable[[], CustomerClient] = CustomerClient,
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """A lifespan (`FastAPI(lifespan=...)`) that holds the app's one client."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with ultracart_client(app, make_client):
            yield

    return lifespan


def get_ultracart(request: Request) -> CustomerClient:
    """The dependency: the app's client (`client: UltraCart` in a route's parameters)."""
    client = getattr(request.app.state, STATE_KEY, None)
    if not isinstance(client, CustomerClient):
        raise RuntimeError(
            "no UltraCart client on this app: create it with "
            "FastAPI(lifespan=ultracart_lifespan(...)) or enter ultracart_client(app) in yours"
        )
    return client


UltraCart = Annotated[CustomerClient, Depends(get_ultracart)]
"""A route parameter annotated `client: UltraCart` receives the app's client."""
