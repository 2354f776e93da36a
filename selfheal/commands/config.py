"""The `selfheal config` command: the effective settings and where each value came from.

    selfheal config                   every key, its value and its source
    selfheal config --module NAME     the same with the per-module tables for NAME applied
    selfheal config --json            the same as JSON, for scripts
    selfheal config --markdown        the configuration reference (docs/configuration.md)

This module owns presenting the settings; it must not load or validate them itself
(that is `selfheal.config`), so what it shows is exactly what the program would use.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from selfheal import config


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "config",
        help="show the effective settings and where each value came from",
        description="Show the effective settings: defaults, the configuration file, "
        "SELFHEAL_* environment variables and command-line options, with the source of "
        "each value.",
    )
    parser.add_argument(
        "--module", metavar="NAME", help="apply the per-module tables for module NAME"
    )
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON")
    out.add_argument(
        "--markdown", action="store_true", help="print the configuration reference (Markdown)"
    )
    parser.set_defaults(handler=handler)


def handler(args: argparse.Namespace) -> int:
    if args.markdown:
        sys.stdout.write(config.reference_markdown())
        return 0
    if getattr(args, "store", None):
        config.configure_from("command line", store=args.store)
    loaded = config.load()  # a bad configuration raises ConfigurationError: exit code 2
    rows = effective_rows(loaded, args.module)
    if args.json:
        document = {
            "file": str(loaded.file) if loaded.file else None,
            "module": args.module,
            "settings": {key: {"value": value, "source": source} for key, value, source in rows},
            "ignored_environment": list(loaded.ignored_env),
        }
        print(json.dumps(document, indent=2, default=str))
        return 0
    print(render_text(loaded, rows, args.module))
    return 0


def effective_rows(loaded: config.Loaded, module: str | None) -> list[tuple[str, Any, str]]:
    """(key, value, source) for every setting; per-module tables applied for `module`."""
    settings = loaded.settings
    sources = dict(loaded.sources)
    if module is not None:
        settings = config.settings_for_module(module)
        for name in settings.modules:
            if config.module_table_matches(name, module):
                for key in settings.modules[name]:
                    table_source = sources.get(f"modules.{name}", "?")
                    sources[key] = f'modules."{name}" in {table_source}'
    dumped = settings.model_dump(mode="json")
    return [(key, dumped[key], sources.get(key, "default")) for key in type(settings).model_fields]


def _format_value(value: Any) -> str:
    return json.dumps(value, separators=(", ", ": "))


def render_text(loaded: config.Loaded, rows: list[tuple[str, Any, str]], module: str | None) -> str:
    lines = []
    if loaded.file is not None:
        lines.append(f"# configuration file: {loaded.file}")
    else:
        lines.append("# configuration file: none (no selfheal.toml or pyproject.toml with "
                     "[tool.selfheal] from the working directory up)")
    if module is not None:
        lines.append(f"# settings for functions of module {module!r}")
    width = max(len(key) for key, _, _ in rows)
    for key, value, source in rows:
        if key == "modules":
            continue
        lines.append(f"{key.ljust(width)} = {_format_value(value)}  # {source}")
    modules = dict(loaded.settings.modules)
    for name, table in modules.items():
        source = loaded.sources.get(f"modules.{name}", "?")
        lines.append(f'modules."{name}" = {_format_value(table)}  # {source}')
    for var in loaded.ignored_env:
        lines.append(f"# ignored: environment variable {var} is not a setting")
    return "\n".join(lines)
