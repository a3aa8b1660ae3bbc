"""Hostile servers: every call ends within its deadline, bodies stay under their cap, no
credential echoed by a server reaches an exception, and aclose() ends calls under way."""

from __future__ import annotations

import asyncio
import base64
import gc
import gzip
import logging
import socket
import threading
import time
from typing import Any
from urllib.parse import quote

import anyio
import httpx
import orjson
import pytest

import ultracart_async as uc
from tests.hostile import response_head, send_forever, serve, trickle

pytestmark = pytest.mark.anyio

KEY = "sk-ECHOED-0123456789abcdef"
GUARD = 15.0  # a call that has not ended by then has no deadline at all
OK_BODY = orjson.dumps({"customer": {"customer_profile_oid": 1}, "success": True})


def _client(base_url: str, **kwargs: Any) -> uc.CustomerClient:
    kwargs.setdefault("max_retries", 0)
    return uc.CustomerClient(KEY, base_url=base_url, **kwargs)


def _credit() -> uc.CustomerStoreCreditAddRequest:
    return uc.CustomerStoreCreditAddRequest(amount=5.0, description="goodwill")


# -- deadlines ----------------------------------------------------------------------------------


def _drip_after_head(conn: socket.socket, head: bytes, stopping: threading.Event) -> None:
    conn.sendall(response_head("200 OK", {"Content-Length": str(len(OK_BODY) + 10**6)}))
    trickle(conn, OK_BODY + b" " * 10**6, stopping, every=0.1)


def _drip_inside_head(conn: socket.socket, head: bytes, stopping: threading.Event) -> None:
    trickle(conn, response_head("200 OK", {"X-Padding": "x" * 10_000}), stopping, every=0.1)


@pytest.mark.parametrize("behaviour", [_drip_after_head, _drip_inside_head])
async def test_a_trickling_server_cannot_outlast_the_deadline(behaviour: Any) -> None:
    with serve(behaviour) as (url, _):
        async with _client(url, timeout=2, deadline=1) as client:
            started = time.monotonic()
            with anyio.fail_after(GUARD), pytest.raises(uc.APITimeoutError, match="deadline"):
                await client.get_customer(1)
            assert time.monotonic() - started < GUARD


async def test_a_trickled_money_write_is_outcome_unknown_not_retried() -> None:
    with serve(_drip_after_head) as (url, heads):
        async with _client(url, timeout=2, deadline=1, max_retries=3) as client:
            with anyio.fail_after(GUARD), pytest.raises(uc.WriteOutcomeUnknownError):
                await client.add_customer_store_credit(1, _credit())
        assert len(heads) == 1


async def test_deadline_is_an_option_of_views() -> None:
    client = _client("https://uc.test/rest/v2", deadline=7)
    assert client.deadline == 7.0
    assert client.with_options(deadline=2).deadline == 2.0
    assert uc.CustomerClient(KEY).deadline > 0
    with pytest.raises(uc.InvalidInputError):
        client.with_options(deadline=0)
    with pytest.raises(uc.InvalidInputError):
        _client("https://uc.test/rest/v2", deadline=float("inf"))
    await client.aclose()


# -- bounded bodies -----------------------------------------------------------------------------


def _endless(conn: socket.socket, head: bytes, stopping: threading.Event) -> None:
    conn.sendall(response_head("200 OK", {"Transfer-Encoding": "chunked"}))
    send_forever(conn, stopping, b"[" * 65536)


_BOMB = gzip.compress(b" " * (64 * 1024 * 1024), compresslevel=9)


def _bomb(conn: socket.socket, head: bytes, stopping: threading.Event) -> None:
    headers = {"Content-Encoding": "gzip", "Content-Length": str(len(_BOMB))}
    conn.sendall(response_head("200 OK", headers) + _BOMB)


@pytest.mark.parametrize("behaviour", [_endless, _bomb])
async def test_a_body_past_the_cap_is_a_typed_error(behaviour: Any) -> None:
    with serve(behaviour) as (url, _):
        async with _client(url, max_response_bytes=1024 * 1024) as client:
            with anyio.fail_after(GUARD), pytest.raises(uc.ResponseTooLargeError) as caught:
                await client.get_customer(1)
    assert caught.value.limit == 1024 * 1024
    assert "max_response_bytes" in str(caught.value)


async def test_the_default_cap_stops_a_compressed_bomb() -> None:
    with serve(_bomb) as (url, _):
        async with _client(url) as client:
            assert client.max_response_bytes < 64 * 1024 * 1024
            with anyio.fail_after(GUARD), pytest.raises(uc.ResponseTooLargeError):
                await client.get_customer(1)


async def test_a_compressed_body_under_the_cap_decodes() -> None:
    body = gzip.compress(OK_BODY)

    def behaviour(conn: socket.socket, head: bytes, stopping: threading.Event) -> None:
        headers = {"Content-Encoding": "gzip", "Content-Length": str(len(body))}
        conn.sendall(response_head("200 OK", headers) + body)

    with serve(behaviour) as (url, heads):
        async with _client(url) as client:
            response = await client.get_customer(1)
    assert response.customer is not None
    assert response.customer.customer_profile_oid == 1
    assert b"accept-encoding: gzip, deflate" in heads[0].lower()


def _huge_error_page(conn: socket.socket, head: bytes, stopping: threading.Event) -> None:
    conn.sendall(response_head("503 Service Unavailable", {"Transfer-Encoding": "chunked"}))
    send_forever(conn, stopping, b"<p>busy</p>" * 6000)


