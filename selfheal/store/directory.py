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
  `problems`) and skipped; it never makes `list` fail;
* records are read only as regular files directly inside `records/` (opened with
  O_NOFOLLOW: a symlink, a hard link or a directory there is refused, as is a
  `records/` or `patches/` that is itself a symlink), never larger than a size cap, and
  every record read is checked for integrity (`integrity.content_problem`): a record
  whose diff, source and original disagree is refused (RecordTampered), not shown;
* records are bounded: `save` fits a record into `record_max_bytes` (`limits`), and
  applies the automatic retention policy (records per failure at every save; records,
  bytes and age whenever this process has written enough since its last collection).

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
import stat
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

from selfheal.errors import RecordNotFound, RecordTampered, StoreError
from selfheal.models import RECORD_VERSION, PatchRecord, PatchStatus
from selfheal.store.base import transitioned
from selfheal.store.integrity import content_problem
from selfheal.store.limits import AUTO_PROTECTED, StoreLimits, fit_record
from selfheal.store.signing import Signer, load_signer

log = logging.getLogger("selfheal.store")

__all__ = ["DirectoryStore", "GcReport", "IndexEntry", "StoreProblem", "approved_by_person"]

INDEX_VERSION = 3
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}")
_RECORD_SUFFIX = ".json"
_PATCH_SUFFIX = ".patch"
# Temp files younger than this may belong to a writer that is still running.
_STALE_TEMP_S = 600.0
# A record file larger than this is not read at all (whatever the record limit was when
# it was written): a planted multi-gigabyte file must not be loaded into memory.
_READ_CAP_MIN = 8_000_000
# Between two full collections a process writes at most this share of `max_bytes`, or
# this many records.
_GC_EVERY_BYTES_SHARE = 0.05
_GC_EVERY_SAVES = 200
_AUTO = "auto"


