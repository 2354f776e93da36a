"""The review commands: read the patch store and move records along their lifecycle.

`list`, `show`, `diff`, `approve`, `reject`, `apply`, `replay`, `export`, `gc`, `review`
and `schema`. Every command reads the store named by the global `--store` option (or
the settings); output for people goes to stdout (coloured only on a terminal), errors to
stderr, and `--json` output is the records as pydantic dumps them.

An approval is bound to what the person saw: `approve` and `review` pass the content
hash of the record they showed, and `apply` and `replay` refuse a record whose approval
no longer covers it (see `selfheal.store.integrity`).

This module owns presentation and the person's side of the lifecycle; it must not
write a source file except through `selfheal.store.patchfile.apply_patch`, and must not
decide which transitions are legal (the store's lifecycle does).
"""

from __future__ import annotations

import argparse
import fnmatch
import getpass
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TextIO

from selfheal.config import get_settings
from selfheal.errors import ConfigurationError, IllegalTransition, RecordTampered
from selfheal.models import PatchRecord, PatchStatus
from selfheal.store.base import TRANSITIONS
from selfheal.store.directory import DirectoryStore, approved_by_person
from selfheal.store.integrity import approval_of, approval_problem, content_hash
from selfheal.store.limits import AUTO_PROTECTED, StoreLimits
from selfheal.store.patchfile import apply_patch, find_root

# ----------------------------------------------------------------------------- helpers

