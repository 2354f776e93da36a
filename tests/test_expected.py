"""An exception the program expects is never healed, stored or counted; a crash that only
a catch-all meets still heals.

Every case runs real code: the scenario module's callers, pytest's and unittest's own
context managers, a Flask view, a for loop. Each expected case is checked in all three
modes that could act on it, with an engine that would fix it if asked.
"""

from __future__ import annotations

import asyncio
import contextlib
import doctest
import importlib
import subprocess
import sys
import threading
import unittest
from pathlib import Path
from typing import Any

import pytest

from selfheal import Example, self_healing
from selfheal.engines import ScriptedEngine
from selfheal.entry.decorator import target_of
from selfheal.request.expected import judge
from selfheal.store import open_store
from tests.scenarios.expected import program

PORT_FIX = "def parse_port(text):\n    return int(text) if text.isdigit() else 0\n"
LOOKUP_FIX = "def lookup(table, key):\n    return table.get(key)\n"
RATIO_FIX = "def ratio(a, b):\n    return round(a / b, 3) if b else 0.0\n"
ARATIO_FIX = "async def aratio(a, b):\n    return round(a / b, 3) if b else 0.0\n"
GET_IN_FIX = (
    "def get_in(table, keys, strict=False):\n"
    "    for key in keys:\n"
    "        if key not in table:\n"
    "            return None\n"
    "        table = table[key]\n"
    "    return table\n"
)
CHECK_FIX = "def check_email(address):\n    return address.lower()\n"
CURSOR_FIX = (
    "def __next__(self):\n"
    "    for item in self._items:\n"
    "        return item * 2\n"
    "    return None\n"
)

MODES = ["observe", "propose", "heal"]


@pytest.fixture
def prog() -> Any:
    """A fresh copy of the program (decoration happens in place)."""
    return importlib.reload(program)


def records(store_dir: Path) -> list[Any]:
    return open_store(store_dir).list()


def heal(func: Any, fix: str, mode: str, examples: list[Example]) -> ScriptedEngine:
    engine = ScriptedEngine([fix])
    self_healing(mode=mode, engine=engine, examples=examples)(func)
    return engine


def port(prog: Any, mode: str) -> ScriptedEngine:
    examples = [Example(args=("80",), expected=80), Example(args=("x",), expected=0)]
    return heal(prog.parse_port, PORT_FIX, mode, examples)


def ratio(prog: Any, mode: str) -> ScriptedEngine:
    examples = [Example(args=(1, 2), expected=0.5), Example(args=(1, 0), expected=0.0)]
    return heal(prog.ratio, RATIO_FIX, mode, examples)


def untouched(engine: ScriptedEngine, store_dir: Path, *excs: BaseException) -> None:
    assert engine.requests == [], "the engine was asked about an expected exception"
    assert records(store_dir) == []
    for exc in excs:
        assert not getattr(exc, "__notes__", None), exc.__notes__


# --- expected: passed through untouched, in every mode --------------------------


@pytest.mark.parametrize("mode", MODES)
def test_a_callee_error_under_a_callers_named_except(prog, store_dir, mode):
    engine = port(prog, mode)
    assert prog.port_or_default("x") == 8080
    assert prog.port_or_default_tuple("x") == 8080
    assert prog.parse_port("80") == 80
    untouched(engine, store_dir)
    assert target_of(prog.parse_port).patch is None


@pytest.mark.parametrize("mode", MODES)
def test_a_handler_naming_a_base_narrower_than_exception(prog, store_dir, mode):
    examples = [Example(args=({"a": 1}, "a"), expected=1), Example(args=({}, "b"), expected=None)]
    engine = heal(prog.lookup, LOOKUP_FIX, mode, examples)
    assert prog.lookup_or_none({}, "b") is None
    untouched(engine, store_dir)


@pytest.mark.parametrize("mode", MODES)
def test_contextlib_suppress(prog, store_dir, mode):
    engine = port(prog, mode)
    assert prog.port_quietly("x") is None
    with contextlib.suppress(ValueError):
        prog.parse_port("y")
    untouched(engine, store_dir)


