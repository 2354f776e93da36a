"""make_diff produces patches git and patch accept; apply_patch writes only unchanged code."""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from store_factory import AVERAGE_FIX, BUGGY_MODULE, RATIO_FIX, RecordFactory, function_ref

from selfheal.models import FunctionRef
from selfheal.store.patchfile import (
    PatchConflict,
    apply_patch,
    find_root,
    make_diff,
    relative_path,
)


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=cwd, capture_output=True, text=True, check=False,
    )


def load_module(path: Path, name: str) -> object:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_project(project: RecordFactory, dest: Path) -> Path:
    shutil.copytree(project.project, dest)
    return dest


def test_diff_passes_git_apply_check_and_applies(project: RecordFactory, tmp_path: Path) -> None:
    ref = project.ref("average")
    diff, rel = make_diff(ref, AVERAGE_FIX, project.project)
    assert rel == "demo_pkg/buggy.py"
    assert diff.startswith("--- a/demo_pkg/buggy.py\n+++ b/demo_pkg/buggy.py\n@@ ")
    # the decorator above the def stays, as context
    assert " @functools.lru_cache(maxsize=None)\n" in diff
    clone = copy_project(project, tmp_path / "clone")
    assert git(clone, "init", "-q").returncode == 0
    (clone / "fix.patch").write_text(diff)
    check = git(clone, "apply", "--check", "fix.patch")
    assert check.returncode == 0, check.stderr
    assert git(clone, "apply", "fix.patch").returncode == 0
    module = load_module(clone / "demo_pkg" / "buggy.py", "patched_by_git")
    assert module.average(()) == 0.0  # type: ignore[attr-defined]
    assert module.average((1, 2, 3)) == 2.0  # type: ignore[attr-defined]


