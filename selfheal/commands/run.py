"""The `selfheal run` command: run a Python program with selfheal enabled.

    selfheal run [--include PATTERN] [--exclude PATTERN] script.py [args...]
    selfheal run [--include PATTERN] [--exclude PATTERN] -m package [args...]

Like `python script.py` / `python -m package`: the program sees the same `sys.argv`,
runs as `__main__`, and the exit code is the program's (`sys.exit(n)` gives n, an
uncaught exception prints its traceback through `sys.excepthook` and gives 1). Before the
program starts, the settings are loaded (a bad configuration stops here, with exit code
2) and the import hook is installed for `include`/`exclude`.

The program's own main module (the script, or the module `-m` runs) is always
instrumented: it is what the user asked to run. Its functions are instrumented as their
`def` statements run, so a crash in code the script calls at top level can heal. An
`exclude` pattern matching `__main__`, the script's stem (`tool` for `tool.py`) or the
module name given to `-m` turns that off. Per-module tables address it as `__main__`
(that is its functions' `__module__`).

This module owns running the program; it must not decide which functions are
instrumented (the import hook does) nor what happens on a failure (the decorator does).
"""

from __future__ import annotations

import argparse
import builtins
import importlib.machinery
import importlib.util
import os
import runpy
import sys
import types
from collections.abc import Sequence
from typing import Any

from selfheal.config import configure_from, get_settings
from selfheal.instrument import importhook

# Frames of these modules sit between the runner and the program: not the program's.
_RUNNER_MODULES = frozenset({__name__, "runpy"})


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "run",
        help="run a Python program with selfheal enabled",
        description="Run `script.py [args...]` or `-m module [args...]` like python does, "
        "with the program's main module and the modules the settings include instrumented.",
    )
    parser.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="PATTERN",
        help="also instrument the modules matching PATTERN (repeatable; adds to the settings)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="PATTERN",
        help="never instrument modules matching PATTERN (repeatable; adds to the settings)",
    )
    parser.add_argument(
        "-m", dest="module", default=None, metavar="MODULE", help="run a module, like python -m"
    )
    parser.add_argument(
        "program",
        nargs=argparse.REMAINDER,
        metavar="script.py [args...]",
        help="the script and its arguments (with -m: the module's arguments)",
    )
    parser.set_defaults(handler=handler)


def handler(args: argparse.Namespace) -> int:
    module: str | None = args.module
    program: list[str] = list(args.program)
    if module is None and not program:
        print("selfheal run: give a script (selfheal run app.py) or a module "
              "(selfheal run -m app)", file=sys.stderr)
        return 2
    overrides: dict[str, Any] = {}
    if getattr(args, "store", None):
        overrides["store"] = args.store
    settings = get_settings()  # a bad configuration fails here, before the program runs
    if args.include:
        overrides["include"] = (*settings.include, *args.include)
    if args.exclude:
        overrides["exclude"] = (*settings.exclude, *args.exclude)
    if overrides:
        configure_from("command line", **overrides)
    if module is not None:
        return run_module(module, program)
    return run_script(program[0], program[1:])


# --------------------------------------------------------------------------- running


def run_script(path: str, args: Sequence[str]) -> int:
    """Run a script like `python path args...`; returns the exit code."""
    sys.argv = [path, *args]
    sys.path[0] = os.path.dirname(os.path.abspath(path))
    stem = os.path.splitext(os.path.basename(path))[0]
    active = importhook.install_for_program()
    instrument_main = active and not _main_excluded(stem)
    if not os.path.isfile(path):
        if os.path.exists(path):
            # A directory or zip file with a __main__.py: runpy knows how; the main module
            # is then not instrumented (documented).
            return _guarded(lambda: runpy.run_path(path, run_name="__main__"))
        print(f"selfheal run: can't open file {path!r}: no such file", file=sys.stderr)
        return 2
    filename = os.path.abspath(path)  # as python does since 3.9: __file__ is absolute
    try:
        with open(filename, "rb") as fh:
            source = fh.read()
        if instrument_main:
            code = importhook.compile_main(source, filename)
        else:
            code = compile(source, filename, "exec", dont_inherit=True)
    except (OSError, SyntaxError, ValueError) as exc:
        # As python does: a file that does not compile shows no traceback of the compiler.
        return _report_exception(exc.with_traceback(None))
    module = types.ModuleType("__main__")
    module.__file__ = filename
    module.__loader__ = importlib.machinery.SourceFileLoader("__main__", filename)
    module.__builtins__ = builtins  # type: ignore[attr-defined]
    return _exec_as_main(code, module)


