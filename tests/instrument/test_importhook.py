"""The import hook's per-function path, on real packages laid out on disk.

Modules imported before install, and modules that cannot be rewritten (another loader,
or the rewrite failed), are instrumented function by function by the decorator. Here
rewriting is turned off (`load_rewritten` fails, as it would on an unreadable file), so
every module takes that path; `test_importhook_rewrite.py` covers the rewriting path.

The hook decides WHICH functions are instrumented and undoes it; what instrumentation
does is the decorator's business. These tests use a stand-in instrumenter with the
decorator's contract (`self_healing` / `restore` / `is_instrumented`) in its two shapes:
"in place" (the same object comes back, as the real decorator does by swapping
`__code__`) and "replacement" (a new wrapper object that the hook must put in place and
take out again).
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import inspect
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from selfheal import config
from selfheal.entry import importhook, rewrite
from tests.instrument.conftest import Packages


@pytest.fixture(autouse=True)
def rewriting_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every module later imported falls back to the normal code and the decorator."""

    def unreadable(module_name: str, source_path: str) -> Any:
        raise OSError(f"cannot read {source_path}")

    monkeypatch.setattr(rewrite, "load_rewritten", unreadable)


class StandIn:
    """A tiny instrumenter honouring the decorator's contract, counting what it did."""

    def __init__(self, in_place: bool, fail_on: str = "") -> None:
        self.in_place = in_place
        self.fail_on = fail_on
        self.instrumented: list[str] = []
        self.restored: list[str] = []
        self.calls: list[str] = []
        self._originals: dict[int, Any] = {}

    def self_healing(self, obj: Any) -> Any:
        if isinstance(obj, (staticmethod, classmethod)):
            func = obj.__func__
            new = self.self_healing(func)
            if new is func:
                return obj
            replacement = type(obj)(new)
            self._originals[id(replacement)] = obj
            return replacement
        if obj.__name__ == self.fail_on:
            raise RuntimeError("instrumenting this one fails")
        self.instrumented.append(obj.__qualname__)
        if self.in_place:
            obj.__dict__["_standin"] = True
            return obj
        calls = self.calls
        if inspect.iscoroutinefunction(obj):

            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                calls.append(obj.__qualname__)
                return await obj(*args, **kwargs)

        else:

            def wrapper(*args: Any, **kwargs: Any) -> Any:
                calls.append(obj.__qualname__)
                return obj(*args, **kwargs)

        functools.update_wrapper(wrapper, obj)
        wrapper._standin = True  # type: ignore[attr-defined]
        self._originals[id(wrapper)] = obj
        return wrapper

    def restore(self, obj: Any) -> Any:
        func = getattr(obj, "__func__", obj)
        self.restored.append(func.__qualname__)
        if self.in_place:
            func.__dict__.pop("_standin", None)
            return obj
        original = self._originals.pop(id(obj))
        if isinstance(obj, (staticmethod, classmethod)):
            self._originals.pop(id(obj.__func__), None)
        return original

    def is_instrumented(self, obj: Any) -> bool:
        func = getattr(obj, "__func__", obj)
        return bool(getattr(func, "__dict__", {}).get("_standin"))


