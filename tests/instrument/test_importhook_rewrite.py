"""The import hook's rewriting path, with the real decorator, on packages laid out on disk.

Modules imported after `install` are rewritten by the loader; modules imported before
are instrumented function by function (see test_importhook.py for that path's rules).
What users see must not depend on the path: the same functions are covered, a failure
reaches selfheal, uninstall gives every function its original code.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.machinery
import importlib.util
import logging
import sys
import threading
import types
import zipfile
from pathlib import Path
from typing import Any

import pytest

from selfheal import config
from selfheal.entry import decorator, importhook, rewrite, runtime
from selfheal.function import codegen
from selfheal.models import PatchStatus
from selfheal.store import open_store
from tests.failing import raised
from tests.instrument.conftest import Packages


class Failures:
    """Replaces the runtime's failure entry points: records, answers `answer`."""

    def __init__(self) -> None:
        self.keys: list[Any] = []
        self.answer: Any = runtime.RERAISE

    def failed(self, key: Any, exc: Exception, args: Any, kwargs: Any) -> Any:
        self.keys.append(key)
        return self.answer

    async def afailed(self, key: Any, exc: Exception, args: Any, kwargs: Any) -> Any:
        return self.failed(key, exc, args, kwargs)


@pytest.fixture
def failures(monkeypatch: pytest.MonkeyPatch) -> Failures:
    recorder = Failures()
    monkeypatch.setattr(runtime, "failed", recorder.failed)
    monkeypatch.setattr(runtime, "afailed", recorder.afailed)
    return recorder


APP = {
    "app/__init__.py": """
        def top():
            return "top"
    """,
    "app/billing.py": """
        import functools
        from app.util import helper

        RATE = 2
        REGISTRY = {}

        def register(func):
            REGISTRY[func.__name__] = func
            return func

        def logged(func):
            @functools.wraps(func)
            def inner(*args):
                return func(*args)
            return inner

        def charge(amount):
            return amount * RATE

        async def charge_later(amount):
            return charge(amount)

        @register
        def registered(x):
            return x + 1

        @logged
        def wrapped(x):
            return x * 10

        total = charge  # an alias of a module function

        class Invoice:
            \"\"\"Methods of every kind.\"\"\"

            def __init__(self, amount):
                self.amount = amount

            def __repr__(self):
                return f"Invoice({self.amount})"

            def due(self):
                return charge(self.amount)

            async def due_later(self):
                return await charge_later(self.amount)

            @staticmethod
            def parse(text):
                return Invoice(int(text))

            @classmethod
            def empty(cls):
                return cls(0)

            @property
            def cents(self):
                return self.amount * 100

            def lines(self):
                yield from range(self.amount)

            class Line:
                def price(self):
                    return 1
    """,
    "app/util.py": """
        def helper():
            return "help"
    """,
    "app/legacy/__init__.py": """
        def old():
            return "old"
    """,
}

BILLING = [
    "app.billing:Invoice.Line.price",
    "app.billing:Invoice.cents",
    "app.billing:Invoice.due",
    "app.billing:Invoice.due_later",
    "app.billing:Invoice.empty",
    "app.billing:Invoice.lines",
    "app.billing:Invoice.parse",
    "app.billing:charge",
    "app.billing:charge_later",
    "app.billing:logged",
    "app.billing:register",
    "app.billing:registered",
    "app.billing:wrapped",
]


def plain_code(path: Path, func: Any) -> types.CodeType:
    """The code a normal import compiles for the def `func` comes from (same name and line)."""
    place = (func.__code__.co_name, func.__code__.co_firstlineno)
    stack = [compile(path.read_bytes(), str(path), "exec", dont_inherit=True)]
    while stack:
        code = stack.pop()
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                if (const.co_name, const.co_firstlineno) == place:
                    return const
                stack.append(const)
    raise LookupError(place)


def billing_functions(billing: Any) -> dict[str, types.FunctionType]:
    inv = vars(billing.Invoice)
    return {
        "charge": billing.charge,
        "charge_later": billing.charge_later,
        "registered": billing.REGISTRY["registered"],
        "wrapped": billing.wrapped.__wrapped__,
        "Invoice.due": inv["due"],
        "Invoice.due_later": inv["due_later"],
        "Invoice.parse": inv["parse"].__func__,
        "Invoice.empty": inv["empty"].__func__,
        "Invoice.cents": inv["cents"].fget,
        "Invoice.lines": inv["lines"],
        "Invoice.Line.price": vars(billing.Invoice.Line)["price"],
    }


