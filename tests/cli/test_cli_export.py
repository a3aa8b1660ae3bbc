"""The export CLI end to end against FakeUltraCart on loopback (and in-process for --demo)."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import orjson
import pytest

from ultracart_async import converter
from ultracart_async.cli import ExitCode, main
from ultracart_async.cli._columns import DEFAULT_COLUMNS
from ultracart_async.cli._output import ResumableFileOutput
from ultracart_async.testing import FakeUltraCart

CUSTOMERS = 57  # not a multiple of the page size: the last page is short
PAGE = "10"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fake() -> FakeUltraCart:
    return FakeUltraCart(customers=CUSTOMERS, seed=3)


@pytest.fixture
def base_url(fake: FakeUltraCart) -> Iterator[str]:
    with fake.serve_in_thread() as url:
        yield url


@pytest.fixture
def keyed(fake: FakeUltraCart, monkeypatch: pytest.MonkeyPatch) -> FakeUltraCart:
    """The fake's key in ULTRACART_SIMPLE_KEY, as a user would set it."""
    monkeypatch.setenv("ULTRACART_SIMPLE_KEY", fake.simple_key)
    return fake


def _truth(fake: FakeUltraCart, expand: str | None = None) -> list[dict[str, Any]]:
    """Every customer of the fake, in server order, read page by page with the plain client."""

    async def collect() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        async with fake.client() as client:
            while True:
                page = await client.get_customers(limit=200, offset=len(found), expand=expand)
                customers = page.customers or []
                found.extend(converter.unstructure(customer) for customer in customers)
                if len(customers) < 200:
                    return found

    return anyio.run(collect)


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def _export(base_url: str, out: Path, *extra: str) -> list[str]:
    return ["export", "--base-url", base_url, "--out", str(out), "--page-size", PAGE, *extra]


