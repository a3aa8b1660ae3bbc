"""The export loop: pages from the client's pager, written and checkpointed page by page, from
what to export (`ExportPlan`) to what the run did (`ExportSummary`)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

import ultracart_async as uc
from ultracart_async.pagination._oidset import OidSet

from ._columns import Column, csv_header, csv_rows

if TYPE_CHECKING:
    from ._output import ExportOutput
    from ._progress import ExportProgress

__all__ = ["ExportFormat", "ExportPlan", "ExportSummary", "run_export"]

ExportFormat = Literal["jsonl", "csv"]


@attrs.frozen(kw_only=True)
class ExportPlan:
    """What to export and how; everything except `page_size` and `concurrency` decides which
    rows land in the file, so it goes into the resume fingerprint."""

    format: ExportFormat
    columns: tuple[Column, ...] = ()
    expand: tuple[str, ...] = ()
    email: str | None = None
    signup_since: str | None = None
    since: str | None = None
    query: uc.CustomerQuery | None = None
    page_size: int
    concurrency: int

    def fingerprint_params(self, source: str) -> dict[str, Any]:
        """The parameters a resumed export must share with the interrupted one."""
        return {
            "source": source,
            "format": self.format,
            "columns": [column.name for column in self.columns] if self.format == "csv" else None,
            "expand": sorted(self.expand),
            "email": self.email,
            "signup_since": self.signup_since,
            "since": self.since,
            "query": None if self.query is None else uc.converter.unstructure(self.query),
        }


@attrs.define(kw_only=True)
class ExportSummary:
    """What one run did (this run only; `total_rows` counts the whole file)."""

    rows: int = 0
    total_rows: int = 0
    pages: int = 0
    retries: int = 0
    rate_limit_waits: int = 0
    duplicates_dropped: int = 0
    elapsed: float = 0.0
    resumed_at_row: int | None = None

    def line(self, destination: str) -> str:
        resumed = (
            f" (resumed at row {self.resumed_at_row:,}; {self.total_rows:,} in the file)"
            if self.resumed_at_row is not None
            else ""
        )
        return (
            f"exported {_count(self.rows, 'customer')} to {destination}{resumed}: "
            f"{_count(self.pages, 'page')}, {_count(self.retries, 'retry', 'retries')}, "
            f"{_count(self.rate_limit_waits, 'rate-limit wait')}, "
            f"{_count(self.duplicates_dropped, 'duplicate')} dropped, {self.elapsed:.1f}s"
        )


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"


def _encode(plan: ExportPlan, customers: Sequence[uc.Customer]) -> bytes:
    if plan.format == "csv":
        return csv_rows(customers, plan.columns)
    return b"".join(uc.converter.dumps(customer) + b"\n" for customer in customers)


def _open_pages(
    client: uc.CustomerClient, plan: ExportPlan, start_offset: int
) -> uc.CustomerPageIterator:
    """The pager's page iterator over the plan's customers, from `start_offset` on."""
    options: dict[str, Any] = {"page_size": plan.page_size, "concurrency": plan.concurrency}
    if start_offset:
        options["start_offset"] = start_offset
    if plan.expand:
        options["expand"] = ",".join(plan.expand)
    if plan.since is not None:
        options["since"] = plan.since
    if plan.query is not None:
        return client.iter_customers_by_query_pages(plan.query, **options)
    filters: dict[str, Any] = {}
    if plan.email is not None:
        filters["email"] = plan.email
    if plan.signup_since is not None:
        filters["signup_dts_start"] = plan.signup_since
    return client.iter_customers_pages(**filters, **options)


def _page_position(page: uc.CustomersResponse, expected_offset: int) -> tuple[int, int, int | None]:
    """(offset of the page, offset after it, total_records) from the page's result set."""
    result_set = page.metadata.result_set if page.metadata is not None else None
    count = len(page.customers or ())
    if result_set is None:
        return expected_offset, expected_offset + count, None
    offset = result_set.offset if result_set.offset is not None else expected_offset
    if result_set.count is not None:
        count = result_set.count
    return offset, offset + count, result_set.total_records