def run_module(name: str, args: Sequence[str]) -> int:
    """Run a module like `python -m name args...`; returns the exit code."""
    sys.argv = [name, *args]  # argv[0] becomes the module's file once it is found
    sys.path[0] = os.getcwd()
    active = importhook.install_for_program()
    try:
        spec = _main_spec(name)
    except ImportError as exc:
        print(f"selfheal run: {exc}", file=sys.stderr)
        return 1
    instrument_main = active and not (_main_excluded(name) or _main_excluded(spec.name))
    loader = importhook.real_loader(spec.loader)
    get_source = getattr(loader, "get_source", None)
    source = get_source(spec.name) if instrument_main and get_source is not None else None
    if source is None or spec.origin is None:
        return _guarded(lambda: runpy.run_module(name, run_name="__main__", alter_sys=True))
    sys.argv[0] = spec.origin
    try:
        code = importhook.compile_main(source, spec.origin)
    except (SyntaxError, ValueError) as exc:
        return _report_exception(exc.with_traceback(None))
    module = types.ModuleType("__main__")
    module.__file__ = spec.origin
    module.__loader__ = loader
    module.__package__ = spec.parent
    module.__spec__ = spec
    module.__builtins__ = builtins  # type: ignore[attr-defined]
    if spec.cached:
        module.__cached__ = spec.cached  # type: ignore[attr-defined]
    return _exec_as_main(code, module)


def _main_spec(name: str) -> importlib.machinery.ModuleSpec:
    """The spec `python -m name` runs: the module, or the package's `__main__`."""
    if name.startswith("."):
        raise ImportError("relative module names are not supported")
    spec = importlib.util.find_spec(name)
    if spec is None:
        raise ImportError(f"no module named {name!r}")
    if spec.submodule_search_locations is not None:
        main = f"{name}.__main__"
        spec = importlib.util.find_spec(main)
        if spec is None:
            raise ImportError(
                f"no module named {main!r}; {name!r} is a package and cannot be directly executed"
            )
    return spec


def _main_excluded(name: str) -> bool:
    exclude = get_settings().exclude
    return importhook.pattern_matches("__main__", exclude) or importhook.pattern_matches(
        name, exclude
    )


def _exec_as_main(code: types.CodeType, module: types.ModuleType) -> int:
    previous = sys.modules.get("__main__")
    sys.modules["__main__"] = module

    def execute() -> None:
        exec(code, module.__dict__)

    try:
        return _guarded(execute)
    finally:
        # As runpy does: the runner's __main__ comes back once the program is done.
        if previous is not None:
            sys.modules["__main__"] = previous


def _guarded(run: Any) -> int:
    """Run the program and turn how it ended into an exit code, as the interpreter does."""
    try:
        run()
    except SystemExit as exc:
        return _exit_code(exc)
    except KeyboardInterrupt as exc:
        _report_exception(exc)
        return 130
    except BaseException as exc:  # the program's own uncaught exception
        return _report_exception(exc)
    return 0


def _exit_code(exc: SystemExit) -> int:
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    # sys.exit("message"): printed to stderr, exit status 1.
    print(code, file=sys.stderr)
    return 1


def _report_exception(exc: BaseException) -> int:
    """Print the traceback through sys.excepthook, without the runner's own frames."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_globals.get("__name__") in _RUNNER_MODULES:
        tb = tb.tb_next
    # The default hook prints the exception's own __traceback__, not its argument.
    exc = exc.with_traceback(tb)
    try:
        sys.excepthook(type(exc), exc, tb)
    finally:
        del tb, exc
    return 1

