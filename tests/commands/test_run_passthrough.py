"""`selfheal run` hands the program everything: its arguments, stdin, signals, exit status,
and selfheal itself to the Python processes the program starts (the environment form)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from selfheal.entry.bootstrap import BOOTSTRAP_DIR
from tests.commands.programs import clean_env, python, selfheal, selfheal_command, write

SHOW_ARGV = """
    import json, sys
    print(json.dumps({"argv": sys.argv, "name": __name__}))
"""

# Arguments that look like selfheal's own options, and python's: all the program's.
PROGRAM_ARGS = ("-w", "2", "--include", "x", "-m", "y", "--store", "z", "--", "-h", "last")


@pytest.mark.parametrize("separator", [(), ("--",)])
def test_a_scripts_arguments_reach_it_verbatim(tmp_path: Path, separator: tuple[str, ...]) -> None:
    write(tmp_path / "show.py", SHOW_ARGV)
    expected = python(tmp_path, "show.py", *PROGRAM_ARGS)
    got = selfheal(tmp_path, "run", "--include", "other", *separator, "show.py", *PROGRAM_ARGS)
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout) == json.loads(expected.stdout)
    assert json.loads(got.stdout)["argv"][1:] == list(PROGRAM_ARGS)


@pytest.mark.parametrize("form", [("-m", "tool"), ("-mtool",), ("--", "-m", "tool")])
def test_a_modules_arguments_reach_it_verbatim(tmp_path: Path, form: tuple[str, ...]) -> None:
    write(tmp_path / "tool" / "__init__.py", "")
    write(tmp_path / "tool" / "__main__.py", SHOW_ARGV)
    expected = python(tmp_path, "-m", "tool", *PROGRAM_ARGS)
    got = selfheal(tmp_path, "run", *form, *PROGRAM_ARGS)
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout) == json.loads(expected.stdout)


def test_an_option_before_the_program_that_is_not_selfheals_is_named(tmp_path: Path) -> None:
    write(tmp_path / "show.py", SHOW_ARGV)
    got = selfheal(tmp_path, "run", "-w", "2", "show.py")
    assert got.returncode == 2
    assert "'-w'" in got.stderr
    assert "before the script or -m module" in got.stderr
    assert got.stdout == ""


def test_help_names_the_forms(tmp_path: Path) -> None:
    got = selfheal(tmp_path, "run", "--help")
    assert got.returncode == 0
    assert "(script.py | -m module) [args...]" in got.stdout


def test_stdin_is_the_programs(tmp_path: Path) -> None:
    write(
        tmp_path / "upper.py",
        """
        import sys
        for line in sys.stdin:
            print(line.strip().upper())
        """,
    )
    text = "first line\nsecond\n"
    expected = python(tmp_path, "upper.py", stdin=text)
    got = selfheal(tmp_path, "run", "upper.py", stdin=text)
    assert (
        (got.returncode, got.stdout)
        == (expected.returncode, expected.stdout)
        == (
            0,
            "FIRST LINE\nSECOND\n",
        )
    )


WAITS_FOR_SIGNALS = """
    import signal, sys, time

    def stop(signum, frame):
        print("got", signal.Signals(signum).name, flush=True)
        sys.exit(3)

    if "--handle" in sys.argv:
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGHUP, stop)
    print("ready", flush=True)
    for _ in range(600):  # at most a minute
        time.sleep(0.1)
    print("never signalled")
"""


def signalled(command: list[str], cwd: Path, signum: int) -> tuple[int, str, str]:
    """Start the program, wait until it is ready, send `signum`; (status, stdout, stderr)."""
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env=clean_env(cwd),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n"
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out, err


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize("handled", [True, False])
def test_signals_reach_the_program(tmp_path: Path, signum: int, handled: bool) -> None:
    write(tmp_path / "waits.py", WAITS_FOR_SIGNALS)
    args = ["waits.py", *(["--handle"] if handled else [])]
    expected = signalled([sys.executable, *args], tmp_path, signum)
    got = signalled(selfheal_command("run", *args), tmp_path, signum)
    assert got == expected
    if handled:
        assert got[:2] == (3, f"got {signal.Signals(signum).name}\n")
    else:
        assert got[0] == -signum  # killed by it, as without selfheal


def test_ctrl_c_ends_the_program_as_it_does_without_selfheal(tmp_path: Path) -> None:
    write(tmp_path / "waits.py", WAITS_FOR_SIGNALS)
    expected = signalled([sys.executable, "waits.py"], tmp_path, signal.SIGINT)
    status, out, err = signalled(selfheal_command("run", "waits.py"), tmp_path, signal.SIGINT)
    # Death by SIGINT (the shell prints nothing and reports 130), after the traceback.
    assert status == expected[0] == -signal.SIGINT
    assert out == expected[1] == ""
    assert err.startswith("Traceback (most recent call last):\n")
    assert err.endswith("KeyboardInterrupt\n")
    assert "selfheal" not in err  # no frame of the runner


def test_ctrl_c_caught_by_the_program_is_its_business(tmp_path: Path) -> None:
    write(
        tmp_path / "catches.py",
        """
        import time
        try:
            print("ready", flush=True)  # inside the try: the signal may come at once
            time.sleep(60)
        except KeyboardInterrupt:
            print("cleaned up")
        """,
    )
    assert signalled(selfheal_command("run", "catches.py"), tmp_path, signal.SIGINT) == (
        0,
        "cleaned up\n",
        "",
    )


# --------------------------------------------------------------------------- environment form

# A bug that only some inputs hit, in a module the settings include: the calls that worked
# are the evidence the patch must agree with.
CALC = """
    def parse_count(text):
        return int(text)

    def job(texts):
        return [parse_count(t) for t in texts]