def test_modules_imported_after_install_are_rewritten_once_and_work(
    packages: Packages, failures: Failures
) -> None:
    packages.write(APP)
    importhook.install(["app.*"], exclude=["app.legacy"])
    import app.billing
    import app.legacy

    names = importhook.instrumented()
    assert [n for n in names if n.startswith("app.billing:")] == BILLING
    assert "app.util:helper" in names
    assert "app:top" in names
    assert not [n for n in names if "legacy" in n or "__" in n.split(":")[1]]
    for func in billing_functions(app.billing).values():
        assert rewrite.is_rewritten(func.__code__)
        assert not decorator.is_instrumented(func)  # no per-function state at import
    assert not rewrite.is_rewritten(vars(app.billing.Invoice)["__init__"].__code__)
    assert not rewrite.is_rewritten(app.legacy.old.__code__)

    from app.billing import Invoice, charge  # `from x import f` after install

    inv = Invoice(2)
    assert charge(3) == 6
    assert app.billing.total is charge
    assert inv.due() == 4
    assert Invoice.parse("5").amount == 5
    assert Invoice.empty().amount == 0
    assert asyncio.run(inv.due_later()) == 4
    assert inv.cents == 200
    assert list(inv.lines()) == [0, 1]
    assert app.billing.wrapped(2) == 20
    assert app.billing.registered(1) == 2
    assert failures.keys == []
    # The module, its spec and inspect see the real loader.
    assert type(app.billing.__loader__) is importlib.machinery.SourceFileLoader
    assert type(app.billing.__spec__.loader) is importlib.machinery.SourceFileLoader
    import inspect

    assert "return amount * RATE" in inspect.getsource(app.billing.charge)


def test_a_failure_in_a_rewritten_module_reaches_selfheal(
    packages: Packages, failures: Failures
) -> None:
    packages.write(
        {
            "crashy.py": """
                def ratio(a, b):
                    return a / b

                class Box:
                    async def open(self, key):
                        return {}[key]
            """
        }
    )
    importhook.install(["crashy"])
    import crashy

    failures.answer = 0.0
    assert crashy.ratio(1, 0) == 0.0
    assert asyncio.run(crashy.Box().open("k")) == 0.0
    assert failures.keys == [
        codegen.lazy_key("crashy", "ratio"),
        codegen.lazy_key("crashy", "Box.open"),
    ]
    failures.answer = runtime.RERAISE
    raised(ZeroDivisionError, crashy.ratio, 1, 0)


def test_uninstall_gives_every_function_its_original_code(packages: Packages) -> None:
    packages.write(APP)
    importhook.install(["app.billing"])
    import app.billing

    path = Path(app.billing.__file__)
    before = billing_functions(app.billing)
    outer_wrapper = app.billing.wrapped
    importhook.uninstall()

    after = billing_functions(app.billing)
    for qualname, func in before.items():
        assert after[qualname] is func  # the same objects ...
        assert func.__code__ == plain_code(path, func)  # ... with the original code
        assert not rewrite.is_rewritten(func.__code__)
    assert app.billing.wrapped is outer_wrapper
    assert asyncio.run(app.billing.Invoice(1).due_later()) == 2
    assert importhook.instrumented() == []
    assert not any(isinstance(f, importhook._Finder) for f in sys.meta_path)

    # After uninstall, imports are normal again.
    packages.write({"app/late.py": "def late():\n    return 1\n"})
    import app.late

    assert not rewrite.is_rewritten(app.late.late.__code__)


def test_a_function_healed_since_is_released_then_restored(
    packages: Packages, store_dir: Path
) -> None:
    packages.write({"mathy.py": "def ratio(a, b):\n    return a / b\n"})
    importhook.install(["mathy"])
    import mathy

    # The decorator adopts a rewritten function (what the runtime does on a first failure).
    decorator.self_healing(mathy.ratio)
    assert decorator.is_instrumented(mathy.ratio)
    importhook.uninstall()
    assert not decorator.is_instrumented(mathy.ratio)
    assert mathy.ratio.__code__ == plain_code(Path(mathy.__file__), mathy.ratio)