async def test_a_huge_error_page_is_read_only_for_its_message() -> None:
    with serve(_huge_error_page) as (url, _):
        async with _client(url) as client:
            with anyio.fail_after(GUARD), pytest.raises(uc.ServerError) as caught:
                await client.get_customer(1)
    assert caught.value.response is not None
    assert len(caught.value.response.content) <= 64 * 1024
    assert "busy" in str(caught.value)


# -- credentials echoed by the server -----------------------------------------------------------

_FORMS = [
    KEY,
    quote(KEY, safe=""),
    base64.b64encode(f"user:{KEY}".encode()).decode(),
    base64.b64encode(f"{KEY}:".encode()).decode(),
]


def _echo(status: str, body: bytes, headers: dict[str, str] | None = None) -> Any:
    def behaviour(conn: socket.socket, head: bytes, stopping: threading.Event) -> None:
        all_headers = {"Content-Length": str(len(body)), **(headers or {})}
        conn.sendall(response_head(status, all_headers) + body)

    return behaviour


_ERROR_JSON = orjson.dumps(
    {"error": {"developer_message": f"bad key {' '.join(_FORMS)}"}, "success": False}
)
_ECHOES = {
    "401 json": _echo("401 Unauthorized", _ERROR_JSON),
    "502 html": _echo("502 Bad Gateway", f"<pre>{' '.join(_FORMS)}</pre>".encode()),
    "header": _echo("500 Internal Server Error", b"", {"UC-REST-ERROR": f"key {_FORMS[0]}"}),
    "200 html": _echo("200 OK", f"<html>{' | '.join(_FORMS)}</html>".encode()),
}


@pytest.mark.parametrize("behaviour", list(_ECHOES.values()), ids=list(_ECHOES))
async def test_a_credential_the_server_echoes_never_reaches_the_error(
    behaviour: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ultracart_async")
    with serve(behaviour) as (url, _):
        async with _client(url) as client:
            with anyio.fail_after(GUARD), pytest.raises(uc.APIError) as caught:
                await client.get_customer(1)
    error = caught.value
    texts = [str(error), repr(error), caplog.text, repr(vars(error))]
    response = getattr(error, "response", None)
    if response is not None:
        texts += [response.text, repr(response.headers.multi_items())]
    for text in texts:
        for form in _FORMS:
            assert form not in text


# -- aclose and inputs --------------------------------------------------------------------------


def _silent(conn: socket.socket, head: bytes, stopping: threading.Event) -> None:
    stopping.wait(10)


async def test_aclose_ends_calls_in_flight_and_queued_promptly() -> None:
    pool = httpx.AsyncClient(limits=httpx.Limits(max_connections=1))
    outcomes: list[type[BaseException]] = []
    with serve(_silent) as (url, _):
        client = _client(url, http_client=pool, timeout=30, deadline=60)

        async def call() -> None:
            try:
                await client.get_customer(1)
            except uc.UltraCartError as exc:
                outcomes.append(type(exc))

        with anyio.fail_after(GUARD):
            async with anyio.create_task_group() as group:
                for _ in range(4):
                    group.start_soon(call)
                await anyio.sleep(0.3)
                started = time.monotonic()
                await client.aclose()
            ended = time.monotonic() - started
        await pool.aclose()
    assert outcomes == [uc.ClientClosedError] * 4
    assert ended < 2.0


async def test_aclose_during_a_money_write_is_outcome_unknown() -> None:
    outcomes: list[BaseException] = []
    with serve(_silent) as (url, _):
        client = _client(url, timeout=30, deadline=60)

        async def write() -> None:
            try:
                await client.add_customer_store_credit(1, _credit())
            except uc.UltraCartError as exc:
                outcomes.append(exc)

        with anyio.fail_after(GUARD):
            async with anyio.create_task_group() as group:
                group.start_soon(write)
                await anyio.sleep(0.3)
                await client.aclose()
    assert [type(e) for e in outcomes] == [uc.WriteOutcomeUnknownError]
    assert isinstance(outcomes[0].__cause__, uc.ClientClosedError)


@pytest.mark.parametrize(
    "url",
    [
        "https://uc.test/rest/v2\r\nX-Injected: 1",
        "https://uc.test/rest/v2\n",
        "https://uc.test/rest\x00/v2",
        "https://uc.test/rest v2",
        "https:///rest/v2",
        "ftp://uc.test/rest/v2",
        "https://user:pw@uc.test/rest/v2",
        "https://uc.test:port/rest/v2",
        "https://uc.test/rest/v2?x=1",
    ],
)
def test_a_bad_base_url_is_refused_by_the_constructor(url: str) -> None:
    with pytest.raises(uc.InvalidInputError, match="base_url"):
        uc.CustomerClient(KEY, base_url=url)


# The first loop's pooled connection can only be garbage collected once that loop is gone.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_a_client_reused_across_event_loops_says_so() -> None:
    def behaviour(conn: socket.socket, head: bytes, stopping: threading.Event) -> None:
        # Keep-alive: answer every request on the connection.
        while True:
            conn.sendall(response_head("200 OK", {"Content-Length": str(len(OK_BODY))}) + OK_BODY)
            try:
                if not conn.recv(65536):
                    return
            except OSError:
                return

    with serve(behaviour) as (url, _):
        client = _client(url)
        asyncio.run(client.get_customer(1))
        with pytest.raises(uc.EventLoopMismatchError, match="one CustomerClient per event loop"):
            asyncio.run(client.get_customer(1))
        del client
        gc.collect()
