"""The offline session end to end: localisation and screening in forked children,
candidates handed out in rank order, the budget honoured, user code never run here."""

from __future__ import annotations

import ast
import os
import time

from selfheal.budget import Budget
from selfheal.engines.base import RepairRequest
from selfheal.engines.offline import OfflineEngine
from selfheal.engines.offline.engine import build_probes
from selfheal.engines.offline.localize import localize
from selfheal.models import Candidate, Example
from tests.engines.offline.conftest import corpus_case, property_request, request_for

CALLS_IN: list[int] = []


def marked_mean(xs):  # type: ignore[no-untyped-def]
    CALLS_IN.append(os.getpid())
    total = 0
    for x in xs:
        total += x
    return total / len(xs) - 1


def first_batch(request: RepairRequest) -> list[Candidate]:
    session = OfflineEngine().open(request)
    return list(session.next_batch([]))


def _body(source: str) -> str:
    return ast.dump(ast.parse(source).body[0])


def _twin(name: str) -> str:
    case, _module, _func = corpus_case(name)
    tree = ast.parse((case.path / "fixed.py").read_text())
    fn = next(n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return ast.dump(fn)


def classify(n):  # type: ignore[no-untyped-def]
    if n < 0:
        return "neg"
    if n > 10:
        return "big"
    return "small"


def test_ochiai_puts_lines_only_failing_runs_reach_on_top() -> None:
    examples = [((-1,), "neg"), ((5,), "small"), ((10,), "big"), ((20,), "big")]
    request = property_request(classify, examples)
    loc = localize(request.report, None, classify, build_probes(request), (), timeout_s=5.0)
    assert (loc.runs, loc.failed_runs) == (4, 1)
    lines = request.report.function.source.splitlines()
    ranked = sorted(loc.scores, key=lambda line: -loc.scores[line])
    top_two = {lines[line - 1].strip() for line in ranked[:2]}
    assert top_two == {'return "small"', "if n > 10:"}
    # A line the failing run never reaches has no suspiciousness of its own.
    never = next(i + 1 for i, text in enumerate(lines) if 'return "neg"' in text)
    assert loc.score(never) < 0.1


def test_traceback_line_comes_first_for_a_crash() -> None:
    case, module, func = corpus_case("palindrome_index")
    request = request_for(func, "abba")
    loc = localize(request.report, request.exception, func, build_probes(request), (), 5.0)
    line = request.report.function.source.splitlines()[loc.fault_lines[0] - 1]
    assert "s[len(s) - i]" in line
    assert loc.scores[loc.fault_lines[0]] == 1.0


def test_the_first_batch_holds_the_fixed_twin_for_a_crash() -> None:
    _case, _module, func = corpus_case("counter_missing_key")
    batch = first_batch(request_for(func, ["a", "b", "a"]))
    assert batch
    assert _body(batch[0].source) == _twin("counter_missing_key")
    assert batch[0].engine == "offline"
    assert not batch[0].guess
    assert "line" in batch[0].description
    assert batch[0].rank > 0


def test_wrong_results_are_repaired_from_examples_alone() -> None:
    case, module, func = corpus_case("binary_search_loop_bound")
    request = property_request(func, case.oracle.oracle(module)["examples"])
    batch = first_batch(request)
    assert batch
    assert _body(batch[0].source) == _twin("binary_search_loop_bound")


def test_recursion_reaches_the_candidate_while_it_is_screened() -> None:
    # fib(0) recurses forever on the original; only a candidate whose recursive calls
    # also run the candidate can pass fib(7) == 13 and fib(0) == 0.
    case, module, func = corpus_case("fib_unreachable_base")
    request = request_for(
        func, 5, examples=[Example.coerce(e) for e in case.oracle.oracle(module)["examples"]]
    )
    batch = first_batch(request)
    assert batch
    assert _body(batch[0].source) == _twin("fib_unreachable_base")


def test_generators_and_coroutines_are_repaired_as_such() -> None:
    case, module, func = corpus_case("chunks_generator")
    batch = first_batch(property_request(func, case.oracle.oracle(module)["examples"]))
    assert batch
    assert _body(batch[0].source) == _twin("chunks_generator")
    case, module, func = corpus_case("async_discount")
    batch = first_batch(property_request(func, case.oracle.oracle(module)["examples"]))
    assert batch
    assert _body(batch[0].source) == _twin("async_discount")


def test_user_code_never_runs_in_the_engine_process() -> None:
    request = property_request(
        marked_mean, [Example(([1, 2, 3],), {}, 2.0), Example(([4],), {}, 4.0)]
    )
    CALLS_IN.clear()
    batch = first_batch(request)
    assert batch
    assert "- 1" not in batch[0].source
    assert os.getpid() not in CALLS_IN  # the children's appends never reach this process
    assert CALLS_IN == []


def test_a_session_ends_with_an_empty_batch_and_respects_its_budget() -> None:
    case, module, func = corpus_case("topo_indegree")
    request = property_request(func, case.oracle.oracle(module)["examples"], budget=0.6)
    session = OfflineEngine(pairs=False).open(request)
    start = time.monotonic()
    handed = 0
    while True:
        batch = session.next_batch([])
        if not batch:
            break
        handed += len(batch)
    assert time.monotonic() - start < 2.0
    assert session.next_batch([]) == []
    assert session.stats.screened > 0  # it did search, within the budget


def test_candidate_budget_caps_what_is_handed_out() -> None:
    case, module, func = corpus_case("binary_search_loop_bound")
    request = property_request(func, case.oracle.oracle(module)["examples"])
    request = RepairRequest(
        report=request.report,
        function=request.function,
        examples=request.examples,
        budget=Budget(seconds=10.0, candidates=1),
    )
    session = OfflineEngine().open(request)
    assert len(session.next_batch([])) <= 3
    assert session.next_batch([]) == []


def test_screening_rejects_candidates_that_hang() -> None:
    # Mutating `while lo <= hi` and its updates makes loops that never end; the per-
    # candidate CPU limit must cut them without taking the whole budget.
    case, module, func = corpus_case("bisect_insert_point")
    request = property_request(func, case.oracle.oracle(module)["examples"], budget=6.0)
    start = time.monotonic()
    batch = first_batch(request)
    assert batch
    assert time.monotonic() - start < 6.0


def test_attribute_typo_prefers_the_name_python_suggests_over_a_sibling_of_the_same_object(
    tmp_path,
):
    # `item.price * item.quantity`: squaring `quantity` is not the likely fix.
    import importlib.util

    from selfheal import repair

    path = tmp_path / "typo_sibling.py"
    path.write_text(
        "from dataclasses import dataclass\n\n\n@dataclass\nclass Item:\n"
        "    unit_price: float\n    quantity: int\n\n\n"
        "def total(items):\n    return sum(item.price * item.quantity for item in items)\n"
    )
    spec = importlib.util.spec_from_file_location("typo_sibling", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from selfheal import Call

    result = repair(
        module.total, failing=Call(([module.Item(2.0, 3)],)), allow_guesses=True
    )
    assert result.candidate is not None
    assert "item.unit_price * item.quantity" in result.candidate.source


def test_a_recorded_result_that_breaks_the_property_is_not_kept() -> None:
    # The recorder kept magnitude(-7) -> -7 before the property said results are never
    # negative: screening must not ask a candidate to return -7 again.
    from dataclasses import replace

    from selfheal.models import Call
    from tests.scenarios.production import buggy

    def non_negative(result: int, x: int) -> bool:
        return result >= 0

    request = replace(
        property_request(buggy.magnitude, []),
        failing=Call((-3,)),
        recorded=(Call((-7,)), Call((4,))),
        properties=(non_negative,),
    )
    session = OfflineEngine().open(request)
    proposed: list[str] = []
    for _ in range(5):
        proposed += [c.source for c in session.next_batch([])]
    assert any("abs(x)" in source for source in proposed[:3]), proposed[:3]
