"""`selfheal run`: real programs in a child process, compared with what python itself does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.commands.programs import clean_env, python, selfheal, write

AVERAGE = """
    import sys

    def average(values):
        return sum(values) / len(values)

    print("average:", average([]))
    sys.exit(int(sys.argv[1]))
"""

# A bug that only some inputs hit: the calls that worked are the evidence a patch must
# agree with (a patch checked by nothing but the failing input is only proposed).
COUNTS = """
    import sys

    def parse_count(text):
        return int(text)

    print("counts:", parse_count("3"), parse_count("12"), parse_count("4.0"))
    sys.exit(int(sys.argv[1]))
"""


def test_run_heals_a_crash_in_the_script_and_keeps_the_exit_code(tmp_path: Path) -> None:
    write(tmp_path / "counts.py", COUNTS)
    bare = python(tmp_path, "counts.py", "3")
    assert bare.returncode == 1
    assert "ValueError" in bare.stderr

    healed = selfheal(tmp_path, "run", "counts.py", "3")
    assert healed.returncode == 3, healed.stderr
    assert "ValueError" not in healed.stderr
    # The healed call returned a value and the script went on.
    assert healed.stdout == "counts: 3 12 4\n"
    # The patch is a reviewable record in the store.
    records = list((tmp_path / "store").rglob("*.json"))
    assert records, "no record stored"
    assert any("parse_count" in r.read_text(encoding="utf-8") for r in records)


def test_run_keeps_the_original_exception_when_only_a_guess_verifies(tmp_path: Path) -> None:
    # average([]) has no right answer in evidence: any fix invents one.
    write(tmp_path / "stats.py", AVERAGE)
    result = selfheal(tmp_path, "run", "stats.py", "3")
    assert result.returncode == 1
    assert "ZeroDivisionError" in result.stderr
    assert "only a guess verified" in result.stderr


def test_disabled_runs_the_program_bare(tmp_path: Path) -> None:
    write(tmp_path / "stats.py", AVERAGE)
    result = selfheal(
        tmp_path, "run", "stats.py", "3", env=clean_env(tmp_path, SELFHEAL_DISABLED="1")
    )
    assert result.returncode == 1
    assert result.stderr == python(tmp_path, "stats.py", "3").stderr


def test_excluding_the_main_module_leaves_it_bare(tmp_path: Path) -> None:
    write(tmp_path / "stats.py", AVERAGE)
    result = selfheal(tmp_path, "run", "--exclude", "stats", "stats.py", "3")
    assert result.returncode == 1
    assert "ZeroDivisionError" in result.stderr


def test_an_uncaught_exception_prints_the_same_traceback_as_python(tmp_path: Path) -> None:
    # An explicit `raise` in the function's own body is its contract: it propagates.
    write(
        tmp_path / "strict.py",
        """
        def parse(text):
            if not text:
                raise ValueError("empty input")
            return int(text)

        class Reader:
            def read(self):
                return parse("")

        Reader().read()
        """,
    )
    expected = python(tmp_path, "strict.py")
    got = selfheal(tmp_path, "run", "strict.py")
    assert got.returncode == expected.returncode == 1
    assert got.stderr == expected.stderr
    assert "raise ValueError" in got.stderr


@pytest.mark.parametrize(
    ("code", "status", "stderr"),
    [
        ("sys.exit()", 0, ""),
        ("sys.exit(0)", 0, ""),
        ("sys.exit(42)", 42, ""),
        ("sys.exit('bad input')", 1, "bad input\n"),
        ("raise SystemExit(5)", 5, ""),
        ("pass", 0, ""),
    ],
)
def test_exit_codes_are_the_programs(
    tmp_path: Path, code: str, status: int, stderr: str
) -> None:
    write(tmp_path / "ends.py", f"import sys\n{code}\n")
    assert python(tmp_path, "ends.py").returncode == status
    result = selfheal(tmp_path, "run", "ends.py")
    assert (result.returncode, result.stderr) == (status, stderr)


def test_argv_name_file_and_path_are_those_python_gives(tmp_path: Path) -> None:
    write(tmp_path / "tools" / "helper.py", "VALUE = 'helper imported'\n")
    write(
        tmp_path / "tools" / "show.py",
        """
        import json, os, sys
        import helper  # found because sys.path[0] is the script's directory
        print(json.dumps({
            "argv": sys.argv,
            "name": __name__,
            "file": __file__,
            "path0": sys.path[0],
            "helper": helper.VALUE,
            "main_is_me": sys.modules["__main__"].__dict__ is globals(),
            "doc": __doc__,
        }))
        """,
    )
    args = ("tools/show.py", "-x", "--flag", "--", "last")
    expected = json.loads(python(tmp_path, *args).stdout)
    got = selfheal(tmp_path, "run", *args)
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout) == expected


def test_run_module_with_included_package_heals_inside_the_package(tmp_path: Path) -> None:
    write(tmp_path / "calc" / "__init__.py", "")
    write(
        tmp_path / "calc" / "ops.py",
        """
        def parse_count(text):
            return int(text)
        """,
    )
    write(
        tmp_path / "calc" / "__main__.py",
        """
        import sys
        from calc.ops import parse_count
        print("args", sys.argv[1:], __name__, __spec__.name)
        print("count", parse_count("2"), parse_count(sys.argv[1]))
        """,
    )
    bare = python(tmp_path, "-m", "calc", "4.0")
    assert bare.returncode == 1
    assert "ValueError" in bare.stderr

    got = selfheal(tmp_path, "run", "--include", "calc.*", "-m", "calc", "4.0")
    assert got.returncode == 0, got.stderr
    lines = got.stdout.splitlines()
    assert lines[0] == "args ['4.0'] __main__ calc.__main__"
    assert lines[1] == "count 2 4"


def test_run_module_reads_include_from_pyproject(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
        [tool.selfheal]
        include = ["calc.*"]
        """,
    )
    write(tmp_path / "calc" / "__init__.py", "def parse_count(text):\n    return int(text)\n")
    write(
        tmp_path / "calc" / "cli.py",
        "from calc import parse_count\nprint(parse_count('5'), parse_count('7.0'))\n",
    )
    got = selfheal(tmp_path, "run", "-m", "calc.cli")
    assert got.returncode == 0, got.stderr
    assert got.stdout == "5 7\n"


