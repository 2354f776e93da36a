"""The heal loop: the only module that knows the order of the stages.

capture -> propose and verify (`search`) -> swap -> store, for one failure of a live
function; the caller's side (retry, fallback, notes) is `request`'s. `heal()` returns a
Decision: a patched function to retry the call on, or why there is none.

It must not decide what the caller sees; it must save a record before a patch goes
live, so nothing runs that a person cannot review.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from selfheal import telemetry
from selfheal.errors import SelfHealError
from selfheal.function.live import LivePatch
from selfheal.function.options import Effective
from selfheal.function.source import parameter_names
from selfheal.function.target import Target, live_patches
from selfheal.heal import capture, swap
from selfheal.heal.outcomes import (
    Learnt,
    PastOutcomes,
    past_outcomes,
    project_learning,
    records_of,
)
from selfheal.heal.replay import stored_inputs
from selfheal.heal.search import HealInputs, HealResult, search
from selfheal.models import (
    Call,
    FailureReport,
    Fingerprint,
    PatchRecord,
    PatchStatus,
    StatusChange,
    StoredCall,
)
from selfheal.priors import Similar, failing_source_line, failure_type, similar_fixes
from selfheal.store import PatchStore, open_store
from selfheal.store.patchfile import make_diff
from selfheal.verify import Limits, VerificationPlan

log = logging.getLogger("selfheal")
telemetry.set_live_counter(live_patches)


def new_record_id(fingerprint: Fingerprint) -> str:
    return f"{fingerprint.key[:8]}-{uuid.uuid4().hex[:8]}"


def _build_record(
    result: HealResult,
    mode: str,
    engines: Sequence[str],
    status: PatchStatus,
    inputs: tuple[StoredCall, ...] = (),
) -> PatchRecord:
    fingerprint = Fingerprint.of(result.report)
    patch = result.chosen or result.proposal
    diff, diff_path = "", ""
    if patch is not None:
        try:
            diff, diff_path = make_diff(result.report.function, patch.source)
        except Exception:
            log.warning(
                "could not build a diff for %s", result.report.function.qualname, exc_info=True
            )
    history = [StatusChange(status=PatchStatus.PROPOSED, reason="failure captured")]
    if status is not PatchStatus.PROPOSED:
        history.append(StatusChange(status=PatchStatus.VERIFIED, reason=result.reason))
    if status is PatchStatus.LIVE:
        history.append(StatusChange(status=PatchStatus.LIVE, reason="swapped in"))
    return PatchRecord(
        id=new_record_id(fingerprint),
        fingerprint=fingerprint,
        status=status,
        mode=mode,
        report=result.report,
        engines=tuple(engines),
        usage=tuple(result.usage),
        candidates=tuple(result.outcomes),
        chosen=patch,
        inputs=inputs,
        diff=diff,
        diff_path=diff_path,
        timings=dict(result.timings),
        history=tuple(history),
        note=result.reason,
    )


# ------------------------------------------------------------- the stages, for a live function


def store_for(eff: Effective) -> PatchStore:
    return open_store(eff.settings.store)


class Saved(NamedTuple):
    ok: bool
    where: str  # for notes: how a person finds the record, or why it was not saved


def _save(eff: Effective, record: PatchRecord) -> Saved:
    """Save a record; never raises (a store that fails is reported in the note)."""
    with telemetry.span("store", record=record.id):
        try:
            store_for(eff).save(record)
            return Saved(True, f"selfheal show {record.id} (store {eff.settings.store})")
        except Exception as exc:
            log.warning("could not save record %s: %s", record.id, exc)
            return Saved(False, f"the record could not be saved ({type(exc).__name__}: {exc})")


@dataclass(frozen=True)
class Failure:
    """One failure of a live function: an exception, or a property its result broke."""

    call: Call
    exc: BaseException | None = None
    result: Any = None  # the result that broke the property
    prop: Any = None
    why: str = ""

    @property
    def kind(self) -> str:
        return "exception" if self.exc is not None else "property"


@dataclass
class Decision:
    """What the request path does with a failure."""

    retry: Callable[..., Any] | None = None  # call this with the failing inputs
    note: str = ""
    record_id: str = ""


def _plan(target: Target, eff: Effective, failure: Failure) -> VerificationPlan:
    settings = eff.settings
    options = target.options
    return VerificationPlan(
        function=target.original_function(),
        live=target.live,
        target=target.ref,
        failing=failure.call,
        failing_kind=failure.kind,  # type: ignore[arg-type]
        recorded=target.recorder.calls() if target.recorder is not None else (),
        examples=options.examples,
        properties=options.properties,
        checks=options.checks,
        hypothesis=settings.hypothesis,
        allowed_imports=settings.allowed_imports,
        limits=Limits(check_timeout_s=settings.check_timeout_s, memory_mb=settings.memory_mb),
    )


def _capture(target: Target, failure: Failure) -> FailureReport:
    recorded = target.recorder.calls() if target.recorder is not None else ()
    if failure.exc is not None:
        return capture.capture_exception(
            failure.exc, target.ref, target.own_codes(), failure.call, recorded, failure.why
        )
    return capture.capture_violation(
        target.ref, failure.call, failure.result, failure.prop, recorded, failure.why
    )


def _past_outcomes(target: Target, eff: Effective, fingerprint: Fingerprint) -> PastOutcomes:
    """What the store says about this failure: fixes never to propose again (rolled back,
    rejected by a person, in any process) and patches to try first (live or approved,
    perhaps in another process of the same service)."""
    try:
        return past_outcomes(records_of(store_for(eff), fingerprint), target.rejected)
    except Exception:
        log.debug("could not read past records", exc_info=True)
        return past_outcomes((), target.rejected)


def _project_learning(eff: Effective) -> Learnt:
    """The project's decisions (priors per fix kind, approved fixes); none when the store
    cannot say."""
    try:
        return project_learning(store_for(eff), str(eff.settings.store))
    except Exception:
        log.debug("could not read the project's decisions", exc_info=True)
        return Learnt()


def _offline_only(spec: Any) -> bool:
    """Is the engine spec the offline engine alone (which shows no examples to anyone)?
    Any other engine, a user's own included, may read them."""
    if isinstance(spec, str):
        return all(name.strip() in ("offline", "") for name in spec.split(","))
    if isinstance(spec, (list, tuple)):
        return all(_offline_only(item) for item in spec)
    return False


