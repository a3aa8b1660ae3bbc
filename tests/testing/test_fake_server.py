"""FakeUltraCart's loopback HTTP/1.1 server: keep-alive, chunked bodies, clean shutdown, the CLI."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import anyio
import httpx
import pytest

from tools.spec import PROJECT_ROOT
from ultracart_async._constants import API_VERSION, HEADER_API_VERSION, HEADER_SIMPLE_KEY
from ultracart_async.testing import FakeUltraCart
from ultracart_async.testing.__main__ import build_parser
from ultracart_async.testing._constants import FAKE_MAX_REQUEST_BODY


def _raw_exchange(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(payload)
        chunks = []
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def test_keep_alive_and_chunked_request_bodies(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    with fake.serve_in_thread() as base_url:
        port = httpx.URL(base_url).port
        assert port is not None
        body = b'{"email": "chunked@example.com"}'
        head = (
            f"POST /rest/v2/customer/customers HTTP/1.1\r\nHost: x\r\n"
            f"{HEADER_SIMPLE_KEY}: {fake.simple_key}\r\n{HEADER_API_VERSION}: {API_VERSION}\r\n"
            "Content-Type: application/json\r\n"
        ).encode()
        chunked = head + b"Transfer-Encoding: chunked\r\n\r\n"
        chunked += f"{len(body[:10]):x}\r\n".encode() + body[:10] + b"\r\n"
        chunked += f"{len(body[10:]):x}\r\n".encode() + body[10:] + b"\r\n0\r\n\r\n"
        second = (
            b"GET /rest/v2/customer/editor_values HTTP/1.1\r\nHost: x\r\n"
            + f"{HEADER_SIMPLE_KEY}: {fake.simple_key}\r\n".encode()
            + f"{HEADER_API_VERSION}: {API_VERSION}\r\nConnection: close\r\n\r\n".encode()
        )
        answer = _raw_exchange(port, chunked + second)
    assert answer.count(b"HTTP/1.1 200 OK") == 2  # two answers on one connection
    assert b"Connection: keep-alive" in answer
    assert answer.rstrip().endswith(b"}")
    assert fake.find_customer_oid("chunked@example.com") is not None


def _head(fake: FakeUltraCart, request_line: str, *extra: str) -> bytes:
    lines = [request_line, "Host: x", f"{HEADER_SIMPLE_KEY}: {fake.simple_key}"]
    lines += [f"{HEADER_API_VERSION}: {API_VERSION}", *extra]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_pipelined_requests_are_answered_in_order(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    oid = fake.customer_oids()[0]
    with fake.serve_in_thread() as base_url:
        port = httpx.URL(base_url).port
        assert port is not None
        answer = _raw_exchange(
            port,
            _head(fake, "GET /rest/v2/customer/editor_values HTTP/1.1")
            + _head(fake, f"GET /rest/v2/customer/customers/{oid} HTTP/1.1")
            + _head(fake, "GET /rest/v2/customer/email_lists HTTP/1.0"),
        )
    answers = answer.split(b"HTTP/1.1 200 OK\r\n")[1:]
    assert len(answers) == 3
    assert b'"affiliates"' in answers[0]
    assert f'"customer_profile_oid":{oid}'.encode() in answers[1]
    assert b'"lists"' in answers[2]
    assert [b"Connection: keep-alive" in part for part in answers] == [True, True, False]
    assert b"Connection: close" in answers[2]  # HTTP/1.0: one request per connection


def test_expect_100_continue(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    body = b'{"email": "expecting@example.com"}'
    head = _head(
        fake,
        "POST /rest/v2/customer/customers HTTP/1.1",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Expect: 100-continue",
        "Connection: close",
    )
    with fake.serve_in_thread() as base_url:
        port = httpx.URL(base_url).port
        assert port is not None
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(head)
            assert conn.recv(65536) == b"HTTP/1.1 100 Continue\r\n\r\n"
            conn.sendall(body)
            assert conn.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")
    assert fake.find_customer_oid("expecting@example.com") is not None


def test_head_answers_carry_no_body(fake_ultracart: FakeUltraCart) -> None:
    with fake_ultracart.serve_in_thread() as base_url:
        port = httpx.URL(base_url).port
        assert port is not None
        answer = _raw_exchange(
            port,
            _head(fake_ultracart, "HEAD /rest/v2/customer/customers HTTP/1.1", "Connection: close"),
        )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 405 Method Not Allowed\r\n")
    assert b"Content-Length: " in head
    assert body == b""


def test_oversized_bodies_are_refused(fake_ultracart: FakeUltraCart) -> None:
    with fake_ultracart.serve_in_thread() as base_url:
        port = httpx.URL(base_url).port
        assert port is not None
        declared = _head(
            fake_ultracart,
            "POST /rest/v2/customer/customers HTTP/1.1",
            f"Content-Length: {FAKE_MAX_REQUEST_BODY + 1}",
        )
        assert _raw_exchange(port, declared + b"{}") == b""  # dropped before reading the body
    assert fake_ultracart.requests == []


def test_error_answers_close_the_connection(fake_ultracart: FakeUltraCart) -> None:
    with fake_ultracart.serve_in_thread() as base_url:
        port = httpx.URL(base_url).port
        assert port is not None
        answer = _raw_exchange(
            port, b"GET /rest/v2/customer/email_lists HTTP/1.1\r\nHost: x\r\n\r\n"
        )
    assert answer.startswith(b"HTTP/1.1 401 Unauthorized\r\n")
    assert b"Connection: close" in answer


def test_garbage_is_dropped(fake_ultracart: FakeUltraCart) -> None:
    with fake_ultracart.serve_in_thread() as base_url:
        port = httpx.URL(base_url).port
        assert port is not None
        assert _raw_exchange(port, b"NONSENSE\r\n\r\n") == b""
        follow_up = httpx.get(
            f"{base_url}/customer/editor_values", headers=fake_ultracart.headers()
        )
    assert follow_up.status_code == 200


@pytest.mark.anyio
async def test_many_concurrent_requests_and_clean_shutdown(fake_ultracart: FakeUltraCart) -> None:
    fake = fake_ultracart
    statuses: list[int] = []
    with fake.serve_in_thread() as base_url:
        async with httpx.AsyncClient(base_url=base_url, headers=fake.headers()) as http:

            async def fetch(offset: int) -> None:
                response = await http.get("/customer/customers", params={"_offset": offset})
                statuses.append(response.status_code)

            async with anyio.create_task_group() as group:
                for offset in range(0, 100, 5):
                    group.start_soon(fetch, offset)
    assert statuses == [200] * 20


def test_shutdown_with_an_idle_keep_alive_connection(fake_ultracart: FakeUltraCart) -> None:
    with httpx.Client(headers=fake_ultracart.headers()) as idle:
        with fake_ultracart.serve_in_thread() as base_url:
            assert idle.get(f"{base_url}/customer/editor_values").status_code == 200
        with pytest.raises(httpx.ConnectError):
            idle.get(f"{base_url}/customer/editor_values")  # the server is gone


def test_serve_command_starts_and_answers() -> None:
    args = build_parser().parse_args(["serve", "--port", "8765", "--customers", "10000"])
    assert (args.port, args.customers, args.latency_ms) == (8765, 10000, 0.0)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ultracart_async.testing",
            "serve",
            "--port",
            "0",
            "--customers",
            "50",
            "--latency-ms",
            "5",
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert "FakeUltraCart serving 50 customers at http://127.0.0.1:" in banner
        base_url = banner.rsplit(" ", 1)[-1].strip()
        fake = FakeUltraCart()
        response = httpx.get(f"{base_url}/customer/customers", headers=fake.headers())
        assert response.json()["metadata"]["result_set"]["total_records"] == 50
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_in_process_fake_and_demo_export_need_no_h11(tmp_path: Path) -> None:
    """The CLI's --demo runs the fake in-process: h11 (the loopback server's) is not needed."""
    out = tmp_path / "demo.jsonl"
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["h11"] = None  # importing h11 now fails
        from ultracart_async.cli import main
        from ultracart_async.testing import FakeUltraCart
        assert main(["export", "--demo", "12", "--out", {str(out)!r}]) == 0
        try:
            with FakeUltraCart(customers=1).serve_in_thread():
                raise AssertionError("served without h11")
        except ImportError:
            print("loopback server needs h11")
        """
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "loopback server needs h11" in result.stdout
    assert len(out.read_text().splitlines()) == 12
