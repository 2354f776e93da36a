"""Every review command against a real store in tmp_path, in-process and as a real process."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cli_harness import Env
from store_factory import BUGGY_MODULE, function_ref

from selfheal.commands.review import parse_since
from selfheal.errors import ConfigurationError
from selfheal.heal.replay import stored_call
from selfheal.models import PatchRecord, PatchStatus, StatusChange

S = PatchStatus
ANSI = "\x1b["


def git(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, text=True,
                          check=False)


def clone(env: Env, name: str) -> Path:
    dest = env.root.parent / name
    shutil.copytree(env.root, dest, ignore=shutil.ignore_patterns(".selfheal"))
    assert git(dest, "init", "-q").returncode == 0
    return dest


def saved(env: Env, **kw: object) -> PatchRecord:
    record = env.factory.record(**kw)  # type: ignore[arg-type]
    env.store.save(record)
    return record


# --------------------------------------------------------------------------- schema, list


def test_schema_is_the_record_json_schema(env: Env) -> None:
    result = env.run("schema", store=False)
    assert result.code == 0
    schema = json.loads(result.out)
    assert schema == PatchRecord.model_json_schema()
    assert {"id", "status", "report", "diff", "history", "inputs"} <= set(schema["properties"])


def test_list_table_and_json(env: Env) -> None:
    a = saved(env, status=S.VERIFIED)
    b = saved(env, qualname="Stats.ratio", status=S.PROPOSED)
    result = env.run("list")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["ID", "STATUS", "CAPTURED", "(UTC)", "FUNCTION", "FAILURE"]
    assert lines[1].startswith(b.id)
    assert "proposed" in lines[1]
    assert "demo_pkg.buggy.Stats.ratio" in lines[1]
    assert lines[2].startswith(a.id)
    assert "ZeroDivisionError: division by zero" in lines[2]
    assert ANSI not in result.out  # not a terminal
    data = json.loads(env.run("list", "--json").out)
    assert [(d["id"], d["status"], d["function"]) for d in data] == [
        (b.id, "proposed", "demo_pkg.buggy.Stats.ratio"),
        (a.id, "verified", "demo_pkg.buggy.average"),
    ]
    assert data[1]["diff"] == a.diff  # whole records, not summaries


def test_list_filters(env: Env) -> None:
    now = datetime.now(timezone.utc)
    old = saved(env, status=S.VERIFIED, captured_at=now - timedelta(days=3))
    new = saved(env, qualname="Stats.ratio", status=S.REJECTED,
                history=(StatusChange(status=S.REJECTED),), captured_at=now)

    def ids(*argv: str) -> list[str]:
        result = env.run("list", "--json", *argv)
        assert result.code == 0, result.err
        return [d["id"] for d in json.loads(result.out)]

    assert ids("--status", "verified") == [old.id]
    assert ids("--status", "verified", "--status", "rejected") == [new.id, old.id]
    assert ids("--function", "ratio") == [new.id]
    assert ids("--function", "demo_pkg.*.average") == [old.id]
    assert ids("--function", "*.nothing") == []
    assert ids("--since", "1d") == [new.id]
    assert ids("--since", (now - timedelta(days=4)).date().isoformat()) == [new.id, old.id]
    assert "matching the filters" in env.run("list", "--status", "applied").out


def test_list_usage_errors_exit_2(env: Env) -> None:
    assert env.run("list", "--since", "yesterday-ish").code == 2
    with pytest.raises(SystemExit) as info:
        env.run("list", "--status", "bogus")
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        env.run("frobnicate")
    assert info.value.code == 2


def test_list_of_empty_store_and_corrupt_files(env: Env) -> None:
    result = env.run("list")
    assert result.code == 0
    assert "no records" in result.out
    good = saved(env)
    (env.store.root / "records" / "broken.json").write_text("{oops")
    result = env.run("list", "--json")
    assert result.code == 0
    assert [d["id"] for d in json.loads(result.out)] == [good.id]
    assert "broken.json" in result.err
    assert "corrupt" in result.err


def test_parse_since() -> None:
    now = datetime(2024, 5, 10, 12, 0, tzinfo=timezone.utc)
    assert parse_since("2h", now) == now - timedelta(hours=2)
    assert parse_since("1.5d", now) == now - timedelta(days=1.5)
    assert parse_since("2024-05-01", now) == datetime(2024, 5, 1, tzinfo=timezone.utc)
    with pytest.raises(ConfigurationError):
        parse_since("soon", now)


# --------------------------------------------------------------------------- show, diff


def test_show_human_and_json(env: Env) -> None:
    record = saved(env)
    result = env.run("show", record.id[:6])
    assert result.code == 0
    out = result.out
    assert f"record    {record.id}  (verified)" in out
    assert "ZeroDivisionError: division by zero" in out
    assert "values = ()" in out  # the failing frame's locals
    assert "candidates (2)" in out
    assert "x examples ran 2 - 1 of 2 examples differ (counterexample ([],))" in out
    assert "(chosen)" in out
    assert record.diff.rstrip("\n") in out
    assert "history" in out
    assert "verified" in out
    assert ANSI not in out
    coloured = env.run("show", record.id, "--color", "always").out
    assert ANSI in coloured
    assert "\x1b[32m+    if not values:\x1b[0m" in coloured
    data = json.loads(env.run("show", record.id, "--json").out)
    assert data["id"] == record.id
    assert data["function"] == "demo_pkg.buggy.average"
    assert PatchRecord.model_validate({k: v for k, v in data.items() if k != "function"}) == record


def test_show_not_found_and_ambiguous_exit_1(env: Env) -> None:
    saved(env, record_id="aa11")
    saved(env, record_id="aa22")
    result = env.run("show", "zz")
    assert result.code == 1
    assert "no record 'zz'" in result.err
    result = env.run("show", "aa")
    assert result.code == 1
    assert "matches 2 records" in result.err


def test_diff_is_plain_and_git_applies_it(env: Env) -> None:
    record = saved(env)
    result = env.run("diff", record.id)
    assert result.code == 0
    assert result.out == record.diff
    copy = clone(env, "clone")
    check = git(copy, "apply", "--check", "-", stdin=result.out)
    assert check.returncode == 0, check.stderr


def test_diff_of_a_record_without_patch_exits_1(env: Env) -> None:
    record = env.factory.record(status=S.PROPOSED).model_copy(
        update={"diff": "", "chosen": None, "note": "no candidate verified (3 tried)"})
    env.store.save(record)
    result = env.run("diff", record.id)
    assert result.code == 1
    assert "no candidate verified" in result.err


# --------------------------------------------------------------------------- decisions


def test_approve_and_reject(env: Env) -> None:
    record = saved(env)
    result = env.run("approve", record.id, "--reason", "guard is right")
    assert result.code == 0
    assert f"approved {record.id}" in result.out
    approved = env.store.load(record.id)
    assert approved.status is S.APPROVED
    assert (approved.history[-1].by, approved.history[-1].reason) == ("reviewer", "guard is right")
    result = env.run("reject", record.id, "--reason", "changed my mind")
    assert result.code == 0
    rejected = env.store.load(record.id)
    assert rejected.status is S.REJECTED
    assert rejected.history[-1].reason == "changed my mind"


def test_reject_needs_a_reason(env: Env) -> None:
    record = saved(env)
    with pytest.raises(SystemExit) as info:
        env.run("reject", record.id)
    assert info.value.code == 2
    assert env.store.load(record.id).status is S.VERIFIED


def test_illegal_decisions_exit_1_and_change_nothing(env: Env) -> None:
    proposed = saved(env, status=S.PROPOSED)
    result = env.run("approve", proposed.id)
    assert result.code == 1
    assert "is proposed; it cannot become approved" in result.err
    assert env.store.load(proposed.id) == proposed
    no_patch = env.factory.record(status=S.VERIFIED).model_copy(
        update={"chosen": None, "diff": "", "diff_path": ""})
    env.store.save(no_patch)
    result = env.run("approve", no_patch.id)
    assert result.code == 1
    assert "no patch to approve" in result.err


# --------------------------------------------------------------------------- apply


def test_apply_writes_the_file_and_records_it(env: Env) -> None:
    record = saved(env, status=S.VERIFIED)
    result = env.run("apply", record.id)
    assert result.code == 0, result.err
    text = env.factory.module_path.read_text()
    assert "    if not values:\n        return 0.0\n" in text
    after = env.store.load(record.id)
    assert after.status is S.APPLIED
    assert [c.status for c in after.history[-2:]] == [S.APPROVED, S.APPLIED]
    assert after.history[-1].by == "reviewer"
    assert str(env.factory.module_path) in after.history[-1].reason
    # applied is final: a second apply is refused
    assert env.run("apply", record.id).code == 1


def test_apply_refuses_changed_source_unless_forced(env: Env) -> None:
    record = saved(env, status=S.VERIFIED)
    env.store.transition(record.id, S.APPROVED)
    changed = BUGGY_MODULE.replace("return sum(values) / len(values)",
                                   "return sum(values) / max(len(values), 1)")
    env.factory.module_path.write_text(changed)
    result = env.run("apply", record.id)
    assert result.code == 1
    assert "changed since record" in result.err
    assert "--force" in result.err
    assert env.factory.module_path.read_text() == changed
    assert env.store.load(record.id).status is S.APPROVED
    result = env.run("apply", record.id, "--force")
    assert result.code == 0
    assert "if not values:" in env.factory.module_path.read_text()
    assert env.store.load(record.id).history[-1].reason.endswith("(forced)")


def test_apply_refuses_rejected_records(env: Env) -> None:
    record = saved(env, status=S.REJECTED, history=(StatusChange(status=S.REJECTED),))
    result = env.run("apply", record.id)
    assert result.code == 1
    assert "approve" in result.err
    assert env.factory.module_path.read_text() == BUGGY_MODULE


# --------------------------------------------------------------------------- replay

CALC = "def safe_div(a, b):\n    return a / b\n"
DIV_FIX = "def safe_div(a, b):\n    if b == 0:\n        return 0.0\n    return a / b\n"


def _calc_record(env: Env, fix: str) -> PatchRecord:
    path = env.factory.package / "calc.py"
    path.write_text(CALC)
    inputs = tuple(s for s in (
        stored_call("failing", (1, 0)),
        stored_call("recorded", (7, 2), result=3.5),
        stored_call("example", (4, 0), result=0.0),
    ) if s is not None)
    ref = function_ref(path, "demo_pkg.calc", "safe_div")
    record = env.factory.record(ref=ref, fix=fix, inputs=inputs)
    env.store.save(record)
    return record


def test_replay_exit_codes(env: Env) -> None:
    good = _calc_record(env, DIV_FIX)
    result = env.run("replay", good.id)
    assert result.code == 0, result.out + result.err
    assert result.out.startswith("holds: ")
    wrong = _calc_record(env, DIV_FIX.replace("a / b\n", "a // b\n"))
    result = env.run("replay", wrong.id)
    assert result.code == 1
    assert result.out.startswith("fails: ")
    assert "recorded" in result.out
    # records never change by replaying them
    assert env.store.load(good.id) == good


# --------------------------------------------------------------------------- export, gc


def test_export_directory_and_combined_patch_apply(env: Env, tmp_path: Path) -> None:
    first = saved(env, status=S.VERIFIED)
    second = saved(env, qualname="Stats.ratio", status=S.APPROVED)
    older_dup = env.factory.record(status=S.VERIFIED,
                                   captured_at=datetime.now(timezone.utc) - timedelta(days=9))
    env.store.save(older_dup)
    rejected = saved(env, status=S.REJECTED, history=(StatusChange(status=S.REJECTED),))
    out = tmp_path / "patches"
    combined = tmp_path / "all.patch"
    result = env.run("export", str(out), "--combined", str(combined))
    assert result.code == 0, result.err
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{r.id}.patch" for r in (first, second, older_dup))
    assert f"{rejected.id}.patch" not in names
    for record in (first, second):
        copy = clone(env, f"check-{record.id}")
        check = git(copy, "apply", "--check", str(out / f"{record.id}.patch"))
        assert check.returncode == 0, check.stderr
    # combined: one patch per function (the newest), applying cleanly in one go
    assert "skipped" in result.out
    assert older_dup.id in result.out
    copy = clone(env, "combined")
    check = git(copy, "apply", str(combined))
    assert check.returncode == 0, check.stderr
    text = (copy / "demo_pkg" / "buggy.py").read_text()
    assert "if not values:" in text
    assert 'return float("inf")' in text
    done = subprocess.run(["patch", "-p1", "--dry-run"], cwd=clone(env, "by-patch"),
                          input=combined.read_text(), capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout


def test_export_usage_and_nothing_to_export(env: Env, tmp_path: Path) -> None:
    assert env.run("export").code == 2
    assert env.run("export", str(tmp_path / "x")).code == 1


def test_gc_command(env: Env) -> None:
    now = datetime.now(timezone.utc)
    records = [saved(env, status=S.VERIFIED, captured_at=now - timedelta(days=d),
                     history=(StatusChange(status=S.VERIFIED, at=now - timedelta(days=d)),))
               for d in (200, 3, 2, 1)]
    dry = env.run("gc", "--max-records", "2", "--dry-run")
    assert dry.code == 0
    assert dry.out.startswith("would remove 2 records")
    assert len(env.store.list()) == 4
    result = env.run("gc", "--max-records", "2")
    assert result.code == 0
    assert result.out.startswith("removed 2 records")
    assert {r.id for r in env.store.list()} == {records[2].id, records[3].id}
    # the defaults drop what is older than 90 days
    old = saved(env, status=S.VERIFIED, captured_at=now - timedelta(days=100),
                history=(StatusChange(status=S.VERIFIED, at=now - timedelta(days=100)),))
    assert old.id in env.run("gc").out
    assert len(env.store.list()) == 2
    # Decisions stay whatever their age: they keep their fixes from being proposed again.
    decided = [saved(env, status=status, captured_at=now - timedelta(days=300),
                     history=(StatusChange(status=status, at=now - timedelta(days=300)),))
               for status in (S.REJECTED, S.ROLLED_BACK)]
    kept = env.run("gc", "--max-records", "1")
    assert kept.code == 0
    assert not any(r.id in kept.out for r in decided)
    assert {r.id for r in decided} <= {r.id for r in env.store.list()}
    assert env.run("gc", "--remove", decided[0].id).code == 0  # only by name
    assert decided[0].id not in {r.id for r in env.store.list()}


# --------------------------------------------------------------------------- review


def test_review_walks_waiting_records(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    now = datetime.now(timezone.utc)
    first = saved(env, status=S.VERIFIED, captured_at=now - timedelta(hours=3))
    second = saved(env, status=S.VERIFIED, captured_at=now - timedelta(hours=2))
    third = saved(env, status=S.PROPOSED, captured_at=now - timedelta(hours=1),
                  history=(StatusChange(status=S.PROPOSED),))
    done = saved(env, status=S.APPROVED)  # not waiting
    # oldest first: approve, reject with a reason, then a typo and approve on a proposed
    # record (which cannot be approved, so it asks again), then skip.
    monkeypatch.setattr(sys, "stdin", io.StringIO("a\nr\nnot this way\nx\na\ns\n"))
    result = env.run("review")
    assert result.code == 0
    assert env.store.load(first.id).status is S.APPROVED
    assert env.store.load(first.id).history[-1].by == "reviewer"
    assert env.store.load(second.id).status is S.REJECTED
    assert env.store.load(second.id).history[-1].reason == "not this way"
    assert env.store.load(third.id).status is S.PROPOSED
    assert env.store.load(done.id) == done
    assert "[1/3]" in result.out
    assert "[3/3]" in result.out
    assert "[r]eject/[s]kip/[q]uit? " in result.out  # no approve for a proposed record
    assert result.out.count("please answer one of") == 2
    assert "1 approved, 1 rejected, 1 skipped" in result.out


def test_review_stops_at_quit_or_end_of_input(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    a = saved(env, status=S.VERIFIED)
    b = saved(env, status=S.VERIFIED)
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    result = env.run("review")
    assert result.code == 0
    assert "0 approved, 0 rejected, 0 skipped" in result.out
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert env.run("review").code == 0
    assert {env.store.load(a.id).status, env.store.load(b.id).status} == {S.VERIFIED}
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    env.store.delete(a.id)
    env.store.delete(b.id)
    assert "nothing to review" in env.run("review").out


# --------------------------------------------------------------------------- store option


def test_store_defaults_to_the_settings(env: Env, monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    record = saved(env)  # in <project>/.selfheal, the default
    result = env.run("list", "--json", store=False)
    assert [d["id"] for d in json.loads(result.out)] == [record.id]
    elsewhere = tmp_path / "other-store"
    monkeypatch.setenv("SELFHEAL_STORE", str(elsewhere))
    from selfheal import config

    config.reset()
    assert json.loads(env.run("list", "--json", store=False).out) == []


# --------------------------------------------------------------------------- real processes


def _selfheal(env: Env, *argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "SELFHEAL_USER": "piped", "PYTHONPATH": str(env.root)}
    return subprocess.run(
        [sys.executable, "-m", "selfheal.cli", "--store", str(env.store.root), *argv],
        cwd=env.root, input=stdin, capture_output=True, text=True, env=environ, check=False,
        timeout=60,
    )


def test_real_process_list_show_diff_approve(env: Env) -> None:
    record = saved(env)
    listed = _selfheal(env, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [d["id"] for d in json.loads(listed.stdout)] == [record.id]
    shown = _selfheal(env, "show", record.id)
    assert shown.returncode == 0
    assert ANSI not in shown.stdout  # a pipe, not a terminal
    diff = _selfheal(env, "diff", record.id)
    assert diff.stdout == record.diff
    copy = clone(env, "from-process")
    assert git(copy, "apply", "--check", "-", stdin=diff.stdout).returncode == 0
    approved = _selfheal(env, "approve", record.id)
    assert approved.returncode == 0
    assert env.store.load(record.id).history[-1].by == "piped"
    missing = _selfheal(env, "show", "nothere")
    assert missing.returncode == 1
    assert "no record" in missing.stderr
    usage = _selfheal(env, "reject", record.id)
    assert usage.returncode == 2


def test_real_process_review_with_piped_stdin(env: Env) -> None:
    record = saved(env)
    result = _selfheal(env, "review", stdin="r\nwrong guard\n")
    assert result.returncode == 0, result.stderr
    after = env.store.load(record.id)
    assert after.status is S.REJECTED
    assert after.history[-1].reason == "wrong guard"


def test_real_process_replay(env: Env) -> None:
    record = _calc_record(env, DIV_FIX)
    result = _selfheal(env, "replay", record.id)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "still holds" in result.stdout


def test_show_is_coloured_on_a_real_terminal(env: Env) -> None:
    import pty

    record = saved(env)
    primary, secondary = pty.openpty()
    try:
        environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "selfheal.cli", "--store", str(env.store.root), "show",
             record.id], stdout=secondary, stderr=subprocess.PIPE, env=environ, cwd=env.root)
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=30)
        assert proc.stderr is not None
        proc.stderr.close()
    finally:
        os.close(primary)
    out = b"".join(chunks).decode()
    assert proc.returncode == 0
    assert ANSI in out
    assert record.id in out


def test_apply_into_another_checkout_with_root(env: Env) -> None:
    record = saved(env, status=S.VERIFIED)
    other = clone(env, "checkout")
    result = env.run("apply", record.id, "--root", str(other))
    assert result.code == 0, result.err
    assert "if not values:" in (other / "demo_pkg" / "buggy.py").read_text()
    assert env.factory.module_path.read_text() == BUGGY_MODULE  # the original is untouched