@pytest.mark.parametrize("mode", MODES)
def test_pytest_raises_in_both_forms(prog, store_dir, mode):
    engine = port(prog, mode)
    with pytest.raises(ValueError) as info:
        prog.parse_port("x")
    called = pytest.raises(ValueError, prog.parse_port, "y")
    untouched(engine, store_dir, info.value, called.value)


@pytest.mark.parametrize("mode", MODES)
def test_unittest_assert_raises_in_both_forms(prog, store_dir, mode):
    engine = port(prog, mode)

    class PortTests(unittest.TestCase):
        def test_context(self) -> None:
            with self.assertRaises(ValueError):  # noqa: PT027
                prog.parse_port("x")

        def test_callable(self) -> None:
            self.assertRaises(ValueError, prog.parse_port, "y")  # noqa: PT027

        def test_regex(self) -> None:
            with self.assertRaisesRegex(ValueError, "invalid literal"):  # noqa: PT027
                prog.parse_port("z")

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(PortTests).run(result)
    assert result.testsRun == 3
    assert result.wasSuccessful(), result.failures + result.errors
    untouched(engine, store_dir)


@pytest.mark.parametrize("mode", MODES)
def test_a_bare_reraise_from_the_functions_own_except(prog, store_dir, mode):
    examples = [Example(args=({"a": {"b": 1}}, ["a", "b"]), expected=1)]
    engine = heal(prog.get_in, GET_IN_FIX, mode, examples)
    assert prog.get_in({}, ["a"]) is None
    try:
        prog.get_in({}, ["a"], strict=True)
    except Exception as exc:  # a catch-all: only the function's own contract is at play
        assert isinstance(exc, KeyError)
        untouched(engine, store_dir, exc)
    else:
        pytest.fail("strict=True must raise KeyError")


@pytest.mark.parametrize("mode", MODES)
def test_an_explicit_raise_is_the_functions_contract(prog, store_dir, mode):
    engine = heal(prog.check_email, CHECK_FIX, mode, [Example(args=("A@B",), expected="a@b")])
    try:
        prog.check_email("nobody")
    except Exception as exc:
        assert "bad email" in str(exc)
        untouched(engine, store_dir, exc)
    else:
        pytest.fail("check_email must raise")


@pytest.mark.parametrize("mode", MODES)
def test_stopiteration_from_next_ends_the_loop(prog, store_dir, mode):
    engine = ScriptedEngine([CURSOR_FIX])
    self_healing(mode=mode, engine=engine)(prog.Cursor.__next__)
    assert prog.doubled([1, 2, 3]) == [2, 4, 6]
    assert list(prog.Cursor([5])) == [10]
    untouched(engine, store_dir)


