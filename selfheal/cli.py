"""The `selfheal` command: a thin dispatcher over the modules in `selfheal.commands`.

Each command module exposes `register(subparsers)`, which adds its sub-command with a
`handler(args) -> int` default. This module owns argument dispatch and exit codes
(0 ok, 1 not found or refused, 2 usage); it must not implement any command itself.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from selfheal.errors import ConfigurationError, RecordNotFound, SelfHealError

COMMAND_MODULES = (
    "selfheal.commands.review",
    "selfheal.commands.run",
    "selfheal.commands.repair",
    "selfheal.commands.config",
    "selfheal.commands.stats",
)


# Commands whose module can be imported alone; every other name is one of review's.
# `selfheal run` then starts the program without importing the review and repair
# machinery first (most of selfheal): the program's own start-up is what it delays.
_OWN_MODULE = {
    "run": "selfheal.commands.run",
    "repair": "selfheal.commands.repair",
    "config": "selfheal.commands.config",
}


def _command_of(argv: Sequence[str]) -> str | None:
    """The sub-command named in argv, past the global options (None if there is none)."""
    args = iter(argv)
    for arg in args:
        if arg == "--store":
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `command`, only that command's module is imported, if it has one."""
    parser = argparse.ArgumentParser(
        prog="selfheal",
        description="Review, apply and replay the patches selfheal proposed; run programs with "
        "selfheal enabled.",
    )
    parser.add_argument(
        "--store", default=None, help="patch store directory (default: from settings, .selfheal)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    own = _OWN_MODULE.get(command or "")
    for name in (own,) if own else COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_of(argv))
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args))
    except RecordNotFound as exc:
        print(f"selfheal: {exc}", file=sys.stderr)
        return 1
    except ConfigurationError as exc:
        print(f"selfheal: {exc}", file=sys.stderr)
        return 2
    except SelfHealError as exc:
        print(f"selfheal: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `selfheal list | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
