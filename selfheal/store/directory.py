"""The directory store: patch records as files, safe with many writers and with crashes.

Layout under the store directory::

    records/<id>.json    one PatchRecord each, mode 0600 (records may hold inputs)
    patches/<id>.patch   the record's unified diff, for `git apply` / `patch -p1`
    index.json           a snapshot of one summary per record (status, function, sizes)
    index.log            one summary line appended per save since the snapshot
    locks/<id>.lock      one flock per record; locks/index.lock for the index

Rules this module keeps:

* every file is written to a temp file in the same directory, fsynced and renamed over
  the old one, so a reader (or a writer killed with SIGKILL) sees the old file or the
  new one, never half of one; stale temp files are ignored and removed by `gc`;
* the record file is the commit point and the source of truth: the patch file and the
  index are derived from records. Each index entry carries its record file's
  (mtime, inode, size) and is used only while they still match, so an index left
  behind by a crash, or a torn journal line, repairs itself on the next read;
* a read-modify-write of a record (`transition`) holds that record's lock; appending
  to the journal and compacting it into the snapshot hold the index lock (flock: the
  kernel releases it if a holder dies). A save costs O(1), not O(records);
* a corrupt, foreign or too-new file is reported (logged once, and listed in
  `problems`) and skipped; it never makes `list` fail.

It must not know what a record means beyond its id, status, function and dates (the
lifecycle is `base.py`'s) and must not print.
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import fcntl
import json
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from selfheal.errors import RecordNotFound, StoreError
from selfheal.models import RECORD_VERSION, PatchRecord, PatchStatus
from selfheal.store.base import transitioned

log = logging.getLogger("selfheal.store")

__all__ = ["DirectoryStore", "GcReport", "IndexEntry", "StoreProblem", "approved_by_person"]

INDEX_VERSION = 2
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}")
_RECORD_SUFFIX = ".json"
_PATCH_SUFFIX = ".patch"
# Temp files younger than this may belong to a writer that is still running.
_STALE_TEMP_S = 600.0


@dataclass(frozen=True)
class StoreProblem:
    """A file the store could not use, and why."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class IndexEntry:
    """What the index keeps per record: enough to filter and to apply retention."""

    id: str
    status: str
    module: str
    qualname: str
    source_hash: str
    captured_at: str  # ISO 8601, UTC
    updated_at: str  # ISO 8601: the last status change, else captured_at
    approved: bool  # a person approved it at some point (see approved_by_person)
    has_patch: bool
    size: int  # bytes of the record file plus its patch file
    stamp: tuple[int, int, int]  # record file's (mtime_ns, inode, size): valid while equal

    @property
    def function(self) -> str:
        return f"{self.module}.{self.qualname}"

    @classmethod
    def of(cls, record: PatchRecord, size: int, stamp: tuple[int, int, int]) -> IndexEntry:
        ref = record.report.function
        updated = record.history[-1].at if record.history else record.report.captured_at
        return cls(
            id=record.id,
            status=record.status.value,
            module=ref.module,
            qualname=ref.qualname,
            source_hash=ref.source_hash,
            captured_at=_iso(record.report.captured_at),
            updated_at=_iso(updated),
            approved=approved_by_person(record),
            has_patch=bool(record.diff),
            size=size,
            stamp=stamp,
        )


@dataclass
class GcReport:
    """What `DirectoryStore.gc` removed (or would remove, with dry_run)."""

    removed: list[str] = field(default_factory=list)
    freed_bytes: int = 0
    kept: int = 0
    kept_bytes: int = 0
    temp_files: int = 0  # stale temp files of killed writers
    orphans: int = 0  # patch and lock files without a record
    dry_run: bool = False


def approved_by_person(record: PatchRecord) -> bool:
    """Approved now, or live after a person approved it (the runtime swapped it in)."""
    if record.status is PatchStatus.APPROVED:
        return True
    if record.status is PatchStatus.LIVE:
        return any(change.status is PatchStatus.APPROVED for change in record.history)
    return False