@pytest.mark.parametrize("mode", MODES)
def test_a_generator_ended_by_next_in_a_for_loop(store_dir, mode, tmp_path, monkeypatch):
    # A generator's StopIteration from next() inside it would be a RuntimeError (PEP
    # 479); the expected case is a plain function ending the consumer's iteration.
    (tmp_path / "gens.py").write_text(
        "def first(it):\n"
        "    return next(it)\n"
        "\n"
        "def pairs(items):\n"
        "    it = iter(items)\n"
        "    while True:\n"
        "        try:\n"
        "            yield first(it), first(it)\n"
        "        except StopIteration:\n"
        "            return\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    gens = importlib.import_module("gens")
    engine = ScriptedEngine(["def first(it):\n    return next(it, None)\n"])
    self_healing(mode=mode, engine=engine)(gens.first)
    assert list(gens.pairs([1, 2, 3, 4])) == [(1, 2), (3, 4)]
    untouched(engine, store_dir)
    sys.modules.pop("gens", None)


@pytest.mark.parametrize("mode", MODES)
def test_an_except_whose_type_is_computed_cannot_be_told_so_it_is_left_alone(
    prog, store_dir, mode
):
    engine = port(prog, mode)
    assert prog.computed_handler("x") == 8080
    untouched(engine, store_dir)


@pytest.mark.parametrize("mode", MODES)
def test_a_coroutine_awaited_under_a_named_except(prog, store_dir, mode):
    engine = heal(prog.aratio, ARATIO_FIX, mode, [Example(args=(1, 2), expected=0.5)])
    assert asyncio.run(prog.aratio_expected(1, 0)) is None
    untouched(engine, store_dir)


@pytest.mark.parametrize("mode", MODES)
def test_a_flask_abort_is_an_answer_not_a_failure(store_dir, mode, tmp_path, monkeypatch):
    (tmp_path / "views.py").write_text(
        "from flask import Flask, abort\n"
        "\n"
        "app = Flask(__name__)\n"
        "BOOKS = {1: 'Dune'}\n"
        "\n"
        "@app.get('/books/<int:book>')\n"
        "def show(book):\n"
        "    if book not in BOOKS:\n"
        "        abort(404)\n"
        "    return BOOKS[book]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    views = importlib.import_module("views")
    engine = ScriptedEngine(["def show(book):\n    return BOOKS.get(book, '')\n"])
    self_healing(mode=mode, engine=engine)(views.show)
    client = views.app.test_client()
    assert client.get("/books/1").text == "Dune"
    assert client.get("/books/2").status_code == 404
    untouched(engine, store_dir)
    sys.modules.pop("views", None)


DOCTESTED = """
>>> parse_port("80")
80
>>> parse_port("x")
Traceback (most recent call last):
...
ValueError: invalid literal for int() with base 10: 'x'
"""


@pytest.mark.parametrize("mode", MODES)
def test_a_doctest_that_expects_the_traceback(prog, store_dir, mode):
    engine = port(prog, mode)
    test = doctest.DocTestParser().get_doctest(
        DOCTESTED, {"parse_port": prog.parse_port}, "ports", "ports.txt", 0
    )
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.summarize(verbose=False) == doctest.TestResults(failed=0, attempted=2)
    untouched(engine, store_dir)


def test_a_doctest_that_does_not_expect_it_is_a_failure(prog, store_dir):
    port(prog, "heal")
    test = doctest.DocTestParser().get_doctest(
        '>>> parse_port("x")\n0\n', {"parse_port": prog.parse_port}, "heals", "heals.txt", 0
    )
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0  # healed: 0 as the example says
    assert len(records(store_dir)) == 1


# --- not expected: a catch-all, or nothing at all, so it heals --------------------


@pytest.mark.parametrize(
    "caller", ["ratio_or_500", "ratio_bare_except", "ratio_base_exception"]
)
def test_the_same_crash_under_a_catch_all_heals(prog, store_dir, caller):
    engine = ratio(prog, "heal")
    assert getattr(prog, caller)(1, 0) == 0.0  # the healed result, not the 500
    assert len(engine.requests) == 1
    (record,) = records(store_dir)
    assert record.status.value == "live"
    assert "catch-all" in record.report.judged


def test_the_innermost_handler_decides(prog, store_dir):
    ratio(prog, "heal")
    assert prog.inner_catch_all_outer_narrow(1, 0) == 0.0
    assert len(records(store_dir)) == 1


def test_a_handler_that_does_not_match_lets_it_reach_the_catch_all(prog, store_dir):
    port(prog, "heal")
    assert prog.port_or_500("x") == 0
    (record,) = records(store_dir)
    assert "except Exception" in record.report.judged
    assert "port_or_500" in record.report.judged


def test_a_handler_for_another_type_is_passed_by(prog, store_dir):
    ratio(prog, "heal")
    assert prog.wrong_type_then_catch_all(1, 0) == 0.0


def test_nothing_on_the_stack_handles_it_in_a_thread(prog, store_dir):
    ratio(prog, "heal")
    results: list[Any] = []
    thread = threading.Thread(target=lambda: results.append(prog.ratio(1, 0)))
    thread.start()
    thread.join(30)
    assert results == [0.0]
    (record,) = records(store_dir)
    assert record.report.judged


def test_a_coroutine_under_a_catch_all_heals(prog, store_dir):
    examples = [Example(args=(1, 2), expected=0.5), Example(args=(1, 0), expected=0.0)]
    heal(prog.aratio, ARATIO_FIX, "heal", examples)
    assert asyncio.run(prog.aratio_or_500(1, 0)) == 0.0
    assert len(records(store_dir)) == 1


def test_observe_mode_stores_a_catch_all_failure_and_show_says_why(prog, store_dir):
    engine = port(prog, "observe")
    assert prog.port_or_500("x") == 500
    assert engine.requests == []
    (record,) = records(store_dir)
    assert "port_or_500" in record.report.judged
    from selfheal.commands.review import Palette, render_record

    shown = render_record(record, Palette(False))
    assert "a failure because reached `except Exception` (a catch-all)" in shown


def test_heal_on_and_ignore_still_narrow_a_failure(prog, store_dir):
    examples = [Example(args=(1, 2), expected=0.5), Example(args=(1, 0), expected=0.0)]
    engine = ScriptedEngine([RATIO_FIX])
    self_healing(engine=engine, examples=examples, ignore=(ZeroDivisionError,))(prog.ratio)
    assert prog.ratio_or_500(1, 0) == 500
    assert engine.requests == [] and records(store_dir) == []


# --- the judgement itself, on frames with no source ---------------------------------


def _judged_in(source: str) -> Any:
    """Judge a ZeroDivisionError caught in `crash`, called from code that has no file."""
    verdicts: list[Any] = []

    def crash() -> None:
        try:
            1 / 0  # noqa: B018
        except Exception as exc:  # like selfheal's own handler: judge, then re-raise
            verdicts.append(judge(exc))
            raise

    namespace = {"crash": crash}
    with contextlib.suppress(ZeroDivisionError):
        exec(compile(source, "<no file>", "exec"), namespace)
    return verdicts[0]


def test_source_less_caller_without_a_handler_is_passed_by():
    # Nothing in the exec'd code catches; the caller above it is this test's suppress.
    verdict = _judged_in("crash()\n")
    assert not verdict.failure and "contextlib.suppress" in verdict.why


def test_source_less_caller_with_a_handler_cannot_be_told():
    verdict = _judged_in("try:\n    crash()\nexcept ArithmeticError:\n    raise\n")
    assert not verdict.failure
    assert "cannot tell" in verdict.why or "no source" in verdict.why


def test_base_exceptions_and_http_answers_are_never_failures():
    assert not judge(KeyboardInterrupt()).failure
    assert not judge(StopIteration()).failure
    from werkzeug.exceptions import NotFound

    assert "web framework" in judge(NotFound()).why


# --- cost: an expected exception does not load the heal loop -----------------------

_LOADED = """
import sys
from selfheal import Example, configure, self_healing
from selfheal.engines import ScriptedEngine
from tests.scenarios.expected import program

configure(store=sys.argv[1])
examples = [Example(args=(1, 2), expected=0.5), Example(args=(1, 0), expected=0.0)]
self_healing(engine=ScriptedEngine([{fix!r}]), examples=examples)(program.ratio)
try:
    program.ratio(1, 0)  # the caller's `except ZeroDivisionError` below expects it
except ZeroDivisionError:
    pass
print("expected", "selfheal.request.path" in sys.modules, "selfheal.heal.pipeline" in sys.modules)
print("catch-all", program.ratio_or_500(1, 0))
print("after", "selfheal.request.path" in sys.modules, "selfheal.heal.pipeline" in sys.modules)
"""


def test_an_expected_exception_loads_nothing_of_the_heal_loop(tmp_path):
    """The gate judges it; the request path, capture and engines stay unimported."""
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-c", _LOADED.format(fix=RATIO_FIX), str(tmp_path / "store")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "expected False False",
        "catch-all 0.0",  # past the gate, the same process heals as before
        "after True True",
    ]