def _similar(learnt: Learnt, report: FailureReport, eff: Effective) -> tuple[Similar, ...]:
    """The project's approved fixes of failures like this one, for an LLM prompt."""
    limit = eff.settings.prompt_examples
    if not limit or not learnt.approved or _offline_only(eff.engine):
        return ()
    ref = report.function
    exc = report.exception
    try:
        return similar_fixes(
            learnt.approved,
            failure=failure_type(exc.type if exc else None, report.kind),
            source=ref.source,
            line=failing_source_line(ref.source, ref.firstlineno, report.failing_line),
            limit=limit,
        )
    except Exception:  # a lesson that cannot be read must not cost the heal
        log.debug("could not rank the project's approved fixes", exc_info=True)
        return ()


def _cut_off(target: Target, eff: Effective, patch: LivePatch) -> Callable[[str], None]:
    """What happens when a call of a live patch runs past its time budget and cannot be
    stopped (see `selfheal.verify.watchdog`): the patch is rolled back, its record says why."""

    def cut_off(why: str) -> None:
        if target.patch is not patch:
            return
        # The record first: once the original is back, someone may look.
        try:
            store_for(eff).transition(patch.record_id, PatchStatus.ROLLED_BACK, reason=why)
        except Exception:
            log.warning("could not record the rollback of %s", patch.record_id, exc_info=True)
        with target.lock:
            if target.patch is not patch:
                return
            swap.revert(target)
            target.rejected.add(patch.candidate.id)
        log.warning(
            "selfheal: rolled back patch %s of %s: %s", patch.record_id, target.ref.qualname, why
        )

    return cut_off


def heal(
    target: Target, failure: Failure, eff: Effective, captured: Callable[[], None] = lambda: None
) -> Decision:
    """capture -> propose/verify -> swap -> store, for one failure of a live function."""
    started = time.perf_counter()
    qualname = target.ref.qualname
    telemetry.count("attempted", {"selfheal.function": qualname})
    with telemetry.span("heal", function=qualname, mode=eff.mode, kind=failure.kind) as span:
        with telemetry.span("capture"):
            report = _capture(target, failure)
        captured()  # the caller's frames may move on now
        fingerprint = Fingerprint.of(report)
        span.set(fingerprint=fingerprint.key)
        timings = {"capture_s": time.perf_counter() - started}
        decision = _heal_stages(target, failure, eff, report, fingerprint, timings, started)
        healed = decision.retry is not None
        span.set(verdict="healed" if healed else "fallback", patch=decision.record_id)
        if not healed:
            span.error(decision.note)
    telemetry.count("succeeded" if healed else "failed", {"selfheal.function": qualname})
    telemetry.record_duration(time.perf_counter() - started, {"selfheal.function": qualname})
    return decision


