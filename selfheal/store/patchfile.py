"""Unified diffs of a function replacement, and writing a replacement into its file.

This module owns three things: `make_diff`, which turns "function X gets this new
source" into a unified diff that `git apply` and `patch -p1` accept from the project
root; `function_after_diff`, which reads such a diff back (the function as the diff
leaves it), so a record's diff can be checked against the source that runs; and
`apply_patch`, which writes a record's chosen source into the file it came from,
atomically, only inside the project root and only when the file still holds the source
the record was made from.

It must not touch the live function (that is `swap`), must not read or write the patch
store, must never write a file whose current text it has not checked (unless asked to
with `force`), and must never write outside the root it is given.
"""

from __future__ import annotations

import contextlib
import difflib
import logging
import os
import re
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
    "check_relative_path",
    "find_root",
    "function_after_diff",
    "locate_function",
    "make_diff",
    "relative_path",
    "same_function_source",
    "target_file",
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


# ----------------------------------------------------------------------------- reading diffs

_HUNK_HEADER = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class _Hunk:
    old_start: int  # first old line the hunk covers (1-based; for an empty range, the next)
    old_len: int
    new_start: int
    new_len: int
    lines: tuple[tuple[str, str], ...]  # (" " | "-" | "+", text with its line ending)


def check_relative_path(path: str) -> str | None:
    """Why `path` cannot be a record's `diff_path` (None if it can).

    A diff path names a file relative to a root: forward slashes, no leading slash, and
    no `.`, `..` or empty part, so no reading of it leaves the root it is joined to.
    """
    if not path:
        return "it is empty"
    if path.startswith("/") or "\\" in path or "\0" in path:
        return f"{path!r} is not a relative forward-slash path"
    if any(part in ("", ".", "..") for part in path.split("/")):
        return f"{path!r} has an empty, '.' or '..' part"
    return None


def _parse_diff(diff: str) -> tuple[str, str, list[_Hunk]]:
    """(old name, new name, hunks) of a one-file unified diff; PatchConflict otherwise."""
    lines = diff.splitlines(keepends=True)
    i = 0
    # Text before the first header is a comment to git apply and patch (make_diff puts
    # one there for files outside the root).
    while i < len(lines) and not lines[i].startswith("--- "):
        i += 1
    if i + 1 >= len(lines) or not lines[i + 1].startswith("+++ "):
        raise PatchConflict("the diff has no '--- a/...' / '+++ b/...' file header")
    old_name, new_name = lines[i][4:].rstrip("\r\n"), lines[i + 1][4:].rstrip("\r\n")
    i += 2
    hunks: list[_Hunk] = []
    while i < len(lines):
        header = _HUNK_HEADER.match(lines[i])
        if header is None:
            # A second file header lands here too: one record, one file.
            raise PatchConflict(f"line {i + 1} of the diff is not a hunk header: "
                                f"{lines[i][:60]!r}")
        old_len = int(header[2]) if header[2] is not None else 1
        new_len = int(header[4]) if header[4] is not None else 1
        # An empty range names the line before it.
        old_start = int(header[1]) + (old_len == 0)
        new_start = int(header[3]) + (new_len == 0)
        i += 1
        body: list[tuple[str, str]] = []
        seen_old = seen_new = 0
        # Counted, not recognised by prefix: a removed line may itself start with "--".
        while seen_old < old_len or seen_new < new_len:
            if i >= len(lines):
                raise PatchConflict("the diff ends inside a hunk")
            line = lines[i]
            i += 1
            tag, text = line[:1], line[1:]
            if tag == "\\":  # "\ No newline at end of file"
                continue
            if tag not in (" ", "-", "+"):
                raise PatchConflict(f"line {i} of the diff is not a hunk line: {line[:60]!r}")
            seen_old += tag != "+"
            seen_new += tag != "-"
            body.append((tag, text))
        if seen_old != old_len or seen_new != new_len:
            raise PatchConflict("a hunk of the diff holds more lines than its header says")
        while i < len(lines) and lines[i].startswith("\\"):
            i += 1
        hunks.append(_Hunk(old_start, old_len, new_start, new_len, tuple(body)))
    if not hunks:
        raise PatchConflict("the diff has no hunks")
    return old_name, new_name, hunks


def _sides(hunks: list[_Hunk]) -> tuple[dict[int, str], dict[int, str]]:
    old: dict[int, str] = {}
    new: dict[int, str] = {}
    for hunk in hunks:
        o, n = hunk.old_start, hunk.new_start
        for tag, text in hunk.lines:
            if tag != "+":
                old[o] = text
                o += 1
            if tag != "-":
                new[n] = text
                n += 1
    return old, new


def _indent_against(old: dict[int, str], first: int, ref_lines: list[str]) -> str | None:
    """The indentation the file adds to `ref_lines` placed at `first`, or None if the
    diff's old lines there are not those lines."""
    indent: str | None = None
    for pos, text in old.items():
        index = pos - first
        if not 0 <= index < len(ref_lines):
            continue
        have, want = text.rstrip(), ref_lines[index].rstrip()
        if not want:
            if have:
                return None
            continue
        if indent is None:
            if not have.endswith(want) or have[: len(have) - len(want)].strip():
                return None
            indent = have[: len(have) - len(want)]
        elif have != indent + want:
            return None
    return indent


