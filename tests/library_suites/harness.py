"""Run a pure-Python library's own test suite bare and under `selfheal run`, and compare.

The libraries come from their PyPI source distributions, pinned below, downloaded once
with pip into a cache outside the repository (`THIRDPARTY_CACHE`, default
`~/.cache/selfheal-tests/sdists`) and unpacked into a scratch directory per run. Their
tests run with the library's own pytest configuration, three ways:

* `bare`: `python -m pytest`;
* `observe` / `heal`: `python -m selfheal.cli run -m pytest`, with a `selfheal.toml` in
  the project that includes the library's modules (not its tests) and the mode set by
  `SELFHEAL_MODE`.

The probe plugin (`probe/thirdparty_probe.py`, loaded with `-p` in all three runs)
writes every test's outcome and the patch records stored while it ran. `compare` puts a
run next to the bare one: which tests changed outcome and which records were stored,
each record with its function, exception type and whether the program expected that
exception (it was caught before it ended the test: the test passed in observe mode,
where selfheal re-raises every exception unchanged).

Used by tests/library_suites/test_transparency.py and benchmarks/bench_thirdparty.py. Run
by hand: `python -m tests.library_suites.harness [suite ...]` prints the comparison.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Way = Literal["bare", "observe", "heal"]
PROBE_DIR = Path(__file__).resolve().parent / "probe"
PROBE_OUT_ENV = "THIRDPARTY_PROBE_OUT"
CACHE_ENV = "THIRDPARTY_CACHE"
RUN_TIMEOUT_S = 900


@dataclass(frozen=True)
class Suite:
    """One library: the pinned distribution, what to instrument, how its tests run."""

    name: str
    version: str
    include: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    source_root: str = "."  # the directory holding the importable packages
    pytest_args: tuple[str, ...] = ()

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"


SUITES: tuple[Suite, ...] = (
    Suite("more-itertools", "11.2.1", include=("more_itertools",)),
    Suite(
        "toolz",
        "1.2.0",
        include=("toolz", "tlz"),
        exclude=("toolz.tests", "toolz.sandbox.tests"),
    ),
    Suite("cachetools", "8.0.0", include=("cachetools",), source_root="src"),
    Suite(
        "python-dateutil",
        "4.0.0",
        include=("dateutil",),
        source_root="src",
        # `no_cover` is a mark of pytest-cov, which the suite does not otherwise need.
        # A fixed seed: its property tests draw the same inputs in every run.
        pytest_args=(
            "-W", "ignore::pytest.PytestUnknownMarkWarning", "--hypothesis-seed=0", "tests",
        ),  # fmt: skip
    ),
)
SUITES_BY_NAME = {suite.name: suite for suite in SUITES}


# --------------------------------------------------------------------------- getting it


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "selfheal-tests" / "sdists"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def sdist(suite: Suite, cache: Path | None = None) -> Path:
    """The suite's source distribution, downloaded with pip the first time."""
    cache = cache or cache_dir()

    def found() -> Path | None:
        for path in cache.glob("*.tar.gz"):
            name, _, version = path.name.removesuffix(".tar.gz").rpartition("-")
            if _canonical(name) == _canonical(suite.name) and version == suite.version:
                return path
        return None

    existing = found()
    if existing is not None:
        return existing
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--no-binary", ":all:", "--dest", str(cache), suite.requirement,
        ],
        check=True,
        timeout=300,
    )  # fmt: skip
    downloaded = found()
    if downloaded is None:
        raise FileNotFoundError(f"pip downloaded no sdist of {suite.requirement} into {cache}")
    return downloaded


def unpack(archive: Path, into: Path) -> Path:
    """Unpack an sdist; returns its project directory."""
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    (project,) = [p for p in into.iterdir() if p.is_dir()]
    return project


