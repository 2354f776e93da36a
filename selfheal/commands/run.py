"""The `selfheal run` command: run a Python program with selfheal enabled.

    selfheal run [--include PATTERN] [--exclude PATTERN] [--store DIR] [--] script.py [args...]
    selfheal run [--include PATTERN] [--exclude PATTERN] [--store DIR] [--] -m module [args...]

selfheal's options come first; the script or `-m module` ends them, and everything after
it belongs to the program, verbatim (`selfheal run -m gunicorn -w 2 app:app`), as with
`python` and `coverage run`. `--` may mark the end of selfheal's options explicitly.

Like `python script.py` / `python -m module`: the program sees the same `sys.argv`, runs
as `__main__` in this process (so signals, stdin and the terminal are its own), and the
exit status is the program's: `sys.exit(n)` gives n, an uncaught exception prints its
traceback through `sys.excepthook` and gives 1, and an uncaught KeyboardInterrupt (Ctrl-C)
ends the process by SIGINT, as the interpreter does. Before the program starts, the
settings are loaded (a bad configuration stops here, with exit code 2), the import hook is
installed for `include`/`exclude`, and the environment form is exported
(`selfheal.entry.bootstrap`), so the Python processes the program starts (spawned
workers, reloaders, re-execs) run selfheal too; forked workers inherit it anyway.

The program's own main module (the script, or the module `-m` runs) is always
instrumented: it is what the user asked to run. Its functions are instrumented as their
`def` statements run, so a crash in code the script calls at top level can heal. An
`exclude` pattern matching `__main__`, the script's stem (`tool` for `tool.py`) or the
module name given to `-m` turns that off. Per-module tables address it as `__main__`
(that is its functions' `__module__`).

This module owns the command line of `run` and running the program; it must not decide
which functions are instrumented (the import hook does) nor what happens on a failure
(the decorator does).
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from selfheal.config import configure_from, get_settings, load
from selfheal.entry import bootstrap, importhook

# Frames of these modules sit between the runner and the program: not the program's.
_RUNNER_MODULES = frozenset({__name__, "runpy"})

USAGE = (
    "usage: selfheal run [--include PATTERN] [--exclude PATTERN] [--store DIR] [--] "
    "(script.py | -m module) [args...]"
)
HELP = f"""{USAGE}

Run a Python program like python does, with selfheal enabled: the program's main module
and the modules the settings include are instrumented, in this process and in every
Python process it starts.

selfheal's options (before the program):
  --include PATTERN  also instrument the modules matching PATTERN (repeatable)
  --exclude PATTERN  never instrument the modules matching PATTERN (repeatable)
  --store DIR        the patch store directory (default: from the settings)
  --                 end of selfheal's options (optional)

Everything after script.py or -m module is the program's own arguments, passed as is.
"""
_VALUED = ("--include", "--exclude", "--store")


class UsageError(Exception):
    """The command line of `selfheal run` is wrong; the message says how."""


@dataclass(frozen=True)
class Invocation:
    """What `selfheal run` was asked to do: selfheal's options and the program."""

    script: str | None
    module: str | None
    args: tuple[str, ...]
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    store: str | None = None


def parse_invocation(argv: Sequence[str]) -> Invocation | None:
    """Split `selfheal run`'s arguments; None when help was asked for.

    Options are read only up to the program: the first argument that is not one of
    selfheal's options is the script (or `-m` names the module), and the rest is the
    program's, untouched. Raises UsageError naming the problem.
    """
    values: dict[str, list[str]] = {name: [] for name in _VALUED}
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in ("-h", "--help"):
            return None
        if arg == "--":
            index += 1
            if index == len(argv):
                raise UsageError("nothing to run after `--`: give a script or -m module")
            arg = argv[index]
            if arg != "-m" and not arg.startswith("-m"):
                return _invocation(values, script=arg, args=argv[index + 1 :])
        if arg == "-m":
            if index + 1 == len(argv):
                raise UsageError("-m needs a module name (selfheal run -m package [args...])")
            return _invocation(values, module=argv[index + 1], args=argv[index + 2 :])
        if arg.startswith("-m") and not arg.startswith("--"):
            return _invocation(values, module=arg[2:], args=argv[index + 1 :])
        name, equals, value = arg.partition("=")
        if name in _VALUED:
            if not equals:
                if index + 1 == len(argv):
                    raise UsageError(f"{name} needs a value")
                index += 1
                value = argv[index]
            values[name].append(value)
            index += 1
            continue
        if arg.startswith("-") and arg != "-":
            raise UsageError(
                f"unknown option {arg!r} before the program. selfheal's options "
                "(--include, --exclude, --store) come before the script or -m module; "
                "the program's own options go after it"
            )
        if arg == "-":
            raise UsageError("reading the program from standard input is not supported")
        return _invocation(values, script=arg, args=argv[index + 1 :])
    raise UsageError("give a script (selfheal run app.py) or a module (selfheal run -m app)")