def _iso(when: datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat()


def _parse_iso(text: str) -> datetime:
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _stamp(st: os.stat_result) -> tuple[int, int, int]:
    # mtime alone is too coarse (a kernel tick): two writes within one tick with equal
    # sizes would look unchanged. Every atomic write is a new inode, so add that.
    return (st.st_mtime_ns, st.st_ino, st.st_size)


def _check_id(record_id: str) -> str:
    # Ids become file names: anything else could walk out of the store directory.
    if not _ID.fullmatch(record_id):
        raise RecordNotFound(f"{record_id!r} is not a record id (letters, digits, '-', '_', '.')")
    return record_id


class DirectoryStore:
    """Records as files under `root` (see the module docstring for the layout and rules).

    Thread-safe and multi-process-safe. Directories are created on the first write, so
    reading a store that does not exist yet is simply empty.
    """

    def __init__(self, root: Path, *, durable: bool = True, lock_timeout_s: float = 30.0) -> None:
        self.root = Path(root)
        self.records_dir = self.root / "records"
        self.patches_dir = self.root / "patches"
        self.locks_dir = self.root / "locks"
        self.index_path = self.root / "index.json"
        self.durable = durable  # fsync files and directories (off only for benchmarks)
        self.lock_timeout_s = lock_timeout_s
        self._problems: dict[tuple[str, int, int], StoreProblem] = {}
        self._cache: dict[str, tuple[tuple[int, int, int], PatchRecord]] = {}
        self._mutex = threading.Lock()
        self._index_damaged = False

    def __repr__(self) -> str:
        return f"DirectoryStore({str(self.root)!r})"

    # ------------------------------------------------------------------ protocol

    def save(self, record: PatchRecord) -> None:
        """Write (or overwrite) a record and its patch file, atomically."""
        _check_id(record.id)
        with self._io_errors(f"save record {record.id}"):
            self._ensure_dirs()
            with self._locked(record.id):
                entry = self._write(record)
            self._journal(entry)

    def load(self, record_id: str) -> PatchRecord:
        """Load by id or unique id prefix; RecordNotFound otherwise, StoreError if unreadable."""
        full = self.resolve(record_id)
        record, problem = self._read(full)
        if record is None:
            raise StoreError(f"record {full} is unreadable: {problem}")
        return record

    def list(self) -> builtins.list[PatchRecord]:
        """Every readable record, newest first; unreadable files are reported and skipped."""
        records = []
        for record_id in self.ids():
            record, _problem = self._read(record_id)
            if record is not None:
                records.append(record)
        return sorted(records, key=lambda r: r.report.captured_at, reverse=True)

    def transition(
        self, record_id: str, to: PatchStatus, by: str = "selfheal", reason: str = ""
    ) -> PatchRecord:
        """Move a record along the lifecycle under its lock (IllegalTransition) and save it."""
        full = self.resolve(record_id)
        with self._io_errors(f"update record {full}"), self._locked(full):
            # Read under the lock: another process may have moved it since we looked.
            record, problem = self._read(full)
            if record is None:
                raise StoreError(f"record {full} is unreadable: {problem}")
            new = transitioned(record, to, by, reason)
            entry = self._write(new)
        with self._io_errors(f"update record {full}"):
            self._journal(entry)
        return new

    # ------------------------------------------------------------------ more than the protocol

    @property
    def problems(self) -> builtins.list[StoreProblem]:
        """Files found unusable so far (each reported once per content)."""
        with self._mutex:
            return list(self._problems.values())

    def record_path(self, record_id: str) -> Path:
        return self.records_dir / f"{_check_id(record_id)}{_RECORD_SUFFIX}"

    def patch_path(self, record_id: str) -> Path:
        return self.patches_dir / f"{_check_id(record_id)}{_PATCH_SUFFIX}"

    def ids(self) -> builtins.list[str]:
        """Ids of every record file present (readable or not), sorted."""
        found = []
        for name in self._names(self.records_dir):
            if name.endswith(_RECORD_SUFFIX) and _ID.fullmatch(name[: -len(_RECORD_SUFFIX)]):
                found.append(name[: -len(_RECORD_SUFFIX)])
            elif not name.startswith("."):
                self._report(self.records_dir / name, "foreign file (not <id>.json); skipped")
        return sorted(found)

    def resolve(self, record_id: str) -> str:
        """The full id for an id or a unique prefix of one."""
        _check_id(record_id)
        if self.record_path(record_id).exists():
            return record_id
        matches = [i for i in self.ids() if i.startswith(record_id)]
        if not matches:
            raise RecordNotFound(f"no record {record_id!r} in {self.root}")
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
            raise RecordNotFound(
                f"{record_id!r} matches {len(matches)} records ({shown}); give more of the id"
            )
        return matches[0]

    def delete(self, record_id: str) -> bool:
        """Remove a record and its patch file; False if there was none."""
        full = _check_id(record_id)
        with self._io_errors(f"delete record {full}"):
            with self._locked(full, remove_after=True):
                existed = self._remove_files(full)
            self._update_index({}, removed=[full])
        return existed

    def entries(self) -> builtins.list[IndexEntry]:
        """One summary per readable record, from the index where it is still valid.

        Each entry is checked against its record file's (mtime, inode, size); missing or
        stale entries (a writer was killed between the record and its journal line, or
        the index was damaged) are rebuilt from the record and compacted into index.json.
        """
        index = self._read_index()
        fresh: dict[str, IndexEntry] = {}
        changes: dict[str, IndexEntry] = {}
        for record_id in self.ids():
            try:
                st = self.record_path(record_id).stat()
            except FileNotFoundError:  # deleted while we listed
                continue
            entry = index.get(record_id)
            if entry is not None and entry.stamp == _stamp(st):
                fresh[record_id] = entry
                continue
            record, _problem = self._read(record_id)
            if record is None:
                continue
            size = st.st_size + self._patch_size(record_id)
            fresh[record_id] = changes[record_id] = IndexEntry.of(record, size, _stamp(st))
        removed = [record_id for record_id in index if record_id not in fresh]
        compact = self._index_damaged or self._journal_size() > _JOURNAL_COMPACT_BYTES
        if changes or removed or compact:
            # Merge rather than overwrite: another process may have saved meanwhile.
            with contextlib.suppress(StoreError, OSError):  # a read-only store still lists
                self._update_index(changes, removed=removed)
        return sorted(fresh.values(), key=lambda e: e.captured_at, reverse=True)

    def gc(
        self,
        max_records: int | None = None,
        max_age_days: float | None = None,
        max_bytes: int | None = None,
        *,
        protect: frozenset[PatchStatus] = frozenset({PatchStatus.APPROVED, PatchStatus.LIVE}),
        dry_run: bool = False,
        now: datetime | None = None,
    ) -> GcReport:
        """Apply the retention policy: drop the oldest records beyond any of the limits.

        Age counts from a record's last status change. Records whose status is in
        `protect` (approved and live by default: approved mode and running processes
        need them) are never removed. Also removes temp files of killed writers, and
        patch and lock files whose record is gone.
        """
        now = now or datetime.now(timezone.utc)
        report = GcReport(dry_run=dry_run)
        entries = sorted(self.entries(), key=lambda e: e.updated_at)  # oldest first
        protected = {s.value for s in protect}
        doomed: set[str] = set()
        if max_age_days is not None:
            cutoff = now - timedelta(days=max_age_days)
            doomed |= {e.id for e in entries
                       if e.status not in protected and _parse_iso(e.updated_at) < cutoff}
        survivors = [e for e in entries if e.id not in doomed]
        if max_records is not None:
            excess = len(survivors) - max_records
            for e in survivors:
                if excess <= 0:
                    break
                if e.status not in protected:
                    doomed.add(e.id)
                    excess -= 1
        survivors = [e for e in entries if e.id not in doomed]
        if max_bytes is not None:
            total = sum(e.size for e in survivors)
            for e in survivors:
                if total <= max_bytes:
                    break
                if e.status not in protected:
                    doomed.add(e.id)
                    total -= e.size
        for e in entries:
            if e.id in doomed:
                report.removed.append(e.id)
                report.freed_bytes += e.size
            else:
                report.kept += 1
                report.kept_bytes += e.size
        with self._io_errors("collect garbage"):
            if not dry_run:
                for record_id in report.removed:
                    with self._locked(record_id, remove_after=True):
                        self._remove_files(record_id)
                if report.removed:
                    self._update_index({}, removed=report.removed)
            report.temp_files, report.orphans = self._sweep(dry_run)
        return report

    # ------------------------------------------------------------------ files

    @contextmanager
    def _io_errors(self, action: str) -> Iterator[None]:
        # Callers handle StoreError (the CLI turns it into exit 1, the runtime logs it);
        # a bare OSError from deep inside would read as a selfheal bug.
        try:
            yield
        except OSError as exc:
            where = exc.filename or self.root
            raise StoreError(
                f"cannot {action} in {self.root}: {exc.strerror or exc} ({where})"
            ) from exc

    def _ensure_dirs(self) -> None:
        for directory in (self.root, self.records_dir, self.patches_dir, self.locks_dir):
            if not directory.is_dir():
                # 0700: records may hold inputs; only their owner should see the tree.
                directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _names(self, directory: Path) -> builtins.list[str]:
        try:
            return os.listdir(directory)
        except FileNotFoundError:
            return []
        except NotADirectoryError:
            self._report(directory, "not a directory; the store cannot use it")
            return []

    def _report(self, path: Path, reason: str) -> None:
        try:
            st = path.stat()
            key = (str(path), st.st_mtime_ns, st.st_size)
        except OSError:
            key = (str(path), 0, 0)
        with self._mutex:
            if key in self._problems:
                return
            self._problems[key] = StoreProblem(path, reason)
        log.warning("selfheal store: %s: %s", path, reason)

    def _read(self, record_id: str) -> tuple[PatchRecord | None, str]:
        path = self.record_path(record_id)
        try:
            with path.open("rb") as fh:
                st = os.fstat(fh.fileno())
                with self._mutex:
                    cached = self._cache.get(record_id)
                if cached and cached[0] == _stamp(st):
                    return cached[1], ""
                data = fh.read()
        except FileNotFoundError:
            return None, "no such file"
        except OSError as exc:
            reason = f"cannot read: {exc.strerror or exc}"
            self._report(path, reason)
            return None, reason
        reason = ""
        record: PatchRecord | None = None
        try:
            raw = json.loads(data)
            if not isinstance(raw, dict) or "id" not in raw or "report" not in raw:
                reason = "foreign file (not a selfheal patch record)"
            elif isinstance(raw.get("version"), int) and raw["version"] > RECORD_VERSION:
                reason = (f"written by a newer selfheal (record version {raw['version']}, "
                          f"this one reads up to {RECORD_VERSION}); skipped")
            else:
                record = PatchRecord.model_validate(raw)
                if record.id != record_id:
                    reason = f"holds record {record.id!r}, not {record_id!r}; skipped"
                    record = None
        except (ValueError, UnicodeDecodeError) as exc:
            # json.JSONDecodeError and pydantic's ValidationError are both ValueErrors.
            if isinstance(exc, ValidationError):
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                reason = f"not a valid record ({exc.error_count()} errors; {where}: {first['msg']})"
            else:
                reason = f"corrupt (not JSON: {exc})"
        if record is None:
            self._report(path, reason)
            return None, reason
        with self._mutex:
            self._cache[record_id] = (_stamp(st), record)
        return record, ""

    def _write(self, record: PatchRecord) -> IndexEntry:
        # The patch goes first: the record rename is the commit point, and a patch file
        # without its record is an orphan `gc` removes.
        patch = self.patch_path(record.id)
        if record.diff:
            self._atomic_write(patch, record.diff.encode())
        else:
            with contextlib.suppress(FileNotFoundError):
                patch.unlink()
        data = record.model_dump_json(indent=1).encode()
        path = self.record_path(record.id)
        self._atomic_write(path, data)
        st = path.stat()
        with self._mutex:
            self._cache[record.id] = (_stamp(st), record)
        patch_bytes = len(record.diff.encode()) if record.diff else 0
        return IndexEntry.of(record, st.st_size + patch_bytes, _stamp(st))

    def _patch_size(self, record_id: str) -> int:
        try:
            return self.patch_path(record_id).stat().st_size
        except OSError:
            return 0

    def _atomic_write(self, path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            # mkstemp creates the file 0600 already; say so explicitly, it is the contract.
            os.fchmod(fd, 0o600)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if self.durable:
                os.fsync(fd)
            os.close(fd)
            fd = -1
            os.replace(tmp, path)
        except BaseException:
            if fd >= 0:
                os.close(fd)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        if self.durable:
            self._fsync_dir(path.parent)

    @staticmethod
    def _fsync_dir(directory: Path) -> None:
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        except OSError as exc:  # some filesystems refuse fsync on a directory
            if exc.errno not in (errno.EINVAL, errno.EBADF):
                raise
        finally:
            os.close(fd)

    def _remove_files(self, record_id: str) -> bool:
        existed = False
        for path in (self.record_path(record_id), self.patch_path(record_id)):
            try:
                path.unlink()
                existed = existed or path.suffix == _RECORD_SUFFIX
            except FileNotFoundError:
                pass
        with self._mutex:
            self._cache.pop(record_id, None)
        return existed

    def _sweep(self, dry_run: bool) -> tuple[int, int]:
        temps = orphans = 0
        now = time.time()
        present = set(self.ids())
        # Taken first: removing an orphan patch below removes its lock file too.
        lock_names = self._names(self.locks_dir)
        for directory in (self.records_dir, self.patches_dir, self.root):
            for name in self._names(directory):
                path = directory / name
                if name.startswith(".") and name.endswith(".tmp"):
                    with contextlib.suppress(FileNotFoundError):
                        if now - path.stat().st_mtime > _STALE_TEMP_S:
                            temps += 1
                            if not dry_run:
                                path.unlink()
        for name in self._names(self.patches_dir):
            if name.endswith(_PATCH_SUFFIX) and name[: -len(_PATCH_SUFFIX)] not in present:
                record_id = name[: -len(_PATCH_SUFFIX)]
                if not _ID.fullmatch(record_id):
                    continue
                # Under the record's lock: a save may be between its patch and its record.
                with self._locked(record_id, remove_after=True):
                    if not self.record_path(record_id).exists():
                        orphans += 1
                        if not dry_run:
                            with contextlib.suppress(FileNotFoundError):
                                (self.patches_dir / name).unlink()
        for name in lock_names:
            record_id = name[: -len(".lock")]
            if name.endswith(".lock") and record_id != "index" and record_id not in present:
                orphans += 1
                if not dry_run and _ID.fullmatch(record_id):
                    with self._locked(record_id, remove_after=True):
                        pass
        return temps, orphans

    # ------------------------------------------------------------------ locks

    @contextmanager
    def _locked(self, name: str, remove_after: bool = False) -> Iterator[None]:
        """Hold an exclusive flock on locks/<name>.lock (per open file, so per thread too).

        With `remove_after`, the lock file is unlinked while still held (gc). A waiter
        that then gets the lock on the unlinked file notices the inode changed and locks
        the new file instead, so two holders can never both believe they own a record.
        """
        self._ensure_dirs()
        path = self.locks_dir / f"{name}.lock"
        deadline = time.monotonic() + self.lock_timeout_s
        delay = 0.0005
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() > deadline:
                            raise StoreError(
                                f"timed out after {self.lock_timeout_s:.0f}s waiting for "
                                f"{path}; is another selfheal process stuck?"
                            ) from None
                        time.sleep(delay)
                        delay = min(delay * 2, 0.02)
                try:
                    same = os.fstat(fd).st_ino == os.stat(path).st_ino
                except FileNotFoundError:
                    same = False
            except BaseException:
                os.close(fd)
                raise
            if same:
                break
            os.close(fd)
        try:
            yield
        finally:
            if remove_after:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
            os.close(fd)

    # ------------------------------------------------------------------ index

    # index.json holds the entries as of the last compaction; index.log holds one JSON
    # line per save since (appended under the index lock, O(1) per save). Readers fold
    # the log over the snapshot; `entries()` compacts when the log grows. A line torn by
    # a killed writer does not parse and is skipped: entries are checked against the
    # record files anyway, so a lost line only costs one re-parse.

    @property
    def journal_path(self) -> Path:
        return self.root / "index.log"

    def _journal(self, entry: IndexEntry) -> None:
        line = json.dumps(_entry_json(entry), separators=(",", ":")) + "\n"
        with self._locked("index"):
            fd = os.open(self.journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)

    def _read_index(self) -> dict[str, IndexEntry]:
        index: dict[str, IndexEntry] = {}
        try:
            raw = json.loads(self.index_path.read_bytes())
            if raw.get("version") == INDEX_VERSION:
                for value in raw["entries"]:
                    entry = _entry_from_json(value)
                    index[entry.id] = entry
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            # The index is only a cache of the records: rebuild it rather than complain.
            log.info("selfheal store: %s is unreadable; rebuilding it", self.index_path)
            index = {}
            self._index_damaged = True
        try:
            lines = self.journal_path.read_bytes().splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                entry = _entry_from_json(json.loads(line))
            except (ValueError, TypeError, KeyError, AttributeError):
                continue  # torn by a killed writer
            index[entry.id] = entry
        return index

    def _journal_size(self) -> int:
        try:
            return self.journal_path.stat().st_size
        except OSError:
            return 0

    def _update_index(
        self,
        changes: dict[str, IndexEntry],
        removed: builtins.list[str] | tuple[str, ...] = (),
    ) -> None:
        """Compact: fold the log and `changes` into a new index.json, empty the log."""
        self._ensure_dirs()
        with self._locked("index"):
            index = self._read_index()
            index.update(changes)
            for record_id in removed:
                index.pop(record_id, None)
            payload: dict[str, Any] = {
                "version": INDEX_VERSION,
                "entries": [_entry_json(v) for _k, v in sorted(index.items())],
            }
            # No indent: only the compact form uses the C encoder (10x faster).
            self._atomic_write(self.index_path,
                               json.dumps(payload, separators=(",", ":")).encode())
            with contextlib.suppress(FileNotFoundError):
                os.truncate(self.journal_path, 0)
            self._index_damaged = False


_JOURNAL_COMPACT_BYTES = 256_000


def _entry_json(entry: IndexEntry) -> dict[str, Any]:
    return {**vars(entry), "stamp": list(entry.stamp)}


def _entry_from_json(value: dict[str, Any]) -> IndexEntry:
    stamp = value["stamp"]
    return IndexEntry(**{**value, "stamp": (int(stamp[0]), int(stamp[1]), int(stamp[2]))})
