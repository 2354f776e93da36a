"""The `selfheal repair` command: find a verified patch for one function, offline.

    selfheal repair module:function [--examples FILE.json] [--failing JSON]
                    [--engine offline] [--budget SECONDS] [--allow-guesses] [--json]

It imports `module` (the working directory is importable, as with `python -m`), resolves
`function` (dotted for methods: `Class.method`) and calls the public
`selfheal.repair(...)` like any user code would; nothing is installed and no file is
written. The examples file holds a JSON list; each item is either
`{"args": [...], "kwargs": {...}, "expected": ...}` or the short form
`[[arg1, arg2], expected]`. `--failing` takes `{"args": [...], "kwargs": {...}}` (or a
JSON list of positional arguments).

Exit codes: 0 a verified patch was found (its diff is printed), 1 none was found, 2
usage errors (bad JSON, unknown module or function).

This module owns argument parsing and output; the search itself is `selfheal.repair`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from selfheal.errors import ConfigurationError
from selfheal.models import Call, Example


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "repair",
        help="search for a verified patch of one function (nothing is installed)",
        description="Repair module:function against examples (and an optional failing call) "
        "with the offline engine or another one; print the diff of the verified patch.",
    )
    parser.add_argument("target", metavar="module:function", help="e.g. myapp.stats:mean")
    parser.add_argument(
        "--examples",
        metavar="FILE.json",
        default=None,
        help='JSON list of {"args": [...], "kwargs": {...}, "expected": ...} or '
        "[[args...], expected]",
    )
    parser.add_argument(
        "--failing",
        metavar="JSON",
        default=None,
        help='the failing call: {"args": [...], "kwargs": {...}} or a list of arguments',
    )
    parser.add_argument("--engine", default="offline", help="engine name (default: offline)")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds (default: 10)")
    parser.add_argument(
        "--allow-guesses",
        action="store_true",
        help="accept a patch that only returns an invented value for the failing input",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON summary instead")
    parser.set_defaults(handler=handle)


def _load_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ConfigurationError(f"{what}: not valid JSON ({exc})") from None


def _examples(path: str | None) -> list[Any]:
    if path is None:
        return []
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"--examples: cannot read {path}: {exc}") from None
    items = _load_json(raw, f"--examples {path}")
    if not isinstance(items, list):
        raise ConfigurationError(f"--examples {path}: expected a JSON list of examples")
    examples = []
    for item in items:
        if isinstance(item, dict):
            unknown = set(item) - {"args", "kwargs", "expected"}
            if unknown or "expected" not in item:
                raise ConfigurationError(
                    f"--examples {path}: {item!r} needs 'expected' (and optional 'args', 'kwargs')"
                )
            examples.append(
                Example(tuple(item.get("args", ())), item.get("kwargs") or {}, item["expected"])
            )
        else:
            examples.append(Example.coerce(item))
    return examples


def _failing(text: str | None) -> Any:
    if text is None:
        return None
    value = _load_json(text, "--failing")
    if isinstance(value, list):
        return Call(tuple(value))
    if isinstance(value, dict) and set(value) <= {"args", "kwargs"}:
        return Call(tuple(value.get("args", ())), value.get("kwargs") or {})
    raise ConfigurationError('--failing: expected {"args": [...], "kwargs": {...}} or a list')


def _resolve(target: str) -> Any:
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise ConfigurationError(f"{target!r}: write module:function (e.g. myapp.stats:mean)")
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigurationError(f"cannot import {module_name!r}: {exc}") from None
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise ConfigurationError(f"{module_name!r} has no {attr!r}") from None
    return obj


def handle(args: argparse.Namespace) -> int:
    # start-up: the repair API loads the heal loop, which the other commands never need
    from selfheal import repair

    func = _resolve(args.target)
    examples = _examples(args.examples)
    failing = _failing(args.failing)
    if failing is None and not examples:
        raise ConfigurationError(
            "give --examples FILE.json and/or --failing JSON: nothing to check"
        )
    result = repair(
        func,
        failing=failing,
        examples=examples,
        engine=args.engine,
        budget_s=args.budget,
        allow_guesses=args.allow_guesses,
    )
    candidate = result.candidate
    report = result.report
    if args.json:
        print(
            json.dumps(
                {
                    "ok": result.ok,
                    "function": args.target,
                    "description": candidate.description if candidate else "",
                    "guess": bool(candidate and candidate.guess),
                    "source": result.source,
                    "diff": result.diff,
                    "tried": report.tried,
                    "reason": report.reason,
                    "timings": report.timings,
                },
                indent=2,
            )
        )
    elif result.ok and candidate is not None:
        print(f"selfheal: verified patch for {args.target}: {candidate.description}")
        print(result.diff or result.source or "", end="" if result.diff else "\n")
    else:
        print(f"selfheal: no verified patch for {args.target}: {report.reason}", file=sys.stderr)
    return 0 if result.ok else 1
