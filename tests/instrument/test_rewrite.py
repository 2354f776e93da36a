"""Whole-module rewriting: the transform, the bytecode cache and finding originals again.

Modules are real files under tmp_path; their rewritten code is executed and its failures
are observed through `runtime.failed` / `runtime.afailed`, replaced by a recorder (the
instrumented code looks them up on the runtime module at each failure).
"""

from __future__ import annotations

import ast
import asyncio
import marshal
import os
import sys
import textwrap
import traceback
import types
from pathlib import Path
from typing import Any

import pytest

from selfheal.entry import decorator, rewrite, runtime
from selfheal.function import codegen
from selfheal.function.source import reassigned_params
from tests.failing import raised

SAMPLE = '''\
"""A module with every kind of def."""
from __future__ import annotations

import math

import selfheal
from selfheal import self_healing, skip


def ratio(a: int, b: int = 1) -> float:
    """Docstring stays the function's."""
    return a / b


async def aratio(a, *rest, scale=1, **extra):
    return a / rest[0] * scale


def numbers(n):
    for i in range(n):
        yield 10 // (i - 2)


def reassigns(x):
    x = x + 1
    return 1 / (x - 1)


def closure_maker():
    def inner():
        return 1 / 0
    return inner


class Shape:
    """Methods of every kind, and a nested class."""

    def __init__(self, side):
        self.side = side

    def __repr__(self):
        return "Shape"

    def area(self):
        return self.side**2

    @staticmethod
    def parse(text):
        return Shape(int(text))

    @classmethod
    def unit(cls):
        return cls(1)

    @property
    def half(self):
        return self.side / 2

    def parent(self):
        return super().__repr__()

    class Corner:
        class Point:
            def where(self):
                return math.sqrt(-1)

    @skip
    def hidden(self):
        return 0

    @selfheal.skip
    @staticmethod
    def hidden_static():
        return 0


@skip
class Untouched:
    def method(self):
        return 1


@self_healing
def opted_in(x):
    return x


@selfheal.self_healing(mode="observe")
def opted_in_with_options(x):
    return x


if math.pi > 3:
    def conditional(x):
        return x

try:
    def in_try(x):
        return x
except ImportError:
    def in_handler(x):
        return x
finally:
    def in_finally(x):
        return x

with open(__file__) as _fh:
    def in_with(x):
        return x

match 1:
    case 1:
        def in_match(x):
            return x

LAMBDA = lambda x: x  # noqa: E731
'''

EXPECTED = [
    "ratio",
    "aratio",
    "numbers",
    "reassigns",
    "closure_maker",
    "Shape.area",
    "Shape.parse",
    "Shape.unit",
    "Shape.half",
    "Shape.parent",
    "Shape.Corner.Point.where",
    "conditional",
    "in_try",
    "in_handler",
    "in_finally",
    "in_with",
    "in_match",
]