def _invocation(
    values: dict[str, list[str]],
    *,
    args: Sequence[str],
    script: str | None = None,
    module: str | None = None,
) -> Invocation:
    if module is not None and not module:
        raise UsageError("-m needs a module name (selfheal run -m package [args...])")
    stores = values["--store"]
    return Invocation(
        script=script,
        module=module,
        args=tuple(args),
        include=tuple(values["--include"]),
        exclude=tuple(values["--exclude"]),
        store=stores[-1] if stores else None,
    )


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "run",
        help="run a Python program with selfheal enabled",
        description=HELP,
        add_help=False,
        # No prefix character argparse knows: every argument after `run` reaches
        # parse_invocation as is, so the program's options are never taken for ours.
        prefix_chars="\x00",
    )
    parser.add_argument("argv", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=handler)


def handler(args: argparse.Namespace) -> int:
    try:
        invocation = parse_invocation(args.argv)
    except UsageError as exc:
        print(f"{USAGE}\nselfheal run: error: {exc}", file=sys.stderr)
        return 2
    if invocation is None:
        print(HELP, end="")
        return 0
    overrides: dict[str, Any] = {}
    store = invocation.store or getattr(args, "store", None)
    if store:
        overrides["store"] = store
    settings = get_settings()  # a bad configuration fails here, before the program runs
    if invocation.include:
        overrides["include"] = (*settings.include, *invocation.include)
    if invocation.exclude:
        overrides["exclude"] = (*settings.exclude, *invocation.exclude)
    if overrides:
        settings = configure_from("command line", **overrides)
    if not settings.disabled:
        os.environ.update(
            bootstrap.child_environment(
                os.environ,
                include=settings.include,
                exclude=settings.exclude,
                store=settings.store,
                config_file=load().file,
            )
        )
    if invocation.module is not None:
        return run_module(invocation.module, invocation.args)
    assert invocation.script is not None
    return run_script(invocation.script, invocation.args)


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
    # As python does: argv[0] is "-m" while the module is searched, then its file.
    sys.argv = ["-m", *args]
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
    # The program's module stays __main__ after its body ends, as under python: its
    # threads, atexit handlers and multiprocessing's spawn still look it up there.
    sys.modules["__main__"] = module

    def execute() -> None:
        exec(code, module.__dict__)

    return _guarded(execute)


def _guarded(run: Callable[[], Any]) -> int:
    """Run the program and turn how it ended into an exit code, as the interpreter does."""
    try:
        run()
    except SystemExit as exc:
        return _exit_code(exc)
    except KeyboardInterrupt as exc:
        _exit_by_sigint(exc)
    except BaseException as exc:  # the program's own uncaught exception
        return _report_exception(exc)
    return 0


def _exit_by_sigint(exc: KeyboardInterrupt) -> NoReturn:
    """End like python on an uncaught Ctrl-C: the traceback, then death by SIGINT.

    The interpreter kills itself with SIGINT (after its normal shutdown) when a
    KeyboardInterrupt escapes the main code, so the shell sees "interrupted", not an exit
    status. Re-raising it lets the interpreter do exactly that; the traceback is printed
    here, without the runner's frames, and the hook stays silent for this one exception.
    """
    _report_exception(exc)
    previous = sys.excepthook

    def quiet_once(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        if value is not exc:
            previous(kind, value, tb)

    sys.excepthook = quiet_once
    raise exc


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

