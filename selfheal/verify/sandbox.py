"""The process boundary: every candidate runs here, and only here.

Owns: the `Sandbox` verifier. The parent compiles each candidate under the static policy
(`policy.compile_candidate`, cached), then forks a worker that checks a batch of
candidates one after another and streams one JSON line per layer start and per verdict
back over a pipe (never a pickle: the child runs untrusted code). The parent enforces a
wall-clock deadline per candidate: a worker that hangs, crashes, exits or runs out of
memory is killed and reaped, that candidate fails with the reason, and a fresh worker
takes the remaining candidates. Inside the worker (`_Worker`), the environment loses its
secrets, the candidate is installed on the live function by a code swap, the guards and
an audit hook are installed, and the oracle layers run in order (see `selfheal.verify`).

A candidate's results are untrusted twice over. In the worker, whatever is done with one
after the call (compare, describe, test for truth) runs watched, as candidate code does
(`_Worker.judge`), and plain values are compared by exact type (`compare`). In the
parent, the texts a verdict echoes are bounded and redacted, transformed forms of a
secret included, before anything keeps them (`_untrusted_layer`).

Batching trades isolation between candidates for speed (a fork costs 1-12 ms): a
candidate could leave state behind (a mutated module-level cache) that changes how a
later candidate in the same worker behaves. Failures are safe either way; a pass is not,
so by default a candidate that passes after others in the same worker is checked again
as the first candidate of a fresh worker, and only that verdict counts.

It must not mutate the parent: nothing here installs anything in the calling process.
Needs `os.fork` (Linux, macOS); elsewhere `isolate` refuses to import.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import faulthandler
import importlib
import itertools
import json
import os
import secrets
import select
import signal
import sys
import time
import types
import typing
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from selfheal.errors import SandboxError
from selfheal.models import Call, Candidate, CandidateOutcome, LayerResult, RecordedCall, Verdict
from selfheal.scrub import redact_untrusted, safe_repr
from selfheal.verify.compare import is_plain, same_result
from selfheal.verify.describe import describe_call
from selfheal.verify.generated import check_generated
from selfheal.verify.guards import (
    GuardState,
    make_audit_hook,
    make_guards,
    protected_stdlib_state,
)
from selfheal.verify.isolate import (
    close_writable_fds,
    fork_child,
    names_in,
    restrict_environment,
    set_limits,
)
from selfheal.verify.plan import VerificationPlan, same_input
from selfheal.verify.policy import CompiledCandidate, compile_candidate, function_kind

try:
    import resource
except ImportError:  # pragma: no cover - not POSIX
    resource = None  # type: ignore[assignment]

__all__ = ["Sandbox", "same_result"]

_T = TypeVar("_T")

LAYERS: tuple[str, ...] = (
    "failing", "recorded", "examples", "properties", "checks", "hypothesis",
)
_DETAIL_LIMIT = 300
TIMEOUT_PREFIX = "timeout:"  # how a violation of the check timer starts
_MAX_LINE = 1 << 20  # a verdict line is a few KB; more means something else is writing


# ============================================================================ descriptions


_IMMUTABLE = (int, float, complex, str, bytes, bool, type(None), range, frozenset)


def _immutable(value: Any, depth: int = 0) -> bool:
    if type(value) in _IMMUTABLE:
        return True
    if type(value) is tuple and depth < 3:
        return all(_immutable(v, depth + 1) for v in value)
    return False


def _is_defaultish(value: Any) -> bool:
    """None, or an empty/zero value of a builtin type: what a swallowed failure returns."""
    if value is None:
        return True
    if type(value) in (int, float, complex, str, bytes, list, dict, tuple, set, frozenset,
                       bool):
        return not value
    return False




# ============================================================================ the worker


@dataclass
class _Layer:
    name: str
    passed: bool = True
    ran: int = 0
    detail: str = ""
    counterexample: str | None = None
    disagreed: int = 0
    guess: bool = False

    def fail(self, detail: str, counterexample: str | None = None) -> _Layer:
        self.passed = False
        self.detail = detail[:_DETAIL_LIMIT]
        self.counterexample = counterexample
        return self

    def as_json(self) -> dict[str, Any]:
        return {"layer": self.name, "passed": self.passed, "ran": self.ran,
                "detail": self.detail, "counterexample": self.counterexample,
                "disagreed": self.disagreed, "guess": self.guess}


class _Worker:
    """Runs in the forked child: checks candidates in order, one JSON line each."""

    def __init__(self, plan: VerificationPlan, write_fd: int, generator_cap: int,
                 token: str = "") -> None:
        self.token = token
        self.plan = plan
        self.fd = write_fd
        self.cap = generator_cap
        self.limits = plan.limits
        # (mypy reads a FunctionType-typed dataclass field as a bound method)
        self.target = typing.cast(types.FunctionType, plan.live or plan.function)
        self.original_code = plan.function.__code__
        self.kind = function_kind(self.original_code)
        self.state = GuardState(namespace=self.target.__globals__)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.cache: list[tuple[Call, Any]] = []  # (input, candidate result) for properties
        self.timer_s = plan.limits.check_timeout_s  # the running check's time limit
        self.slowest = 0.0  # the candidate's slowest call: the base of its live time budget

    # ------------------------------------------------------------------ setup

    def setup(self) -> None:
        limits = self.limits
        set_limits(None, limits.cpu_s)
        _limit_address_space(limits.memory_mb)
        if resource is not None and hasattr(resource, "RLIMIT_NPROC"):
            try:  # no new processes; root ignores it (the audit hook refuses them for root)
                _soft, hard = resource.getrlimit(resource.RLIMIT_NPROC)
                resource.setrlimit(resource.RLIMIT_NPROC, (0, hard))
            except (ValueError, OSError):
                pass
        # With RLIMIT_FSIZE=0 a write would kill the worker with SIGXFSZ; an error is better.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        signal.signal(signal.SIGALRM, self._on_alarm)
        warnings.simplefilter("ignore")
        # Output of the code under test (and a crash dump) is noise on the user's terminal.
        faulthandler.disable()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
        close_writable_fds(keep=self.fd)
        # Before the audit hook (unsetenv is audited): what the child cannot read, no
        # candidate can leak, in whatever form.
        restrict_environment(names_in(self.plan.function.__code__))
        self._quiet_hypothesis()
        self.target.__globals__.update(make_guards(self.state))
        if self.kind in ("coroutine", "async_generator"):
            # Created before the audit hook: the loop's self-pipe is a socket pair.
            self.loop = asyncio.new_event_loop()
        sys.addaudithook(make_audit_hook(self.state))
        # Also for the user's own @given checks, which would otherwise parse every local
        # module within their check's time limit (the more modules, the likelier a timeout).
        if (self.plan.hypothesis or self.plan.checks) and "hypothesis" in sys.modules:
            self._hypothesis_constants()

    def _hypothesis_constants(self) -> None:
        """Hypothesis draws constants found in the project's modules; finding them parses
        every local module (about 0.1 s, in every worker). The target's own module holds
        the constants that matter for it, so only that one is read. Relies on Hypothesis
        internals; if they change, Hypothesis scans everything as usual."""
        try:
            # only when Hypothesis is in use; internals, guarded below
            from hypothesis.internal.conjecture import providers
            from hypothesis.internal.constants_ast import constants_from_module

            module = sys.modules.get(self.plan.function.__module__)
            # active: the cache file Hypothesis would write is refused (it handles that)
            self.state.active = True
            try:
                if module is not None:
                    providers._local_constants |= constants_from_module(module)
            finally:
                self.state.active = False
            providers._seen_modules.update(id(m) for m in list(sys.modules.values()))
            providers._sys_modules_len = len(sys.modules)
        except Exception:
            pass

    @staticmethod
    def _quiet_hypothesis() -> None:
        # The user's @given checks must not write an example database from the sandbox.
        # Not imported: then no check is a Hypothesis test (and importing costs 60 ms).
        if "hypothesis" not in sys.modules:
            return
        try:
            # imported already (checked above): this only binds the names
            from hypothesis import Phase, settings

            # No deadline: checks run slower under the sandbox's tracer than in the tests.
            # No shrinking: the layer needs pass or fail, and shrinking a failure under
            # the tracer can outlast the check's time limit.
            settings.register_profile("selfheal-sandbox", database=None, print_blob=False,
                                      deadline=None, phases=[Phase.explicit, Phase.generate])
            settings.load_profile("selfheal-sandbox")
        except Exception:
            pass

    def _on_alarm(self, signum: int, frame: types.FrameType | None) -> None:
        # A late alarm, delivered while the worker cleans up after a check, is ignored.
        if not self.state.active:
            return
        raise self.state.flag(f"{TIMEOUT_PREFIX} a check ran longer than {self.timer_s}s")

    def send(self, obj: dict[str, Any]) -> None:
        obj["k"] = self.token
        data = (json.dumps(obj, default=str) + "\n").encode()
        view = memoryview(data)
        while view:
            written = os.write(self.fd, view)
            view = view[written:]

    # ------------------------------------------------------------------ running code

    def _copy(self, call: Call) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """Fresh inputs for each run: a candidate that mutates its arguments must not
        change what the next check sees."""
        if all(map(_immutable, call.args)) and all(map(_immutable, call.kwargs.values())):
            return tuple(call.args), dict(call.kwargs)
        try:
            return copy.deepcopy((tuple(call.args), dict(call.kwargs)))
        except Exception:  # an uncopyable input: pass the same objects
            return tuple(call.args), dict(call.kwargs)

    def _materialize(self, value: Any) -> Any:
        if self.kind == "coroutine" and self.loop is not None and asyncio.iscoroutine(value):
            return self.loop.run_until_complete(value)
        if self.kind == "generator" and isinstance(value, types.GeneratorType):
            return list(itertools.islice(value, self.cap))
        if self.kind == "async_generator" and self.loop is not None and isinstance(
            value, types.AsyncGeneratorType
        ):
            return self.loop.run_until_complete(_collect(value, self.cap))
        return value

    def _watch(self, limit: float | None = None) -> None:
        """The check timer, the tracer and the audit hook on, until `_quiesce`.

        `limit` (at most the plan's check timeout) shortens the timer for one call."""
        state = self.state
        timeout = self.limits.check_timeout_s
        if limit is not None:
            timeout = max(0.001, min(timeout, limit))
        self.timer_s = timeout
        # Order matters: the audit hook treats sys.settrace while active as lost tracing,
        # and the alarm handler does nothing while inactive.
        sys.settrace(state.tracer)
        state.active = True
        signal.setitimer(signal.ITIMER_REAL, timeout, 0.1)

    def invoke(self, func: Callable[..., Any], call: Call | None = None,
               materialize: bool = True, timeout_s: float | None = None,
               ) -> tuple[bool, Any, BaseException | None]:
        """Call `func` under the check timer, the tracer and the audit hook.

        `timeout_s` (at most the plan's check timeout) shortens the timer for one call."""
        args, kwargs = self._copy(call) if call is not None else ((), {})
        self._watch(timeout_s)
        try:
            value = func(*args, **kwargs)
            if materialize:
                value = self._materialize(value)
            return True, value, None
        except BaseException as exc:
            return False, None, exc
        finally:
            self._quiesce()

    # ------------------------------------------------------------------ judging results

    # A candidate's result, or an exception it raised, may carry its code: an object
    # whose __eq__, __repr__, __hash__, __bool__, __len__ or __iter__ it wrote. Whatever
    # the worker does with such a value (compare, describe, test for truth) runs like
    # candidate code: watched, so the audit hook sees what those methods do and the
    # timer stops them. Plain values (exact builtin types) need none of it.

    def judge(self, work: Callable[[], _T], failed: _T) -> _T:
        """`work()` watched; `failed` if it raised (a violation is flagged as usual)."""
        self._watch()
        try:
            return work()
        except BaseException:
            return failed
        finally:
            self._quiesce()

    def same(self, expected: Any, actual: Any, strict_type: bool = True) -> bool:
        if is_plain(expected) and is_plain(actual):
            return same_result(expected, actual, strict_type)
        return self.judge(lambda: bool(same_result(expected, actual, strict_type)), False)

    def show(self, value: Any, limit: int) -> str:
        if is_plain(value):
            return safe_repr(value, limit)
        fallback = f"<a {_type_name(value)} object>"
        return self.judge(lambda: safe_repr(value, limit), fallback)

    def truthy(self, value: Any) -> bool:
        if type(value) is bool or value is None:
            return bool(value)
        return self.judge(lambda: bool(value), False)

    def describe_exc(self, exc: BaseException) -> str:
        name = _type_name(exc)
        if type(exc).__module__ == "builtins" and all(map(is_plain, exc.args)):
            return f"{name}: {safe_repr(str(exc), 160)}"
        return f"{name}: " + self.judge(lambda: safe_repr(str(exc), 160), "(no message)")

    def _quiesce(self) -> None:
        self.state.active = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.settrace(None)

    def call_candidate(self, call: Call) -> tuple[bool, Any, BaseException | None]:
        started = time.perf_counter()
        try:
            return self.invoke(self.target, call)
        finally:
            self.slowest = max(self.slowest, time.perf_counter() - started)

    def call_original(self, call: Call, candidate_code: types.CodeType,
                      timeout_s: float | None = None) -> tuple[bool, Any]:
        """The reference behaviour: the original code, installed for this one call so that
        its recursion reaches the original too. Violations it triggers are not the
        candidate's."""
        saved = self.state.violation
        try:
            self.target.__code__ = self.original_code
        except ValueError:  # a live closure that does not fit: call the plain copy
            ok, value, _exc = self.invoke(self.plan.function, call, timeout_s=timeout_s)
            self.state.violation = saved
            return ok, value
        try:
            ok, value, _exc = self.invoke(self.target, call, timeout_s=timeout_s)
        finally:
            self.target.__code__ = candidate_code
            self.state.violation = saved
        return ok, value

    # ------------------------------------------------------------------ one candidate

    def check(self, index: int, compiled: CompiledCandidate) -> None:
        started = time.perf_counter()
        state = self.state
        state.reset(compiled.code_objects, compiled.module_attributes, compiled.allowed_imports,
                    compiled.writable_globals)
        self.cache = []
        self.slowest = 0.0
        self._renew_cpu_limit()
        layers: list[_Layer] = []
        try:
            self.target.__code__ = compiled.code
            for name in LAYERS:
                self.send({"i": index, "start": name})
                layer = _Layer(name)
                layers.append(layer)
                getattr(self, f"layer_{name}")(layer, compiled)
                if state.violation and layer.detail != state.violation:
                    # what the candidate tried outweighs what it returned
                    layer.fail(state.violation, layer.counterexample)
                if not layer.passed:
                    break
        except BaseException as exc:  # the worker's own code was interrupted (late alarm)
            self._quiesce()
            layer = layers[-1] if layers else _Layer("failing")
            if not layers:
                layers.append(layer)
            layer.fail(state.violation or f"the check was interrupted: {self.describe_exc(exc)}")
        # The candidate's results die here, while it is still the candidate checked: a
        # `finally` of a generator it returned runs now, and what it does is its own.
        self.cache = []
        if state.violation and layers and all(la.passed for la in layers):
            layers[-1].fail(state.violation)
        self.send({"i": index, "layers": [la.as_json() for la in layers],
                   "t": time.perf_counter() - started, "s": self.slowest})

    def _renew_cpu_limit(self) -> None:
        """Give each candidate its own CPU allowance: RLIMIT_CPU counts the whole worker."""
        if resource is None or not self.limits.cpu_s:
            return
        try:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            used = int(usage.ru_utime + usage.ru_stime) + 1
            _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
            soft = used + self.limits.cpu_s
            if hard != resource.RLIM_INFINITY:
                soft = min(soft, hard)
            resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
        except (ValueError, OSError):
            pass

    def _fail_from(self, layer: _Layer, exc: BaseException | None, call: Call | None,
                   what: str) -> None:
        where = describe_call(call) if call is not None else None
        if self.state.violation:
            layer.fail(self.state.violation, where)
        elif exc is not None:
            layer.fail(f"{what} raises {self.describe_exc(exc)}", where)
        else:
            layer.fail(what, where)

    # ------------------------------------------------------------------ layers

    def layer_failing(self, layer: _Layer, compiled: CompiledCandidate) -> None:
        plan = self.plan
        call = plan.failing
        if call is None:
            layer.detail = "no failing call in the plan"
            return
        layer.ran = 1
        ok, value, exc = self.call_candidate(call)
        if not ok or self.state.violation:
            self._fail_from(layer, exc, call, "the failing call")
            return
        self.cache.append((call, value))
        if plan.failing_kind == "property":
            for prop in plan.properties:
                if not self._property_holds(layer, prop, call, value):
                    return
        self._check_swallow(layer, call, value)

    def _check_swallow(self, layer: _Layer, call: Call, value: Any) -> None:
        plan = self.plan
        if not _is_defaultish(value):
            return
        seen = [r.result for r in plan.recorded] + [e.expected for e in plan.examples]
        if not seen:
            return
        if value is None:
            if any(r is None for r in seen):
                return
        elif any(_is_defaultish(r) for r in seen):
            return
        covered = bool(plan.properties) or any(
            same_result(tuple(e.args), tuple(call.args), strict_type=False)
            and same_result(dict(e.kwargs), dict(call.kwargs), strict_type=False)
            for e in plan.examples
        )
        if covered:
            return
        # Observed, not judged: whether the empty value was invented (a guess, see
        # `selfheal.verify.invented`) or computed by a neutral guard is the search's call.
        layer.guess = True
        layer.detail = (f"may swallow the failure: returns {self.show(value, 40)} on the "
                        "failing input, where the original returned a value on all "
                        f"{len(seen)} recorded calls and examples")[:_DETAIL_LIMIT]

    def layer_recorded(self, layer: _Layer, compiled: CompiledCandidate) -> None:
        wrong = 0
        superseded = self.plan.superseded
        notes: list[str] = []
        for index, rec in enumerate(self.plan.recorded):
            if index in superseded:
                # The example for this input is checked in the examples layer.
                if self._contradicts_an_example(rec):
                    notes.append(describe_call(rec.call))
                continue
            layer.ran += 1
            ok, value, exc = self.call_candidate(rec.call)
            if not ok or self.state.violation:
                self._fail_from(layer, exc, rec.call, "a recorded call")
                return
            # A recorded result that breaks a property is the bug, not behaviour to keep
            # (the properties layer checks the candidate's result on this input instead).
            if self.plan.properties and not all(
                self.holds_quietly(p, rec.call, rec.result) for p in self.plan.properties
            ):
                wrong += 1
                self.cache.append((rec.call, value))
                continue
            if not self.same(rec.result, value):
                layer.fail(f"returns {self.show(value, 100)} where the original returned "
                           f"{self.show(rec.result, 100)}", describe_call(rec.call))
                return
            self.cache.append((rec.call, value))
        details = []
        if wrong:
            details.append(f"{wrong} recorded results break a property: not compared")
        if notes:
            what = "a recorded call contradicts" if len(notes) == 1 else (
                f"{len(notes)} recorded calls contradict")
            details.append(f"{what} an example, which wins: " + ", ".join(notes))
        layer.detail = "; ".join(details)

    def _contradicts_an_example(self, rec: RecordedCall) -> bool:
        """Does the original's recorded result differ from what an example expects?"""
        for example in self.plan.examples:
            if not same_input(rec.call, example.call):
                continue
            if example.compare is None:
                if not same_result(example.expected, rec.result, strict_type=False):
                    return True
                continue
            good, verdict, _exc = self.invoke(example.compare, Call((rec.result,
                                                                    example.expected)),
                                              materialize=False)
            if not (good and self.truthy(verdict)):
                return True
        return False

    def layer_examples(self, layer: _Layer, compiled: CompiledCandidate) -> None:
        for example in self.plan.examples:
            layer.ran += 1
            call = example.call
            ok, value, exc = self.call_candidate(call)
            if not ok or self.state.violation:
                self._fail_from(layer, exc, call, "an example")
                return
            if example.compare is not None:
                good, verdict, cexc = self.invoke(example.compare, Call((value, example.expected)),
                                                  materialize=False)
                matches = good and self.truthy(verdict)
                if not good and not self.state.violation and cexc is not None:
                    layer.fail(f"the example's compare raises {self.describe_exc(cexc)}",
                               describe_call(call))
                    return
            else:
                matches = self.same(example.expected, value, strict_type=False)
            if not matches or self.state.violation:
                if self.state.violation:
                    layer.fail(self.state.violation, describe_call(call))
                else:
                    layer.fail(f"returns {self.show(value, 100)}, the example expects "
                               f"{self.show(example.expected, 100)}", describe_call(call))
                return
            self.cache.append((call, value))

    def _property_holds(self, layer: _Layer, prop: Callable[..., Any], call: Call,
                        value: Any) -> bool:
        name = getattr(prop, "__name__", "property")
        args, kwargs = self._copy(call)
        ok, verdict, exc = self.invoke(prop, Call((value, *args), kwargs), materialize=False)
        if not ok or self.state.violation:
            self._fail_from(layer, exc, call, f"property {name}")
            return False
        # None passes: a property may assert instead of returning a bool.
        if verdict is not None and not self.truthy(verdict):
            layer.fail(f"property {name} is false for result {self.show(value, 100)}",
                       describe_call(call))
            return False
        return True

    def layer_properties(self, layer: _Layer, compiled: CompiledCandidate) -> None:
        plan = self.plan
        if not plan.properties:
            layer.detail = "no properties"
            return
        inputs: list[tuple[Call, Any]] = []
        seen_failing = False
        for call, value in self.cache:
            if call is plan.failing:
                if seen_failing or plan.failing_kind == "property":
                    continue  # checked in the failing layer
                seen_failing = True
            inputs.append((call, value))
        for call, value in inputs:
            for prop in plan.properties:
                layer.ran += 1
                if not self._property_holds(layer, prop, call, value):
                    return

    def layer_checks(self, layer: _Layer, compiled: CompiledCandidate) -> None:
        for check in self.plan.checks:
            layer.ran += 1
            name = getattr(check, "__name__", None) or safe_repr(check, 80)
            ok, _value, exc = self.invoke(check, None, materialize=False)
            if not ok or self.state.violation:
                if self.state.violation:
                    layer.fail(self.state.violation, name)
                else:
                    assert exc is not None
                    layer.fail(f"check {name} fails: {self.describe_exc(exc)}", name)
                return

    def layer_hypothesis(self, layer: _Layer, compiled: CompiledCandidate) -> None:
        check_generated(self, layer, compiled.code)

    timeout_prefix = TIMEOUT_PREFIX

    def same_result(self, expected: Any, actual: Any) -> bool:
        return self.same(expected, actual)

    def holds_quietly(self, prop: Callable[..., Any], call: Call, value: Any) -> bool:
        """Does the property hold? A raise counts as no; nothing is flagged."""
        saved = self.state.violation
        args, kwargs = self._copy(call)
        ok, verdict, _exc = self.invoke(prop, Call((value, *args), kwargs), materialize=False)
        if self.state.violation and not saved:
            return False  # the candidate's result made the property misbehave: keep the flag
        return ok and (verdict is None or self.truthy(verdict))

    def original_misses_an_example(self, candidate_code: types.CodeType) -> bool:
        for example in self.plan.examples:
            ok, value = self.call_original(example.call, candidate_code)
            if not ok:
                continue  # a crash, not a wrong result
            if example.compare is not None:
                good, verdict, _ = self.invoke(example.compare, Call((value, example.expected)),
                                               materialize=False)
                if not (good and self.truthy(verdict)):
                    return True
            elif not self.same(example.expected, value, strict_type=False):
                return True
        return False


async def _collect(agen: Any, cap: int) -> list[Any]:
    out: list[Any] = []
    async for item in agen:
        out.append(item)
        if len(out) >= cap:
            break
    return out


def _type_name(value: Any) -> str:
    """The name of `value`'s class, read from the class itself (no method of it runs)."""
    name = type.__dict__["__name__"].__get__(type(value))
    return name if isinstance(name, str) else "object"


def _limit_address_space(memory_mb: int) -> None:
    """Allow the worker `memory_mb` of address space beyond what the forked copy of the
    parent already maps (an absolute limit below the parent's size would stop it at once)."""
    if resource is None or not memory_mb:
        return
    current = 0
    try:
        with open("/proc/self/statm", "rb") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        current = 0
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        value = current + memory_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(resource.RLIMIT_AS, (value, hard))
    except (ValueError, OSError):
        pass


def _child_main(plan: VerificationPlan, jobs: Sequence[tuple[int, CompiledCandidate]],
                read_fd: int, write_fd: int, generator_cap: int, token: str) -> None:
    """Entry point of the forked worker. Never returns: the child must not run the
    parent's code after the fork (test runners, atexit handlers, finalizers)."""
    code = 0
    try:
        os.close(read_fd)
        worker = _Worker(plan, write_fd, generator_cap, token)
        worker.setup()
        worker.send({"ready": True})
        for index, compiled in jobs:
            worker.check(index, compiled)
    except BaseException:
        code = 70
    finally:
        os._exit(code)


# ============================================================================ the parent


class _Child:
    """The parent's handle on one worker: pid, pipe, line buffer, deadline."""

    def __init__(self, plan: VerificationPlan, jobs: list[tuple[int, CompiledCandidate]],
                 generator_cap: int) -> None:
        self.jobs = [i for i, _ in jobs]
        self.position = 0  # index into self.jobs of the candidate being checked
        self.layer = "failing"  # the layer the current candidate is in
        self.buffer = b""
        self.pid = 0
        self.token = secrets.token_hex(16)
        read_fd, write_fd = os.pipe()
        pid = fork_child()
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            _child_main(plan, jobs, read_fd, write_fd, generator_cap, self.token)
        self.pid = pid
        os.close(write_fd)
        self.fd: int | None = read_fd

    def covers(self, index: int) -> bool:
        return self.fd is not None and index in self.jobs[self.position:]

    def is_first(self, index: int) -> bool:
        return bool(self.jobs) and self.jobs[0] == index

    def read_line(self, deadline: float) -> tuple[dict[str, Any] | None, str]:
        """The next JSON line, or (None, why): "timeout", "eof"."""
        while True:
            newline = self.buffer.find(b"\n")
            if newline >= 0:
                line, self.buffer = self.buffer[:newline], self.buffer[newline + 1:]
                try:
                    value = json.loads(line)
                except ValueError:
                    return None, "unreadable result from the worker"
                # A candidate that can write to a file descriptor (the original uses
                # os.write, say) could forge a verdict; it cannot read the token.
                if not isinstance(value, dict) or value.pop("k", None) != self.token:
                    return None, "forged or corrupted result from the worker"
                return value, ""
            if len(self.buffer) > _MAX_LINE:
                return None, "oversized result from the worker"
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or self.fd is None:
                return None, "timeout" if self.fd is not None else "eof"
            # poll, not select: a busy server's descriptors can be numbered above 1024
            poller = select.poll()
            poller.register(self.fd, select.POLLIN | select.POLLHUP | select.POLLERR)
            ready = poller.poll(max(1, int(remaining * 1000)))
            if not ready:
                continue
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return None, "eof"
            self.buffer += chunk

    def exit_reason(self) -> str:
        """Reap the child after EOF and say how it ended."""
        status = _reap(self.pid, time.perf_counter() + 1.0)
        self.pid = 0
        if status is None:
            return "did not exit after closing its pipe (killed)"
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else sig
            return f"the worker crashed ({name})"
        return f"the worker exited (status {os.WEXITSTATUS(status)})"

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0


def _reap(pid: int, deadline: float) -> int | None:
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return 0
        if done:
            return status
        if time.perf_counter() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            return None
        time.sleep(0.0005)


class Sandbox:
    """The default `Verifier`: static policy in the parent, everything dynamic in forked
    workers with resource limits.

    `verify` is lazy: the iterator yields one outcome per candidate, in order; closing it
    (or dropping it) kills and reaps any worker still running.
    """

    def __init__(
        self,
        *,
        confirm_in_fresh_worker: bool = True,
        max_batch: int = 256,
        first_batch: int = 4,
        startup_timeout_s: float = 10.0,
        generator_cap: int = 10_000,
    ) -> None:
        self.confirm_in_fresh_worker = confirm_in_fresh_worker
        self.max_batch = max(1, max_batch)
        self.first_batch = max(1, first_batch)
        self.startup_timeout_s = startup_timeout_s
        self.generator_cap = generator_cap

    def verify(
        self, plan: VerificationPlan, candidates: Sequence[Candidate]
    ) -> Iterator[CandidateOutcome]:
        return self._run(plan, list(candidates))

    # ------------------------------------------------------------------ internals

    def _run(self, plan: VerificationPlan,
             candidates: list[Candidate]) -> Iterator[CandidateOutcome]:
        _preimport(plan.allowed_imports)
        if plan.hypothesis:
            _preimport(("hypothesis", "hypothesis.strategies"))
        protected_stdlib_state(plan.allowed_imports)  # once here, not in every worker
        n = len(candidates)
        static: dict[int, CandidateOutcome] = {}
        compiled: dict[int, CompiledCandidate] = {}
        compile_time: dict[int, float] = {}
        compiled_until = 0
        batch = self.first_batch
        child: _Child | None = None
        pos = 0
        try:
            while pos < n:
                if pos >= compiled_until:
                    end = min(n, pos + batch)
                    batch = min(batch * 4, self.max_batch)
                    for i in range(pos, end):
                        started = time.perf_counter()
                        code, violations = compile_candidate(
                            candidates[i].source, plan.function, plan.allowed_imports)
                        compile_time[i] = time.perf_counter() - started
                        if code is None:
                            static[i] = _policy_failure(candidates[i], violations,
                                                        compile_time[i])
                        else:
                            compiled[i] = code
                    compiled_until = end
                if pos in static:
                    yield static.pop(pos)
                    pos += 1
                    continue
                if child is None or not child.covers(pos):
                    if child is not None:
                        child.close()
                    child = self._start(plan, [(i, compiled[i]) for i in range(pos, compiled_until)
                                               if i in compiled])
                outcome, broken = self._next_result(child, plan, candidates[pos], pos,
                                                    compile_time[pos])
                if broken:
                    child.close()
                    child = None
                elif (outcome.verdict.ok and self.confirm_in_fresh_worker
                      and not child.is_first(pos)):
                    # Passed after other candidates ran in this worker: check again in a
                    # pristine copy of the parent before the pass counts.
                    child.close()
                    child = None
                    continue
                yield outcome
                pos += 1
        finally:
            if child is not None:
                child.close()

    def _start(self, plan: VerificationPlan,
               jobs: list[tuple[int, CompiledCandidate]]) -> _Child:
        child = _Child(plan, jobs, self.generator_cap)
        ready, why = child.read_line(time.perf_counter() + self.startup_timeout_s)
        if ready is None or not ready.get("ready"):
            reason = why if why != "eof" else child.exit_reason()
            child.close()
            raise SandboxError(f"the sandbox worker did not start: {reason}")
        return child

    def _next_result(self, child: _Child, plan: VerificationPlan, candidate: Candidate,
                     index: int, compile_s: float) -> tuple[CandidateOutcome, bool]:
        """Read lines until the verdict for `index`; (outcome, worker is broken)."""
        limit = plan.limits.candidate_timeout_s
        started = time.perf_counter()
        deadline = started + limit
        policy = LayerResult(layer="policy", passed=True, ran=1, detail="compiled under the policy")
        child.layer = "failing"
        while True:
            line, why = child.read_line(deadline)
            if line is None:
                if why == "timeout":
                    detail = f"timeout: the candidate ran longer than {limit}s (worker killed)"
                elif why == "eof":
                    detail = f"{child.exit_reason()} during the {child.layer} layer"
                else:
                    detail = why
                layer = LayerResult(layer=child.layer, passed=False, detail=detail)  # type: ignore[arg-type]
                return _outcome(candidate, [policy, layer], compile_s
                                + time.perf_counter() - started), True
            if line.get("i") != index:
                layer = LayerResult(layer=child.layer, passed=False,  # type: ignore[arg-type]
                                    detail="the worker answered out of order")
                return _outcome(candidate, [policy, layer], compile_s), True
            if "start" in line:
                if line["start"] in LAYERS:
                    child.layer = str(line["start"])
                continue
            child.position += 1
            try:
                layers = [policy] + [LayerResult.model_validate(_untrusted_layer(x))
                                     for x in line["layers"]]
                duration = float(line.get("t", 0.0))
                slowest = float(line.get("s", 0.0))
            except Exception:
                layer = LayerResult(layer=child.layer, passed=False,  # type: ignore[arg-type]
                                    detail="unreadable verdict from the worker")
                return _outcome(candidate, [policy, layer], compile_s), True
            return _outcome(candidate, layers, compile_s + duration, slowest), False


def _outcome(candidate: Candidate, layers: list[LayerResult], duration: float,
             slowest: float = 0.0) -> CandidateOutcome:
    failed = next((x for x in layers if not x.passed), None)
    reason = ""
    if failed is not None:
        reason = f"{failed.layer}: {failed.detail}"[:_DETAIL_LIMIT]
    return CandidateOutcome(
        candidate=candidate,
        verdict=Verdict(candidate_id=candidate.id, ok=failed is None and bool(layers),
                        layers=tuple(layers), reason=reason, duration_s=duration,
                        slowest_call_s=max(0.0, slowest)),
    )


def _untrusted_layer(raw: Any) -> Any:
    """A layer as the worker reported it, its texts made fit to keep: they echo what the
    candidate returned or raised, so they are bounded and redacted, transformed forms of
    a secret included, before a record, a log or an engine's next prompt sees them."""
    if not isinstance(raw, dict):
        return raw
    layer = dict(raw)
    layer["detail"] = redact_untrusted(str(layer.get("detail") or ""), _DETAIL_LIMIT)
    if layer.get("counterexample") is not None:
        layer["counterexample"] = redact_untrusted(str(layer["counterexample"]), _DETAIL_LIMIT)
    return layer


def _policy_failure(candidate: Candidate, violations: Sequence[Any],
                    duration: float) -> CandidateOutcome:
    first = violations[0] if violations else None
    detail = redact_untrusted("; ".join(str(v) for v in violations),
                              _DETAIL_LIMIT) or "rejected by the policy"
    layer = LayerResult(layer="policy", passed=False, ran=1, detail=detail,
                        counterexample=f"line {first.line}" if first and first.line else None)
    return _outcome(candidate, [layer], duration)


_preimported: set[str] = set()


def _preimport(modules: Sequence[str]) -> None:
    """Import the allowed modules in the parent once, so a candidate's import in the
    worker finds them loaded (a first import there would run the import machinery under
    the audit hook)."""
    for name in modules:
        if name in _preimported:
            continue
        _preimported.add(name)
        with contextlib.suppress(Exception):
            importlib.import_module(name)
