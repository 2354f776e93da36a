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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="selfheal",
        description="Review, apply and replay the patches selfheal proposed; run programs with "
        "selfheal enabled.",
    )
    parser.add_argument(
        "--store", default=None, help="patch store directory (default: from settings, .selfheal)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
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
