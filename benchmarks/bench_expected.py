"""Cost of judging an exception: expected by the program, or a failure?

Every exception that leaves an instrumented function is judged before anything else
(`selfheal.request.expected`): the frames are walked outwards to the first handler that decides.
Cases, each a real module file: a callee's ValueError handled by name `depth` frames up,
and the same exception meeting only an `except Exception`. Rows give the judgement's own
cost (warm: each file parsed once already) and what an expected exception costs a
decorated function end to end, side by side with the same call undecorated.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
import timeit
from pathlib import Path
from typing import Any

DEPTHS = (1, 10, 40)


def _source(depth: int) -> str:
    lines = [
        "from selfheal.request.expected import judge",
        "",
        "VERDICTS = []",
        "",
        "def leaf(text):",
        "    return int(text)",
        "",
        "def judged_leaf(text):",
        "    try:",
        "        return int(text)",
        "    except Exception as exc:  # what instrumented code does: judge, re-raise",
        "        VERDICTS.append(judge(exc))",
        "        raise",
        "",
    ]
    for leaf in ("leaf", "judged_leaf"):
        previous = leaf
        for level in range(depth):
            name = f"{leaf}_{level}"
            lines += [f"def {name}(text):", f"    return {previous}(text)", ""]
            previous = name
        lines += [
            f"def {leaf}_expected(text):",
            "    try:",
            f"        return {previous}(text)",
            "    except ValueError:",
            "        return -1",
            "",
            f"def {leaf}_catch_all(text):",
            "    try:",
            f"        return {previous}(text)",
            "    except Exception:",
            "        return -2",
            "",
        ]
    return "\n".join(lines)


def _module(folder: Path, name: str, source: str) -> Any:
    path = folder / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _per_call_us(func: Any, arg: str, number: int, repeat: int) -> float:
    return min(timeit.repeat(lambda: func(arg), number=number, repeat=repeat)) / number * 1e6


def run(smoke: bool) -> list[dict[str, Any]]:
    from selfheal import configure, self_healing
    from selfheal.request.expected import forget_sources

    number, repeat = (50, 2) if smoke else (2000, 7)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        configure(store=str(folder / "store"), mode="heal")
        for depth in DEPTHS if not smoke else DEPTHS[:1]:
            bare = _module(folder, f"expected_bare_{depth}", _source(depth))
            forget_sources()
            started = time.perf_counter()
            bare.judged_leaf_expected("x")
            cold_us = (time.perf_counter() - started) * 1e6
            assert not bare.VERDICTS[-1].failure
            for case, wanted in (("expected", False), ("catch_all", True)):
                func = getattr(bare, f"judged_leaf_{case}")
                plain = getattr(bare, f"leaf_{case}")
                with_judge = _per_call_us(func, "x", number, repeat)
                without = _per_call_us(plain, "x", number, repeat)
                assert bare.VERDICTS[-1].failure is wanted, bare.VERDICTS[-1]
                rows.append(
                    {
                        "benchmark": f"judgement, {case.replace('_', '-')} {depth} frames up",
                        "value": with_judge - without,
                        "unit": "us per exception",
                        "target": "",
                        "note": f"raise+catch alone {without:.1f} us; first time, "
                        f"file parse included: {cold_us:.0f} us"
                        if case == "expected"
                        else f"raise+catch alone {without:.1f} us",
                    }
                )
            decorated = _module(folder, f"expected_decorated_{depth}", _source(depth))
            self_healing(decorated.leaf)
            decorated.leaf_expected("x")  # warm the parse cache
            plain_us = _per_call_us(bare.leaf_expected, "x", number, repeat)
            healed_us = _per_call_us(decorated.leaf_expected, "x", number, repeat)
            rows.append(
                {
                    "benchmark": f"expected exception through @self_healing, {depth} frames up",
                    "value": healed_us / plain_us,
                    "unit": "x undecorated",
                    "target": "",
                    "note": f"{plain_us:.1f} us -> {healed_us:.1f} us per call; "
                    "nothing captured or stored",
                }
            )
    return rows