def test_missing_programs(tmp_path: Path) -> None:
    script = selfheal(tmp_path, "run", "nope.py")
    assert script.returncode == 2
    assert "nope.py" in script.stderr
    module = selfheal(tmp_path, "run", "-m", "no_such_module_here")
    assert module.returncode == 1
    assert "no_such_module_here" in module.stderr
    nothing = selfheal(tmp_path, "run")
    assert nothing.returncode == 2


def test_a_bad_configuration_stops_before_the_program_runs(tmp_path: Path) -> None:
    pyproject = write(tmp_path / "pyproject.toml", '[tool.selfheal]\nmode = "fast"\n')
    write(tmp_path / "side_effect.py", "open('ran', 'w').close()\n")
    result = selfheal(tmp_path, "run", "side_effect.py")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "mode" in result.stderr
    assert str(pyproject) in result.stderr
    assert "observe | propose | heal | approved" in result.stderr
    assert not (tmp_path / "ran").exists()


def test_a_syntax_error_is_reported_like_python(tmp_path: Path) -> None:
    write(tmp_path / "broken.py", "def f(:\n    pass\n")
    expected = python(tmp_path, "broken.py")
    got = selfheal(tmp_path, "run", "broken.py")
    assert got.returncode == expected.returncode == 1
    assert got.stderr.strip().splitlines()[-1] == expected.stderr.strip().splitlines()[-1]
    assert "selfheal" not in got.stderr


def test_run_module_bare_matches_python_when_disabled(tmp_path: Path) -> None:
    write(tmp_path / "calc" / "__init__.py", "")
    write(
        tmp_path / "calc" / "__main__.py",
        """
        import sys
        print("args", sys.argv[1:], __name__)
        sys.exit(len(sys.argv))
        """,
    )
    expected = python(tmp_path, "-m", "calc", "a", "b")
    got = selfheal(
        tmp_path, "run", "-m", "calc", "a", "b", env=clean_env(tmp_path, SELFHEAL_DISABLED="1")
    )
    assert (got.returncode, got.stdout) == (expected.returncode, expected.stdout) == (
        3,
        "args ['a', 'b'] __main__\n",
    )
