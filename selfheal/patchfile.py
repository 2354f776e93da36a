"""Unified diffs of a function replacement, and writing a replacement into its file.

This module owns two things: `make_diff`, which turns "function X gets this new source"
into a unified diff that `git apply` and `patch -p1` accept from the project root, and
`apply_patch`, which writes a record's chosen source into the file it came from,
atomically, only when the file still holds the source the record was made from.

It must not touch the live function (that is `swap`), must not read or write the patch
store, and must never write a file whose current text it has not checked (unless asked to
with `force`).
"""

from __future__ import annotations

import contextlib
import difflib
import logging
import os
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from selfheal.errors import SelfHealError
from selfheal.models import FunctionRef, PatchRecord

log = logging.getLogger("selfheal.patchfile")

__all__ = [
    "PatchConflict",
    "PatchLocation",
    "apply_patch",
    "atomic_write_text",
    "find_root",
    "locate_function",
    "make_diff",
    "relative_path",
]

_NO_NEWLINE = "\\ No newline at end of file\n"


class PatchConflict(SelfHealError):
    """The source file no longer holds the code a patch was made from."""


def find_root(start: Path | None = None) -> Path:
    """The project root: the nearest ancestor of `start` holding .git or pyproject.toml.

    Falls back to the current directory, so a diff always has some root to be relative to.
    """
    here = (start or Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists() or (candidate / "pyproject.toml").is_file():
            return candidate
    return Path.cwd().resolve()


def relative_path(filename: str | Path, root: Path) -> tuple[str, bool]:
    """`filename` as a forward-slash path relative to `root`; second item: is it inside.

    A file outside the root (site-packages, /tmp) cannot be expressed with `../` (git
    refuses paths that leave the tree), so it becomes its absolute path without the
    leading slash: the patch then applies with `-p1` from the filesystem root.
    """
    path = Path(filename).resolve()
    try:
        return path.relative_to(root.resolve()).as_posix(), True
    except ValueError:
        return path.as_posix().lstrip("/"), False


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _normalised(block: str) -> str:
    # Compare function texts independent of their indentation and trailing blank space:
    # a method and the same code dedented by capture are the same source.
    lines = [line.rstrip() for line in textwrap.dedent(block).splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _same_source(block: str, ref: FunctionRef) -> bool:
    dedented = textwrap.dedent(block)
    if ref.source_hash in {
        FunctionRef.hash_source(dedented),
        FunctionRef.hash_source(dedented.rstrip("\n") + "\n"),
    }:
        return True
    return _normalised(block) == _normalised(ref.source)


@dataclass(frozen=True)
class PatchLocation:
    """Where a function's `def` currently sits in its file (1-based, inclusive)."""

    path: Path
    first: int
    last: int
    moved: bool  # found at other lines than the ref says


def _read_lines(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return fh.read().splitlines(keepends=True)
    except OSError as exc:
        raise PatchConflict(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise PatchConflict(f"{path} is not UTF-8 text; refusing to patch it") from None


def locate_function(ref: FunctionRef, path: Path, lines: list[str]) -> PatchLocation | None:
    """Find `ref`'s source in `lines`: at its recorded lines, or moved as a whole."""
    span = ref.lastlineno - ref.firstlineno
    first = ref.firstlineno
    if first >= 1 and first + span <= len(lines) and _same_source(
        "".join(lines[first - 1 : first + span]), ref
    ):
        return PatchLocation(path, first, first + span, moved=False)
    # Lines were added or removed above the function since it was captured: look for
    # the same block elsewhere, and accept it only when it occurs exactly once.
    hits = [
        start
        for start in range(1, len(lines) - span + 1)
        if start != first and _same_source("".join(lines[start - 1 : start + span]), ref)
    ]
    if len(hits) == 1:
        return PatchLocation(path, hits[0], hits[0] + span, moved=True)
    return None


def _replacement(old_def_line: str, new_source: str, newline: str) -> list[str]:
    indent = _indent_of(old_def_line)
    body = textwrap.dedent(new_source).strip("\n")
    out: list[str] = []
    for line in body.splitlines():
        out.append((indent + line if line.strip() else "") + newline)
    return out


def _newline_of(lines: list[str]) -> str:
    for line in lines:
        if line.endswith("\r\n"):
            return "\r\n"
        if line.endswith("\n"):
            return "\n"
    return "\n"


def _unified(old: list[str], new: list[str], rel: str) -> str:
    out: list[str] = []
    for line in difflib.unified_diff(old, new, f"a/{rel}", f"b/{rel}", n=3):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:
            # difflib leaves the last line of a file without a newline as is; both git
            # and patch need the marker line, or they reject the hunk.
            out.append(line + "\n")
            out.append(_NO_NEWLINE)
    return "".join(out)


def make_diff(ref: FunctionRef, new_source: str, root: Path | None = None) -> tuple[str, str]:
    """A unified diff replacing `ref`'s def with `new_source`, and the path it edits.

    Decorators above the def are kept; `new_source` (a complete def, any indentation) is
    re-indented to the original's indentation. Headers are `a/<rel>` and `b/<rel>`, so the
    diff applies with `git apply` or `patch -p1` from `root`. Raises PatchConflict when the
    file no longer holds `ref`'s source.
    """
    root = find_root(Path(ref.filename).parent) if root is None else root
    path = Path(ref.filename)
    lines = _read_lines(path)
    where = locate_function(ref, path, lines)
    if where is None:
        raise PatchConflict(
            f"{ref.filename} no longer holds the source of {ref.qualname} "
            f"(lines {ref.firstlineno}-{ref.lastlineno}); cannot make a diff"
        )
    new_lines = _spliced(lines, where, new_source)
    rel, inside = relative_path(path, root)
    diff = _unified(lines, new_lines, rel)
    if not inside:
        log.warning(
            "%s is outside the project root %s; its patch uses the absolute path and "
            "applies with -p1 from the filesystem root",
            path,
            root,
        )
        # Text before the first `---` line is ignored by git apply and by patch.
        diff = (
            f"selfheal: {path.as_posix()} is outside the project root; "
            "apply this patch from / (cd / && patch -p1 < this.patch)\n" + diff
        )
    return diff, rel


def _spliced(lines: list[str], where: PatchLocation, new_source: str) -> list[str]:
    newline = _newline_of(lines)
    replacement = _replacement(lines[where.first - 1], new_source, newline)
    tail = lines[where.last :]
    if not lines[where.last - 1].endswith(("\n", "\r")) and not tail and replacement:
        # Keep a file that ended without a newline that way.
        replacement[-1] = replacement[-1].rstrip("\r\n")
    return [*lines[: where.first - 1], *replacement, *tail]


def atomic_write_text(path: Path, text: str, mode: int | None = None) -> None:
    """Replace `path` with `text`: temp file in the same directory, fsync, rename.

    Keeps the existing file's permission bits unless `mode` is given. A crash at any
    point leaves either the old file or the new one, never a mix.
    """
    directory = path.parent
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
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


def _target_file(record: PatchRecord, root: Path | None) -> Path:
    if root is not None and record.diff_path:
        candidate = root / record.diff_path
        if candidate.is_file():
            return candidate
    return Path(record.report.function.filename)


def apply_patch(record: PatchRecord, root: Path | None = None, force: bool = False) -> Path:
    """Write the record's chosen source into the file its function lives in; return it.

    The file is `root / record.diff_path` when that exists (the project may have moved),
    else the file named in the report. Refuses with PatchConflict when the function's
    current text is not the source the record was made from, unless `force` (then the
    recorded lines are replaced whatever they hold).
    """
    if record.chosen is None:
        raise PatchConflict(f"record {record.id} has no chosen patch to apply")
    ref = record.report.function
    path = _target_file(record, root)
    lines = _read_lines(path)
    where = locate_function(ref, path, lines)
    if where is None:
        if not force:
            raise PatchConflict(
                f"{path} changed since record {record.id} was made: lines "
                f"{ref.firstlineno}-{ref.lastlineno} no longer hold {ref.qualname} "
                f"(source hash {ref.source_hash}); re-run with --force to overwrite them"
            )
        if ref.lastlineno > len(lines) or ref.firstlineno < 1:
            raise PatchConflict(
                f"{path} has {len(lines)} lines; the recorded function spans lines "
                f"{ref.firstlineno}-{ref.lastlineno}, so even --force cannot place the patch"
            )
        where = PatchLocation(path, ref.firstlineno, ref.lastlineno, moved=False)
        log.warning("forcing patch %s over changed source in %s", record.id, path)
    elif where.moved:
        log.info(
            "%s moved to lines %d-%d of %s; patching it there",
            ref.qualname,
            where.first,
            where.last,
            path,
        )
    atomic_write_text(path, "".join(_spliced(lines, where, record.chosen.source)))
    return path
