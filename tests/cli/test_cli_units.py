"""The export CLI's parts without a server: arguments, columns, checkpointed output."""

from __future__ import annotations

import gc
import io
import json
import signal
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import anyio
import anyio.to_thread
import attrs
import pytest

from ultracart_async import models
from ultracart_async.cli import ExitCode, main
from ultracart_async.cli import _main as cli_main
from ultracart_async.cli._columns import (
    DEFAULT_COLUMNS,
    all_column_names,
    csv_header,
    csv_rows,
    parse_columns,
    required_expansions,
)
from ultracart_async.cli._export import ExportPlan, run_export
from ultracart_async.cli._interrupt import sigint_receiver, until_interrupted
from ultracart_async.cli._output import ResumableFileOutput, ResumeRefusedError, StdoutOutput
from ultracart_async.cli._progress import NoProgress, PlainProgress, RichProgress, make_progress

SECRET = "SECRET-KEY-0123456789abcdef"
PARAMS = {"source": "demo:10", "format": "jsonl"}


# --- columns -----------------------------------------------------------------------------------


def test_every_column_reads_a_real_model_field() -> None:
    customer_fields = attrs.fields_dict(models.Customer)
    address_fields = attrs.fields_dict(models.CustomerBilling)
    for name in all_column_names():
        if name == "tags":
            continue
        kind, _, field = name.partition("_")
        if kind in ("billing", "shipping") and field in address_fields:
            assert field in attrs.fields_dict(models.CustomerShipping)
        else:
            assert name in customer_fields, name
    assert "password" not in all_column_names()


def test_default_columns_flatten_the_default_addresses() -> None:
    customer = models.Customer(
        customer_profile_oid=7,
        email="ann@example.com",
        billing=[
            models.CustomerBilling(first_name="Old", default_billing=False),
            models.CustomerBilling(first_name="Ann", city='Austin, "TX"', default_billing=True),
        ],
        shipping=[models.CustomerShipping(first_name="Shipped", country_code="US")],
    )
    columns = parse_columns(None)
    assert [c.name for c in columns] == list(DEFAULT_COLUMNS)
    assert required_expansions(columns) == {"billing", "shipping"}
    header = csv_header(columns).decode().rstrip("\r\n").split(",")
    assert header == list(DEFAULT_COLUMNS)
    cells = _parse_csv(csv_rows([customer], columns))[0]
    row = dict(zip(DEFAULT_COLUMNS, cells, strict=True))
    assert row["customer_profile_oid"] == "7"
    assert row["billing_first_name"] == "Ann"
    assert row["billing_city"] == 'Austin, "TX"'
    assert row["shipping_first_name"] == "Shipped"
    assert row["shipping_country_code"] == "US"
    assert row["signup_dts"] == ""


def test_chosen_columns_booleans_and_tags() -> None:
    columns = parse_columns("email, tax_exempt,tags")
    assert required_expansions(columns) == {"tags"}
    customer = models.Customer(
        email="x@example.com",
        tax_exempt=False,
        tags=[models.CustomerTag(tag_value="vip"), models.CustomerTag(tag_value="wholesale")],
    )
    assert _parse_csv(csv_rows([customer], columns)) == [
        ["x@example.com", "false", "vip;wholesale"]
    ]


@pytest.mark.parametrize(
    ("spec", "message"),
    [("email,nope", "unknown column"), ("email,email", "twice"), (" , ", "at least one")],
)
def test_bad_columns_are_rejected(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_columns(spec)


def _parse_csv(data: bytes) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(data.decode(), newline="")))


# --- checkpointed output -----------------------------------------------------------------------


def _commit(output: ResumableFileOutput, rows: list[bytes], oids: list[int], offset: int) -> None:
    output.commit_page(b"".join(rows), oids, next_offset=offset, rows=len(rows), total_records=None)