def prepare(suite: Suite, scratch: Path) -> Path:
    """A fresh copy of the suite's project with selfheal's settings for it."""
    project = unpack(sdist(suite), scratch / suite.name)
    lines = [
        "# selfheal settings for running this library's own tests instrumented",
        f"include = {json.dumps(list(suite.include))}",
        f"exclude = {json.dumps(list(suite.exclude))}",
    ]
    (project / "selfheal.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class StoredRecord:
    """What a patch record says about the failure it was made for."""

    id: str
    test: str
    function: str
    exception: str
    message: str
    status: str


@dataclass(frozen=True)
class Run:
    way: Way
    seconds: float  # wall time
    returncode: int
    outcomes: dict[str, str]
    records: tuple[StoredRecord, ...]
    output_tail: str
    # CPU time (user + system) of the run and every process it waited for: what the run
    # cost, less disturbed than wall time by whatever else the machine is doing.
    cpu_seconds: float = 0.0

    def records_of(self, test: str) -> list[StoredRecord]:
        return [r for r in self.records if r.test == test]


def _environment(suite: Suite, project: Path, way: Way, store: Path, out: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SELFHEAL_", "PYTEST_"))}
    # Bytecode caches on, as Python has them by default: both the interpreter's and the
    # rewrite's own cache warm up in a suite's first run, as in a user's repeated runs.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(project / suite.source_root), str(PROBE_DIR)])
    env[PROBE_OUT_ENV] = str(out)
    env["SELFHEAL_STORE"] = str(store)
    if way != "bare":
        env["SELFHEAL_MODE"] = way
    return env


def command(suite: Suite, way: Way) -> list[str]:
    runner = [] if way == "bare" else ["-m", "selfheal.cli", "run"]
    return [
        sys.executable, *runner, "-m", "pytest", "-p", "thirdparty_probe",
        "-p", "no:cacheprovider", "-q", *suite.pytest_args,
    ]  # fmt: skip


def run(suite: Suite, project: Path, way: Way, work: Path) -> Run:
    """Run the suite's tests one way; the store and probe output go into `work`."""
    work.mkdir(parents=True, exist_ok=True)
    store = work / f"store-{way}"
    out = work / f"probe-{way}.json"
    started = time.perf_counter()
    before = _children_cpu()
    done = subprocess.run(
        command(suite, way),
        cwd=project,
        env=_environment(suite, project, way, store, out),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - before
    tail = "\n".join((done.stdout + done.stderr).splitlines()[-40:])
    if not out.exists():
        raise RuntimeError(f"{suite.name} ({way}) ended without the probe's report:\n{tail}")
    probe = json.loads(out.read_text(encoding="utf-8"))
    return Run(
        way=way,
        seconds=seconds,
        returncode=done.returncode,
        outcomes=dict(probe["outcomes"]),
        records=tuple(_read_records(store, probe["records"])),
        output_tail=tail,
        cpu_seconds=cpu,
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _read_records(store: Path, by_test: Mapping[str, Sequence[str]]) -> Iterable[StoredRecord]:
    for test, ids in by_test.items():
        for record_id in ids:
            data = json.loads((store / "records" / f"{record_id}.json").read_text("utf-8"))
            report = data["report"]
            function = report["function"]
            chain = report.get("chain") or [{}]
            last = chain[-1]
            yield StoredRecord(
                id=record_id,
                test=test,
                function=f"{function['module']}:{function['qualname']}",
                exception=str(last.get("type", report.get("kind", "?"))),
                message=str(last.get("message") or "")[:120],
                status=str(data.get("status", "?")),
            )


# --------------------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Judged:
    record: StoredRecord
    expected: bool  # the program caught this exception itself (see the module docstring)


@dataclass(frozen=True)
class Difference:
    test: str
    bare: str
    instrumented: str
    records: tuple[Judged, ...]

    @property
    def about_expected_exceptions(self) -> bool:
        """Every record of this test is an exception the program expected."""
        return bool(self.records) and all(j.expected for j in self.records)


@dataclass(frozen=True)
class Comparison:
    way: Way
    ratio: float  # wall time, instrumented / bare
    differences: tuple[Difference, ...]
    records: tuple[Judged, ...]
    tests: int

    @property
    def unexplained(self) -> tuple[Difference, ...]:
        """Differences not caused by healing an exception the program expected."""
        return tuple(d for d in self.differences if not d.about_expected_exceptions)

    @property
    def unexpected_records(self) -> tuple[Judged, ...]:
        return tuple(j for j in self.records if not j.expected)


def _expected_keys(observe: Run) -> set[tuple[str, ...]]:
    """What the program caught itself, seen in observe mode (where selfheal re-raises):
    (test, function, exception) of each record in a passing test, and (function,
    exception) alone, for a heal run where the same failure is stored under another
    test (a failure already stored is not stored again)."""
    caught = [
        r for r in observe.records
        if observe.outcomes.get(r.test, "").partition(" ")[0] == "passed"
    ]  # fmt: skip
    return {(r.test, r.function, r.exception) for r in caught} | {
        (r.function, r.exception) for r in caught
    }


def compare(bare: Run, other: Run, observe: Run) -> Comparison:
    expected = _expected_keys(observe)
    judged = tuple(
        Judged(
            r,
            (r.test, r.function, r.exception) in expected
            or (r.function, r.exception) in expected,
        )
        for r in other.records
    )
    differences = []
    for test in sorted(set(bare.outcomes) | set(other.outcomes)):
        before, after = bare.outcomes.get(test, "absent"), other.outcomes.get(test, "absent")
        if before != after:
            mine = tuple(j for j in judged if j.record.test == test)
            differences.append(Difference(test, before, after, mine))
    return Comparison(
        way=other.way,
        ratio=other.seconds / bare.seconds if bare.seconds else float("inf"),
        differences=tuple(differences),
        records=judged,
        tests=len(bare.outcomes),
    )


def describe(name: str, comparison: Comparison, limit: int = 40) -> str:
    """A readable account of one comparison (for test failures and by hand)."""
    c = comparison
    expected = sum(j.expected for j in c.records)
    lines = [
        f"{name} ({c.way}): {c.tests} tests, {len(c.differences)} differ "
        f"({len(c.unexplained)} not about expected exceptions), {len(c.records)} records "
        f"({expected} of exceptions the program expected), wall time {c.ratio:.2f}x bare",
    ]
    for d in c.differences[:limit]:
        why = "expected exception healed" if d.about_expected_exceptions else "UNEXPLAINED"
        lines.append(f"  differs: {d.test}: {d.bare} -> {d.instrumented} [{why}]")
        for j in d.records:
            lines.append(f"      record {_one(j)}")
    shown = {j.record.id for d in c.differences for j in d.records}
    rest = [j for j in c.records if j.record.id not in shown]
    for j in rest[:limit]:
        lines.append(f"  record in {j.record.test}: {_one(j)}")
    if len(rest) > limit:
        lines.append(f"  ... {len(rest) - limit} more records")
    return "\n".join(lines)


def _one(j: Judged) -> str:
    r = j.record
    tag = "expected by the program" if j.expected else "NOT expected"
    return f"{r.function} raised {r.exception}: {r.message!r} ({tag}; {r.status})"


@dataclass
class SuiteResult:
    suite: Suite
    runs: dict[str, Run] = field(default_factory=dict)

    def comparison(self, way: Way) -> Comparison:
        return compare(self.runs["bare"], self.runs[way], self.runs["observe"])


def run_all_ways(
    suite: Suite, scratch: Path, ways: Sequence[Way] = ("bare", "observe", "heal")
) -> SuiteResult:
    project = prepare(suite, scratch)
    result = SuiteResult(suite)
    for way in ways:
        result.runs[way] = run(suite, project, way, scratch / f"{suite.name}-work")
    return result


def main(argv: Sequence[str]) -> int:
    import tempfile

    names = argv or [s.name for s in SUITES]
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            result = run_all_ways(SUITES_BY_NAME[name], Path(tmp))
            for way in ("observe", "heal"):
                print(describe(name, result.comparison(way)))  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