def test_a_crash_in_an_installed_module_heals(packages: Packages, store_dir: Path) -> None:
    """End to end: rewritten at import, the Target made on the first failure, healed."""
    packages.write(
        {
            "shop/__init__.py": "",
            "shop/prices.py": """
                def parse_count(text):
                    return int(text)
            """,
        }
    )
    importhook.install(["shop.*"])
    from shop.prices import parse_count

    # Calls that work before the failure are sampled: the evidence for the patch.
    assert parse_count("10") == 10
    assert parse_count("7") == 7
    assert not decorator.is_instrumented(parse_count)
    assert parse_count("4.0") == 4  # healed: no ValueError reaches us
    assert decorator.is_instrumented(parse_count)
    unit_price = parse_count
    records = open_store(store_dir).list()
    assert records
    assert records[0].status is PatchStatus.LIVE
    assert records[0].function == "shop.prices.parse_count"
    importhook.uninstall()
    path = Path(sys.modules["shop.prices"].__file__ or "")
    assert unit_price.__code__ == plain_code(path, unit_price)


def test_modules_imported_before_install_take_the_per_function_path(packages: Packages) -> None:
    packages.write(APP)
    import app.util

    code = app.util.helper.__code__
    importhook.install(["app.*"])
    import app.billing

    assert decorator.is_instrumented(app.util.helper)  # in place, by the decorator
    assert rewrite.is_rewritten(app.billing.charge.__code__)  # rewritten at import
    assert not decorator.is_instrumented(app.billing.charge)
    names = importhook.instrumented()
    assert "app.util:helper" in names
    assert "app.billing:charge" in names
    importhook.uninstall()
    assert app.util.helper.__code__ is code
    assert not decorator.is_instrumented(app.util.helper)
    assert not rewrite.is_rewritten(app.billing.charge.__code__)


@pytest.mark.parametrize(
    ("include", "exclude", "expected"),
    [
        (["app.*"], [], {"app", "app.billing", "app.util", "app.legacy"}),
        (["app"], ["app.legacy"], {"app", "app.billing", "app.util"}),
        (["app.*"], ["app.legacy.*", "app.util"], {"app", "app.billing"}),
        (["app.b*"], [], {"app.billing"}),
    ],
)
def test_patterns_decide_which_modules_are_rewritten(
    packages: Packages, include: list[str], exclude: list[str], expected: set[str]
) -> None:
    packages.write(APP)
    importhook.install(include, exclude=exclude)
    for name in ("app", "app.billing", "app.util", "app.legacy"):
        importlib.import_module(name)

    got = {entry.split(":")[0] for entry in importhook.instrumented()}
    assert got == expected
    rewritten = {
        name
        for name in ("app", "app.billing", "app.util", "app.legacy")
        if any(
            isinstance(f, types.FunctionType) and rewrite.is_rewritten(f.__code__)
            for f in vars(sys.modules[name]).values()
        )
    }
    assert rewritten == expected


def test_skip_in_a_rewritten_module(packages: Packages) -> None:
    packages.write(
        {
            "marked/__init__.py": """
                import selfheal
                import selfheal.entry.importhook as hook

                @hook.skip
                def hands_off():
                    return 1

                def fine():
                    return 2

                class Methods:
                    @hook.skip
                    @staticmethod
                    def static_outer():
                        return 3

                    @staticmethod
                    @selfheal.skip
                    def static_inner():
                        return 4

                    def kept(self):
                        return 6

                @hook.skip
                class Whole:
                    def method(self):
                        return 7
            """,
            "marked/off.py": """
                __selfheal_skip__ = True

                def nothing():
                    return 8
            """,
        }
    )
    importhook.install(["marked"])
    import marked
    import marked.off

    assert importhook.instrumented() == ["marked:Methods.kept", "marked:fine"]
    assert marked.Methods.static_outer() == 3
    assert marked.Methods.static_inner() == 4
    assert marked.off.nothing() == 8
    assert "__selfheal_rt__" not in vars(marked.off)


def test_library_modules_need_a_pattern_that_names_them(
    packages: Packages, tmp_path: Path
) -> None:
    site_dir = tmp_path / "lib" / "site-packages"
    (site_dir / "thirdparty").mkdir(parents=True)
    (site_dir / "thirdparty" / "__init__.py").write_text("def lib():\n    return 1\n")
    sys.path.insert(0, str(site_dir))
    packages.tops.add("thirdparty")
    try:
        packages.write(APP)
        importhook.install(["*"])
        importlib.import_module("app.util")
        import thirdparty

        assert rewrite.is_rewritten(sys.modules["app.util"].helper.__code__)
        assert not rewrite.is_rewritten(thirdparty.lib.__code__)
        importhook.uninstall()
        packages.forget()
        importhook.install(["thirdparty"])
        import thirdparty as again

        assert rewrite.is_rewritten(again.lib.__code__)
    finally:
        sys.path.remove(str(site_dir))


