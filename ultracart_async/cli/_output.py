"""Where the bulk export writes: a resumable `FILE.part` with checkpoints, or stdout.

Crash safety rests on one rule: the checkpoint is the commit point. For every page, the rows are
appended to `FILE.part` and the page's customer oids to `FILE.oids`, both flushed and fsynced;
only then is `FILE.checkpoint` atomically replaced with their new lengths and the next offset.
Whatever was written after the last checkpoint (a crash, Ctrl-C, a full disk) is cut off on
resume, so every committed row is kept exactly once and nothing half-written survives.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import attrs

from ultracart_async.pagination._oidset import OidSet

from ._constants import EXPORT_CHECKPOINT_VERSION

__all__ = [
    "Checkpoint",
    "ExportOutput",
    "ResumableFileOutput",
    "ResumeRefusedError",
    "StdoutOutput",
    "fingerprint",
]

_OID = struct.Struct("<q")


class ResumeRefusedError(Exception):
    """An interrupted export exists but cannot (or must not) be continued by this command."""


def fingerprint(params: Mapping[str, Any]) -> str:
    """A stable digest of the export parameters that decide which rows land in the file."""
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@attrs.define(kw_only=True)
class Checkpoint:
    """The committed state of an interrupted export (stored as JSON in `FILE.checkpoint`)."""

    fingerprint: str
    params: dict[str, Any]
    part_bytes: int = 0
    oids_bytes: int = 0
    next_offset: int = 0
    rows: int = 0
    pages: int = 0
    total_records: int | None = None
    complete: bool = False
    version: int = EXPORT_CHECKPOINT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(attrs.asdict(self), indent=1, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_json(cls, data: bytes, path: Path) -> Checkpoint:
        try:
            raw = json.loads(data)
            if not isinstance(raw, dict):
                raise TypeError("not a JSON object")
            if raw.get("version") != EXPORT_CHECKPOINT_VERSION:
                raise ResumeRefusedError(
                    f"{path} was written by an incompatible version (checkpoint format "
                    f"{raw.get('version')!r}, expected {EXPORT_CHECKPOINT_VERSION})"
                )
            checkpoint = cls(**raw)
            for name in ("part_bytes", "oids_bytes", "next_offset", "rows", "pages"):
                value = getattr(checkpoint, name)
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    raise TypeError(f"{name} is not a non-negative integer")
        except (ValueError, TypeError) as exc:
            raise ResumeRefusedError(f"{path} is damaged ({exc}); delete it to start over") from exc
        return checkpoint


class ExportOutput(Protocol):
    """Where rows go, page by page."""

    seen_oids: OidSet  # the oids the file held when it was opened (for a resumed export)
    resumed_from: Checkpoint | None

    def write_header(self, data: bytes) -> None:
        """Write the file header (the CSV header row); only for a fresh output."""

    def commit_page(
        self,
        data: bytes,
        oids: Iterable[int],
        *,
        next_offset: int,
        rows: int,
        total_records: int | None,
    ) -> None:
        """Append one page of encoded rows and record the progress made."""

    def finish(self) -> None:
        """Complete the export (for a file: rename `.part` into place)."""

    def close(self) -> None:
        """Release files; an unfinished export stays resumable."""

    @property
    def checkpoint_saved(self) -> bool:
        """True when an interrupted run can be continued with --resume."""


class StdoutOutput:
    """Rows to stdout, flushed per page; nothing to resume."""

    def __init__(self, stream: BinaryIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stdout.buffer
        self.seen_oids = OidSet()
        self.resumed_from: Checkpoint | None = None

    def write_header(self, data: bytes) -> None:
        self._stream.write(data)
        self._stream.flush()

    def commit_page(
        self,
        data: bytes,
        oids: Iterable[int],
        *,
        next_offset: int,
        rows: int,
        total_records: int | None,
    ) -> None:
        self._stream.write(data)
        self._stream.flush()

    def finish(self) -> None:
        self._stream.flush()

    def close(self) -> None:
        """Stdout stays open: it belongs to the process."""

    @property
    def checkpoint_saved(self) -> bool:
        return False


def _fsync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX); a no-op where directories cannot be opened (Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class ResumableFileOutput:
    """`FILE.part` + `FILE.oids` + `FILE.checkpoint`, renamed to `FILE` when complete."""

    def __init__(self, path: Path, params: dict[str, Any], *, resume: bool) -> None:
        self.path = path
        self.part_path = path.with_name(path.name + ".part")
        self.oids_path = path.with_name(path.name + ".oids")
        self.checkpoint_path = path.with_name(path.name + ".checkpoint")
        self.params = params
        self.seen_oids = OidSet()
        self.resumed_from: Checkpoint | None = None
        self._checkpoint = Checkpoint(fingerprint=fingerprint(params), params=params)
        self._saved = False
        self._fresh = False
        self._part = self._open(self.part_path)
        try:
            _lock(self._part, path)
            self._oids = self._open(self.oids_path)
            existing = self._load_checkpoint()
            self._fresh = existing is None
            if existing is None:
                self._part.truncate(0)
                self._oids.truncate(0)
            elif not resume:
                raise ResumeRefusedError(
                    f"an interrupted export to {path} exists ({existing.rows} rows saved): add "
                    f"--resume to continue it, or delete {self.checkpoint_path.name} to start over"
                )
            elif existing.fingerprint != self._checkpoint.fingerprint:
                raise ResumeRefusedError(
                    f"{self.checkpoint_path} belongs to a different export "
                    f"(differs in {_differences(existing.params, params)}): rerun with the same "
                    f"options, or delete {self.checkpoint_path.name} to start over"
                )
            else:
                self._restore(existing)
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _open(path: Path) -> BinaryIO:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        return os.fdopen(fd, "r+b")

    def _load_checkpoint(self) -> Checkpoint | None:
        try:
            data = self.checkpoint_path.read_bytes()
        except FileNotFoundError:
            return None
        return Checkpoint.from_json(data, self.checkpoint_path)

    def _restore(self, checkpoint: Checkpoint) -> None:
        """Cut `.part` and `.oids` back to the checkpoint and reload the oids seen so far."""
        if checkpoint.complete and not self.part_path.stat().st_size and self.path.exists():
            # Finished, but interrupted between the rename and the clean-up.
            self._checkpoint = checkpoint
            self.resumed_from = checkpoint
            return
        for handle, length, file in (
            (self._part, checkpoint.part_bytes, self.part_path),
            (self._oids, checkpoint.oids_bytes, self.oids_path),
        ):
            size = os.fstat(handle.fileno()).st_size
            if size < length:
                raise ResumeRefusedError(
                    f"{file} is shorter than its checkpoint ({size} < {length} bytes): it was "
                    f"changed after the interruption; delete {self.checkpoint_path.name} to "
                    "start over"
                )
            handle.truncate(length)
            handle.seek(length)
        self._oids.seek(0)
        data = self._oids.read(checkpoint.oids_bytes)
        whole = data[: len(data) - len(data) % 8]
        self.seen_oids = OidSet(oid for (oid,) in _OID.iter_unpack(whole))
        self._oids.seek(checkpoint.oids_bytes)
        self._checkpoint = checkpoint
        self.resumed_from = checkpoint
        self._saved = True

    @property
    def checkpoint(self) -> Checkpoint:
        return self._checkpoint

    @property
    def checkpoint_saved(self) -> bool:
        return self._saved

    def write_header(self, data: bytes) -> None:
        self._part.write(data)
        self._save(self._checkpoint)

    def commit_page(
        self,
        data: bytes,
        oids: Iterable[int],
        *,
        next_offset: int,
        rows: int,
        total_records: int | None,
    ) -> None:
        oid_list = list(oids)
        self._part.write(data)
        self._oids.write(b"".join(_OID.pack(oid) for oid in oid_list))
        current = self._checkpoint
        self._save(
            attrs.evolve(
                current,
                next_offset=next_offset,
                rows=current.rows + rows,
                pages=current.pages + 1,
                total_records=total_records,
            )
        )

    def _save(self, checkpoint: Checkpoint) -> None:
        """Flush + fsync the data files, then atomically replace the checkpoint."""
        for handle in (self._part, self._oids):
            handle.flush()
            os.fsync(handle.fileno())
        checkpoint = attrs.evolve(
            checkpoint, part_bytes=self._part.tell(), oids_bytes=self._oids.tell()
        )
        self._write_checkpoint(checkpoint)
        self._checkpoint = checkpoint
        self._saved = True

    def _write_checkpoint(self, checkpoint: Checkpoint) -> None:
        temporary = self.checkpoint_path.with_name(self.checkpoint_path.name + ".tmp")
        # Owner-only like the output: its parameters may hold an email filter or a query.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(checkpoint.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.checkpoint_path)
        _fsync_dir(self.checkpoint_path.parent)

    def finish(self) -> None:
        """Mark complete, rename `.part` to FILE, then remove the checkpoint and oids."""
        if not (self._checkpoint.complete and self.path.exists() and not self._part.tell()):
            self._save(attrs.evolve(self._checkpoint, complete=True))
            self._close_files()
            os.replace(self.part_path, self.path)
            _fsync_dir(self.path.parent)
        self._close_files()
        temporary = self.checkpoint_path.with_name(self.checkpoint_path.name + ".tmp")
        for leftover in (self.part_path, self.oids_path, self.checkpoint_path, temporary):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        self._saved = False

    def _close_files(self) -> None:
        for handle in (self._part, getattr(self, "_oids", None)):
            if handle is not None and not handle.closed:
                handle.close()

    def close(self) -> None:
        """Close the files; a fresh export that committed nothing leaves no files behind."""
        self._close_files()
        if self._fresh and not self._saved:
            for leftover in (self.part_path, self.oids_path):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()


def _lock(handle: BinaryIO, path: Path) -> None:
    """Hold an exclusive lock on `FILE.part` while exporting (POSIX), so two runs (an overlapping
    cron job, say) cannot interleave their rows. Released when the file is closed."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise ResumeRefusedError(f"another export to {path} is running") from None


def _differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    keys = sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))
    return ", ".join(keys) or "its parameters"