_RELATIVE = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """`2h`, `3d`, `90m`, `1w` ago, or an ISO date/time (UTC when no zone is given)."""
    now = now or datetime.now(timezone.utc)
    match = _RELATIVE.fullmatch(text.strip())
    if match:
        return now - timedelta(**{_UNITS[match[2]]: float(match[1])})
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigurationError(
            f"--since {text!r}: give a duration (30m, 2h, 3d, 1w) or an ISO date "
            "(2024-05-01, 2024-05-01T12:00)"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _open_store(args: argparse.Namespace) -> DirectoryStore:
    settings = get_settings()
    path = getattr(args, "store", None) or settings.store
    return DirectoryStore(Path(path), limits=StoreLimits.from_settings(settings),
                          key_file=settings.signing_key_file)


def _refuse_unless_covered(store: DirectoryStore, record: PatchRecord, action: str) -> None:
    """RecordTampered when a person approved `record` but the approval no longer covers it."""
    if approval_of(record) is None:
        return
    problem = approval_problem(record, store.signer)
    if problem:
        raise RecordTampered(
            f"refusing to {action} record {record.id}: {problem}. Look at it "
            f"(selfheal show {record.id}); reject it, or approve it again if it is right"
        )


def _person() -> str:
    for name in ("SELFHEAL_USER", "USER", "LOGNAME"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in a container
        return "unknown"


class Palette:
    """ANSI colours when the output is a terminal and NO_COLOR is not set; plain otherwise."""

    def __init__(self, stream: TextIO, mode: str = "auto") -> None:
        if mode == "auto":
            isatty = getattr(stream, "isatty", None)
            on = bool(isatty and isatty()) and not os.environ.get("NO_COLOR")
        else:
            on = mode == "always"
        self.on = on

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on and text else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def red(self, text: str) -> str:
        return self._wrap("31", text)

    def green(self, text: str) -> str:
        return self._wrap("32", text)

    def yellow(self, text: str) -> str:
        return self._wrap("33", text)

    def cyan(self, text: str) -> str:
        return self._wrap("36", text)

    def status(self, status: PatchStatus) -> str:
        colour = {
            PatchStatus.VERIFIED: self.green,
            PatchStatus.APPROVED: self.green,
            PatchStatus.APPLIED: self.green,
            PatchStatus.LIVE: self.cyan,
            PatchStatus.REJECTED: self.red,
            PatchStatus.ROLLED_BACK: self.yellow,
        }.get(status, self.yellow)
        return colour(status.value)

    def diff(self, text: str) -> str:
        if not self.on:
            return text
        out = []
        for line in text.splitlines(keepends=True):
            if line.startswith(("+++", "---")):
                out.append(self.bold(line.rstrip("\n")) + "\n")
            elif line.startswith("+"):
                out.append(self.green(line.rstrip("\n")) + "\n")
            elif line.startswith("-"):
                out.append(self.red(line.rstrip("\n")) + "\n")
            elif line.startswith("@@"):
                out.append(self.cyan(line.rstrip("\n")) + "\n")
            else:
                out.append(line)
        return "".join(out)


def record_json(record: PatchRecord) -> dict[str, Any]:
    """A record as `--json` prints it: the model dump plus `function` (module.qualname)."""
    data = record.model_dump(mode="json")
    data["function"] = record.function
    return data


def _matches_function(record: PatchRecord, pattern: str) -> bool:
    names = (record.function, record.report.function.qualname)
    if any(ch in pattern for ch in "*?["):
        return any(fnmatch.fnmatchcase(name, pattern) for name in names)
    return any(pattern in name for name in names)


def _filtered(
    records: Iterable[PatchRecord],
    statuses: Sequence[str] | None,
    function: str | None,
    since: datetime | None,
) -> list[PatchRecord]:
    out = []
    for record in records:
        if statuses and record.status.value not in statuses:
            continue
        if function and not _matches_function(record, function):
            continue
        if since and record.report.captured_at < since:
            continue
        out.append(record)
    return out


def _exception_line(record: PatchRecord) -> str:
    exc = record.report.exception
    if exc is None:
        return f"property violated: {record.report.property_source or '?'}"
    kind = exc.type.removeprefix("builtins.")
    return f"{kind}: {exc.message}" if exc.message else kind


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _when(at: datetime) -> str:
    return at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")


def _report_problems(store: DirectoryStore, err: TextIO) -> None:
    for problem in store.problems:
        print(f"selfheal: warning: {problem}", file=err)


# ----------------------------------------------------------------------------- list


def cmd_list(args: argparse.Namespace) -> int:
    store = _open_store(args)
    since = parse_since(args.since) if args.since else None
    records = _filtered(store.list(), args.status, args.function, since)
    _report_problems(store, sys.stderr)
    if args.json:
        json.dump([record_json(r) for r in records], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if not records:
        print(f"no records in {store.root}" + (" matching the filters" if
              (args.status or args.function or since) else ""))
        return 0
    paint = Palette(sys.stdout)
    header = ("ID", "STATUS", "CAPTURED (UTC)", "FUNCTION", "FAILURE")
    rows = [
        (r.id, r.status, _when(r.report.captured_at), r.function,
         _short(_exception_line(r), 60))
        for r in records
    ]
    widths = [max(len(header[i]), *(len(str(row[i]) if i != 1 else row[1].value)
                                     for row in rows)) for i in range(4)]
    print(paint.bold("  ".join(h.ljust(w) for h, w in zip(header, [*widths, 0], strict=True))
                     .rstrip()))
    for rid, status, when, function, failure in rows:
        status_cell = paint.status(status) + " " * (widths[1] - len(status.value))
        print("  ".join((rid.ljust(widths[0]), status_cell, when.ljust(widths[2]),
                         function.ljust(widths[3]), failure)))
    return 0


# ----------------------------------------------------------------------------- show


def integrity_lines(record: PatchRecord, store: DirectoryStore | None, paint: Palette
                    ) -> list[str]:
    """What `show` says about the record's content hash and its approval."""
    if record.chosen is None:
        return []
    lines = [f"content   {content_hash(record)}"]
    approval = approval_of(record)
    if approval is None:
        return lines
    try:
        problem = approval_problem(record, store.signer if store is not None else None)
    except ConfigurationError as exc:  # a signing key configured but unusable
        problem = str(exc)
    signed = " (signed)" if approval.signature else ""
    if problem:
        lines.append(paint.red(f"approval  REFUSED: {problem}"))
    else:
        lines.append(paint.green(f"approval  covers this content: {approval.by}, "
                                 f"{_when(approval.at)} UTC{signed}"))
    return lines


def render_record(record: PatchRecord, paint: Palette,
                  integrity: Sequence[str] = ()) -> str:
    """The human view of one record: what failed, what was tried, the patch, the history."""
    ref = record.report.function
    lines: list[str] = []
    add = lines.append
    add(f"{paint.bold('record')}    {record.id}  ({paint.status(record.status)})")
    add(f"function  {record.function}  ({ref.filename}:{ref.firstlineno}-{ref.lastlineno})")
    add(f"captured  {_when(record.report.captured_at)} UTC, mode {record.mode}, "
        f"engines {', '.join(record.engines) or '-'}")
    if record.note:
        add(f"note      {record.note}")
    add("")
    add(paint.bold("failure"))
    add(f"  {paint.red(_exception_line(record))}")
    if record.report.failing_line is not None:
        add(f"  at line {record.report.failing_line}")
    if record.report.judged:
        add(f"  a failure because {record.report.judged}")
    call = record.report.failing_call
    if call.args or call.kwargs:
        shown = [*call.args, *(f"{k}={v}" for k, v in call.kwargs.items())]
        add(f"  call: {ref.qualname}({', '.join(shown)})")
    for exc in record.report.chain:
        for frame in exc.frames:
            if frame.in_target:
                add(f"  {frame.filename}:{frame.lineno} in {frame.function}: {frame.line.strip()}")
                for name, value in frame.locals.items():
                    add(f"      {name} = {value}")
    add("")
    add(paint.bold(f"candidates ({len(record.candidates)})"))
    chosen_id = record.chosen.id if record.chosen else None
    for n, outcome in enumerate(record.candidates, 1):
        cand, verdict = outcome.candidate, outcome.verdict
        mark = paint.green("ok  ") if verdict.ok else paint.red("FAIL")
        star = " (chosen)" if cand.id == chosen_id else ""
        desc = cand.description or cand.rationale or ""
        guess = " [guess]" if cand.guess else ""
        add(f"  {n}. {mark} {cand.id} {cand.engine}{guess}: {_short(desc, 70)}{star}")
        if cand.description and cand.rationale:
            # Why the engine ranked it where it did (the project's priors included), or
            # a model's reasons and what the project taught its prompt: line by line.
            first, *more = cand.rationale.splitlines()
            add(f"       ranked: {first}")
            for line in more:
                add(f"               {line}")
        for layer in verdict.layers:
            sign = paint.green("+") if layer.passed else paint.red("x")
            detail = f" - {layer.detail}" if layer.detail else ""
            counter = f" (counterexample {layer.counterexample})" if layer.counterexample else ""
            add(f"       {sign} {layer.layer} ran {layer.ran}{detail}{counter}")
        if not verdict.ok and verdict.reason:
            add(f"       reason: {verdict.reason}")
    if record.usage:
        add("")
        add(paint.bold("usage"))
        for usage in record.usage:
            add(f"  {usage.engine}: {usage.requests} requests, {usage.input_tokens} in / "
                f"{usage.output_tokens} out tokens, ${usage.cost_usd:.4f}")
    if record.timings:
        add("")
        add(paint.bold("timings") + "  " +
            ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in record.timings.items()))
    add("")
    if record.diff:
        add(paint.bold(f"patch ({record.diff_path})"))
        add(paint.diff(record.diff).rstrip("\n"))
    elif record.chosen is not None:
        # No diff could be made (the file was gone): show what would run instead.
        add(paint.bold("patch (no diff; the chosen source)"))
        add(record.chosen.source.rstrip("\n"))
    else:
        add(paint.dim("no patch"))
    if integrity:
        add("")
        add(paint.bold("integrity"))
        for line in integrity:
            add(f"  {line}")
    add("")
    add(paint.bold("history"))
    for change in record.history:
        why = f": {change.reason}" if change.reason else ""
        add(f"  {_when(change.at)}  {change.status.value:<11} by {change.by}{why}")
    return "\n".join(lines) + "\n"


def cmd_show(args: argparse.Namespace) -> int:
    store = _open_store(args)
    record = store.load(args.id)
    if args.json:
        json.dump(record_json(record), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        paint = Palette(sys.stdout, args.color)
        sys.stdout.write(render_record(record, paint, integrity_lines(record, store, paint)))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    record = _open_store(args).load(args.id)
    if not record.diff:
        print(f"selfheal: record {record.id} has no patch ({record.note or 'nothing verified'})",
              file=sys.stderr)
        return 1
    sys.stdout.write(record.diff)
    return 0


# ----------------------------------------------------------------------------- decisions


def cmd_approve(args: argparse.Namespace) -> int:
    store = _open_store(args)
    record = store.load(args.id)
    if record.chosen is None:
        print(f"selfheal: record {record.id} has no patch to approve", file=sys.stderr)
        return 1
    # Bound to the record as read here: if it changes before the store writes the
    # approval, the approval is refused rather than given to something unseen.
    new = store.transition(record.id, PatchStatus.APPROVED, by=_person(), reason=args.reason,
                           expect_content=content_hash(record))
    signed = " (signed)" if new.history[-1].signature else ""
    print(f"approved {new.id} ({new.function}){signed}: {new.history[-1].content_hash[:19]}")
    return 0


def cmd_reject(args: argparse.Namespace) -> int:
    store = _open_store(args)
    record = store.load(args.id)
    new = store.transition(record.id, PatchStatus.REJECTED, by=_person(), reason=args.reason)
    print(f"rejected {new.id} ({new.function})")
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    store = _open_store(args)
    record = store.load(args.id)
    if record.chosen is None:
        print(f"selfheal: record {record.id} has no patch to apply", file=sys.stderr)
        return 1
    by = _person()
    # Running `apply` on a verified or live patch is a person approving it; anything
    # else (proposed, rejected, rolled back) needs an explicit `approve` first.
    if record.status not in (PatchStatus.APPROVED, PatchStatus.VERIFIED, PatchStatus.LIVE):
        print(
            f"selfheal: record {record.id} is {record.status.value}; only a verified, live "
            f"or approved patch can be applied (selfheal approve {record.id} first)",
            file=sys.stderr,
        )
        return 1
    root = Path(args.root) if args.root else find_root()
    # A patch live because a person approved it (approved mode) needs no second yes;
    # otherwise running `apply` is the approval, recorded before anything is written.
    if record.status is not PatchStatus.APPROVED and not (
        record.status is PatchStatus.LIVE and approved_by_person(record)
    ):
        record = store.transition(record.id, PatchStatus.APPROVED, by=by,
                                  reason="approved by apply",
                                  expect_content=content_hash(record))
    _refuse_unless_covered(store, record, "apply")
    path = apply_patch(record, root, force=args.force)
    reason = f"written to {path}" + (" (forced)" if args.force else "")
    try:
        store.transition(record.id, PatchStatus.APPLIED, by=by, reason=reason,
                         expect_content=content_hash(record))
    except IllegalTransition as exc:
        # Someone changed the record while we wrote the file: the file is patched, say
        # so plainly rather than pretend the record agrees.
        print(f"selfheal: {path} was patched, but the record could not be marked applied: "
              f"{exc}", file=sys.stderr)
        return 1
    print(f"applied {record.id}: {record.function} rewritten in {path}")
    return 0


# ----------------------------------------------------------------------------- replay


def cmd_replay(args: argparse.Namespace) -> int:
    # start-up: replay loads the heal loop and the sandbox, which review commands never need
    from selfheal.heal.replay import replay

    store = _open_store(args)
    record = store.load(args.id)
    _refuse_unless_covered(store, record, "replay")
    # The user's modules are imported from the working directory, as `python -m` would.
    saved_path = list(sys.path)
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        result = replay(record, hypothesis=args.hypothesis)
    finally:
        sys.path[:] = saved_path
    print(("holds: " if result.ok else "fails: ") + result.message)
    return 0 if result.ok else 1


# ----------------------------------------------------------------------------- export


def _export_set(records: Sequence[PatchRecord]) -> tuple[list[PatchRecord], list[str]]:
    """Records for a combined patch: one per function (the newest), bottom-up per file.

    Two patches of the same function conflict; hunks of one file ordered from the end
    of the file up keep every hunk's line numbers exact when applied in sequence.
    """
    newest: dict[str, PatchRecord] = {}
    skipped: list[str] = []
    for record in sorted(records, key=lambda r: r.report.captured_at, reverse=True):
        key = f"{record.diff_path}:{record.function}"
        if key in newest:
            skipped.append(f"{record.id} (older patch of {record.function} than "
                           f"{newest[key].id})")
            continue
        newest[key] = record
    chosen = sorted(newest.values(),
                    key=lambda r: (r.diff_path, -r.report.function.firstlineno))
    return chosen, skipped


def cmd_export(args: argparse.Namespace) -> int:
    if not args.directory and not args.combined:
        raise ConfigurationError("export: give a DIRECTORY for .patch files, --combined FILE, "
                                 "or both")
    store = _open_store(args)
    statuses = args.status or [s.value for s in PatchStatus if s is not PatchStatus.REJECTED]
    records = [r for r in _filtered(store.list(), statuses, args.function, None) if r.diff]
    _report_problems(store, sys.stderr)
    if not records:
        print("selfheal: no patches to export", file=sys.stderr)
        return 1
    if args.directory:
        out = Path(args.directory)
        out.mkdir(parents=True, exist_ok=True)
        for record in records:
            (out / f"{record.id}.patch").write_text(record.diff, encoding="utf-8")
        print(f"exported {len(records)} patches to {out}")
    if args.combined:
        chosen, skipped = _export_set(records)
        Path(args.combined).write_text("".join(r.diff for r in chosen), encoding="utf-8")
        print(f"exported {len(chosen)} patches into {args.combined}")
        for line in skipped:
            print(f"  skipped {line}")
    return 0


# ----------------------------------------------------------------------------- gc


def cmd_gc(args: argparse.Namespace) -> int:
    store = _open_store(args)
    for record_id in args.remove or ():
        # By exact id: a record refused as tampered cannot be loaded, only removed.
        if args.dry_run:
            print(f"would remove {record_id}")
        elif store.delete(record_id):
            print(f"removed {record_id}")
        else:
            print(f"selfheal: no record {record_id!r}", file=sys.stderr)
            return 1
    if args.remove:
        return 0
    limits = store.limits

    def given(value: Any, default: Any) -> Any:
        value = default if value is None else value
        return None if value == 0 else value

    report = store.gc(
        max_records=given(args.max_records, limits.max_records),
        max_age_days=given(args.max_age_days, limits.max_age_days),
        max_bytes=given(args.max_bytes, limits.max_bytes),
        per_failure=given(args.max_per_failure, limits.per_failure),
        # As the automatic policy: a rejected or rolled-back record is what keeps its fix
        # from coming back, so only `--remove ID` takes one away.
        protect=AUTO_PROTECTED,
        dry_run=args.dry_run,
    )
    verb = "would remove" if args.dry_run else "removed"
    print(f"{verb} {len(report.removed)} records ({report.freed_bytes} bytes), kept "
          f"{report.kept} ({report.kept_bytes} bytes); {report.temp_files} stale temp files, "
          f"{report.orphans} orphaned files")
    for record_id in report.removed:
        print(f"  {record_id}")
    _report_problems(store, sys.stderr)
    return 0


# ----------------------------------------------------------------------------- review


def cmd_review(args: argparse.Namespace) -> int:
    return review_loop(_open_store(args), sys.stdin, sys.stdout, _person(),
                       statuses=args.status or ("proposed", "verified"))


def review_loop(
    store: DirectoryStore,
    stdin: TextIO,
    stdout: TextIO,
    by: str,
    statuses: Sequence[str] = ("proposed", "verified"),
) -> int:
    """Show each record waiting for a decision, oldest first, and ask what to do."""
    waiting = sorted(_filtered(store.list(), statuses, None, None),
                     key=lambda r: r.report.captured_at)
    paint = Palette(stdout)
    if not waiting:
        print("nothing to review", file=stdout)
        return 0
    counts = {"approved": 0, "rejected": 0, "skipped": 0}

    def ask(prompt: str) -> str | None:
        stdout.write(prompt)
        stdout.flush()
        line = stdin.readline()
        if not line:  # end of input: treat as quit
            stdout.write("\n")
            return None
        return line.strip()

    quit_now = False
    for n, record in enumerate(waiting, 1):
        stdout.write(f"\n[{n}/{len(waiting)}]\n")
        stdout.write(render_record(record, paint, integrity_lines(record, store, paint)))
        can_approve = (PatchStatus.APPROVED in TRANSITIONS[record.status]
                       and record.chosen is not None)
        options = "[a]pprove/[r]eject/[s]kip/[q]uit" if can_approve else "[r]eject/[s]kip/[q]uit"
        while True:
            answer = ask(f"{options}? ")
            if answer is None or answer.lower() in ("q", "quit"):
                quit_now = True
                break
            choice = answer.lower()[:1]
            if choice == "a" and can_approve:
                store.transition(record.id, PatchStatus.APPROVED, by=by,
                                 reason="approved in review",
                                 expect_content=content_hash(record))
                counts["approved"] += 1
                stdout.write(f"approved {record.id}\n")
                break
            if choice == "r":
                reason = ask("reason: ")
                store.transition(record.id, PatchStatus.REJECTED, by=by,
                                 reason=reason or "rejected in review")
                counts["rejected"] += 1
                stdout.write(f"rejected {record.id}\n")
                break
            if choice == "s" or answer == "":
                counts["skipped"] += 1
                break
            stdout.write(f"please answer one of {options}\n")
        if quit_now:
            break
    stdout.write(f"\n{counts['approved']} approved, {counts['rejected']} rejected, "
                 f"{counts['skipped']} skipped\n")
    return 0


# ----------------------------------------------------------------------------- schema


def cmd_schema(args: argparse.Namespace) -> int:
    json.dump(PatchRecord.model_json_schema(), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


# ----------------------------------------------------------------------------- wiring


def _status_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--status", action="append", choices=[s.value for s in PatchStatus],
        help="only records with this status (repeat for several)",
    )


def register(sub: argparse._SubParsersAction[Any]) -> None:
    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str
            ) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text,
                                                         description=help_text)
        parser.set_defaults(handler=handler)
        return parser

    p = add("list", cmd_list, "List patch records, newest first.")
    _status_arg(p)
    p.add_argument("--function", help="substring or glob of module.qualname")
    p.add_argument("--since", help="captured since: 30m, 2h, 3d, 1w or an ISO date")
    p.add_argument("--json", action="store_true", help="print a JSON array of records")

    p = add("show", cmd_show, "Show a record: the failure, every candidate's evidence, the patch.")
    p.add_argument("id", help="record id or a unique prefix")
    p.add_argument("--json", action="store_true", help="print the record as JSON")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    p = add("diff", cmd_diff, "Print a record's unified diff (pipe it to git apply).")
    p.add_argument("id")

    p = add("approve", cmd_approve, "Approve a record's patch (approved mode swaps it in).")
    p.add_argument("id")
    p.add_argument("--reason", default="", help="why, for the history")

    p = add("reject", cmd_reject, "Reject a record's patch.")
    p.add_argument("id")
    p.add_argument("--reason", required=True, help="why, for the history")

    p = add("apply", cmd_apply, "Write a record's patch into the source file.")
    p.add_argument("id")
    p.add_argument("--force", action="store_true",
                   help="overwrite the recorded lines even if the function changed since")
    p.add_argument("--root", help="project root the patch path is relative to "
                                  "(default: nearest directory with .git or pyproject.toml)")

    p = add("replay", cmd_replay,
            "Re-run verification of a record's patch offline from its stored inputs.")
    p.add_argument("id")
    p.add_argument("--hypothesis", action="store_true",
                   help="also check inputs drawn from type hints (not deterministic)")

    p = add("export", cmd_export, "Write patches as .patch files, or one combined patch.")
    p.add_argument("directory", nargs="?", help="directory for one <id>.patch per record")
    p.add_argument("--combined", metavar="FILE",
                   help="one patch with the newest patch of each function")
    _status_arg(p)
    p.add_argument("--function", help="substring or glob of module.qualname")

    p = add("gc", cmd_gc, "Apply the retention policy (approved, live, rejected and rolled "
            "back records are kept).")
    p.add_argument("--max-records", type=int,
                   help="default: the store_max_records setting (1000); 0 for no limit")
    p.add_argument("--max-age-days", type=float,
                   help="default: the store_max_age_days setting (90); 0 for no limit")
    p.add_argument("--max-bytes", type=int,
                   help="default: the store_max_bytes setting (100 MB); 0 for no limit")
    p.add_argument("--max-per-failure", type=int,
                   help="default: the store_max_per_failure setting (20); 0 for no limit")
    p.add_argument("--remove", action="append", metavar="ID",
                   help="remove this record (exact id; repeat for several), whatever its "
                        "status or state; nothing else is collected")
    p.add_argument("--dry-run", action="store_true", help="say what would go; remove nothing")

    p = add("review", cmd_review,
            "Walk through records waiting for a decision: approve, reject or skip each.")
    _status_arg(p)

    add("schema", cmd_schema, "Print the JSON schema of a patch record.")


__all__ = [
    "Palette",
    "integrity_lines",
    "parse_since",
    "record_json",
    "register",
    "render_record",
    "review_loop",
]
