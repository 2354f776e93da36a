"""Finding the function object that runs a code object, from its module and qualname.

The lookup runs once per lazily instrumented function (when its sampler fills, or when
it first fails); the search through the garbage collector's referrers it falls back on
costs milliseconds in a large heap, so every ordinary place a function lives must be
found without it.
"""

from __future__ import annotations

import functools
import gc
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from selfheal.entry import decorator

SOURCE = """
import functools


def plain(x):
    return x


def _logged(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


@_logged
def wrapped(x):
    return x + 1


class Shop:
    def method(self):
        return 1

    @property
    def size(self):
        return 2

    @size.setter
    def size(self, value):
        pass

    @staticmethod
    def static(x):
        return x

    @classmethod
    def klass(cls):
        return cls

    def __touch(self):
        return 3

    class Inner:
        def deep(self):
            return 4


class _Private:
    def __hidden(self):
        return 5


def factory():
    def local(x):
        return x
    return local


made = factory()
"""


@pytest.fixture
def module(tmp_path: Path) -> Iterator[types.ModuleType]:
    name = "lookup_target_mod"
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(SOURCE), encoding="utf-8")
    code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
    mod = types.ModuleType(name)
    mod.__file__ = str(path)
    sys.modules[name] = mod
    exec(code, mod.__dict__)
    yield mod
    del sys.modules[name]


@pytest.fixture
def referrer_searches(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    searched: list[object] = []
    real = gc.get_referrers

    def counting(*objs: Any) -> list[Any]:
        searched.extend(objs)
        return real(*objs)

    monkeypatch.setattr(decorator.gc, "get_referrers", counting)
    return searched


def _code(func: Any) -> types.CodeType:
    code: types.CodeType = func.__code__
    return code


@pytest.mark.parametrize(
    ("qualname", "pick"),
    [
        ("plain", lambda m: m.plain),
        ("wrapped", lambda m: m.wrapped.__wrapped__),
        ("Shop.method", lambda m: m.Shop.method),
        ("Shop.size", lambda m: m.Shop.__dict__["size"].fget),
        ("Shop.size", lambda m: m.Shop.__dict__["size"].fset),
        ("Shop.static", lambda m: m.Shop.__dict__["static"].__func__),
        ("Shop.klass", lambda m: m.Shop.__dict__["klass"].__func__),
        ("Shop.__touch", lambda m: m.Shop.__dict__["_Shop__touch"]),
        ("Shop.Inner.deep", lambda m: m.Shop.Inner.deep),
        ("_Private.__hidden", lambda m: m._Private.__dict__["_Private__hidden"]),
    ],
)
def test_found_by_name_without_searching_the_heap(
    module: types.ModuleType, referrer_searches: list[object], qualname: str, pick: Any
) -> None:
    func = pick(module)
    found = decorator.function_for(_code(func), f"{module.__name__}:{qualname}")
    assert found is func
    assert referrer_searches == []


def test_a_local_function_is_found_by_its_referrers(
    module: types.ModuleType, referrer_searches: list[object]
) -> None:
    func = module.made
    key = f"{module.__name__}:{func.__qualname__}"
    assert decorator.function_for(_code(func), key) is func
    assert referrer_searches == [func.__code__]


def test_a_name_bound_to_another_function_is_not_taken(
    module: types.ModuleType, referrer_searches: list[object]
) -> None:
    # `plain` now names another function: its old code object is found only through
    # the referrers (the old function is still alive here), never by name.
    old = module.plain
    module.plain = functools.partial(old)
    try:
        assert decorator.function_for(_code(old), f"{module.__name__}:plain") is old
        assert referrer_searches == [old.__code__]
    finally:
        module.plain = old


def test_an_unknown_module_or_name_gives_none_for_a_dead_code_object() -> None:
    code = compile("def gone():\n    pass\n", "<gone>", "exec").co_consts[0]
    assert isinstance(code, types.CodeType)
    assert decorator.function_for(code, "no_such_module_here:gone") is None
