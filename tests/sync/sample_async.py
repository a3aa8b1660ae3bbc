"""An async client shaped like `CustomerClient` may grow: overloads, generics, raw-response views
(one with its own methods, one whose operations wrap the client's, as `WithRawResponse` does).

The generator turns it into `sample_sync.py` (committed; `test_sync_generator` regenerates it),
which mypy checks with the rest of the tests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from ultracart_async import models

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class RawResponse(Generic[T]):
    """What a `with_raw_response` call returns: the status, and the parsed body on demand."""

    status_code: int
    value: T

    def parse(self) -> T:
        return self.value


class SampleRaw:
    """The raw-response view of `SampleClient` (as `client.with_raw_response`)."""

    def __init__(self, client: SampleClient) -> None:
        self._client = client

    async def get_customer(self, customer_profile_oid: int) -> RawResponse[models.Customer]:
        """One customer, with the status it came with."""
        customer = await self._client.get_customer(customer_profile_oid)
        return RawResponse(200, customer)


class SampleClient:
    """A stand-in async client."""

    def __init__(self, name: str, *, factor: int = 2) -> None:
        self.name = name
        self.factor = factor
        self.closed = False

    async def aclose(self) -> None:
        self.closed = True

    async def __aenter__(self) -> SampleClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"SampleClient(name={self.name!r})"

    @property
    def with_raw_response(self) -> SampleRaw:
        """Every method, returning the raw response."""
        return SampleRaw(self)

    @property
    def with_raw_ops(self) -> SampleRawOps:
        """The same operations, answering with a `RawResponse` (made by `_RawOperation`)."""
        return SampleRawOps(self)

    @property
    def label(self) -> str:
        return f"{self.name}x{self.factor}"

    def with_options(self, *, factor: int | None = None) -> SampleClient:
        """A copy with another factor."""
        return SampleClient(self.name, factor=self.factor if factor is None else factor)

    async def get_customer(self, customer_profile_oid: int, /) -> models.Customer:
        """A customer (positional-only id)."""
        return models.Customer(customer_profile_oid=customer_profile_oid * self.factor)

    @overload
    async def update_customer(
        self, customer: models.Customer, customer_profile_oid: int, *, expand: str | None = None
    ) -> models.Customer: ...

    @overload
    async def update_customer(
        self, customer_profile_oid: int, customer: models.Customer, *, expand: str | None = None
    ) -> models.Customer: ...

    async def update_customer(
        self, *args: Any, expand: str | None = None, **kwargs: Any
    ) -> models.Customer:
        """Update a customer; either argument order."""
        values = [*args, *kwargs.values()]
        customer, oid = values if isinstance(values[0], models.Customer) else values[::-1]
        return models.Customer(customer_profile_oid=oid, email=customer.email)

    async def convert(self, value: object, cls: type[T]) -> T:
        """`value` if it is a `cls` (a generic method)."""
        if not isinstance(value, cls):
            raise TypeError(cls.__name__)
        return value

    async def tags(self, *names: str, **counts: int) -> Mapping[str, int]:
        """Variadic parameters, forwarded as declared."""
        return {**dict.fromkeys(names, 0), **counts}

    async def forget(self, customer_profile_oid: int) -> None:
        """Nothing back."""


class _RawOperation(Generic[P, R]):
    """`SampleRawOps.<operation>`: the client's method, answering with a RawResponse."""

    def __init__(self, method: Callable[Concatenate[SampleClient, P], Awaitable[R]]) -> None:
        self._name = method.__name__

    def __get__(
        self, view: SampleRawOps, owner: type[SampleRawOps]
    ) -> Callable[P, Awaitable[RawResponse[R]]]:
        method: Callable[P, Awaitable[R]] = getattr(view._client, self._name)

        async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
            return RawResponse(201, await method(*args, **kwargs))

        return call


class SampleRawOps:
    """Operations declared as wrapped client methods."""

    def __init__(self, client: SampleClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"SampleRawOps({self._client!r})"

    get_customer = _RawOperation(SampleClient.get_customer)
    update_customer = _RawOperation(SampleClient.update_customer)
    forget = _RawOperation(SampleClient.forget)
