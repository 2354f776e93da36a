"""Run selfheal's benchmarks and print (or write) one table.

    python benchmarks/run.py            # full run, prints a markdown table
    python benchmarks/run.py --smoke    # seconds: checks the benchmarks still run (CI)
    python benchmarks/run.py --write docs/performance.md

Each `benchmarks/bench_<area>.py` exposes `run(smoke: bool) -> list[dict]`; rows carry
benchmark, value, unit, target and note. Ratios are measured within one run, side by
side, because absolute times on shared machines are noise.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# Benchmarks share helpers as `benchmarks.<module>` (the tests import them the same way),
# so the project root must be importable when this file is run as a script.
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))


def load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| area | benchmark | value | unit | target | note |", "|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(
            "| {area} | {benchmark} | {value} | {unit} | {target} | {note} |".format(
                area=row.get("area", ""),
                benchmark=row.get("benchmark", ""),
                value=fmt(row.get("value", "")),
                unit=row.get("unit", ""),
                target=row.get("target", ""),
                note=str(row.get("note", "")).replace("|", "/"),
            )
        )
    return "\n".join(lines)


def machine() -> str:
    import os

    return (
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
    )


def _merged(document: str, text: str, areas: set[str]) -> str:
    """The table in `document` with the rows of `areas` replaced by those of `text`."""
    def rows_of(lines: list[str]) -> list[str]:
        return [line for line in lines if line.startswith("| ") and not line.startswith("| area")]

    kept = [
        line for line in rows_of(document.splitlines())
        if line.split("|")[1].strip() not in areas
    ]  # fmt: skip
    new = rows_of(text.splitlines())
    by_area = sorted(kept + new, key=lambda line: line.split("|")[1].strip())
    return "\n".join(text.splitlines()[:2] + by_area)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes; for CI")
    parser.add_argument("--only", default="", help="comma-separated areas (bench_<area>.py)")
    parser.add_argument("--write", default="", help="replace the generated table in this file")
    args = parser.parse_args(argv)
    only = {a.strip() for a in args.only.split(",") if a.strip()}
    rows: list[dict[str, Any]] = []
    failures = 0
    for path in sorted(HERE.glob("bench_*.py")):
        area = path.stem.removeprefix("bench_")
        if only and area not in only:
            continue
        started = time.perf_counter()
        try:
            for row in load(path).run(args.smoke):
                rows.append({"area": area, **row})
        except Exception as exc:  # one broken benchmark must not hide the others
            failures += 1
            print(f"benchmark {area} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"# {area}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    text = table(rows)
    print(f"Measured on {machine()}.\n")
    print(text)
    if args.write:
        target = Path(args.write)
        begin, end = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"
        old = target.read_text() if target.exists() else f"# Performance\n\n{begin}\n{end}\n"
        if only:
            # Only some areas ran: their rows replace theirs, the others' rows stay.
            text = _merged(old, text, only)
        body = f"{begin}\nMeasured on {machine()}.\n\n{text}\n{end}"
        if begin in old and end in old:
            new = old[: old.index(begin)] + body + old[old.index(end) + len(end) :]
        else:
            new = old.rstrip() + "\n\n" + body + "\n"
        target.write_text(new)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