def test_resume_cuts_uncommitted_bytes_and_reloads_oids(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    output = ResumableFileOutput(target, PARAMS, resume=False)
    _commit(output, [b"a\n", b"b\n"], [1, 2], 2)
    # A crash after writing more rows but before the checkpoint: the bytes must not survive.
    output._part.write(b"half-written")
    output._part.flush()
    output.close()

    resumed = ResumableFileOutput(target, PARAMS, resume=True)
    assert resumed.resumed_from is not None
    assert resumed.resumed_from.next_offset == 2
    assert resumed.resumed_from.rows == 2
    assert set(resumed.seen_oids) == {1, 2}
    _commit(resumed, [b"c\n"], [3], 3)
    resumed.finish()
    resumed.close()
    assert target.read_bytes() == b"a\nb\nc\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_crash_between_rename_and_clean_up_resumes_to_the_finished_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    output = ResumableFileOutput(target, PARAMS, resume=False)
    _commit(output, [b"a\n"], [1], 1)
    output._save(attrs.evolve(output.checkpoint, complete=True))
    output.close()
    (tmp_path / "out.jsonl.part").rename(target)  # ...and the process died here

    resumed = ResumableFileOutput(target, PARAMS, resume=True)
    assert resumed.resumed_from is not None
    assert resumed.resumed_from.complete
    resumed.finish()
    resumed.close()
    assert target.read_bytes() == b"a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_existing_checkpoint_without_resume_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    output = ResumableFileOutput(target, PARAMS, resume=False)
    _commit(output, [b"a\n"], [1], 1)
    output.close()
    with pytest.raises(ResumeRefusedError, match="--resume"):
        ResumableFileOutput(target, PARAMS, resume=False)
    assert (tmp_path / "out.jsonl.part").read_bytes() == b"a\n"


def test_resume_of_a_different_export_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    output = ResumableFileOutput(target, PARAMS, resume=False)
    _commit(output, [b"a\n"], [1], 1)
    output.close()
    with pytest.raises(ResumeRefusedError, match=r"different export \(differs in format\)"):
        ResumableFileOutput(target, {**PARAMS, "format": "csv"}, resume=True)
    assert (tmp_path / "out.jsonl.part").read_bytes() == b"a\n"


def test_damaged_checkpoint_and_shortened_part_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    output = ResumableFileOutput(target, PARAMS, resume=False)
    _commit(output, [b"a\n", b"b\n"], [1, 2], 2)
    output.close()
    (tmp_path / "out.jsonl.part").write_bytes(b"a")
    with pytest.raises(ResumeRefusedError, match="shorter than its checkpoint"):
        ResumableFileOutput(target, PARAMS, resume=True)
    assert (tmp_path / "out.jsonl.part").read_bytes() == b"a"
    (tmp_path / "out.jsonl.checkpoint").write_text("{not json")
    with pytest.raises(ResumeRefusedError, match="damaged"):
        ResumableFileOutput(target, PARAMS, resume=True)


@pytest.mark.skipif(sys.platform == "win32", reason="advisory file locks are POSIX")
def test_a_second_export_to_the_same_file_is_refused_while_the_first_runs(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out.jsonl"
    first = ResumableFileOutput(target, PARAMS, resume=False)
    _commit(first, [b"a\n"], [1], 1)
    with pytest.raises(ResumeRefusedError, match=r"another export to .* is running"):
        ResumableFileOutput(target, PARAMS, resume=True)
    _commit(first, [b"b\n"], [2], 2)  # the first one is unharmed
    first.finish()
    first.close()
    assert target.read_bytes() == b"a\nb\n"


def test_fresh_output_that_commits_nothing_leaves_no_files(tmp_path: Path) -> None:
    output = ResumableFileOutput(tmp_path / "out.jsonl", PARAMS, resume=False)
    output.close()
    assert list(tmp_path.iterdir()) == []


def test_checkpoint_is_plain_json_with_lengths(tmp_path: Path) -> None:
    output = ResumableFileOutput(tmp_path / "out.jsonl", PARAMS, resume=False)
    _commit(output, [b"abc\n"], [9], 1)
    output.close()
    data = json.loads((tmp_path / "out.jsonl.checkpoint").read_text())
    assert data["part_bytes"] == 4
    assert data["oids_bytes"] == 8
    assert data["next_offset"] == 1
    assert data["rows"] == 1
    assert data["params"] == PARAMS
    assert data["complete"] is False


# --- arguments ---------------------------------------------------------------------------------


def test_help_lists_columns_exit_codes_and_key_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--help"]) == 0
    out = capsys.readouterr().out
    for text in ("ULTRACART_SIMPLE_KEY", "--key-file", "billing_first_name", "130 interrupted"):
        assert text in out
    assert "--resume" in out
    assert "--demo" in out


def test_no_subcommand_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == ExitCode.USAGE
    assert "export" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--out", "-", "--resume", "--demo", "3"], "cannot be resumed"),
        (["export", "--out", "x.jsonl", "--columns", "email", "--demo", "3"], "csv only"),
        (["export", "--out", "x.csv", "--columns", "nope", "--demo", "3"], "unknown column"),
        (["export", "--out", "x.jsonl", "--expand", "billing,nope", "--demo", "3"], "nope"),
        (["export", "--out", "x.jsonl", "--page-size", "201", "--demo", "3"], "at most 200"),
        (["export", "--out", "x.jsonl", "--concurrency", "0", "--demo", "3"], "at least 1"),
        (["export", "--out", "x.jsonl", "--since", "yesterday", "--demo", "3"], "ISO-8601"),
        (["export", "--out", "x.jsonl", "--demo", "3", "--base-url", "http://127.0.0.1:1"], "demo"),
        (["export", "--out", "x.jsonl", "--base-url", "http://example.com/rest/v2"], "plain http"),
        (["export", "--out", "x.jsonl", "--base-url", "ftp://example.com"], "http(s) URL"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ULTRACART_SIMPLE_KEY", SECRET)
    assert main(argv) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert SECRET not in err
    assert list(tmp_path.iterdir()) == []


def test_missing_key_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ULTRACART_SIMPLE_KEY", raising=False)
    assert main(["export", "--out", str(tmp_path / "x.jsonl")]) == ExitCode.USAGE
    assert "set ULTRACART_SIMPLE_KEY or pass --key-file" in capsys.readouterr().err
    empty = tmp_path / "key"
    empty.write_text("\n")
    assert main(["export", "--out", str(tmp_path / "x.jsonl"), "--key-file", str(empty)]) == 2
    assert "is empty" in capsys.readouterr().err
    missing = tmp_path / "absent"
    assert main(["export", "--out", str(tmp_path / "x.jsonl"), "--key-file", str(missing)]) == 2
    assert "cannot read the --key-file" in capsys.readouterr().err
    # A key pasted where the file name belongs is not echoed back.
    assert main(["export", "--out", str(tmp_path / "x.jsonl"), "--key-file", SECRET]) == 2
    err = capsys.readouterr().err
    assert "cannot read the --key-file" in err
    assert SECRET not in err


def test_key_is_not_a_flag(capsys: pytest.CaptureFixture[str]) -> None:
    # Not even as an abbreviation of --key-file (argparse's prefix matching is off).
    assert main(["export", "--out", "x.jsonl", "--key", SECRET]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "unrecognized arguments" in err


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('{"billing_stat": "TX"}', "unknown CustomerQuery field(s) billing_stat"),
        ('{"billing_state": 5}', "billing_state"),
        ("[1]", "JSON object"),
        ("{nope", "not valid JSON"),
        ('{"email": "a@example.com"}', "pick one"),
    ],
)
def test_bad_query_file_is_a_usage_error(
    query: str, message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    query_file = tmp_path / "query.json"
    query_file.write_text(query)
    argv = ["export", "--out", str(tmp_path / "x.jsonl"), "--query-file", str(query_file)]
    argv += ["--email", "b@example.com", "--demo", "3"]
    assert main(argv) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


# --- export loop -------------------------------------------------------------------------------


class _StubPages:
    """The pager's page iterator, reduced to what the export uses: the pages, then `stats`."""

    def __init__(self, pages: list[models.CustomersResponse]) -> None:
        self._pages = iter(pages)
        self.stats = SimpleNamespace(retries=2, rate_limit_waits=1, duplicates_dropped=3)

    async def __aenter__(self) -> _StubPages:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None

    def __aiter__(self) -> _StubPages:
        return self

    async def __anext__(self) -> models.CustomersResponse:
        await anyio.lowlevel.checkpoint()
        try:
            return next(self._pages)
        except StopIteration:
            raise StopAsyncIteration from None


class _StubClient:
    """Serves the given pages to `iter_customers_pages` and records its options."""

    def __init__(self, pages: list[models.CustomersResponse]) -> None:
        self.pages = pages
        self.options: dict[str, Any] = {}

    def iter_customers_pages(self, **options: Any) -> _StubPages:
        self.options = options
        return _StubPages(self.pages)


def _page(offset: int, oids: list[int]) -> models.CustomersResponse:
    result_set = models.ResultSet(offset=offset, count=len(oids), total_records=None)
    return models.CustomersResponse(
        customers=[models.Customer(customer_profile_oid=oid) for oid in oids],
        metadata=models.ResponseMetadata(result_set=result_set),
    )


def _oids(data: bytes) -> list[int]:
    return [json.loads(line)["customer_profile_oid"] for line in data.splitlines()]


def test_export_drops_repeats_and_counts_them_with_the_pagers() -> None:
    client = _StubClient([_page(0, [1, 2, 3]), _page(3, [3, 4, 5]), _page(6, [6])])
    stream = io.BytesIO()
    plan = ExportPlan(format="jsonl", page_size=3, concurrency=1)
    summary = anyio.run(run_export, cast(Any, client), plan, StdoutOutput(stream), NoProgress())
    assert _oids(stream.getvalue()) == [1, 2, 3, 4, 5, 6]
    assert client.options == {"page_size": 3, "concurrency": 1}
    assert (summary.rows, summary.total_rows, summary.pages) == (6, 6, 3)
    assert summary.duplicates_dropped == 1 + 3  # its own, and the pager's
    assert (summary.retries, summary.rate_limit_waits) == (2, 1)
    assert summary.resumed_at_row is None


def test_resumed_export_rereads_one_page_and_counts_only_repeats_past_it(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    first = ResumableFileOutput(target, PARAMS, resume=False)
    for offset, oids in ((3, [1, 2, 3]), (6, [4, 5, 6])):
        rows = [json.dumps({"customer_profile_oid": oid}).encode() + b"\n" for oid in oids]
        _commit(first, rows, oids, offset)
    first.close()
    # Since the stop, a customer was inserted before offset 6: 5 moved into the next page.
    client = _StubClient([_page(3, [4, 5, 6]), _page(6, [5, 7, 8]), _page(9, [9])])
    output = ResumableFileOutput(target, PARAMS, resume=True)
    plan = ExportPlan(format="jsonl", page_size=3, concurrency=1)
    summary = anyio.run(run_export, cast(Any, client), plan, output, NoProgress())
    output.close()
    assert client.options["start_offset"] == 3  # one page before the checkpoint
    assert _oids(target.read_bytes()) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert (summary.rows, summary.total_rows, summary.resumed_at_row) == (3, 9, 6)
    assert summary.duplicates_dropped == 1 + 3  # 5 past the overlap; the overlap's are known


# --- progress ----------------------------------------------------------------------------------


class _Stream(io.StringIO):
    def __init__(self, *, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def test_progress_is_quiet_when_piped_and_a_bar_on_a_terminal() -> None:
    assert isinstance(make_progress("auto", _Stream(tty=False)), NoProgress)
    assert isinstance(make_progress("auto", _Stream(tty=True)), RichProgress)
    assert isinstance(make_progress("off", _Stream(tty=True)), NoProgress)
    assert isinstance(make_progress("plain", _Stream(tty=False)), PlainProgress)


def test_plain_progress_without_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rich.progress", None)  # import fails: rich not installed
    stream = _Stream(tty=True)
    progress = make_progress("auto", stream)
    assert isinstance(progress, PlainProgress)


def test_plain_progress_lines_show_count_rate_and_eta() -> None:
    stream = _Stream(tty=False)
    progress = PlainProgress(stream, interval=0.0)
    progress.start(total=None, completed=0)
    progress.advance(200)
    progress.set_total(1000)
    progress.advance(200)
    progress.stop()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("exported 200 customers (")
    assert lines[1].startswith("exported 400/1,000 customers (")
    assert "/s, ETA " in lines[1]


def test_rich_progress_draws_count_and_total() -> None:
    stream = _Stream(tty=True)
    progress = RichProgress(stream)
    progress.start(total=None, completed=100)
    progress.set_total(500)
    progress.advance(150)
    progress.stop()
    assert "250/500" in stream.getvalue()


# --- Ctrl-C --------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_ctrl_c_cancels_the_work_and_restores_the_handler() -> None:
    before = signal.getsignal(signal.SIGINT)
    reached: list[str] = []

    async def work() -> str:
        reached.append("started")
        signal.raise_signal(signal.SIGINT)  # as if Ctrl-C were pressed now
        await anyio.sleep_forever()
        return "done"

    with sigint_receiver() as signals:
        assert signals is not None
        assert await until_interrupted(signals, work) is None
    assert reached == ["started"]
    assert signal.getsignal(signal.SIGINT) is before


@pytest.mark.anyio
async def test_work_without_ctrl_c_returns_or_raises_unwrapped() -> None:
    async def answer() -> int:
        await anyio.lowlevel.checkpoint()
        return 42

    async def broken() -> int:
        await anyio.lowlevel.checkpoint()
        raise OSError(28, "No space left on device")

    with sigint_receiver() as signals:
        assert await until_interrupted(signals, answer) == 42
        with pytest.raises(OSError, match="No space left"):  # not an ExceptionGroup
            await until_interrupted(signals, broken)


@pytest.mark.anyio
async def test_no_signal_receiver_outside_the_main_thread() -> None:
    def in_worker_thread() -> bool:
        with sigint_receiver() as signals:
            return signals is None

    assert await anyio.to_thread.run_sync(in_worker_thread)

    async def answer() -> int:
        return 7

    assert await until_interrupted(None, answer) == 7


# --- the process ---------------------------------------------------------------------------------


def test_export_tunes_the_collector_only_while_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    during: list[tuple[int, int]] = []
    run = cli_main._run

    def spy(command: Any) -> int:
        during.append((gc.get_threshold()[0], gc.get_freeze_count()))
        return run(command)

    monkeypatch.setattr(cli_main, "_run", spy)
    before = (gc.get_threshold(), gc.get_freeze_count())
    out = tmp_path / "x.jsonl"
    assert main(["export", "--out", str(out), "--demo", "3", "--progress", "off"]) == 0
    assert len(out.read_bytes().splitlines()) == 3
    ((threshold, frozen),) = during
    assert threshold > 700
    assert frozen > 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


@pytest.mark.parametrize(
    "url", ["ftp://uc.test/rest/v2", "https://uc.test/rest/v2\r\nX: 1", "https://u:p@uc.test/v2"]
)
def test_a_base_url_the_client_would_refuse_is_a_usage_error(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--base-url", url, "--out", "x.jsonl"]) == ExitCode.USAGE
    assert "--base-url: base_url" in capsys.readouterr().err