def _one_error_line(err: str, secret: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert secret not in err
    return lines[0]


# --- jsonl and csv -----------------------------------------------------------------------------


def test_jsonl_has_every_customer_once_in_order(
    keyed: FakeUltraCart, base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "customers.jsonl"
    assert main(_export(base_url, out, "--concurrency", "3")) == ExitCode.OK
    assert _jsonl(out) == _truth(keyed)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["customers.jsonl"]  # no .part left
    captured = capsys.readouterr()
    assert captured.out == ""
    summary = captured.err.strip().splitlines()[-1]
    assert f"exported {CUSTOMERS} customers to {out}" in summary
    for part in ("6 pages", "0 retries", "0 rate-limit waits", "0 duplicates dropped"):
        assert part in summary
    assert keyed.simple_key not in captured.err


def test_jsonl_with_expand_and_key_file(
    fake: FakeUltraCart, base_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ULTRACART_SIMPLE_KEY", raising=False)
    key_file = tmp_path / "key"
    key_file.write_text(fake.simple_key + "\n")
    out = tmp_path / "customers.jsonl"
    argv = _export(base_url, out, "--key-file", str(key_file), "--expand", "billing,tags")
    assert main(argv) == ExitCode.OK
    exported = _jsonl(out)
    assert exported == _truth(fake, expand="billing,tags")
    assert any(customer.get("billing") for customer in exported)


def test_csv_default_columns(
    keyed: FakeUltraCart, base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "customers.csv"  # the format follows the file name
    assert main(_export(base_url, out)) == ExitCode.OK
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == list(DEFAULT_COLUMNS)
    truth = _truth(keyed, expand="billing,shipping")
    assert len(rows) == 1 + len(truth)
    for row, customer in zip(rows[1:], truth, strict=True):
        record = dict(zip(rows[0], row, strict=True))
        assert record["customer_profile_oid"] == str(customer["customer_profile_oid"])
        assert record["email"] == customer.get("email", "")
        billing = customer.get("billing") or []
        default = next(
            (b for b in billing if b.get("default_billing")), billing[0] if billing else {}
        )
        assert record["billing_last_name"] == default.get("last_name", "")
        assert record["billing_postal_code"] == default.get("postal_code", "")
    assert "exported 57 customers" in capsys.readouterr().err


def test_csv_chosen_columns(keyed: FakeUltraCart, base_url: str, tmp_path: Path) -> None:
    out = tmp_path / "tags.txt"
    argv = _export(base_url, out, "--format", "csv", "--columns", "customer_profile_oid,tags")
    assert main(argv) == ExitCode.OK
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["customer_profile_oid", "tags"]
    expected = [
        [str(c["customer_profile_oid"]), ";".join(t["tag_value"] for t in c.get("tags") or [])]
        for c in _truth(keyed, expand="tags")
    ]
    assert rows[1:] == expected
    assert any(tags for _, tags in rows[1:])


def test_query_file_selects_by_query(keyed: FakeUltraCart, base_url: str, tmp_path: Path) -> None:
    truth = _truth(keyed, expand="billing")
    state = truth[0]["billing"][0]["state_region"]
    query = tmp_path / "query.json"
    query.write_text(json.dumps({"billing_state": state}))
    out = tmp_path / "texans.jsonl"
    assert main(_export(base_url, out, "--query-file", str(query))) == ExitCode.OK
    exported = [c["customer_profile_oid"] for c in _jsonl(out)]
    expected = [
        c["customer_profile_oid"]
        for c in truth
        if any(b.get("state_region") == state for b in c.get("billing") or [])
    ]
    assert exported == expected
    assert 0 < len(exported) < CUSTOMERS
    assert {r.operation for r in keyed.requests} >= {"get_customers_by_query"}


def test_email_filter_and_an_empty_result(
    keyed: FakeUltraCart, base_url: str, tmp_path: Path
) -> None:
    target = _truth(keyed)[7]
    out = tmp_path / "one.jsonl"
    assert main(_export(base_url, out, "--email", target["email"])) == ExitCode.OK
    assert _jsonl(out) == [target]
    empty = tmp_path / "none.csv"
    assert main(_export(base_url, empty, "--email", "nobody@example.invalid")) == ExitCode.OK
    assert empty.read_bytes() == ",".join(DEFAULT_COLUMNS).encode() + b"\r\n"


def test_summary_counts_retries_and_rate_limit_waits(
    keyed: FakeUltraCart, base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keyed.inject("rate_limit", operation="get_customers", times=2, skip=1, retry_after=0)
    keyed.inject("server_error", operation="get_customers", times=1, skip=1)
    out = tmp_path / "customers.jsonl"
    assert main(_export(base_url, out, "--progress", "plain")) == ExitCode.OK
    assert _jsonl(out) == _truth(keyed)
    summary = capsys.readouterr().err.splitlines()[-1]
    assert "6 pages, 3 retries, 2 rate-limit waits, 0 duplicates dropped" in summary


# --- resume ------------------------------------------------------------------------------------


def test_resume_after_failure_exhausting_retries(
    keyed: FakeUltraCart, base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "customers.jsonl"
    argv = _export(base_url, out, "--concurrency", "1", "--max-retries", "1")
    # Pages 1-3 succeed; page 4 fails on its first attempt and on its one retry.
    keyed.inject("server_error", operation="get_customers", times=2, skip=3)
    assert main(argv) == ExitCode.SERVER
    line = _one_error_line(capsys.readouterr().err, keyed.simple_key)
    assert "server error 500" in line
    assert "rerun with --resume" in line
    assert not out.exists()
    checkpoint = json.loads((tmp_path / "customers.jsonl.checkpoint").read_text())
    assert checkpoint["rows"] == 30
    assert checkpoint["next_offset"] == 30
    assert len(_jsonl(tmp_path / "customers.jsonl.part")) == 30
    if os.name == "posix":  # personal data and the export's filters: owner-only files
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
        assert modes == dict.fromkeys(modes, 0o600), modes

    # Without --resume the interrupted export is protected, not overwritten.
    assert main(argv) == ExitCode.RESUME_REFUSED
    assert "add --resume" in _one_error_line(capsys.readouterr().err, keyed.simple_key)

    sent_before = len(keyed.requests)
    assert main([*argv, "--resume"]) == ExitCode.OK
    resumed_offsets = [
        int(dict(r.query)["_offset"])
        for r in keyed.requests[sent_before:]
        if r.operation == "get_customers"
    ]
    assert resumed_offsets == [20, 30, 40, 50]  # one page of overlap, not from 0
    assert _jsonl(out) == _truth(keyed)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["customers.jsonl"]
    err = capsys.readouterr().err
    assert "resumed at row 30" in err
    assert f"{CUSTOMERS} in the file" in err
    assert "0 duplicates dropped" in err  # the overlap's known rows are not duplicates


def test_resume_after_interrupt_survives_records_shifting(
    keyed: FakeUltraCart,
    base_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl-C after 3 pages; then two exported customers are deleted, which shifts every later
    record two offsets down. The resumed file still holds every customer exactly once."""
    truth = _truth(keyed)
    out = tmp_path / "customers.jsonl"
    argv = _export(base_url, out, "--concurrency", "2")
    original_commit = ResumableFileOutput.commit_page
    commits = 0

    def interrupted_commit(self: ResumableFileOutput, *args: Any, **kwargs: Any) -> None:
        nonlocal commits
        original_commit(self, *args, **kwargs)
        commits += 1
        if commits == 3:
            raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(ResumableFileOutput, "commit_page", interrupted_commit)
        assert main(argv) == ExitCode.INTERRUPTED
    line = _one_error_line(capsys.readouterr().err, keyed.simple_key)
    assert "interrupted" in line
    assert "rerun with --resume" in line

    async def delete_two() -> None:
        async with keyed.client() as client:
            await client.delete_customer(truth[3]["customer_profile_oid"])
            await client.delete_customer(truth[5]["customer_profile_oid"])

    anyio.run(delete_two)
    assert main([*argv, "--resume"]) == ExitCode.OK
    exported = [c["customer_profile_oid"] for c in _jsonl(out)]
    assert exported == [c["customer_profile_oid"] for c in truth]


def test_ctrl_c_mid_export_stops_between_pages_and_resumes(
    keyed: FakeUltraCart,
    base_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A real SIGINT after the second page: exit 130 with the resume hint, Ctrl-C handling
    restored, and the resumed file holds every customer exactly once."""
    out = tmp_path / "customers.jsonl"
    argv = _export(base_url, out, "--concurrency", "2")
    original_commit = ResumableFileOutput.commit_page
    commits = 0

    def commit_then_ctrl_c(self: ResumableFileOutput, *args: Any, **kwargs: Any) -> None:
        nonlocal commits
        original_commit(self, *args, **kwargs)
        commits += 1
        if commits == 2:
            signal.raise_signal(signal.SIGINT)

    with monkeypatch.context() as patch:
        patch.setattr(ResumableFileOutput, "commit_page", commit_then_ctrl_c)
        assert main(argv) == ExitCode.INTERRUPTED
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    line = _one_error_line(capsys.readouterr().err, keyed.simple_key)
    assert line.endswith("interrupted; progress is saved: rerun with --resume to continue")
    saved = json.loads(out.with_name(out.name + ".checkpoint").read_text())["rows"]
    assert 20 <= saved < CUSTOMERS
    assert not out.exists()
    assert main([*argv, "--resume"]) == ExitCode.OK
    assert f"resumed at row {saved}" in capsys.readouterr().err
    assert _jsonl(out) == _truth(keyed)


def test_resume_refuses_a_different_export(
    keyed: FakeUltraCart, base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "customers.jsonl"
    keyed.inject("server_error", operation="get_customers", times=1, skip=2)
    argv = _export(base_url, out, "--concurrency", "1", "--max-retries", "0")
    assert main(argv) == ExitCode.SERVER
    capsys.readouterr()
    part = (tmp_path / "customers.jsonl.part").read_bytes()

    assert main([*argv, "--resume", "--expand", "billing"]) == ExitCode.RESUME_REFUSED
    line = _one_error_line(capsys.readouterr().err, keyed.simple_key)
    assert "belongs to a different export (differs in expand)" in line
    assert (tmp_path / "customers.jsonl.part").read_bytes() == part

    assert main([*argv, "--resume", "--concurrency", "4"]) == ExitCode.OK  # speed may change
    assert _jsonl(out) == _truth(keyed)


def test_resume_with_nothing_to_resume_starts_fresh(
    keyed: FakeUltraCart, base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "customers.jsonl"
    assert main([*_export(base_url, out), "--resume"]) == ExitCode.OK
    assert "nothing to resume" in capsys.readouterr().err
    assert len(_jsonl(out)) == CUSTOMERS


# --- errors ------------------------------------------------------------------------------------


def test_bad_key_exits_4(
    fake: FakeUltraCart,
    base_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    wrong = "WRONG-KEY-abcdef0123456789"
    monkeypatch.setenv("ULTRACART_SIMPLE_KEY", wrong)
    assert main(_export(base_url, tmp_path / "c.jsonl")) == ExitCode.AUTHENTICATION
    line = _one_error_line(capsys.readouterr().err, wrong)
    assert "rejected the key (401)" in line
    assert "--resume" not in line  # nothing was saved
    assert list(tmp_path.iterdir()) == []


def test_application_disabled_exits_6(
    keyed: FakeUltraCart, base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keyed.inject("app_disabled", times=5)
    assert main(_export(base_url, tmp_path / "c.jsonl")) == ExitCode.APP_DISABLED
    line = _one_error_line(capsys.readouterr().err, keyed.simple_key)
    assert "disabled (410)" in line


def test_permission_denied_exits_5(
    keyed: FakeUltraCart, base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keyed.inject("forbidden", times=None)
    code = main(_export(base_url, tmp_path / "c.jsonl"))
    assert code == ExitCode.PERMISSION
    assert code == 5  # the documented exit code
    line = _one_error_line(capsys.readouterr().err, keyed.simple_key)  # and no traceback
    assert "the key lacks permission to read customers (403)" in line
    assert "grant the customer read permission" in line
    assert f"(request id {keyed.requests[0].request_id})" in line
    assert "--resume" not in line  # nothing was saved
    assert keyed.counters.statuses == {403: 1}  # not retried
    assert list(tmp_path.iterdir()) == []  # no output, .part or checkpoint file


def test_rate_limited_after_every_retry_exits_8(
    keyed: FakeUltraCart, base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keyed.inject("rate_limit", operation="get_customers", times=None, retry_after=0)
    argv = _export(base_url, tmp_path / "c.jsonl", "--max-retries", "1")
    assert main(argv) == ExitCode.RATE_LIMITED
    line = _one_error_line(capsys.readouterr().err, keyed.simple_key)
    assert "rate limited by UltraCart (429) after 1 retry" in line


def test_network_down_exits_7(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port that was just free: nothing listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ULTRACART_SIMPLE_KEY", "k" * 32)
    url = f"http://127.0.0.1:{port}/rest/v2"
    argv = _export(url, tmp_path / "c.jsonl", "--max-retries", "0")
    assert main(argv) == ExitCode.NETWORK
    line = _one_error_line(capsys.readouterr().err, "k" * 32)
    assert f"cannot reach 127.0.0.1:{port}" in line
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_exits_10(
    keyed: FakeUltraCart, base_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing-dir" / "c.jsonl"
    assert main(_export(base_url, out)) == ExitCode.OUTPUT
    line = _one_error_line(capsys.readouterr().err, keyed.simple_key)
    assert "cannot write" in line
    assert "No such file or directory" in line


def test_disk_full_mid_export_exits_10_and_resumes(
    keyed: FakeUltraCart,
    base_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "customers.jsonl"
    argv = _export(base_url, out, "--concurrency", "1")
    real_fsync = os.fsync
    calls = 0

    def filling_fsync(fd: int) -> None:
        nonlocal calls
        calls += 1
        if calls > 7:  # a few pages in, the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", filling_fsync)
        assert main(argv) == ExitCode.OUTPUT
    line = _one_error_line(capsys.readouterr().err, keyed.simple_key)
    assert "No space left on device" in line
    assert "rerun with --resume" in line
    assert main([*argv, "--resume"]) == ExitCode.OK
    assert _jsonl(out) == _truth(keyed)


# --- demo and subprocesses ---------------------------------------------------------------------


def test_demo_needs_no_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ULTRACART_SIMPLE_KEY", raising=False)
    out = tmp_path / "demo.jsonl"
    assert main(["export", "--demo", "25", "--out", str(out), "--page-size", "10"]) == 0
    exported = _jsonl(out)
    assert len(exported) == 25
    assert len({c["customer_profile_oid"] for c in exported}) == 25
    assert "exported 25 customers" in capsys.readouterr().err


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "ULTRACART_SIMPLE_KEY"}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def test_subprocess_export_to_stdout(keyed: FakeUltraCart, base_url: str) -> None:
    argv = ["export", "--base-url", base_url, "--out", "-", "--page-size", PAGE]
    done = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "ultracart_async.cli", *argv],
        capture_output=True,
        env=_env(ULTRACART_SIMPLE_KEY=keyed.simple_key),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [orjson.loads(line) for line in done.stdout.splitlines()] == _truth(keyed)
    err = done.stderr.decode()
    assert "exported 57 customers to stdout" in err
    assert "\x1b[" not in err  # no progress bar when stderr is not a terminal
    assert keyed.simple_key not in err


def test_subprocess_ctrl_c_leaves_a_resumable_checkpoint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slow = FakeUltraCart(customers=CUSTOMERS, seed=3, latency_ms=100)
    out = tmp_path / "customers.jsonl"
    checkpoint = tmp_path / "customers.jsonl.checkpoint"
    with slow.serve_in_thread() as url:
        argv = _export(url, out, "--page-size", "5", "--concurrency", "1")
        env = _env(ULTRACART_SIMPLE_KEY=slow.simple_key)
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "ultracart_async.cli", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        deadline = time.monotonic() + 30
        # Interrupt once two pages are committed, so the resumed run starts past offset 0.
        while not (checkpoint.exists() and json.loads(checkpoint.read_text())["rows"] >= 10):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
        assert process.returncode == ExitCode.INTERRUPTED, err
        assert "interrupted; progress is saved: rerun with --resume" in err.decode()
        assert "Traceback" not in err.decode()
        saved = json.loads(checkpoint.read_text())["rows"]
        assert 10 <= saved < CUSTOMERS
        assert not out.exists()

        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("ULTRACART_SIMPLE_KEY", slow.simple_key)
            assert main([*argv, "--resume"]) == ExitCode.OK
    assert f"resumed at row {saved}" in capsys.readouterr().err
    assert _jsonl(out) == _truth(slow)


def test_the_base_url_comes_from_the_environment_without_base_url(
    keyed: FakeUltraCart, base_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ULTRACART_BASE_URL", base_url)
    out = tmp_path / "customers.jsonl"
    argv = ["export", "--out", str(out), "--page-size", PAGE]
    assert main(argv) == ExitCode.OK
    assert _jsonl(out) == _truth(keyed)
