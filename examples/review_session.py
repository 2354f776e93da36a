"""A review session: selfheal proposes, a person reviews, approves and applies.

    python examples/review_session.py [--keep]

Copies examples/review/ (a module with a bug, a job that calls it, and a
pyproject.toml with `mode = "propose"`) into a temporary directory and works there, so
this repository is never modified. The steps, each a real command:

1. `selfheal run job.py`: the job fails; in propose mode selfheal verifies a patch in
   the sandbox and stores it, but re-raises the original exception (with a note) and
   runs nothing new in the process;
2. `selfheal list`, `selfheal show ID`: what failed, every candidate and its evidence;
3. `selfheal approve ID`: a person says yes;
4. `SELFHEAL_MODE=approved selfheal run job.py`: approved mode swaps the approved patch
   in when the module is imported: the job runs clean, the source file is unchanged;
5. `selfheal apply ID`: the patch is written into billing.py (only if the file still
   holds the code the patch was made from); `python job.py` now runs clean without
   selfheal.

Exits 0 when every step behaved as described. `--keep` leaves the directory behind.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SELFHEAL = [sys.executable, "-m", "selfheal.cli"]  # the `selfheal` command


def run(
    workdir: Path,
    argv: list[str],
    shown: str,
    env: dict[str, str] | None = None,
    quiet: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run one command in the project directory and print it like a terminal would
    (`quiet`: only the command and its exit status, for JSON meant for this script)."""
    print(f"\n$ {shown}")
    result = subprocess.run(
        argv, cwd=workdir, env={**os.environ, **(env or {})}, capture_output=True,
        text=True, timeout=120, check=False,
    )
    out = (result.stderr if quiet else result.stdout + result.stderr).rstrip()
    if out:
        print(out)
    print(f"[exit {result.returncode}]")
    return result


def session(workdir: Path) -> list[str]:
    """Run the session in `workdir`; returns what did not behave as described."""
    problems: list[str] = []
    original = (workdir / "billing.py").read_text()

    first = run(workdir, [*SELFHEAL, "run", "job.py"], "selfheal run job.py")
    if first.returncode != 1 or "propose mode, not swapped in" not in first.stdout:
        problems.append("step 1: the job should fail, with a note that a patch was proposed")
    if (workdir / "billing.py").read_text() != original:
        problems.append("step 1: propose mode must not touch the source")

    listed = run(workdir, [*SELFHEAL, "list", "--status", "verified", "--json"],
                 "selfheal list --status verified --json", quiet=True)
    records = json.loads(listed.stdout or "[]")
    if len(records) != 1:
        problems.append(f"step 2: expected one verified record, found {len(records)}")
        return problems
    record_id = records[0]["id"]
    print(f"(one record: {record_id})")
    run(workdir, [*SELFHEAL, "list"], "selfheal list")
    show = run(workdir, [*SELFHEAL, "show", record_id, "--color", "never"],
               f"selfheal show {record_id}")
    if not re.search(r"""^\+.*rates\[["']reduced["']\]""", show.stdout, re.M):
        problems.append("step 2: the proposed patch should read the key 'reduced'")

    approve = run(workdir, [*SELFHEAL, "approve", record_id, "--reason",
                            "checked: books pay the reduced rate"],
                  f"selfheal approve {record_id} --reason '...'")
    if approve.returncode != 0:
        problems.append("step 3: approve failed")

    approved = run(workdir, [*SELFHEAL, "run", "job.py"], "SELFHEAL_MODE=approved selfheal "
                   "run job.py", env={"SELFHEAL_MODE": "approved"})
    if approved.returncode != 0 or "1200 DE (books): 1284" not in approved.stdout:
        problems.append("step 4: in approved mode the approved patch should price the books")
    if (workdir / "billing.py").read_text() != original:
        problems.append("step 4: approved mode must not touch the source")

    applied = run(workdir, [*SELFHEAL, "apply", record_id], f"selfheal apply {record_id}")
    if applied.returncode != 0:
        problems.append("step 5: apply failed")
    patched = (workdir / "billing.py").read_text()
    print("\nbilling.py, before and after `selfheal apply`:")
    sys.stdout.writelines(difflib.unified_diff(
        original.splitlines(keepends=True), patched.splitlines(keepends=True),
        "billing.py (before)", "billing.py (after)",
    ))
    plain = run(workdir, [sys.executable, "job.py"], "python job.py",
                env={"SELFHEAL_DISABLED": "1"})
    if plain.returncode != 0 or "1200 DE (books): 1284" not in plain.stdout:
        problems.append("step 5: after apply, the job should run clean without selfheal")
    final = run(workdir, [*SELFHEAL, "list"], "selfheal list")
    if "applied" not in final.stdout:
        problems.append("step 5: the record should now be applied")
    return problems


def main(argv: list[str]) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="selfheal-review-"))
    for name in ("billing.py", "job.py", "pyproject.toml"):
        shutil.copy(HERE / "review" / name, workdir / name)
    print(f"Working on a copy of examples/review/ in {workdir}")
    try:
        problems = session(workdir)
    finally:
        if "--keep" not in argv:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    if problems:
        print("The session did NOT go as documented:")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print("Proposed, reviewed, approved, run in approved mode and applied, as documented.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
