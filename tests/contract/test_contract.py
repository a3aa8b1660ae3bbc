"""Contract test: Prism (proxy mode, `--errors`) between our requests and FakeUltraCart.

Prism validates every request against the spec and every FakeUltraCart response against the
spec; with `--errors` a violation becomes an error answer (and `sl-violations` names it). All 29
operations are driven twice: with plain httpx (tests/test_fake_operations.py's driver) and with
the real CustomerClient (tests/test_fake_client.py's driver).

Prism comes from `.ci/node` (`npm install --prefix .ci/node @stoplight/prism-cli@5`, done by
.ci/run); the test skips with a visible reason when npm/Prism or the spec is absent.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

import ultracart_async as uc
from tests.testing.test_fake_client import exercise_client_operations
from tests.testing.test_fake_operations import exercise_all_operations
from tools.spec import PROJECT_ROOT, SPEC_PATH, spec_available
from ultracart_async.testing import OPERATIONS, FakeUltraCart

pytestmark = pytest.mark.contract

PRISM_BIN = PROJECT_ROOT / ".ci" / "node" / "node_modules" / ".bin" / "prism"
STARTUP_TIMEOUT = 90.0
VIOLATIONS_HEADER = "sl-violations"


@dataclass
class Prism:
    fake: FakeUltraCart
    url: str
    log: Path

    def log_tail(self) -> str:
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(lines[-40:])


def _prism_command() -> list[str]:
    if PRISM_BIN.exists():
        return [str(PRISM_BIN)]
    if shutil.which("npm") is None:
        pytest.skip("npm is absent: cannot run Prism (@stoplight/prism-cli) for the contract test")
    pytest.fail(
        f"npm is present but Prism is not installed at {PRISM_BIN}; `nox -s tests` installs it, "
        "or run: npm install --no-audit --no-fund --prefix .ci/node @stoplight/prism-cli@5"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_listening(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Prism exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)  # polling an external process: there is no event to wait on
    pytest.fail(f"Prism did not listen within {STARTUP_TIMEOUT} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def prism() -> Iterator[Prism]:
    if not spec_available():
        pytest.skip(f"Customer API spec not found at {SPEC_PATH} (it lives in ../shared)")
    command = _prism_command()
    fake = FakeUltraCart(customers=60, seed=1)
    with (
        fake.serve_in_thread() as upstream,
        tempfile.TemporaryDirectory() as workdir,
    ):
        log = Path(workdir) / "prism.log"
        port = _free_port()
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                [
                    *command,
                    "proxy",
                    str(SPEC_PATH),
                    upstream,
                    "--errors",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--cors=false",
                ],
                stdout=output,
                stderr=subprocess.STDOUT,
                env={**os.environ, "NO_COLOR": "1"},
            )
            try:
                _wait_until_listening(process, port, log)
                yield Prism(fake, f"http://127.0.0.1:{port}", log)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


def _violations(responses: dict[str, httpx.Response]) -> dict[str, str]:
    return {
        name: response.headers[VIOLATIONS_HEADER]
        for name, response in responses.items()
        if VIOLATIONS_HEADER in response.headers
    }


@pytest.mark.anyio
async def test_all_operations_conform(prism: Prism) -> None:
    fake = prism.fake
    async with httpx.AsyncClient(base_url=prism.url, headers=fake.headers(), timeout=30) as http:
        try:
            responses = await exercise_all_operations(http, fake)
        except AssertionError as error:
            raise AssertionError(f"{error}\n--- Prism log ---\n{prism.log_tail()}") from None
    assert sorted(responses) == sorted(OPERATIONS)
    assert _violations(responses) == {}, prism.log_tail()
    served = {record.operation for record in fake.requests}
    assert set(OPERATIONS) <= served  # every call reached the fake through Prism


@pytest.mark.anyio
async def test_client_requests_conform(prism: Prism) -> None:
    fake = prism.fake
    fake.clear_requests()
    client = uc.CustomerClient(simple_key=fake.simple_key, base_url=prism.url, max_retries=0)
    async with client:
        try:
            called = await exercise_client_operations(client, fake)
        except uc.UltraCartError as error:
            raise AssertionError(f"{error!r}\n--- Prism log ---\n{prism.log_tail()}") from None
    assert called == set(OPERATIONS)
    assert {record.operation for record in fake.requests} == set(OPERATIONS)


@pytest.mark.anyio
async def test_error_answers_conform(prism: Prism) -> None:
    fake = prism.fake
    responses: dict[str, httpx.Response] = {}
    async with httpx.AsyncClient(base_url=prism.url, headers=fake.headers(), timeout=30) as http:
        responses["400 missing customer"] = await http.get("/customer/customers/1")
        responses["400 limit"] = await http.get("/customer/customers", params={"_limit": 500})
        responses["401"] = await http.get(
            "/customer/customers", headers={"x-ultracart-simple-key": "wrong"}
        )
        for kind in ("rate_limit", "server_error", "app_disabled"):
            fake.inject(kind, operation="get_customer_email_lists")
            responses[kind] = await http.get("/customer/email_lists")
    statuses = {name: response.status_code for name, response in responses.items()}
    assert statuses == {
        "400 missing customer": 400,
        "400 limit": 400,
        "401": 401,
        "rate_limit": 429,
        "server_error": 500,
        "app_disabled": 410,
    }, prism.log_tail()
    assert all(r.json()["success"] is False for r in responses.values())
    assert _violations(responses) == {}, prism.log_tail()


@pytest.mark.anyio
async def test_prism_catches_violations(prism: Prism) -> None:
    """The harness can fail: a bad request and a bad response are both caught."""
    fake = prism.fake
    oid = fake.customer_oids()[0]
    async with httpx.AsyncClient(base_url=prism.url, headers=fake.headers(), timeout=30) as http:
        bad_request = await http.post(
            f"/customer/customers/{oid}/store_credit", json={"amount": "ten"}
        )
        fake.report_total_records = False  # null: UltraCart does it, the spec does not allow it
        try:
            bad_response = await http.get("/customer/customers", params={"_limit": 1})
        finally:
            fake.report_total_records = True
    assert bad_request.status_code == 422
    assert bad_request.headers["content-type"] == "application/problem+json"
    assert bad_response.status_code == 500
    assert "total_records" in bad_response.headers[VIOLATIONS_HEADER]