class Failures:
    """Stands in for the runtime's failure entry points; answers with `answer`."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = []
        self.answer: Any = runtime.RERAISE

    def failed(
        self, key: Any, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        self.seen.append((key, type(exc).__name__, args, kwargs))
        return self.answer

    async def afailed(
        self, key: Any, exc: Exception, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        return self.failed(key, exc, args, kwargs)


@pytest.fixture
def failures(monkeypatch: pytest.MonkeyPatch) -> Failures:
    recorder = Failures()
    monkeypatch.setattr(runtime, "failed", recorder.failed)
    monkeypatch.setattr(runtime, "afailed", recorder.afailed)
    return recorder


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample_mod.py"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def execute(code: types.CodeType, name: str, path: Path) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    try:
        exec(code, module.__dict__)
    finally:
        del sys.modules[name]
    return module


def code_names(code: types.CodeType) -> list[str]:
    return [rewrite.qualname_of(c) for c in rewrite.instrumented_codes(code)]


# --------------------------------------------------------------------------- the transform


def test_every_eligible_def_is_instrumented_with_its_real_qualname(sample: Path) -> None:
    code = rewrite.compile_rewritten(sample.read_bytes(), str(sample), "pkg.sample")
    assert code_names(code) == EXPECTED
    module = execute(code, "pkg.sample", sample)
    # The key compiled into each function names the module and the function's __qualname__.
    for qualname in EXPECTED:
        if qualname == "in_handler":
            continue  # its branch does not run
        obj: Any = module
        for part in qualname.split("."):
            obj = vars(obj)[part] if isinstance(obj, type) else getattr(obj, part)
        func = obj.fget if isinstance(obj, property) else getattr(obj, "__func__", obj)
        assert func.__qualname__ == qualname
        assert codegen.lazy_key("pkg.sample", qualname) in func.__code__.co_consts
        assert rewrite.is_rewritten(func.__code__)
    # Left alone: dunders, skip and self_healing (any prefix), closures, lambdas.
    assert not rewrite.is_rewritten(module.Shape.__init__.__code__)
    assert not rewrite.is_rewritten(module.Shape.__repr__.__code__)
    assert not rewrite.is_rewritten(module.Shape.hidden.__code__)
    assert not rewrite.is_rewritten(module.Shape.hidden_static.__code__)
    assert not rewrite.is_rewritten(module.Untouched.method.__code__)
    # @self_healing functions are the decorator's: instrumented by it, not by a lazy key.
    for opted in (module.opted_in, module.opted_in_with_options):
        assert decorator.is_instrumented(opted)
        assert codegen.lazy_key("pkg.sample", opted.__qualname__) not in opted.__code__.co_consts
        decorator.restore(opted)
    assert not rewrite.is_rewritten(module.closure_maker().__code__)
    assert not rewrite.is_rewritten(module.LAMBDA.__code__)


def test_docstrings_future_imports_and_results_are_those_of_the_original(
    sample: Path, failures: Failures
) -> None:
    code = rewrite.compile_rewritten(sample.read_bytes(), str(sample), "sample_mod")
    module = execute(code, "sample_mod", sample)
    plain = execute(compile(sample.read_bytes(), str(sample), "exec"), "sample_mod", sample)

    assert module.__doc__ == plain.__doc__ == "A module with every kind of def."
    assert module.ratio.__doc__ == "Docstring stays the function's."
    # `from __future__ import annotations` still applies: annotations stay strings.
    assert module.ratio.__annotations__ == {"a": "int", "b": "int", "return": "float"}
    assert module.ratio(3, 2) == plain.ratio(3, 2) == 1.5
    assert asyncio.run(module.aratio(6, 3, scale=2)) == 4
    assert module.Shape.parse("3").area() == 9
    assert module.Shape.unit().side == 1
    assert module.Shape(4).half == 2
    assert module.Shape(1).parent().startswith("<")
    assert module.reassigns(5) == 0.2
    assert failures.seen == []
    # The runtime is reached through a global, bound by an assignment (not an import).
    assert module.__selfheal_rt__ is runtime


def test_the_input_tree_is_not_modified(sample: Path) -> None:
    tree = ast.parse(sample.read_text())
    before = ast.dump(tree, include_attributes=True)
    rewritten = rewrite.rewrite_module(tree, "sample_mod")
    assert ast.dump(tree, include_attributes=True) == before
    assert rewritten is not tree


def test_a_failure_calls_the_runtime_with_the_key_and_the_call(
    sample: Path, failures: Failures
) -> None:
    module = execute(rewrite.compile_rewritten(sample.read_bytes(), str(sample), "m"), "m", sample)
    failures.answer = "healed"
    assert module.ratio(1, 0) == "healed"
    assert module.Shape.Corner.Point().where() == "healed"
    assert asyncio.run(module.aratio(1, 0, 5, scale=3, tag="x")) == "healed"
    # A reassigned parameter is reported with the value it had on entry.
    assert module.reassigns(0) == "healed"
    key = codegen.lazy_key
    assert failures.seen[0] == (key("m", "ratio"), "ZeroDivisionError", (1, 0), {})
    assert failures.seen[1][:2] == (key("m", "Shape.Corner.Point.where"), "ValueError")
    assert failures.seen[2] == (
        key("m", "aratio"),
        "ZeroDivisionError",
        (1, 0, 5),
        {"scale": 3, "tag": "x"},
    )
    assert failures.seen[3] == (key("m", "reassigns"), "ZeroDivisionError", (0,), {})

    # A generator reports and re-raises: it cannot hand a result back mid-iteration.
    raised(ZeroDivisionError, list, module.numbers(3))
    assert failures.seen[-1][:3] == (key("m", "numbers"), "ZeroDivisionError", (3,))


def test_reraise_gives_the_original_exception_at_the_real_line(
    sample: Path, failures: Failures
) -> None:
    module = execute(
        rewrite.compile_rewritten(sample.read_bytes(), str(sample), "m"), "m", sample
    )
    info = raised(ZeroDivisionError, module.ratio, 1, 0)
    last = traceback.extract_tb(info.__traceback__)[-1]
    assert last.filename == str(sample)
    assert last.line == "return a / b"
    assert SAMPLE.splitlines()[last.lineno - 1].strip() == "return a / b"
    assert info.__context__ is None  # nothing of ours chained to it


def test_a_module_that_skips_itself_or_has_nothing_to_instrument_is_unchanged() -> None:
    skipping = ast.parse("__selfheal_skip__ = True\n\ndef f():\n    return 1\n")
    assert rewrite.rewrite_module(skipping, "m") is skipping
    annotated = ast.parse("__selfheal_skip__: bool = True\n\ndef f():\n    return 1\n")
    assert rewrite.rewrite_module(annotated, "m") is annotated
    nothing = ast.parse("X = 1\n\nclass C:\n    def __init__(self):\n        pass\n")
    assert rewrite.rewrite_module(nothing, "m") is nothing
    # `__selfheal_skip__ = False` is no skip.
    kept = ast.parse("__selfheal_skip__ = False\n\ndef f():\n    return 1\n")
    assert "__selfheal_rt__" in ast.unparse(rewrite.rewrite_module(kept, "m"))


def test_the_runtime_binding_follows_the_docstring_and_future_imports() -> None:
    tree = ast.parse(
        '"""Doc."""\nfrom __future__ import annotations\nimport os\ndef f():\n    pass\n'
    )
    body = rewrite.rewrite_module(tree, "m").body
    assert isinstance(body[1], ast.ImportFrom)
    assert isinstance(body[2], ast.Assign)
    assert ast.unparse(body[2]).startswith("__selfheal_rt__ = __import__(")
    # Not an import statement: the compiler treats names bound by imports differently.
    assert not any(
        isinstance(s, (ast.Import, ast.ImportFrom))
        and any(a.asname == "__selfheal_rt__" for a in s.names)
        for s in body
    )


# --------------------------------------------------------------------------- the cache


@pytest.fixture
def writable_bytecode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "pycache_prefix", None)


def test_the_cache_is_our_own_file_and_is_read_back(
    sample: Path, writable_bytecode: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, stamp = rewrite.load_rewritten("sample_mod", str(sample))
    assert stamp == (sample.stat().st_mtime_ns, sample.stat().st_size)
    cached = Path(rewrite.cache_path(str(sample), rewrite.records("sample_mod")))
    assert cached.exists()
    assert ".opt-selfheal" in cached.name
    # The normal bytecode file is neither written nor touched.
    normal = Path(__import__("importlib.util").util.cache_from_source(str(sample)))
    assert not normal.exists()
    assert not [p for p in cached.parent.iterdir() if p.name.endswith(".tmp")]

    def no_rewrite(*args: Any) -> types.CodeType:
        raise AssertionError("a fresh cache must not be rebuilt")

    monkeypatch.setattr(rewrite, "compile_rewritten", no_rewrite)
    second = rewrite.load_rewritten("sample_mod", str(sample)).code
    assert second == first
    assert code_names(second) == EXPECTED


def test_a_changed_source_a_corrupt_file_or_another_generator_rebuilds(
    sample: Path, writable_bytecode: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    rewrite.load_rewritten("sample_mod", str(sample))
    cached = Path(rewrite.cache_path(str(sample), rewrite.records("sample_mod")))

    # Same size, other content, other mtime: rebuilt.
    sample.write_text(SAMPLE.replace("a / b", "a * b"), encoding="utf-8")
    stat = sample.stat()
    os.utime(sample, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    code = rewrite.load_rewritten("sample_mod", str(sample)).code
    module = execute(code, "sample_mod", sample)
    assert module.ratio(3, 2) == 6

    # A truncated file is not trusted.
    cached.write_bytes(cached.read_bytes()[:60])
    code = rewrite.load_rewritten("sample_mod", str(sample)).code
    assert code_names(code) == EXPECTED

    # Code made by another version of the generator is not trusted either.
    monkeypatch.setattr(rewrite, "_fingerprint", b"\0" * 16)
    rebuilt: list[str] = []
    real = rewrite.compile_rewritten

    def counting(
        source: bytes | str, filename: str, name: str, record: bool | None = None
    ) -> types.CodeType:
        rebuilt.append(name)
        return real(source, filename, name, record)

    monkeypatch.setattr(rewrite, "compile_rewritten", counting)
    rewrite.load_rewritten("sample_mod", str(sample))
    assert rebuilt == ["sample_mod"]
    assert cached.read_bytes()[24:40] == b"\0" * 16


def test_no_cache_is_written_when_bytecode_writing_is_off(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    code = rewrite.load_rewritten("sample_mod", str(sample)).code
    assert code_names(code) == EXPECTED
    assert not Path(rewrite.cache_path(str(sample), rewrite.records("sample_mod"))).exists()


def test_a_cache_that_cannot_be_written_still_loads(sample: Path, writable_bytecode: None) -> None:
    # A file where the __pycache__ directory should be: the write fails, the load does not.
    (sample.parent / "__pycache__").write_text("not a directory")
    code = rewrite.load_rewritten("sample_mod", str(sample)).code
    assert code_names(code) == EXPECTED


def test_the_cache_file_layout(sample: Path, writable_bytecode: None) -> None:
    rewrite.load_rewritten("sample_mod", str(sample))
    data = Path(rewrite.cache_path(str(sample), rewrite.records("sample_mod"))).read_bytes()
    stat = sample.stat()
    assert data[:4] == __import__("importlib.util").util.MAGIC_NUMBER
    assert int.from_bytes(data[8:16], "little", signed=True) == stat.st_mtime_ns
    assert int.from_bytes(data[16:24], "little") == stat.st_size
    assert isinstance(marshal.loads(data[40:]), types.CodeType)


# --------------------------------------------------------------------------- originals


def plain_codes(path: Path) -> dict[tuple[str, int], types.CodeType]:
    """Codes a normal import compiles, by (name, first line): the same for the rewrite."""
    top = compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    found: dict[tuple[str, int], types.CodeType] = {}
    stack = [top]
    while stack:
        code = stack.pop()
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                found[(const.co_name, const.co_firstlineno)] = const
                stack.append(const)
    return found


def test_originals_give_back_exactly_the_code_a_normal_import_compiles(sample: Path) -> None:
    running = rewrite.compile_rewritten(sample.read_bytes(), str(sample), "m")
    originals = rewrite.Originals.from_file("m", str(sample))
    plain = plain_codes(sample)
    for code in rewrite.instrumented_codes(running):
        original = originals.original_of(code)
        assert original is not None
        assert original == plain[(code.co_name, code.co_firstlineno)]
        assert not rewrite.is_rewritten(original)


def test_an_edited_function_has_no_original_but_the_others_do(sample: Path) -> None:
    running = rewrite.compile_rewritten(sample.read_bytes(), str(sample), "m")
    # Lines shift (a comment on top) and one function body changes.
    edited = "# edited\n" + SAMPLE.replace("return self.side**2", "return self.side**3")
    sample.write_text(edited, encoding="utf-8")
    originals = rewrite.Originals.from_file("m", str(sample))
    by_name = {rewrite.qualname_of(c): c for c in rewrite.instrumented_codes(running)}
    assert originals.original_of(by_name["Shape.area"]) is None
    restored = originals.original_of(by_name["ratio"])
    assert restored is not None
    assert restored.co_firstlineno == by_name["ratio"].co_firstlineno + 1


def test_a_name_defined_twice_gets_the_original_of_its_own_definition(tmp_path: Path) -> None:
    path = tmp_path / "twice.py"
    path.write_text(
        textwrap.dedent(
            """
            import sys

            if sys.maxsize > 1:
                def pick(x):
                    return x + 1
            else:
                def pick(x):
                    return x - 1

            def pick(x):
                return x + 1
            """
        )
    )
    running = rewrite.compile_rewritten(path.read_bytes(), str(path), "twice")
    originals = rewrite.Originals.from_file("twice", str(path))
    for code in rewrite.instrumented_codes(running):
        original = originals.original_of(code)
        assert original is not None
        assert original.co_firstlineno == code.co_firstlineno


def test_an_unchanged_file_is_paired_by_place_without_rewriting_it_again(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running, stamp = rewrite.load_rewritten("m", str(sample))

    def no_rewrite(*args: Any) -> ast.Module:
        raise AssertionError("an unchanged file needs no second rewrite")

    monkeypatch.setattr(rewrite, "rewrite_module", no_rewrite)
    originals = rewrite.Originals.from_file("m", str(sample), stamp)
    plain = plain_codes(sample)
    for code in rewrite.instrumented_codes(running):
        assert originals.original_of(code) == plain[(code.co_name, code.co_firstlineno)]


def test_a_stamp_that_no_longer_matches_is_checked_function_by_function(sample: Path) -> None:
    running, stamp = rewrite.load_rewritten("m", str(sample))
    sample.write_text(SAMPLE.replace("return self.side**2", "return self.side**3"))
    stat = sample.stat()
    os.utime(sample, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    originals = rewrite.Originals.from_file("m", str(sample), stamp)
    by_name = {rewrite.qualname_of(c): c for c in rewrite.instrumented_codes(running)}
    assert originals.original_of(by_name["Shape.area"]) is None
    assert originals.original_of(by_name["ratio"]) is not None


SHAPES = '''
def plain(a, b=1, *rest, key, **extra):
    return a / b


def only_doc():
    """Nothing else."""


def doc_then_body(x):
    """Doc."""
    x += 1
    return x


def generator(n):
    yield from range(n)
    yield 1 / n


async def coroutine(x):
    return await x


async def async_generator(n):
    for i in range(n):
        yield i


def nested(x):
    def inner():
        yield x
    return [y for y in inner()]


def one_liner(x): return x * 2
'''


@pytest.mark.parametrize("variant", ["lean", "observed"])
@pytest.mark.parametrize("source", [SAMPLE, SHAPES], ids=["sample", "shapes"])
def test_instrumenting_in_place_gives_what_instrumenting_a_copy_gives(
    source: str, variant: codegen.Variant
) -> None:
    # The rewrite instruments the tree it parsed in place (no copy, no walk of the
    # function's own statements): the result must be exactly the copying one's.
    def defs() -> list[Any]:
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef)
        return [n for n in ast.walk(ast.parse(source)) if isinstance(n, kinds)]

    copied, in_place = defs(), defs()
    assert len(copied) > 5
    for node, same in zip(copied, in_place, strict=True):
        key = codegen.lazy_key("m", node.name)
        expected = codegen.instrument(node, key, variant, reassigned_params(node))
        got = codegen.instrument(same, key, variant, reassigned_params(same), in_place=True)
        assert got is same
        assert ast.dump(got, include_attributes=True) == ast.dump(
            expected, include_attributes=True
        ), node.name


def test_qualnames_come_from_the_key_where_code_has_no_qualname() -> None:
    # Python 3.10 code objects have no co_qualname: the key compiled in names the function.
    code_310: Any = types.SimpleNamespace(
        co_name="where", co_consts=(None, codegen.lazy_key("pkg.m", "Shape.Point.where"))
    )
    assert rewrite.qualname_of(code_310) == "Shape.Point.where"
    plain_310: Any = types.SimpleNamespace(co_name="where", co_consts=(None, "a: b"))
    assert rewrite.qualname_of(plain_310) == "where"
