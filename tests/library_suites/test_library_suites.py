"""Transparency on code nobody here wrote: libraries' own test suites, instrumented.

For each pinned library (tests/library_suites/harness.py), its own tests run bare, then
under `selfheal run -m pytest` with the library's modules included, in observe mode and
in heal mode. The same tests must pass, fail and skip in all three runs, and no patch
record may be stored: a library's passing suite holds no failure to heal (the
exceptions its tests provoke on purpose are expected by them: pytest.raises,
assertRaises, callers catching them by name). A failure here names each test that
differs and each record stored, with its function and exception.

Marked `thirdparty` (downloads the sdists once; minutes of runs): not in the default
`pytest` run; CI runs `pytest -m thirdparty`.
"""

from __future__ import annotations

import pytest

from tests.library_suites.harness import SUITES, Suite, SuiteResult, Way, describe, run_all_ways

pytestmark = [pytest.mark.thirdparty, pytest.mark.timeout(3600)]


@pytest.fixture(scope="module", params=SUITES, ids=lambda suite: suite.name)
def result(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SuiteResult:
    suite: Suite = request.param
    return run_all_ways(suite, tmp_path_factory.mktemp(suite.name))


def test_the_bare_suite_ran(result: SuiteResult) -> None:
    bare = result.runs["bare"]
    passed = [t for t, outcome in bare.outcomes.items() if outcome.startswith("passed")]
    assert len(passed) >= 100, bare.output_tail
    assert not bare.records  # nothing is instrumented: nothing can be stored


@pytest.mark.parametrize("way", ["observe", "heal"])
def test_instrumented_suite_gives_the_same_outcomes_and_stores_nothing(
    result: SuiteResult, way: Way
) -> None:
    comparison = result.comparison(way)
    report = describe(result.suite.name, comparison)
    print(report)
    assert set(result.runs[way].outcomes) == set(result.runs["bare"].outcomes), report
    assert not comparison.differences, report
    assert not comparison.records, report
