"""The decorator instruments in place and changes nothing while nothing fails."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import traceback
from pathlib import Path

import pytest

from selfheal import configure, self_healing
from selfheal.entry.decorator import is_instrumented, restore, target_of
from selfheal.errors import ConfigurationError
from tests.failing import raised
from tests.instrument import targets


@pytest.fixture
def mod():
    """A fresh copy of the targets module for each test (instrumentation is in place)."""
    return importlib.reload(targets)


def tb_lines(exc: BaseException) -> list[tuple[str, int, str]]:
    return [(f.filename, f.lineno, f.name) for f in traceback.extract_tb(exc.__traceback__)]


def test_returns_the_same_object_and_the_same_results(mod):
    original_code = mod.add.__code__
    decorated = self_healing(mod.add)
    assert decorated is mod.add
    assert decorated.__code__ is not original_code
    assert is_instrumented(decorated)
    assert decorated(1) == 3
    assert decorated(1, 2, 3, 4, scale=2, x=1, y=2) == 22
    assert decorated.__doc__ == "Adds things."
    assert inspect.getsource(decorated).startswith("def add(")


def test_arguments_form_and_bad_arguments(mod):
    assert self_healing(mode="observe")(mod.divide) is mod.divide
    with pytest.raises(ConfigurationError, match="mode"):
        self_healing(mode="sometimes")
    with pytest.raises(ConfigurationError, match="not callable"):
        self_healing(properties=[42])
    with pytest.raises(ConfigurationError, match="functions and methods"):
        self_healing(len)


def test_methods_classmethods_staticmethods_mangling_and_super(mod):
    for func in (
        mod.Shape.area,
        mod.Square.area,
        mod.Shape.__dict__["unit"],
        mod.Shape.__dict__["sides"],
    ):
        self_healing(func)
    assert mod.Shape(3).area() == 9
    assert mod.Square(2).area() == 4  # super() still finds the class cell
    assert mod.Shape.unit().area() == 1
    assert mod.Shape.sides() == 4
    assert is_instrumented(mod.Shape.__dict__["unit"])


def test_closures_keep_their_cells(mod):
    step = mod.make_counter(10)
    self_healing(step)
    assert step() == 11
    assert step(by=5) == 15


def test_async_and_generators(mod):
    self_healing(mod.fetch)
    self_healing(mod.countdown)
    assert asyncio.run(mod.fetch(2)) == 6
    assert list(mod.countdown(3)) == [3, 2, 1]


def test_recursion_goes_through_the_instrumented_code(mod):
    self_healing(mod.fib)
    assert mod.fib(15) == 610


def test_observe_mode_reraises_the_original_exception_and_traceback(mod, store_dir):
    bare_exc = None
    try:
        mod.divide(1, 0)
    except ZeroDivisionError as exc:
        bare_exc = exc
    expected = tb_lines(bare_exc)

    self_healing(mode="observe")(mod.divide)
    info = raised(ZeroDivisionError, mod.divide, 1, 0)
    # Below the caller's own frame, the traceback is exactly the undecorated one.
    assert tb_lines(info)[1:] == expected[1:]
    assert len(expected) == 2
    notes = getattr(info, "__notes__", [])
    assert any("observe mode" in n for n in notes)
    assert (store_dir / "records").is_dir()


def test_explicit_raise_is_part_of_the_contract(mod, store_dir):
    self_healing(mod.contract)
    info = raised(ValueError, mod.contract, "nobody")
    assert "bad email" in str(info)
    assert not getattr(info, "__notes__", [])
    assert not (store_dir / "records").exists() or not list((store_dir / "records").iterdir())


def test_base_exceptions_pass_through_untouched(mod, store_dir):
    self_healing(mod.interrupts)
    with pytest.raises(KeyboardInterrupt) as info:
        mod.interrupts()
    assert not getattr(info, "__notes__", [])


def test_internal_bug_never_replaces_the_users_exception(mod, store_dir, monkeypatch):
    from selfheal.heal import pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("selfheal bug")

    monkeypatch.setattr(pipeline, "heal", broken)
    self_healing(mod.divide)
    info = raised(ZeroDivisionError, mod.divide, 1, 0)
    assert tb_lines(info)[-1][2] == "divide"


def test_reassigned_parameters_report_the_inputs_as_called(mod, store_dir):
    self_healing(mode="observe")(mod.reassigns)
    raised(ZeroDivisionError, mod.reassigns, 2)
    from selfheal.store import open_store

    (record,) = open_store(store_dir).list()
    assert record.report.failing_call.args == ("2",)
    assert record.report.failing_line is not None
    frame = [f for f in record.report.exception.frames if f.in_target][-1]
    assert frame.locals["x"] == "4"  # the local as it was when it failed


def test_restore_puts_the_original_code_back(mod):
    original = mod.add.__code__
    self_healing(mod.add)
    assert restore(mod.add) is mod.add
    assert mod.add.__code__ is original
    assert not is_instrumented(mod.add)


def test_disabled_settings_leave_functions_alone(mod):
    configure(disabled=True)
    original = mod.add.__code__
    self_healing(mod.add)
    assert mod.add.__code__ is original


def test_recorder_samples_then_returns_to_the_lean_code(mod):
    configure(record_calls=3)
    self_healing(mod.add)
    target = target_of(mod.add)
    assert mod.add.__code__ is target.codes["observed"]
    for i in range(5):
        mod.add(i)
    assert len(target.recorder.calls()) == 3
    assert mod.add.__code__ is target.codes["lean"]
    assert [r.result for r in target.recorder.calls()] == [2, 3, 4]


def test_stale_source_is_left_unprotected(tmp_path: Path, monkeypatch, caplog):
    module_file = tmp_path / "stale_mod.py"
    module_file.write_text("def f(x):\n    return x + 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    stale_mod = importlib.import_module("stale_mod")
    module_file.write_text("def f(x):\n    return x + 2\n")
    import linecache

    linecache.checkcache(str(module_file))
    original = stale_mod.f.__code__
    self_healing(stale_mod.f)
    assert stale_mod.f.__code__ is original
    assert "differs from the running code" in caplog.text
