"""Helpers shared by the test folders: a scripted httpx transport and a client built on it."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

import httpx

import ultracart_async as uc

BASE_URL = "https://uc.test/rest/v2"
SECRET = "sk-SECRET-0123456789abcdef"
# Retries without waiting (a 429's Retry-After is capped to 0), so no test sleeps.
NO_WAIT = uc.RetryPolicy(backoff_initial=0, retry_after_cap=0)

Step = Callable[[httpx.Request], httpx.Response]


class Script:
    """A MockTransport handler playing `steps` in order (the last one repeats); records requests."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        return step(request)


def reply(
    status: int = 200,
    json: Any = None,
    *,
    text: str | None = None,
    headers: dict[str, str] | None = None,
) -> Step:
    def step(request: httpx.Request) -> httpx.Response:
        hdrs = {"X-UltraCart-Request-Id": "req-1", **(headers or {})}
        if text is not None:
            return httpx.Response(status, text=text, headers=hdrs)
        if json is None:
            return httpx.Response(status, headers=hdrs)
        return httpx.Response(status, json=json, headers=hdrs)

    return step


def raise_(exc_type: type[httpx.TransportError]) -> Step:
    def step(request: httpx.Request) -> httpx.Response:
        raise exc_type("simulated", request=request)

    return step


def error_body(message: str = "bad things") -> dict[str, Any]:
    return {
        "error": {"developer_message": message, "user_message": "oops", "error_code": "E1"},
        "metadata": {},
        "success": False,
    }


def make_client(script: Script, **kwargs: Any) -> uc.CustomerClient:
    kwargs.setdefault("retry_policy", uc.RetryPolicy(backoff_initial=0.0))
    kwargs.setdefault("simple_key", SECRET)
    return uc.CustomerClient(base_url=BASE_URL, transport=httpx.MockTransport(script), **kwargs)


def method_signatures(cls: type, name: str) -> list[Callable[..., Any]]:
    """The typed forms of a method: its overloads where it has them, else the method itself."""
    method = getattr(cls, name)
    return list(typing.get_overloads(method)) or [method]
