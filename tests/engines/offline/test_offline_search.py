"""Candidate generation: for one-edit bugs of each kind, the fixed twin is among the first
candidates the search proposes (compared as normalised ASTs; nothing is run here but the
buggy function itself, to get its real exception)."""

from __future__ import annotations

import ast

import pytest

from benchmarks.bench_offline import Case
from selfheal.engines.offline.context import build_context
from selfheal.engines.offline.localize import Localization, traceback_lines
from selfheal.engines.offline.ranking import CandidateSearch
from selfheal.engines.offline.source import normalized
from tests.engines.offline.conftest import corpus_case, property_request, request_for

# (case, within how many singles the fix must come; no spectrum here, only the traceback)
CRASHES = [
    ("attr_typo_method", 1),
    ("name_typo_local", 1),
    ("counter_missing_key", 1),
    ("middle_true_division", 1),
    ("dict_changed_during_iteration", 1),
    ("unpack_dict_items", 1),
    ("int_of_decimal_string", 1),
    ("split_maxsplit", 1),
    ("str_concat_int", 1),
]
WRONG = [
    ("binary_search_loop_bound", 10),
    ("fib_iterative_count", 10),
    ("leap_year_century", 10),
    ("roman_subtractive", 10),
]


def _search(request, exception):  # type: ignore[no-untyped-def]
    loc = Localization(fault_lines=traceback_lines(request.report, exception, request.function))
    for i, line in enumerate(loc.fault_lines):
        loc.scores[line] = 1.0 - 0.08 * i
    ctx = build_context(
        request.report.function.source, request.function, request.report, exception, loc
    )
    return ctx, CandidateSearch(ctx)


@pytest.mark.parametrize(("name", "within"), CRASHES)
def test_crash_templates_propose_the_fix_first(name: str, within: int) -> None:
    case, module, func = corpus_case(name)
    spec = case.oracle.oracle(module)
    request = request_for(func, *spec["failing"].args, **spec["failing"].kwargs)
    _ctx, search = _search(request, request.exception)
    singles = [r.source for _, r in zip(range(within), search.singles_iter())]
    assert _fixed_def(case) in {_def_dump(s) for s in singles}


@pytest.mark.parametrize(("name", "within"), WRONG)
def test_mutations_reach_one_line_algorithmic_fixes(name: str, within: int) -> None:
    case, module, func = corpus_case(name)
    request = property_request(func, case.oracle.oracle(module)["examples"])
    _ctx, search = _search(request, None)
    singles = [r.source for _, r in zip(range(within), search.singles_iter())]
    assert _fixed_def(case) in {_def_dump(s) for s in singles}


def test_candidates_are_deduplicated_and_never_the_original() -> None:
    case, module, func = corpus_case("gcd_wrong_return")
    request = property_request(func, case.oracle.oracle(module)["examples"])
    _ctx, search = _search(request, None)
    sources = [r.source for r in search.singles_iter()]
    keys = [normalized(s) for s in sources]
    assert len(keys) == len(set(keys)) > 20
    assert normalized(request.report.function.source) not in keys


def test_every_candidate_is_a_complete_def_with_the_same_signature() -> None:
    case, module, func = corpus_case("knapsack_capacity")
    request = property_request(func, case.oracle.oracle(module)["examples"])
    _ctx, search = _search(request, None)
    original = ast.parse(request.report.function.source).body[0]
    assert isinstance(original, ast.FunctionDef)
    for ranked in search.singles_iter():
        tree = ast.parse(ranked.source)
        assert len(tree.body) == 1
        fn = tree.body[0]
        assert isinstance(fn, ast.FunctionDef)
        assert fn.name == original.name
        assert ast.dump(fn.args) == ast.dump(original.args)
        # Minimal edits: the docstring line survives untouched.
        assert '"""items: (weight, value) pairs; 0/1 knapsack best value."""' in ranked.source


def test_guesses_come_last_and_are_marked() -> None:
    case, module, func = corpus_case("blind_optional_header")
    spec = case.oracle.oracle(module)
    request = request_for(func, *spec["failing"].args)
    _ctx, search = _search(request, request.exception)
    singles = list(search.singles_iter())
    guesses = list(search.guesses_iter())
    assert guesses
    assert all(g.proposal.guess for g in guesses)
    assert not any(s.proposal.guess for s in singles)
    assert any("return None" in g.source for g in guesses)
    assert max(g.rank for g in guesses) < min(s.rank for s in singles)


def _def_dump(source: str) -> str:
    return ast.dump(ast.parse(source).body[0])


def _fixed_def(case: Case) -> str:
    """The twin's def of the function under repair (the twin file may hold more)."""
    tree: ast.AST = ast.parse((case.path / "fixed.py").read_text())
    for part in case.oracle.FUNCTION.split("."):
        tree = next(
            n
            for n in tree.body  # type: ignore[attr-defined]
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and n.name == part
        )
    return ast.dump(tree)