# How often a read reopens a record that a concurrent save replaced under it.
_REOPENS = 5


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
    fingerprint: str  # the failure's fingerprint key
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
            fingerprint=record.fingerprint.key,
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

    def __init__(
        self,
        root: Path,
        *,
        durable: bool = True,
        lock_timeout_s: float = 30.0,
        limits: StoreLimits | None = None,
        signer: Signer | str | None = _AUTO,
        key_file: str | None = None,
    ) -> None:
        self.root = Path(root)
        # No limits given: keep everything (a store opened by hand, a test); open_store
        # passes the configured ones.
        self.limits = limits or StoreLimits(None, None, None, None)
        self._signer = signer
        self._key_file = key_file
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

    @property
    def signer(self) -> Signer | None:
        """The approval signer (SigningKeyError if a key is configured but unusable).

        Loaded on first use, not when the store opens: saving a record never needs the
        key, and a broken key setting must not cost the record of a failure.
        """
        if isinstance(self._signer, str):
            self._signer = load_signer(self._key_file, store_root=self.root)
        return self._signer

    # ------------------------------------------------------------------ protocol

    def save(self, record: PatchRecord) -> None:
        """Write (or overwrite) a record and its patch file, atomically.

        The record is cut to the record size limit first (StoreError if it cannot fit),
        and the retention policy runs after the write.
        """
        _check_id(record.id)
        record, data = fit_record(record, self.limits.record_max_bytes)
        with self._io_errors(f"save record {record.id}"):
            self._ensure_dirs()
            with self._locked(record.id):
                entry = self._write(record, data)
            self._journal(entry)
        if not self.limits.unlimited:
            try:
                self._retain(record, entry.size)
            except (StoreError, OSError) as exc:
                # The record is saved; retention catches up at the next save.
                log.warning("selfheal store: retention in %s failed: %s", self.root, exc)

    def load(self, record_id: str) -> PatchRecord:
        """Load by id or unique id prefix; RecordNotFound otherwise, StoreError if unreadable,
        RecordTampered if its parts disagree (it was edited outside selfheal)."""
        return self._read_checked(self.resolve(record_id))

    def list(self) -> builtins.list[PatchRecord]:
        """Every readable record, newest first; unreadable files are reported and skipped."""
        records = []
        for record_id in self.ids():
            record, _problem = self._read(record_id)
            if record is not None:
                records.append(record)
        return sorted(records, key=lambda r: r.report.captured_at, reverse=True)

    def transition(
        self,
        record_id: str,
        to: PatchStatus,
        by: str = "selfheal",
        reason: str = "",
        *,
        expect_content: str | None = None,
    ) -> PatchRecord:
        """Move a record along the lifecycle under its lock (IllegalTransition) and save it.

        An approval records the content hash of the record as read under the lock, signed
        when a key is configured; with `expect_content`, the record must still have that
        content hash (what the person looked at), or RecordTampered.
        """
        full = self.resolve(record_id)
        signer = self.signer if to is PatchStatus.APPROVED else None
        with self._io_errors(f"update record {full}"), self._locked(full):
            # Read under the lock: another process may have moved it since we looked.
            record = self._read_checked(full)
            new = transitioned(record, to, by, reason, signer=signer,
                               expect_content=expect_content)
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
                st = self.record_path(record_id).lstat()
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
        per_failure: int | None = None,
        protect: frozenset[PatchStatus] = frozenset({PatchStatus.APPROVED, PatchStatus.LIVE}),
        dry_run: bool = False,
        now: datetime | None = None,
    ) -> GcReport:
        """Apply the retention policy: drop the oldest records beyond any of the limits.

        Age counts from a record's last status change; `per_failure` caps the records of
        one failure fingerprint. Records whose status is in `protect` (approved and live
        by default: approved mode and running processes need them) are never removed.
        Also removes temp files of killed writers, and patch and lock files whose record
        is gone.
        """
        now = now or datetime.now(timezone.utc)
        report = GcReport(dry_run=dry_run)
        entries = sorted(self.entries(), key=lambda e: e.updated_at)  # oldest first
        protected = {s.value for s in protect}
        doomed: set[str] = set()
        def oldest_unprotected(group: builtins.list[IndexEntry], excess: int) -> set[str]:
            # `group` is oldest first; a protected record is passed over, not counted out.
            removable = [e.id for e in group if e.status not in protected]
            return set(removable[: max(0, excess)])

        if per_failure is not None:
            by_failure: dict[str, builtins.list[IndexEntry]] = {}
            for e in entries:
                by_failure.setdefault(e.fingerprint, []).append(e)
            for group in by_failure.values():
                doomed |= oldest_unprotected(group, len(group) - per_failure)
        if max_age_days is not None:
            cutoff = now - timedelta(days=max_age_days)
            doomed |= {e.id for e in entries
                       if e.status not in protected and _parse_iso(e.updated_at) < cutoff}
        survivors = [e for e in entries if e.id not in doomed]
        if max_records is not None:
            doomed |= oldest_unprotected(survivors, len(survivors) - max_records)
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

    # ------------------------------------------------------------------ automatic retention

    def _retain(self, saved: PatchRecord, size: int) -> None:
        """The automatic policy after a save: cap this failure's records at once; collect
        by count, bytes and age when the store is over its count, or when this process
        has written enough since its last collection (and at its first save)."""
        limits = self.limits
        names = [n[: -len(_RECORD_SUFFIX)] for n in self._names(self.records_dir)
                 if n.endswith(_RECORD_SUFFIX)]
        if limits.per_failure is not None:
            # Runtime ids start with the fingerprint key (see pipeline.new_record_id), so
            # one directory listing finds this failure's records without reading others.
            prefix = saved.fingerprint.key[:8]
            same = [n for n in names if n.startswith(prefix) and n != saved.id]
            if len(same) >= limits.per_failure:
                self._trim_failure(saved, same)
        state = _retention_state(self.root)
        with state.lock:
            state.saves += 1
            state.bytes += size
            threshold = (limits.max_bytes or 0) * _GC_EVERY_BYTES_SHARE
            due = (
                state.saves == 1
                or (limits.max_records is not None and len(names) > limits.max_records)
                or (limits.max_bytes is not None and state.bytes >= threshold)
                or state.saves % _GC_EVERY_SAVES == 0
            )
            if due:
                state.bytes = 0
        if due:
            def low(limit: float | None) -> Any:
                return None if limit is None else type(limit)(limit * limits.low_water)

            self.gc(
                max_records=low(limits.max_records),
                max_bytes=low(limits.max_bytes),
                max_age_days=limits.max_age_days,
                per_failure=limits.per_failure,
                protect=AUTO_PROTECTED,
            )

    def _trim_failure(self, saved: PatchRecord, others: builtins.list[str]) -> None:
        records = []
        for record_id in others:
            record, _problem = self._read(record_id)
            if record is not None and record.fingerprint.key == saved.fingerprint.key:
                records.append(record)
        assert self.limits.per_failure is not None
        excess = len(records) + 1 - self.limits.per_failure
        removable = sorted(
            (r for r in records if r.status not in AUTO_PROTECTED),
            key=lambda r: r.history[-1].at if r.history else r.report.captured_at,
        )
        doomed = [r.id for r in removable[: max(0, excess)]]
        if not doomed:
            return
        with self._io_errors("apply the per-failure record limit"):
            for record_id in doomed:
                with self._locked(record_id, remove_after=True):
                    self._remove_files(record_id)
            self._update_index({}, removed=doomed)

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
        for directory in (self.records_dir, self.patches_dir, self.locks_dir):
            # The root may be a symlink the operator chose; what is inside must be the
            # store's own, or records would be read from (and written to) elsewhere.
            if directory.is_symlink():
                raise StoreError(f"{directory} is a symlink; the store uses only its own "
                                 "directories (replace it with a real directory)")

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
        """(record, "") or (None, why not); problems are reported, never raised."""
        try:
            return self._read_checked(record_id, missing_ok=True), ""
        except RecordNotFound:
            return None, "no such file"
        except StoreError as exc:
            return None, str(exc)

    def _open_record(self, record_id: str) -> int:
        """An fd of the record file: a regular file directly in records/, not a link."""
        for _ in range(_REOPENS):
            fd = self._open_record_once(record_id)
            if fd >= 0:
                return fd
        raise StoreError(f"record {record_id} kept being replaced while it was opened; "
                         "try again")

    def _open_record_once(self, record_id: str) -> int:
        """As `_open_record`, or -1 when a writer renamed a new file over the one opened."""
        if self.records_dir.is_symlink():
            raise StoreError(f"{self.records_dir} is a symlink; refusing to read records "
                             "through it")
        path = self.record_path(record_id)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            raise RecordNotFound(f"no record {record_id!r} in {self.root}") from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise StoreError("a symlink, not a record file; refused (records are read "
                                 "only from files inside the store)") from None
            raise StoreError(f"cannot read: {exc.strerror or exc}") from None
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode) and st.st_nlink == 0:
            # Replaced between open and fstat (a save renames its temp file over the old
            # one): the old inode has no name left. Not an attack; open the new file.
            os.close(fd)
            return -1
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            os.close(fd)
            what = "not a regular file" if not stat.S_ISREG(st.st_mode) else (
                f"a file with {st.st_nlink} hard links (the store writes files with one)")
            raise StoreError(f"{what}; refused (records are read only from the store's own "
                             "files)")
        return fd

    def _read_checked(self, record_id: str, missing_ok: bool = False) -> PatchRecord:
        path = self.record_path(record_id)
        try:
            fd = self._open_record(record_id)
        except RecordNotFound:
            raise
        except StoreError as exc:
            self._report(path, str(exc))
            raise StoreError(f"record {record_id} is unreadable: {exc}") from None
        try:
            st = os.fstat(fd)
            with self._mutex:
                cached = self._cache.get(record_id)
            if cached and cached[0] == _stamp(st):
                return cached[1]
            cap = max(_READ_CAP_MIN, 4 * self.limits.record_max_bytes)
            if st.st_size > cap:
                reason = f"{st.st_size} bytes, over the {cap}-byte cap on record files; skipped"
                self._report(path, reason)
                raise StoreError(f"record {record_id} is unreadable: {reason}")
            with os.fdopen(fd, "rb", closefd=False) as fh:
                data = fh.read(cap + 1)
        except OSError as exc:
            reason = f"cannot read: {exc.strerror or exc}"
            self._report(path, reason)
            raise StoreError(f"record {record_id} is unreadable: {reason}") from None
        finally:
            os.close(fd)
        record, reason = self._parse(record_id, data)
        if record is None:
            self._report(path, reason)
            raise StoreError(f"record {record_id} is unreadable: {reason}")
        problem = content_problem(record)
        if problem:
            reason = f"edited outside selfheal: {problem}; refused"
            self._report(path, reason)
            raise RecordTampered(
                f"record {record_id} was edited outside selfheal: {problem}. It is refused "
                f"everywhere; remove it (selfheal gc --remove {record_id}) and let the "
                "failure be healed again"
            )
        with self._mutex:
            self._cache[record_id] = (_stamp(st), record)
        return record

    @staticmethod
    def _parse(record_id: str, data: bytes) -> tuple[PatchRecord | None, str]:
        try:
            raw = json.loads(data)
            if not isinstance(raw, dict) or "id" not in raw or "report" not in raw:
                return None, "foreign file (not a selfheal patch record)"
            if isinstance(raw.get("version"), int) and raw["version"] > RECORD_VERSION:
                return None, (f"written by a newer selfheal (record version {raw['version']}, "
                              f"this one reads up to {RECORD_VERSION}); skipped")
            record = PatchRecord.model_validate(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            # json.JSONDecodeError and pydantic's ValidationError are both ValueErrors.
            if isinstance(exc, ValidationError):
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                return None, (f"not a valid record ({exc.error_count()} errors; {where}: "
                              f"{first['msg']})")
            return None, f"corrupt (not JSON: {exc})"
        if record.id != record_id:
            return None, f"holds record {record.id!r}, not {record_id!r}; skipped"
        return record, ""

    def _write(self, record: PatchRecord, data: bytes | None = None) -> IndexEntry:
        # The patch goes first: the record rename is the commit point, and a patch file
        # without its record is an orphan `gc` removes.
        patch = self.patch_path(record.id)
        if record.diff:
            self._atomic_write(patch, record.diff.encode())
        else:
            with contextlib.suppress(FileNotFoundError):
                patch.unlink()
        if data is None:
            record, data = fit_record(record, self.limits.record_max_bytes)
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
            # O_NOFOLLOW: a lock file planted as a symlink must not make us open (and
            # create) files elsewhere.
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
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


@dataclass
class _RetentionState:
    """What this process wrote to one store since its last full collection."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    saves: int = 0
    bytes: int = 0


_retention: dict[str, _RetentionState] = {}
_retention_lock = threading.Lock()
_RETENTION_STORES = 64  # stores one process tracks; a few in practice, many only in tests


def _retention_state(root: Path) -> _RetentionState:
    # Keyed by path, not by store object: the runtime opens a store object per save.
    key = os.path.abspath(root)
    with _retention_lock:
        state = _retention.get(key)
        if state is None:
            if len(_retention) >= _RETENTION_STORES:
                _retention.pop(next(iter(_retention)))
            state = _retention[key] = _RetentionState()
        return state


def _reset_retention_after_fork() -> None:
    global _retention_lock
    _retention_lock = threading.Lock()
    _retention.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_retention_after_fork)


def _entry_json(entry: IndexEntry) -> dict[str, Any]:
    return {**vars(entry), "stamp": list(entry.stamp)}


def _entry_from_json(value: dict[str, Any]) -> IndexEntry:
    stamp = value["stamp"]
    return IndexEntry(**{**value, "stamp": (int(stamp[0]), int(stamp[1]), int(stamp[2]))})