def test_diff_of_a_method_applies_with_patch_p1(project: RecordFactory, tmp_path: Path) -> None:
    ref = project.ref("Stats.ratio")
    diff, _rel = make_diff(ref, RATIO_FIX, project.project)
    # the dedented fix is re-indented to the method's indentation
    assert "+        if b == 0:\n" in diff
    assert "-        return a / b\n" not in diff  # unchanged line stays context
    clone = copy_project(project, tmp_path / "clone")
    done = subprocess.run(["patch", "-p1", "--quiet"], input=diff, cwd=clone, text=True,
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    module = load_module(clone / "demo_pkg" / "buggy.py", "patched_by_patch")
    assert module.Stats().ratio(1, 0) == float("inf")  # type: ignore[attr-defined]


def test_file_without_final_newline(project: RecordFactory, tmp_path: Path) -> None:
    path = project.module_path
    path.write_text(BUGGY_MODULE.rstrip("\n"))  # ends inside Stats.ratio, no newline
    ref = function_ref(path, project.module, "Stats.ratio")
    diff, _ = make_diff(ref, RATIO_FIX, project.project)
    assert "\\ No newline at end of file\n" in diff
    clone = copy_project(project, tmp_path / "clone")
    git(clone, "init", "-q")
    (clone / "fix.patch").write_text(diff)
    check = git(clone, "apply", "--check", "fix.patch")
    assert check.returncode == 0, check.stderr
    git(clone, "apply", "fix.patch")
    patched = (clone / "demo_pkg" / "buggy.py").read_text()
    assert patched.endswith("return a / b")
    assert 'return float("inf")' in patched


def test_crlf_file_keeps_its_line_endings(project: RecordFactory, tmp_path: Path) -> None:
    path = project.module_path
    path.write_bytes(BUGGY_MODULE.replace("\n", "\r\n").encode())
    ref = function_ref(path, project.module, "average")
    diff, _ = make_diff(ref, AVERAGE_FIX, project.project)
    assert "+    if not values:\r\n" in diff
    clone = copy_project(project, tmp_path / "clone")
    git(clone, "init", "-q")
    (clone / "fix.patch").write_bytes(diff.encode())
    check = git(clone, "apply", "--check", "fix.patch")
    assert check.returncode == 0, check.stderr


def test_file_outside_root_uses_absolute_path_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    path = outside / "mod.py"
    path.write_text("def f(x):\n    return 1 / x\n")
    ref = function_ref(path, "mod", "f")
    root = tmp_path / "proj"
    root.mkdir()
    with caplog.at_level(logging.WARNING, "selfheal.patchfile"):
        diff, rel = make_diff(ref, "def f(x):\n    return 1 / x if x else 0\n", root)
    assert rel == path.resolve().as_posix().lstrip("/")
    assert f"--- a/{rel}\n" in diff
    assert diff.splitlines()[0].startswith("selfheal: ")  # the note, ignored by git/patch
    assert "outside the project root" in caplog.text


def test_find_root_and_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text("")
    assert find_root(tmp_path / "a" / "b") == (tmp_path / "a").resolve()
    monkeypatch.chdir(tmp_path)
    assert find_root(tmp_path / "nowhere-special") in {tmp_path.resolve(),
                                                       *tmp_path.resolve().parents}
    assert relative_path(tmp_path / "a" / "b" / "c.py", tmp_path / "a") == ("b/c.py", True)


def test_make_diff_refuses_when_file_changed(project: RecordFactory) -> None:
    ref = project.ref("average")
    project.module_path.write_text(BUGGY_MODULE.replace("sum(values)", "sum(list(values))"))
    with pytest.raises(PatchConflict, match="no longer holds"):
        make_diff(ref, AVERAGE_FIX, project.project)


def test_apply_patch_writes_fix_atomically_and_keeps_mode(project: RecordFactory) -> None:
    record = project.record("average")
    os.chmod(project.module_path, 0o640)
    before_inode = project.module_path.stat().st_ino
    path = apply_patch(record, project.project)
    assert path == project.module_path
    text = path.read_text()
    assert "    if not values:\n        return 0.0\n" in text
    assert "@functools.lru_cache(maxsize=None)\ndef average(values):\n    if not values" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.stat().st_ino != before_inode  # replaced by rename, not rewritten in place
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    module = load_module(path, "applied_module")
    assert module.average(()) == 0.0  # type: ignore[attr-defined]


def test_apply_patch_refuses_changed_source_unless_forced(project: RecordFactory) -> None:
    record = project.record("average")
    changed = BUGGY_MODULE.replace("return sum(values) / len(values)",
                                   "return sum(values) / float(len(values))")
    project.module_path.write_text(changed)
    with pytest.raises(PatchConflict, match="changed since record .* --force"):
        apply_patch(record, project.project)
    assert project.module_path.read_text() == changed  # untouched
    apply_patch(record, project.project, force=True)
    text = project.module_path.read_text()
    assert "float(len(values))" not in text
    assert "if not values:" in text


def test_apply_patch_follows_a_function_that_moved(project: RecordFactory) -> None:
    record = project.record("Stats.ratio")
    project.module_path.write_text("# a new header line\n# and another\n" + BUGGY_MODULE)
    apply_patch(record, project.project)
    module = load_module(project.module_path, "moved_module")
    assert module.Stats().ratio(2, 0) == float("inf")  # type: ignore[attr-defined]
    assert project.module_path.read_text().startswith("# a new header line\n")


def test_apply_patch_without_chosen_candidate(project: RecordFactory) -> None:
    record = project.record("average").model_copy(update={"chosen": None})
    with pytest.raises(PatchConflict, match="no chosen patch"):
        apply_patch(record, project.project)


def test_force_cannot_place_beyond_end_of_file(project: RecordFactory) -> None:
    record = project.record("Stats.ratio")
    project.module_path.write_text("x = 1\n")
    with pytest.raises(PatchConflict, match="even --force"):
        apply_patch(record, project.project, force=True)


def test_source_hash_is_what_identifies_the_function(project: RecordFactory) -> None:
    ref = project.ref("average")
    assert ref.source_hash == FunctionRef.hash_source(ref.source)
    assert ref.source.startswith("def average(values):")


SHAPES = {
    "top level, first": ("def f(x):\n    return 1 / x\n\n\ndef g():\n    pass\n", "f"),
    "method in nested class": (
        "class A:\n    class B:\n        @staticmethod\n        def f(x):\n"
        "            return 1 / x\n\n    y = 2\n", "A.B.f"),
    "last, no newline": ("import os\n\n\ndef f(x):\n    return 1 / x", "f"),
    "crlf": ("def f(x):\r\n    return 1 / x\r\n\r\nz = 1\r\n", "f"),
    "one line file": ("def f(x): return 1 / x\n", "f"),
}
SHAPE_FIX = "def f(x):\n    if not x:\n        return 0\n    return 1 / x\n"


@pytest.mark.parametrize("shape", SHAPES)
def test_diff_and_apply_patch_agree(shape: str, project: RecordFactory, tmp_path: Path) -> None:
    text, qualname = SHAPES[shape]
    project.module_path.write_bytes(text.encode())
    ref = function_ref(project.module_path, project.module, qualname)
    diff, _ = make_diff(ref, SHAPE_FIX, project.project)
    by_git = copy_project(project, tmp_path / "by-git")
    git(by_git, "init", "-q")
    # bytes in, so CRLF lines reach git unchanged
    done = subprocess.run(["git", "apply", "-"], cwd=by_git, input=diff.encode(),
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    record = project.record(ref=ref, fix=SHAPE_FIX)
    apply_patch(record, project.project)
    ours = project.module_path.read_bytes()
    assert (by_git / "demo_pkg" / "buggy.py").read_bytes() == ours
    compile(ours, "patched.py", "exec")  # still Python
    assert b"return 0" in ours