def test_reload_rewrites_again_and_uninstall_restores_both_generations(
    packages: Packages,
) -> None:
    packages.write(APP)
    importhook.install(["app.util"])
    import app.util

    old = app.util.helper
    reloaded = importlib.reload(app.util)
    new = reloaded.helper
    assert new is not old
    assert rewrite.is_rewritten(old.__code__)
    assert rewrite.is_rewritten(new.__code__)
    importhook.uninstall()
    assert not rewrite.is_rewritten(old.__code__)
    assert not rewrite.is_rewritten(new.__code__)


def test_install_twice_rewrites_once_and_uninstall_twice_is_harmless(
    packages: Packages,
) -> None:
    packages.write(APP)
    importhook.install(["app.*"])
    importhook.install(["app.*"])
    import app.billing

    assert sum(isinstance(f, importhook._Finder) for f in sys.meta_path) == 1
    assert importhook.instrumented().count("app.billing:charge") == 1
    importhook.uninstall()
    importhook.uninstall()
    assert not importhook.is_installed()
    assert not rewrite.is_rewritten(app.billing.charge.__code__)


def test_a_module_body_that_raises_fails_as_usual_and_is_still_undone(
    packages: Packages,
) -> None:
    packages.write(
        {
            "broken.py": """
                import sys
                ESCAPED = sys.modules.setdefault("broken_escape", [])

                def survivor():
                    return 1

                ESCAPED.append(survivor)
                raise LookupError("module body fails")
            """
        }
    )
    packages.tops.add("broken_escape")
    importhook.install(["broken"])
    with pytest.raises(LookupError, match="module body fails"):
        import broken  # noqa: F401
    assert "broken" not in sys.modules
    (survivor,) = sys.modules["broken_escape"]
    assert rewrite.is_rewritten(survivor.__code__)
    importhook.uninstall()
    assert not rewrite.is_rewritten(survivor.__code__)


def test_a_syntax_error_is_the_one_python_raises(packages: Packages) -> None:
    packages.write({"bad_syntax.py": "def f(:\n    pass\n"})
    with pytest.raises(SyntaxError) as bare:
        import bad_syntax  # noqa: F401
    importhook.install(["bad_syntax"])
    with pytest.raises(SyntaxError) as hooked:
        import bad_syntax  # noqa: F401, F811
    assert (hooked.value.filename, hooked.value.lineno, hooked.value.msg) == (
        bare.value.filename,
        bare.value.lineno,
        bare.value.msg,
    )


def test_an_edited_file_keeps_the_handler_only_where_it_changed(
    packages: Packages, caplog: pytest.LogCaptureFixture
) -> None:
    packages.write(
        {"edited.py": "def same(x):\n    return x\n\ndef changed(x):\n    return x + 1\n"}
    )
    importhook.install(["edited"])
    import edited

    packages.write(
        {"edited.py": "# moved\ndef same(x):\n    return x\n\ndef changed(x):\n    return x + 2\n"}
    )
    with caplog.at_level(logging.WARNING, logger="selfheal.importhook"):
        importhook.uninstall()
    assert not rewrite.is_rewritten(edited.same.__code__)
    assert edited.same(3) == 3
    # Never the edited body: the function keeps the code it ran, and we say so.
    assert rewrite.is_rewritten(edited.changed.__code__)
    assert edited.changed(1) == 2
    assert "changed" in caplog.text
    assert "since import" in caplog.text


def test_modules_from_other_loaders_are_instrumented_after_their_body(
    packages: Packages, tmp_path: Path
) -> None:
    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped_mod.py", "def inside(x):\n    return x * 3\n")
    sys.path.insert(0, str(archive))
    packages.tops.add("zipped_mod")
    try:
        importhook.install(["zipped_mod"])
        import zipped_mod

        assert decorator.is_instrumented(zipped_mod.inside)
        assert zipped_mod.inside(2) == 6
        importhook.uninstall()
        assert not decorator.is_instrumented(zipped_mod.inside)
    finally:
        sys.path.remove(str(archive))