"""


def with_calc(tmp_path: Path) -> None:
    write(tmp_path / "calc.py", CALC)
    write(tmp_path / "pyproject.toml", '[tool.selfheal]\ninclude = ["calc"]\n')


def stored_functions(store: Path) -> list[str]:
    return sorted(
        json.loads(path.read_text(encoding="utf-8"))["report"]["function"]["qualname"]
        for path in (store / "records").glob("*.json")
    )


def test_a_python_subprocess_of_the_program_runs_selfheal_too(tmp_path: Path) -> None:
    with_calc(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    write(
        tmp_path / "parent.py",
        """
        import subprocess, sys
        child = "import calc; print(calc.job(['3', '12', '4.0']))"
        # Another working directory: the child finds the settings and the store anyway.
        done = subprocess.run([sys.executable, "-c", child], cwd="elsewhere",
                              env={**__import__("os").environ, "PYTHONPATH": "..:" +
                                   __import__("os").environ.get("PYTHONPATH", "")})
        sys.exit(done.returncode)
        """,
    )
    bare = python(tmp_path, "parent.py")
    assert bare.returncode == 1
    assert "ValueError" in bare.stderr
    got = selfheal(tmp_path, "run", "parent.py", env=clean_env(tmp_path, SELFHEAL_STORE="store"))
    assert got.returncode == 0, got.stderr
    assert got.stdout == "[3, 12, 4]\n"
    # The relative store was resolved by the runner: the child wrote into the same one.
    assert stored_functions(tmp_path / "store") == ["parse_count"]
    assert not (tmp_path / "elsewhere" / "store").exists()


def test_multiprocessing_spawn_children_are_instrumented(tmp_path: Path) -> None:
    with_calc(tmp_path)
    write(
        tmp_path / "pool.py",
        """
        import multiprocessing
        import calc

        if __name__ == "__main__":
            with multiprocessing.get_context("spawn").Pool(1) as pool:
                print(pool.apply(calc.job, (["3", "12", "4.0"],)), flush=True)
        """,
    )
    bare = python(tmp_path, "pool.py")
    assert bare.returncode == 1
    assert "ValueError" in bare.stderr
    got = selfheal(tmp_path, "run", "pool.py")
    assert got.returncode == 0, got.stderr
    assert got.stdout == "[3, 12, 4]\n"
    assert stored_functions(tmp_path / "store") == ["parse_count"]


def test_the_sitecustomize_that_was_there_still_runs(tmp_path: Path) -> None:
    with_calc(tmp_path)
    write(
        tmp_path / "site_own" / "sitecustomize.py",
        """
        import os
        os.environ["OWN_SITECUSTOMIZE"] = "ran"
        """,
    )
    write(
        tmp_path / "parent.py",
        """
        import subprocess, sys
        child = ("import os, sys, calc; print(os.environ.get('OWN_SITECUSTOMIZE'), "
                 "sys.modules['sitecustomize'].__file__.split('/')[-2], calc.job(['3', '4.0']))")
        sys.exit(subprocess.run([sys.executable, "-c", child]).returncode)
        """,
    )
    env = clean_env(tmp_path, PYTHONPATH=f"{tmp_path / 'site_own'}:{tmp_path}")
    got = selfheal(tmp_path, "run", "parent.py", env=env)
    assert got.returncode == 0, got.stderr
    assert got.stdout == "ran site_own [3, 4]\n"


def test_disabled_exports_nothing(tmp_path: Path) -> None:
    write(
        tmp_path / "env.py",
        "import os\nprint(os.environ.get('PYTHONPATH'), os.environ.get('SELFHEAL_STORE'))\n",
    )
    got = selfheal(tmp_path, "run", "env.py", env=clean_env(tmp_path, SELFHEAL_DISABLED="1"))
    assert got.stdout == f"None {tmp_path / 'store'}\n"
    enabled = selfheal(tmp_path, "run", "env.py")
    assert enabled.stdout == f"{BOOTSTRAP_DIR} {tmp_path / 'store'}\n"


def test_a_child_with_nothing_to_instrument_does_not_load_selfheal(tmp_path: Path) -> None:
    # Every Python process the program starts runs the bootstrap: without patterns to
    # instrument it must cost nothing (no settings read, selfheal not imported).
    write(
        tmp_path / "parent.py",
        """
        import subprocess, sys
        child = "import sys; print('selfheal' in sys.modules, 'pydantic' in sys.modules)"
        sys.exit(subprocess.run([sys.executable, "-c", child]).returncode)
        """,
    )
    got = selfheal(tmp_path, "run", "parent.py")
    assert got.returncode == 0, got.stderr
    assert got.stdout == "True False\n"  # the bootstrap's package only, not the rest