async def run_export(
    client: uc.CustomerClient,
    plan: ExportPlan,
    output: ExportOutput,
    progress: ExportProgress,
) -> ExportSummary:
    """Export every matching customer into `output`, exactly once, committing per page.

    A resumed export restarts one page before its checkpoint (the overlap) and drops customers
    whose oid is already in the file: rows that shifted by up to a page (inserts or deletes
    before the cursor while the export was stopped) are neither repeated nor skipped.
    """
    started = time.monotonic()
    checkpoint = output.resumed_from
    if checkpoint is not None and checkpoint.complete:  # every page is in: finish the files
        output.finish()
        return ExportSummary(total_rows=checkpoint.rows, resumed_at_row=checkpoint.rows)
    writer = _PageWriter.begin(plan, output, progress)
    async with _open_pages(client, plan, writer.next_offset) as pages:
        async for page in pages:
            writer.write(page)
        stats = pages.stats
    output.finish()
    summary = writer.summary
    summary.retries = stats.retries
    summary.rate_limit_waits = stats.rate_limit_waits
    summary.duplicates_dropped += stats.duplicates_dropped
    summary.elapsed = time.monotonic() - started
    return summary


@attrs.define(kw_only=True)
class _PageWriter:
    """Commits pages to the output one by one, dropping customers already in the file."""

    plan: ExportPlan
    output: ExportOutput
    progress: ExportProgress
    summary: ExportSummary
    # Oids in the file when this run began. Within the run the pager hands out each oid once;
    # the previous page's oids are checked as well (repeats come from rows shifting by one).
    seen: OidSet
    previous: dict[int, None] = attrs.field(factory=dict)
    next_offset: int  # where the next page starts
    overlap_end: int  # pages before this offset are re-read: their known rows are no repeats
    shown_total: int | None  # the total the progress display shows

    @classmethod
    def begin(cls, plan: ExportPlan, output: ExportOutput, progress: ExportProgress) -> _PageWriter:
        """Start a fresh export (with its CSV header), or continue from the output's checkpoint,
        one page before it."""
        checkpoint = output.resumed_from
        summary = ExportSummary()
        if checkpoint is None:
            if plan.format == "csv":
                output.write_header(csv_header(plan.columns))
            progress.start(total=None, completed=0)
            next_offset = overlap_end = 0
        else:
            summary.resumed_at_row = summary.total_rows = checkpoint.rows
            overlap_end = checkpoint.next_offset
            next_offset = max(0, overlap_end - plan.page_size)
            progress.start(total=checkpoint.total_records, completed=checkpoint.rows)
        return cls(
            plan=plan,
            output=output,
            progress=progress,
            summary=summary,
            seen=output.seen_oids,
            next_offset=next_offset,
            overlap_end=overlap_end,
            shown_total=checkpoint.total_records if checkpoint is not None else None,
        )

    def write(self, page: uc.CustomersResponse) -> None:
        """Commit one page: its new customers and the offset after it."""
        offset, self.next_offset, total_records = _page_position(page, self.next_offset)
        if total_records is not None and total_records != self.shown_total:
            self.progress.set_total(total_records)  # known now, or records were added
            self.shown_total = total_records
        fresh, oids = self._new_customers(page.customers or (), rereading=offset < self.overlap_end)
        self.output.commit_page(
            _encode(self.plan, fresh),
            oids,
            next_offset=self.next_offset,
            rows=len(fresh),
            total_records=total_records,
        )
        self.previous = oids
        self.summary.rows += len(fresh)
        self.summary.total_rows += len(fresh)
        self.summary.pages += 1
        self.progress.advance(len(fresh))

    def _new_customers(
        self, customers: Iterable[uc.Customer], *, rereading: bool
    ) -> tuple[list[uc.Customer], dict[int, None]]:
        """The customers not in the file yet, and their oids in order. Repeats are dropped, and
        counted unless `rereading` the overlap (where the file is expected to hold them)."""
        fresh: list[uc.Customer] = []
        oids: dict[int, None] = {}
        for customer in customers:
            oid = customer.customer_profile_oid
            if oid is not None:
                if oid in oids or oid in self.previous or oid in self.seen:
                    if not rereading:
                        self.summary.duplicates_dropped += 1
                    continue
                oids[oid] = None
            fresh.append(customer)
        return fresh, oids