@pytest.fixture(params=["replacement", "in_place"])
def standin(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> StandIn:
    instance = StandIn(in_place=request.param == "in_place")
    monkeypatch.setattr(importhook, "_instrumenter_factory", lambda: instance)
    return instance


@pytest.fixture
def replacing(monkeypatch: pytest.MonkeyPatch) -> StandIn:
    instance = StandIn(in_place=False)
    monkeypatch.setattr(importhook, "_instrumenter_factory", lambda: instance)
    return instance


APP = {
    "app/__init__.py": """
        def top():
            return "top"
    """,
    "app/billing.py": """
        import math
        from app.util import helper

        RATE = 2

        def charge(amount):
            return amount * RATE

        async def charge_later(amount):
            return charge(amount)

        def _private(x):
            return x

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

            class Line:
                def price(self):
                    return 1

        sqrt = math.sqrt  # a builtin: never instrumented
    """,
    "app/util.py": """
        def helper():
            return "help"
    """,
    "app/legacy/__init__.py": """
        def old():
            return "old"
    """,
    "app/legacy/deep.py": """
        def older():
            return "older"
    """,
    "application.py": """
        def not_app():
            return 0
    """,
}


def test_modules_imported_after_install_are_instrumented(
    packages: Packages, standin: StandIn
) -> None:
    packages.write(APP)
    importhook.install(["app.*"], exclude=["app.legacy"])
    import app.billing

    assert set(standin.instrumented) >= {
        "charge",
        "charge_later",
        "_private",
        "Invoice.due",
        "Invoice.due_later",
        "Invoice.parse",
        "Invoice.empty",
        "Invoice.Line.price",
    }
    # Dunders, properties, builtins and names imported from elsewhere are left alone.
    assert not {"Invoice.__init__", "Invoice.__repr__", "Invoice.cents"} & set(
        standin.instrumented
    )
    assert importhook.instrumented().count("app.billing:charge") == 1
    # `helper` was imported into billing: it is instrumented once, in app.util.
    assert standin.instrumented.count("helper") == 1
    assert "app.util:helper" in importhook.instrumented()
    assert app.billing.sqrt is __import__("math").sqrt
    assert standin.is_instrumented(app.billing.charge)
    # The alias points at the same instrumented object.
    assert app.billing.total is app.billing.charge


def test_the_instrumented_functions_still_work_and_go_through_the_instrumentation(
    packages: Packages, replacing: StandIn
) -> None:
    packages.write(APP)
    importhook.install(["app.*"])
    from app.billing import Invoice, charge  # `from x import f` after install

    assert charge(3) == 6
    inv = Invoice(2)
    assert inv.due() == 4
    assert Invoice.parse("5").amount == 5
    assert Invoice.empty().amount == 0
    assert asyncio.run(inv.due_later()) == 4
    assert inv.cents == 200
    assert replacing.calls == [
        "charge",
        "Invoice.due",
        "charge",
        "Invoice.parse",
        "Invoice.empty",
        "Invoice.due_later",
        "charge_later",
        "charge",
    ]
    assert inspect.iscoroutinefunction(Invoice.due_later)


def test_modules_imported_before_install_are_instrumented_in_place(
    packages: Packages, standin: StandIn
) -> None:
    packages.write(APP)
    import app.billing

    before = app.billing.charge
    importhook.install(["app.billing"])

    assert "app.billing:charge" in importhook.instrumented()
    assert "app.util:helper" not in importhook.instrumented()
    assert standin.is_instrumented(app.billing.charge)
    if standin.in_place:
        assert app.billing.charge is before
    else:
        assert app.billing.charge is not before


def test_uninstall_restores_the_original_objects_exactly(
    packages: Packages, standin: StandIn
) -> None:
    packages.write(APP)
    import app.billing

    cls = app.billing.Invoice
    originals = {name: vars(cls)[name] for name in ("due", "due_later", "parse", "empty")}
    module_originals = {n: getattr(app.billing, n) for n in ("charge", "total", "charge_later")}

    importhook.install(["app"])
    import app.legacy.deep  # imported after install

    older = app.legacy.deep.older
    assert standin.is_instrumented(older)
    importhook.uninstall()

    for name, obj in originals.items():
        assert vars(cls)[name] is obj
    for name, obj in module_originals.items():
        assert getattr(app.billing, name) is obj
        assert not standin.is_instrumented(obj)
    assert not standin.is_instrumented(app.legacy.deep.older)
    assert sorted(standin.restored) == sorted(standin.instrumented)
    assert not any(isinstance(f, importhook._Finder) for f in sys.meta_path)
    assert importhook.instrumented() == []

    # After uninstall, new imports are not instrumented.
    packages.write({"app/late.py": "def late():\n    return 1\n"})
    import app.late

    assert not standin.is_instrumented(app.late.late)


def test_install_twice_instruments_once_and_uninstall_twice_is_harmless(
    packages: Packages, standin: StandIn
) -> None:
    packages.write(APP)
    import app.billing

    importhook.install(["app.*"])
    first = list(standin.instrumented)
    importhook.install(["app.*"])
    importhook.install("app.*")
    assert standin.instrumented == first
    assert sum(isinstance(f, importhook._Finder) for f in sys.meta_path) == 1

    importhook.uninstall()
    importhook.uninstall()
    assert not importhook.is_installed()
    assert not standin.is_instrumented(app.billing.charge)


def test_install_with_other_patterns_replaces_the_previous_installation(
    packages: Packages, standin: StandIn
) -> None:
    packages.write(APP)
    import app.billing
    import app.util

    importhook.install(["app.util"])
    assert standin.is_instrumented(app.util.helper)
    importhook.install(["app.billing"])
    assert not standin.is_instrumented(app.util.helper)
    assert standin.is_instrumented(app.billing.charge)
    assert importhook.installed_patterns() == (("app.billing",), ())


@pytest.mark.parametrize(
    ("include", "exclude", "expected"),
    [
        # `app.*` covers the package itself and its submodules at any depth.
        (["app.*"], [], {"app", "app.billing", "app.util", "app.legacy", "app.legacy.deep"}),
        # A plain name covers the module and its submodules, not a longer name.
        (["app"], ["app.legacy"], {"app", "app.billing", "app.util"}),
        (["app.legacy"], [], {"app.legacy", "app.legacy.deep"}),
        (["app.*"], ["app.legacy.*", "app.util"], {"app", "app.billing"}),
        (["app*"], ["app.*"], {"application"}),
        (["*.deep"], [], {"app.legacy.deep"}),
        (["app.*.deep"], [], {"app.legacy.deep"}),
    ],
)
def test_patterns_and_excludes(
    packages: Packages,
    standin: StandIn,
    include: list[str],
    exclude: list[str],
    expected: set[str],
) -> None:
    packages.write(APP)
    importlib.import_module("app.util")  # one before install ...

    importhook.install(include, exclude=exclude)
    importlib.import_module("app.billing")  # ... the others after
    importlib.import_module("app.legacy.deep")
    import application

    got = {entry.split(":")[0] for entry in importhook.instrumented()}
    assert got == expected
    assert application.not_app() == 0


def test_skip_marks_functions_methods_classes_and_modules(
    packages: Packages, standin: StandIn
) -> None:
    packages.write(
        {
            "marked/__init__.py": """
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
                    @hook.skip
                    def static_inner():
                        return 4

                    @hook.skip
                    def method(self):
                        return 5

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
    assert marked.hands_off() == 1
    assert marked.Methods.static_outer() == 3
    assert marked.Methods.static_inner() == 4
    assert marked.off.nothing() == 8


def test_functions_the_user_decorated_or_wrapped_are_left_alone(
    packages: Packages, standin: StandIn
) -> None:
    packages.write(
        {
            "wrapped.py": """
                import functools

                def logged(func):
                    @functools.wraps(func)
                    def inner(*args):
                        return func(*args)
                    return inner

                @logged
                def decorated(x):
                    return x + 1

                @functools.lru_cache(maxsize=None)
                def cached(x):
                    return x * 2

                def already(x):
                    return x
                already.__dict__["_standin"] = True  # instrumented by the user's own decorator
            """
        }
    )
    import wrapped

    already = wrapped.already
    importhook.install(["wrapped"])
    assert importhook.instrumented() == ["wrapped:logged"]
    importhook.uninstall()
    # Not ours: uninstall leaves the user's instrumentation as it was.
    assert wrapped.already is already
    assert standin.is_instrumented(already)
    assert "already" not in standin.restored


def test_an_error_while_instrumenting_one_function_does_not_break_the_import(
    packages: Packages, monkeypatch: pytest.MonkeyPatch
) -> None:
    standin = StandIn(in_place=False, fail_on="charge")
    monkeypatch.setattr(importhook, "_instrumenter_factory", lambda: standin)
    packages.write(APP)
    importhook.install(["app.billing"])
    import app.billing

    assert app.billing.charge(2) == 4
    assert "app.billing:charge" not in importhook.instrumented()
    assert "app.billing:Invoice.due" in importhook.instrumented()


def test_library_and_selfheal_modules_need_a_pattern_that_names_them(
    packages: Packages, standin: StandIn, tmp_path: Path
) -> None:
    site_dir = tmp_path / "lib" / "site-packages"
    site_dir.mkdir(parents=True)
    (site_dir / "thirdparty").mkdir()
    (site_dir / "thirdparty" / "__init__.py").write_text("def lib():\n    return 1\n")
    sys.path.insert(0, str(site_dir))
    packages.tops.add("thirdparty")
    try:
        packages.write(APP)
        importhook.install(["*"])
        importlib.import_module("app.util")
        import thirdparty

        names = importhook.instrumented()
        assert "app.util:helper" in names
        assert not [n for n in names if n.startswith(("thirdparty", "selfheal", "json"))]
        assert not standin.is_instrumented(thirdparty.lib)
        importhook.uninstall()

        packages.forget()
        importhook.install(["thirdparty", "selfheal.*"])
        import thirdparty as again

        assert standin.is_instrumented(again.lib)
        assert importhook.instrumented() == ["thirdparty:lib"]  # never selfheal itself
    finally:
        sys.path.remove(str(site_dir))


def test_the_loader_is_transparent_and_reload_instruments_again(
    packages: Packages, standin: StandIn
) -> None:
    packages.write(APP)
    importhook.install(["app.*"])
    import app.billing

    assert type(app.billing.__loader__).__name__ == "SourceFileLoader"
    assert type(app.billing.__spec__.loader).__name__ == "SourceFileLoader"
    assert "return amount * RATE" in inspect.getsource(app.billing)

    reloaded = importlib.reload(app.billing)
    assert standin.is_instrumented(reloaded.charge)
    importhook.uninstall()
    assert not standin.is_instrumented(reloaded.charge)


def test_install_without_patterns_uses_the_settings(
    packages: Packages, standin: StandIn
) -> None:
    packages.write(APP)
    config.configure(include=["app.*"], exclude=["app.billing"])
    importhook.install()
    import app.billing
    import app.util

    assert standin.is_instrumented(app.util.helper)
    assert not standin.is_instrumented(app.billing.charge)


def test_the_exclude_setting_applies_to_explicit_patterns_too(
    packages: Packages, standin: StandIn
) -> None:
    packages.write(APP)
    config.configure(exclude=["app.util"])
    importhook.install(["app.*"], exclude=["app.legacy"])
    import app.legacy
    import app.util

    assert not standin.is_instrumented(app.util.helper)
    assert not standin.is_instrumented(app.legacy.old)
    assert importhook.installed_patterns() == (("app.*",), ("app.legacy", "app.util"))


def test_disabled_turns_install_into_a_no_op(
    packages: Packages, standin: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFHEAL_DISABLED", "1")
    config.reset()
    packages.write(APP)
    importhook.install(["app.*"])
    importlib.import_module("app.billing")

    assert not importhook.is_installed()
    assert standin.instrumented == []


def test_no_patterns_means_nothing_to_install(packages: Packages, standin: StandIn) -> None:
    importhook.install()
    assert not importhook.is_installed()


def test_compile_main_instruments_definitions_as_they_are_made(
    packages: Packages, replacing: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "script.py"
    script.write_text(
        textwrap.dedent(
            '''\
            """A script."""
            from __future__ import annotations

            def first(x: int) -> int:
                return x + 1

            RESULT = first(1)  # called before the module body ends

            if True:
                class Tool:
                    def use(self):
                        return first(2)

            try:
                def later():
                    return 1 / 0
            finally:
                pass

            OUTCOME = Tool().use()
            later()
            '''
        )
    )
    module = type(sys)("__selfheal_test_main__")
    module.__file__ = str(script)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    code = importhook.compile_main(script.read_text(), str(script))
    importhook.install(["__selfheal_test_main__"])
    with pytest.raises(ZeroDivisionError) as info:
        exec(code, module.__dict__)

    assert module.RESULT == 2
    assert module.OUTCOME == 3
    assert replacing.calls == ["first", "Tool.use", "first", "later"]
    assert module.__doc__ == "A script."
    # The traceback points at the real line of the file.
    assert info.traceback[-1].lineno + 1 == 16
    assert "__import__" not in vars(module)


def test_instrument_definition_without_an_installation_does_nothing(
    packages: Packages, replacing: StandIn
) -> None:
    packages.write(APP)
    importlib.import_module("app.util")

    importhook.instrument_definition("app.util", "helper")
    importhook.instrument_definition("not.loaded", "helper")
    assert replacing.instrumented == []


def test_matches_reports_the_active_patterns(packages: Packages, standin: StandIn) -> None:
    assert not importhook.matches("app")
    importhook.install(["app.*"], exclude=["app.x"])
    assert importhook.matches("app")
    assert importhook.matches("app.y.z")
    assert not importhook.matches("app.x.z")
    assert not importhook.matches("apps")


def test_the_real_decorator_instruments_in_place_for_every_reference(
    packages: Packages,
) -> None:
    """With the real decorator: in place, so every reference sees it; undone exactly."""
    from selfheal.entry import decorator

    packages.write(APP)
    import app.billing
    from app.billing import charge as early  # a reference taken before install

    code = early.__code__
    # A classmethod: the descriptor stays, its function is instrumented in place.
    static = vars(app.billing.Invoice)["empty"]
    importhook.install(["app.billing"])
    assert decorator.is_instrumented(app.billing.charge)
    assert app.billing.charge is early
    assert early.__code__ is not code
    assert decorator.is_instrumented(static)
    assert early(3) == 6
    assert asyncio.run(app.billing.Invoice(1).due_later()) == 2
    importhook.uninstall()
    assert app.billing.charge is early
    assert early.__code__ is code
    assert vars(app.billing.Invoice)["empty"] is static
    assert not decorator.is_instrumented(early)
    assert not decorator.is_instrumented(static)


def test_concurrent_imports_instrument_each_function_once(
    packages: Packages, standin: StandIn
) -> None:
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
    assert sorted(standin.instrumented) == sorted(
        [f"f{i}" for i in range(24)] + [f"C{i}.m" for i in range(24)]
    )
    assert len(importhook.instrumented()) == 48