def _heal_stages(
    target: Target,
    failure: Failure,
    eff: Effective,
    report: FailureReport,
    fingerprint: Fingerprint,
    timings: dict[str, float],
    started: float,
) -> Decision:
    if eff.mode == "observe":
        result = HealResult(report=report, reason="observe mode: report stored, nothing proposed")
        result.timings.update(timings)
        record = _build_record(result, eff.mode, (), PatchStatus.PROPOSED)
        return Decision(note=f"{result.reason}; {_save(eff, record).where}", record_id=record.id)
    past = _past_outcomes(target, eff, fingerprint)
    learnt = _project_learning(eff)
    inputs = HealInputs(
        plan=_plan(target, eff, failure),
        engine=eff.engine,
        budget=eff.budget,
        allow_guesses=eff.allow_guesses,
        exception=failure.exc,
        exclude=past.excluded_ids,
        exclude_fixes=past.excluded_fixes,
        settings=eff.settings,
        preferred=past.preferred,
        undone=past.undone,
        kind_priors=learnt.priors,
        similar_fixes=_similar(learnt, report, eff),
        guidance=eff.settings.guidance,
    )
    result = search(report, inputs)
    result.timings.update(timings)
    engines = tuple(u.engine for u in result.usage)
    # What replay needs to re-run verification offline (JSON-safe, secret-free only).
    kept = stored_inputs(inputs.plan, parameter_names(target.source.node))

    def record_with(status: PatchStatus) -> PatchRecord:
        return _build_record(result, eff.mode, engines, status, kept)

    chosen = result.chosen
    if chosen is None:
        status = PatchStatus.VERIFIED if result.proposal is not None else PatchStatus.PROPOSED
        record = record_with(status)
        return Decision(note=f"{result.reason}; {_save(eff, record).where}", record_id=record.id)
    if eff.mode != "heal":
        record = record_with(PatchStatus.VERIFIED)
        where = _save(eff, record).where
        return Decision(
            note=f"{result.reason}; {eff.mode} mode, not swapped in; {where}", record_id=record.id
        )
    with telemetry.span("swap"):
        t0 = time.perf_counter()
        try:
            patch = swap.build_patch(target, chosen, "")
        except SelfHealError as exc:
            record = record_with(PatchStatus.VERIFIED)
            where = _save(eff, record).where
            return Decision(note=f"a verified patch could not be swapped in ({exc}); {where}")
        result.timings["swap_s"] = time.perf_counter() - t0
        result.timings["total_s"] = time.perf_counter() - started  # exception to swap
        record = record_with(PatchStatus.LIVE)
        patch.record_id = record.id
        patch.reference_s = next(
            (o.verdict.slowest_call_s for o in result.outcomes if o.candidate.id == chosen.id), 0.0
        )
        # A patch goes live only with its record saved: nobody could review it otherwise.
        saved = _save(eff, record)
        if not saved.ok:
            return Decision(note=f"{result.reason}; not swapped in: {saved.where}")
        where = saved.where
        installed = swap.install_if_original(target, patch, _cut_off(target, eff, patch))
    if not installed:
        # Another heal of this function went live while this one ran: keep that one.
        record = record.model_copy(
            update={"status": PatchStatus.VERIFIED, "history": record.history[:-1]}
        )
        where = _save(eff, record).where
        live = target.patch
        return Decision(
            retry=live.plain if (live is not None and eff.retry) else None,
            note=f"verified, but another patch went live meanwhile; kept that one; {where}",
            record_id=record.id,
        )
    target.heals += 1
    log.warning(
        "selfheal: healed %s with a patch from %s (%s)", target.ref.qualname, chosen.engine, where
    )
    return Decision(
        retry=patch.plain if eff.retry else None,
        note=f"{result.reason}; patch live; {where}",
        record_id=record.id,
    )