def function_after_diff(ref: FunctionRef, diff: str, diff_path: str) -> str:
    """The function's source as `diff` leaves it: `ref.source` with the hunks applied.

    The diff must be one file's (`a/<diff_path>`, `b/<diff_path>`), its old side must be
    `ref`'s source, and it must change nothing outside that function. Raises
    PatchConflict saying which of these fails. Only the diff and the ref are read, so a
    record can be checked anywhere, without the project's files.
    """
    problem = check_relative_path(diff_path)
    if problem:
        raise PatchConflict(f"the record's diff path {problem}")
    old_name, new_name, hunks = _parse_diff(diff)
    if (old_name, new_name) != (f"a/{diff_path}", f"b/{diff_path}"):
        raise PatchConflict(
            f"the diff edits {old_name} -> {new_name}, not the record's file {diff_path}"
        )
    old, new = _sides(hunks)
    ref_lines = ref.source.splitlines()
    span = len(ref_lines)
    # Where the def sat when the diff was made: its recorded line, else the one place
    # the diff's old lines put it (the file may have moved it since capture).
    by_text: dict[str, list[int]] = {}
    for index, line in enumerate(ref_lines):
        if line.strip():
            by_text.setdefault(line.strip(), []).append(index)
    starts = {pos - index for pos, text in old.items() for index in by_text.get(text.strip(), ())}
    ordered = [ref.firstlineno, *sorted(starts - {ref.firstlineno},
                                        key=lambda f: abs(f - ref.firstlineno))]
    delta = sum(h.new_len - h.old_len for h in hunks)
    failure = "the diff's old lines are not the function's original source"
    for first in ordered:
        if first < 1:
            continue
        indent = _indent_against(old, first, ref_lines)
        if indent is None:
            continue
        body, failure = _new_region(old, new, hunks, first, span, delta, ref_lines, indent)
        if body is not None:
            return body
    raise PatchConflict(failure)


def _new_region(
    old: dict[int, str],
    new: dict[int, str],
    hunks: list[_Hunk],
    first: int,
    span: int,
    delta: int,
    ref_lines: list[str],
    indent: str,
) -> tuple[str | None, str]:
    last, new_last = first + span - 1, first + span - 1 + delta
    # Outside the function the new file must be the old one, line for line.
    for pos, text in new.items():
        if first <= pos <= new_last:
            continue
        before = old.get(pos if pos < first else pos - delta)
        if before is None or before.rstrip("\r\n") != text.rstrip("\r\n"):
            return None, f"the diff changes line {pos} of the file, outside the function"
    for pos in old:
        if not first <= pos <= last and (pos if pos < first else pos + delta) not in new:
            return None, f"the diff removes line {pos} of the file, outside the function"
    out: list[str] = []
    for pos in range(first, new_last + 1):
        line = new.get(pos)
        if line is None:
            # Not in any hunk: an unchanged line, shifted by the hunks above it.
            shift = sum(h.new_len - h.old_len for h in hunks if h.new_start + h.new_len <= pos)
            index = pos - shift - first
            if not 0 <= index < span:
                return None, "the diff moves lines across the function's boundary"
            out.append(ref_lines[index] + "\n")
            continue
        bare = line.rstrip("\r\n")
        if bare.strip() and not bare.startswith(indent):
            return None, f"line {pos} of the diff is not indented like the function"
        out.append((bare[len(indent):] if bare.strip() else "") + "\n")
    return "".join(out), ""


def same_function_source(a: str, b: str) -> bool:
    """Are two def statements the same text, up to indentation and trailing blanks?"""
    return _normalised(a) == _normalised(b)


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


def _inside_root(path: Path, root: Path) -> Path | None:
    """`path` resolved (symlinks followed) if it lies inside `root`, else None."""
    resolved = path.resolve()
    try:
        resolved.relative_to(root.resolve())
    except ValueError:
        return None
    return resolved


def target_file(record: PatchRecord, root: Path) -> Path:
    """The file `apply` may write for `record`: inside `root`, resolved; PatchConflict else.

    `root / record.diff_path` when that file exists (the project may have moved since
    capture), else the file the report names. Either is refused when it resolves (through
    `..` or a symlink) to a place outside `root`.
    """
    problem = check_relative_path(record.diff_path) if record.diff_path else None
    if problem:
        raise PatchConflict(f"record {record.id}: its diff path {problem}; refusing to apply it")
    candidates = [root / record.diff_path] if record.diff_path else []
    candidates.append(Path(record.report.function.filename))
    for candidate in candidates:
        if not candidate.is_file():
            continue
        inside = _inside_root(candidate, root)
        if inside is None:
            raise PatchConflict(
                f"record {record.id} would write {candidate.resolve()}, which is outside the "
                f"project root {root.resolve()}; refusing (pass --root DIR naming a directory "
                "that holds the file, if that file is really meant)"
            )
        return inside
    shown = " or ".join(str(c) for c in candidates)
    raise PatchConflict(f"record {record.id}: no file to patch ({shown} does not exist)")


def apply_patch(record: PatchRecord, root: Path | None = None, force: bool = False) -> Path:
    """Write the record's chosen source into the file its function lives in; return it.

    The file is `target_file(record, root)`: inside `root` (the project root found from
    the working directory when None), never elsewhere. Refuses with PatchConflict when
    the function's current text is not the source the record was made from, unless
    `force` (then the recorded lines are replaced whatever they hold).
    """
    if record.chosen is None:
        raise PatchConflict(f"record {record.id} has no chosen patch to apply")
    ref = record.report.function
    path = target_file(record, find_root() if root is None else root)
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