def test_concurrent_imports_rewrite_each_module_once(packages: Packages) -> None:
    files = {"many/__init__.py": ""}
    for i in range(24):
        files[f"many/m{i}.py"] = (
            f"def f{i}():\n    return {i}\n\nclass C{i}:\n    def m(self):\n        return {i}\n"
        )
    packages.write(files)
    importhook.install(["many"])
    errors: list[BaseException] = []

    def worker(offset: int) -> None:
        try:
            for i in range(24):
                importlib.import_module(f"many.m{(i + offset) % 24}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k * 6,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    expected = [f"many.m{i}:f{i}" for i in range(24)] + [f"many.m{i}:C{i}.m" for i in range(24)]
    assert importhook.instrumented() == sorted(expected)
    assert len(importhook._hook.rewritten) == 24  # type: ignore[union-attr]


def test_the_runner_sees_the_real_loader(packages: Packages) -> None:
    packages.write(APP)
    importhook.install(["app.*"])
    spec = importlib.util.find_spec("app.util")
    assert spec is not None
    assert isinstance(spec.loader, rewrite.RewritingLoader)
    assert type(importhook.real_loader(spec.loader)) is importlib.machinery.SourceFileLoader
    # get_code gives the rewritten code, get_source the file's text.
    code = spec.loader.get_code("app.util")
    assert code is not None
    assert rewrite.instrumented_codes(code)
    assert "def helper" in spec.loader.get_source("app.util")



def test_uninstall_while_a_module_body_runs_still_undoes_all_of_it(packages: Packages) -> None:
    packages.write(
        {
            "midway.py": """
                def before():
                    return 1

                import selfheal.entry.importhook as hook
                hook.uninstall()

                def after():
                    return 2
            """
        }
    )
    importhook.install(["midway"])
    import midway

    assert not importhook.is_installed()
    assert not rewrite.is_rewritten(midway.before.__code__)
    assert not rewrite.is_rewritten(midway.after.__code__)
    assert midway.after() == 2


def test_the_runtime_name_is_codegens() -> None:
    assert importhook.RUNTIME_NAME == codegen.RUNTIME_NAME


def test_uninstall_releases_adopted_functions_but_not_the_users_own(
    packages: Packages, store_dir: Path
) -> None:
    packages.write(
        {
            "mixed.py": """
                import selfheal

                @selfheal.self_healing(mode="observe")
                def mine(x):
                    return x

                def ours(x):
                    return x
            """
        }
    )
    importhook.install(["mixed"])
    import mixed

    assert decorator.is_instrumented(mixed.mine)
    decorator.self_healing(mixed.ours)  # what the runtime does on a first failure
    assert decorator.is_instrumented(mixed.ours)
    importhook.uninstall()
    assert decorator.is_instrumented(mixed.mine)  # the user's decoration stays
    assert not decorator.is_instrumented(mixed.ours)
    assert mixed.ours.__code__ == plain_code(Path(mixed.__file__ or ""), mixed.ours)
    decorator.restore(mixed.mine)


def test_a_function_whose_sampling_ended_runs_lean_code_without_a_target(
    packages: Packages, store_dir: Path
) -> None:
    # The lean code comes from the module rewritten without recording: no per-function
    # state is built on the happy path, and the samples wait for the first failure.
    packages.write(
        {
            "counts.py": """
                class Parser:
                    def parse(self, text):
                        return int(text)

                def parse_count(text):
                    return Parser().parse(text)
            """
        }
    )
    config.configure(record_calls=3, mode="heal")
    importhook.install(["counts"])
    import counts

    observing = counts.parse_count.__code__
    assert "enter" in observing.co_names  # recording its first calls
    for text in ("1", "2", "3"):
        assert counts.parse_count(text) == int(text)
    for func in (counts.parse_count, counts.Parser.parse):
        assert rewrite.is_rewritten(func.__code__)
        assert "enter" not in func.__code__.co_names  # lean now
        assert decorator.target_of(func) is None  # and nothing was built for it
    assert counts.parse_count.__code__ is not observing
    # The first failure (in Parser.parse) makes its Target, with the sampled calls.
    assert counts.parse_count("4.0") == 4
    target = decorator.target_of(counts.Parser.parse)
    assert target is not None
    assert target.recorder is not None and len(target.recorder.calls()) == 3
    importhook.uninstall()
    assert not rewrite.is_rewritten(counts.parse_count.__code__)
    assert not rewrite.is_rewritten(counts.Parser.parse.__code__)
