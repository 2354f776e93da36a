"""Lazily instrumented code (a rewritten module): the Target is made when first needed."""

from __future__ import annotations

import ast
import asyncio
import sys
import types
from pathlib import Path

import pytest

from selfheal import Example, configure
from selfheal.entry import importhook, runtime
from selfheal.entry.decorator import target_of
from selfheal.function import codegen
from selfheal.function.source import reassigned_params
from tests.failing import raised

SOURCE = """
import asyncio


def parse_count(text):
    return int(text)


class Meter:
    def per_unit(self, total, units):
        return total // units

    @staticmethod
    def label(x):
        return Meter.__name__ + str(x)


async def aparse(text):
    await asyncio.sleep(0)
    return int(text)
"""


class _Rewrite(ast.NodeTransformer):
    def __init__(self, module: str, variant: str) -> None:
        self.module, self.variant, self.classes = module, variant, []

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()
        return node

    def visit_FunctionDef(self, node):
        key = codegen.lazy_key(self.module, ".".join([*self.classes, node.name]))
        return codegen.instrument(node, key, self.variant, reassigned_params(node))

    visit_AsyncFunctionDef = visit_FunctionDef


def load(tmp_path: Path, name: str, variant: str, text: str = SOURCE) -> types.ModuleType:
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    tree = _Rewrite(name, variant).visit(ast.parse(text))
    ast.fix_missing_locations(tree)
    module = types.ModuleType(name)
    module.__file__ = str(path)
    module.__dict__[codegen.RUNTIME_NAME] = runtime
    sys.modules[name] = module
    exec(compile(tree, str(path), "exec"), module.__dict__)
    return module


@pytest.fixture(autouse=True)
def _cleanup():
    # What installing the import hook does first; these tests rewrite without the hook,
    # and must not depend on an earlier test having installed it.
    importhook._serve_rewritten_functions()
    yield
    for name in [m for m in sys.modules if m.startswith("lazy_")]:
        del sys.modules[name]


def test_observed_lazy_code_samples_calls_and_heals_with_that_evidence(tmp_path, store_dir):
    mod = load(tmp_path, "lazy_observed", "observed")
    assert target_of(mod.parse_count) is None  # nothing built at import
    assert mod.parse_count("3") == 3  # sampled, still no Target
    assert mod.parse_count("12") == 12
    assert target_of(mod.parse_count) is None
    assert mod.parse_count("4.0") == 4  # healed: the sampled calls are the evidence
    target = target_of(mod.parse_count)
    assert target is not None and target.patch is not None
    assert [r.result for r in target.recorder.calls()] == [3, 12]


def test_a_function_is_adopted_with_lean_code_once_its_sampler_is_full(tmp_path, store_dir):
    configure(record_calls=3)
    mod = load(tmp_path, "lazy_full", "observed")
    lazy_code = mod.parse_count.__code__
    for i in range(3):
        assert mod.parse_count(str(i)) == i
    target = target_of(mod.parse_count)
    assert target is not None
    assert mod.parse_count.__code__ is target.code("lean")  # the sampling is over
    assert mod.parse_count.__code__ is not lazy_code
    assert len(target.recorder.calls()) == 3


def test_lean_lazy_code_makes_its_target_on_the_first_failure(tmp_path, store_dir):
    mod = load(tmp_path, "lazy_lean", "lean")
    assert mod.Meter().per_unit(10, 2) == 5
    assert target_of(mod.Meter.per_unit) is None  # the happy path builds nothing
    info = raised(ZeroDivisionError, mod.Meter().per_unit, 1, 0)
    # The failure made the Target, and the heal ran (only a guess can fix x // 0).
    assert target_of(mod.Meter.per_unit) is not None
    assert any("only a guess verified" in n for n in info.__notes__)
    assert mod.Meter().per_unit(9, 3) == 3


def test_an_expected_exception_makes_no_target(tmp_path, store_dir):
    mod = load(tmp_path, "lazy_expected", "lean")
    try:  # noqa: SIM105 - the caller handles it by name: nothing is adopted or stored
        mod.parse_count("x")
    except ValueError:
        pass
    assert target_of(mod.parse_count) is None
    assert not (store_dir / "records").exists()
    raised(ValueError, mod.parse_count, "x")  # under a catch-all it is a failure
    assert target_of(mod.parse_count) is not None


def test_a_static_method_naming_its_own_class_is_adopted(tmp_path, store_dir):
    configure(record_calls=1)  # adopted once its one sample is taken
    mod = load(tmp_path, "lazy_static", "observed")
    assert mod.Meter.label(3) == "Meter3"
    assert target_of(mod.Meter.__dict__["label"]) is not None


def test_async_lazy_code(tmp_path, store_dir):
    mod = load(tmp_path, "lazy_async", "observed")
    assert asyncio.run(mod.aparse("5")) == 5
    assert asyncio.run(mod.aparse("6.0")) == 6


def test_a_file_edited_since_import_is_not_trusted(tmp_path, store_dir, caplog):
    configure(record_calls=1)
    mod = load(tmp_path, "lazy_edited", "observed")
    (tmp_path / "lazy_edited.py").write_text(SOURCE.replace("int(text)", "int(text) + 1", 1))
    import linecache

    linecache.checkcache(str(tmp_path / "lazy_edited.py"))
    assert mod.parse_count("3") == 3  # runs, unprotected
    assert target_of(mod.parse_count) is None
    assert "differs from the running code" in caplog.text
    raised(ValueError, mod.parse_count, "x")


def test_examples_from_the_decorator_still_apply_after_adoption(tmp_path, store_dir):
    from selfheal import self_healing

    mod = load(tmp_path, "lazy_decorated", "observed")
    self_healing(examples=[Example(args=("9",), expected=9)])(mod.parse_count)
    target = target_of(mod.parse_count)
    assert target is not None and target.options.examples
    assert mod.parse_count("2.0") == 2
