"""The prompt an LLM engine sends: a pure function of the repair request.

Owns what a model is told about a failure and how: the rules (static, so the vendor can
cache them) and the project's guidance after them, the function's source with line
numbers, the module context it needs (imports and the *signatures* of the helpers and
classes it references, never their values), the failure report, recorded calls,
examples and properties, the project's approved fixes of similar failures (as diffs),
all redacted again here whatever the report or the store says, and capped in size with
every cut recorded. Also the feedback text of later turns (which layer failed, the
counterexample) and the JSON schema of the answer.

It must not talk to any vendor, must not run user code (it reads code objects, globals
dictionaries and signatures only) and must not read the clock or the environment, so
the same request always gives the same prompt (the snapshot tests rely on this).
"""

from __future__ import annotations

import ast
import difflib
import inspect
import os
import re
import textwrap
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from selfheal.engines.base import RepairRequest
from selfheal.models import CandidateOutcome, ExceptionReport, FailureReport
from selfheal.priors import UNLABELLED, Similar
from selfheal.scrub import REDACTED, Scrubber, get_scrubber, redact_source, truncate

PATCH_TOOL_NAME = "propose_patches"
"""The one tool (or JSON schema name) through which a model returns candidates."""


@dataclass(frozen=True)
class PromptLimits:
    """Size caps, in characters; the total cap wins over the per-part ones."""

    max_chars: int = 24_000
    source_chars: int = 8_000
    value_chars: int = 300
    recorded_calls: int = 8
    examples: int = 8
    context_names: int = 40
    members_per_class: int = 12
    frames: int = 8
    locals_per_frame: int = 20
    property_chars: int = 1_500
    # Approved fixes of similar failures shown at most: how many a heal retrieves is the
    # `prompt_examples` setting (default 3, at most 10); this caps any request.
    approved_fixes: int = 10
    undone_fixes: int = 3  # fixes of this failure rejected or rolled back, shown
    undone_fix_chars: int = 2_000
    approved_fix_chars: int = 1_500  # per fix: its summary and diff
    guidance_chars: int = 4_000


@dataclass(frozen=True)
class Prompt:
    """One repair conversation's opening: `system` is static (cacheable), `context` is
    this failure. `secrets` maps the placeholders put into the source to the originals:
    it stays in the process (`restore_source` uses it on the answers)."""

    system: str
    context: str
    function_name: str
    candidates: int
    cut: tuple[str, ...] = ()
    secrets: Mapping[str, str] = field(default_factory=dict, repr=False)
    # What the project taught this prompt: the records of the approved fixes it shows,
    # and whether it carries the project's guidance.
    approved_shown: tuple[str, ...] = ()
    guided: bool = False


def patch_schema() -> dict[str, Any]:
    """JSON schema of an answer: a list of complete `def` statements with rationales."""
    return {
        "type": "object",
        "properties": {
            "patches": {
                "type": "array",
                "description": "Candidate replacements, best first.",
                "items": {
                    "type": "object",
                    "properties": {
                        "source": {
                            "type": "string",
                            "description": "The complete replacement `def` statement: same "
                            "name, same parameters, no decorators, plain Python source.",
                        },
                        "rationale": {
                            "type": "string",
                            "description": "One or two sentences: the cause and why this "
                            "change fixes it without changing other behaviour.",
                        },
                    },
                    "required": ["source", "rationale"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["patches"],
        "additionalProperties": False,
    }


def system_prompt(
    allowed_imports: Sequence[str],
    candidates: int,
    *,
    json_only: bool = False,
    guidance: str = "",
) -> str:
    """The rules: the same text for every failure with the same settings. `guidance` (the
    project's own rules, already redacted) follows them."""
    imports = ", ".join(sorted(allowed_imports)) or "(none)"
    answer = (
        "Answer with ONLY a JSON object, no prose and no code fence, of the form "
        '{"patches": [{{"source": "<def statement>", "rationale": "<why>"}]}.'
        if json_only
        else f"Answer by calling the `{PATCH_TOOL_NAME}` tool; text outside it is ignored."
    )
    rules = textwrap.dedent(
        f"""\
        You repair one Python function that failed in production. A verifier checks every
        candidate you propose in a sandbox: the failing input must no longer fail, recorded
        calls that used to succeed must return exactly what they returned, the user's
        examples and properties must hold, and inputs drawn from the type hints must behave
        as before wherever the original succeeded. Only a candidate that passes everything
        replaces the function.

        Rules for every candidate:
        1. It is one complete `def` statement with the same name, the same parameters (names,
           order, kinds, defaults) and the same kind (plain, async, generator) as the original.
           No decorators, nothing before or after the `def`.
        2. Change as little as possible; keep behaviour identical on every input that worked.
        3. Imports are allowed only inside the function body and only of: {imports}.
        4. No I/O of any kind: no files, network, subprocesses, environment variables,
           printing or logging, and no changes to global or module state.
        5. Use only names the original function can already see (its parameters, its module's
           globals, builtins).
        6. Do not hide the error: no bare `except`, no catching `Exception` just to return a
           made-up value. Fix the cause. If the input is genuinely invalid, raising a clear
           exception of the same type is better than inventing a result.
        7. Text shown as `{REDACTED}` or `__selfheal_redacted_N__` was removed for privacy:
           keep such placeholders exactly as they are where the code uses them.

        Propose up to {candidates} different candidates, most likely first. {answer}
        """
    )
    if not guidance:
        return rules
    return (
        rules
        + "\nThe project that owns this code adds these rules of its own (the rules above "
        "win where they disagree):\n\n"
        + textwrap.indent(guidance.strip(), "    ")
        + "\n"
    )


# --------------------------------------------------------------------------- building


@dataclass
class _Section:
    title: str
    items: list[str]
    priority: int  # lower is cut first
    keep: int = 0  # items never cut by the size cap
    what: str = "items"
    dropped: int = 0
    preamble: str = ""


def build_prompt(
    request: RepairRequest,
    *,
    allowed_imports: Sequence[str] = (),
    candidates: int = 3,
    limits: PromptLimits | None = None,
    scrubber: Scrubber | None = None,
    json_only: bool = False,
) -> Prompt:
    """Build the opening prompt for a repair request. Deterministic; never runs user code."""
    limits = limits or PromptLimits()
    scrub = scrubber or get_scrubber()
    secrets: dict[str, str] = {}
    report = request.report
    ref = report.function
    cut: list[str] = []

    sections: list[_Section] = []
    source_text, source_cut = _numbered_source(report, limits, secrets, scrub)
    if source_cut:
        cut.append(source_cut)
    header = (
        f"`{ref.qualname}` in module `{ref.module}` (file {os.path.basename(ref.filename)}, "
        f"a {ref.kind})."
    )
    sections.append(_Section("Function under repair", [header, source_text], 100, keep=2))
    sections.append(_Section("Failure", _failure_items(report, limits, secrets, scrub), 90,
                             keep=1, what="failure details"))
    call_items = _failing_call(report, limits, scrub)
    if call_items:
        sections.append(_Section("Failing call", call_items, 95, keep=len(call_items)))
    context, dropped_names = _module_context(request, limits, secrets, scrub)
    if dropped_names:
        cut.append(f"module context: {dropped_names} referenced names not shown")
    if context:
        sections.append(_Section("Module context (names and signatures only; values hidden)",
                                 context, 50, what="names"))
    recorded = [
        _call_line(ref.qualname, c.args, c.kwargs, limits, scrub)
        + (f" -> {_value(c.result, limits, scrub)}" if c.result is not None else "")
        + (f" raised {_value(c.raised, limits, scrub)}" if c.raised else "")
        for c in report.recorded
    ]
    if len(recorded) > limits.recorded_calls:
        cut.append(f"recorded calls: {len(recorded) - limits.recorded_calls} of "
                   f"{len(recorded)} not shown")
        recorded = recorded[: limits.recorded_calls]
    if recorded:
        sections.append(_Section(
            "Recorded calls (the original returned these; a patch must return the same)",
            recorded, 30, what="recorded calls"))
    examples = _examples(request, limits, scrub)
    if len(examples) > limits.examples:
        cut.append(f"examples: {len(examples) - limits.examples} of {len(examples)} not shown")
        examples = examples[: limits.examples]
    if examples:
        sections.append(_Section("Examples (input -> expected output)", examples, 40,
                                 what="examples"))
    properties = _properties(request, report, limits, secrets, scrub)
    if properties:
        sections.append(_Section("Properties (must hold for every result)", properties, 60,
                                 what="properties"))

    undone = [
        "```python\n"
        + _cut_lines(redact_source(c.source, secrets, scrub).strip("\n"), limits.undone_fix_chars)
        + "\n```"
        for c in request.undone
    ]
    if len(undone) > limits.undone_fixes:
        cut.append(f"rejected fixes: {len(undone) - limits.undone_fixes} of {len(undone)} "
                   "not shown")
        undone = undone[: limits.undone_fixes]
    if undone:
        sections.append(_Section(
            "Fixes already rejected for this failure (a reviewer said no, or the fix was "
            "rolled back in production): they will not be run again; propose different ones",
            undone, 70, what="rejected fixes"))
    approved = _approved_fixes(request.similar_fixes, limits, scrub)
    if len(approved) > limits.approved_fixes:
        cut.append(f"approved fixes of similar failures: {len(approved) - limits.approved_fixes} "
                   f"of {len(approved)} not shown")
        approved = approved[: limits.approved_fixes]
    examples_section = _Section(
        "Fixes this project approved for similar failures (examples of what its "
        "reviewers accept, from other code: adapt them, do not copy them)",
        [text for _, text in approved], 20, what="approved fixes")
    if approved:
        sections.append(examples_section)

    context_text = _fit(sections, limits.max_chars, cut)
    # The size cap drops examples from the end: those left are the first ones.
    shown_fixes = tuple(record for record, _ in approved[: len(examples_section.items)])
    if cut:
        context_text += "\n\n## Cut to fit\n" + "\n".join(f"- {c}" for c in cut)
    context_text += (
        f"\n\nPropose up to {candidates} candidate replacements for `{_short_name(ref.qualname)}`."
    )
    guidance = truncate(scrub.redact_text(request.guidance.strip()), limits.guidance_chars)
    return Prompt(
        system=system_prompt(allowed_imports, candidates, json_only=json_only,
                             guidance=guidance),
        context=context_text,
        function_name=_short_name(ref.qualname),
        candidates=candidates,
        cut=tuple(cut),
        secrets=secrets,
        approved_shown=shown_fixes,
        guided=bool(guidance),
    )


def _short_name(qualname: str) -> str:
    return qualname.rsplit(".", 1)[-1]


def _render(section: _Section) -> str:
    body = "\n".join(section.items)
    if section.dropped:
        body += f"\n({section.dropped} more {section.what} cut to fit)"
    return f"## {section.title}\n{section.preamble}{body}"


def _fit(sections: list[_Section], max_chars: int, cut: list[str]) -> str:
    def total() -> int:
        return sum(len(_render(s)) + 2 for s in sections)

    # Drop items from the least important sections first, last items first.
    for section in sorted(sections, key=lambda s: s.priority):
        before = section.dropped
        while total() > max_chars and len(section.items) > section.keep:
            section.items.pop()
            section.dropped += 1
        if section.dropped > before:
            cut.append(f"{section.title.split(' (')[0].lower()}: {section.dropped - before} "
                       f"{section.what} cut to fit {max_chars} characters")
    text = "\n\n".join(_render(s) for s in sorted(sections, key=lambda s: -s.priority))
    if len(text) > max_chars:
        cut.append(f"the whole context was truncated to {max_chars} characters")
        text = truncate(text, max_chars)
    return text


def _numbered_source(
    report: FailureReport, limits: PromptLimits, secrets: dict[str, str], scrub: Scrubber
) -> tuple[str, str]:
    ref = report.function
    source = redact_source(ref.source, secrets, scrub)
    lines = source.splitlines()
    width = len(str(ref.firstlineno + len(lines)))
    numbered = []
    for i, line in enumerate(lines):
        lineno = ref.firstlineno + i
        mark = ">>" if lineno == report.failing_line else "  "
        numbered.append(f"{mark}{lineno:>{width}} | {line}")
    text = "\n".join(numbered)
    note = ""
    if len(text) > limits.source_chars:
        text = _cut_around(numbered, report, limits.source_chars)
        note = f"function source: shown around the failing line, {len(lines)} lines in all"
    return "```python\n" + text + "\n```", note


def _cut_around(numbered: list[str], report: FailureReport, budget: int) -> str:
    # Keep the signature line and a window around the failing line: the rest of a long
    # function matters least for the fix.
    anchor = 0
    if report.failing_line is not None:
        anchor = min(len(numbered) - 1, max(0, report.failing_line - report.function.firstlineno))
    lo = hi = anchor
    used = len(numbered[0]) + len(numbered[anchor]) + 2
    while True:
        grew = False
        for candidate in (lo - 1, hi + 1):
            if 0 < candidate < len(numbered) and not lo <= candidate <= hi:
                cost = len(numbered[candidate]) + 1
                if used + cost > budget:
                    continue
                used += cost
                lo, hi = min(lo, candidate), max(hi, candidate)
                grew = True
        if not grew:
            break
    marker = "     ... (lines cut) ..."
    out = [numbered[0]]
    if lo > 1:
        out.append(marker)
    out.extend(numbered[max(lo, 1) : hi + 1])
    if hi < len(numbered) - 1:
        out.append(marker)
    return "\n".join(out)


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def _value(text: str | None, limits: PromptLimits, scrub: Scrubber) -> str:
    # Object addresses change every run and mean nothing to a model; dropping them keeps
    # the prompt identical across runs (and so cacheable).
    return truncate(_ADDRESS.sub("", scrub.redact_text(text or "")), limits.value_chars)


def _call_line(
    name: str,
    args: Iterable[str],
    kwargs: Mapping[str, str],
    limits: PromptLimits,
    scrub: Scrubber,
) -> str:
    parts = [_value(a, limits, scrub) for a in args]
    parts += [
        f"{k}={REDACTED if scrub.is_secret_key(k) else _value(v, limits, scrub)}"
        for k, v in kwargs.items()
    ]
    return f"- {_short_name(name)}({', '.join(parts)})"


def _failing_call(report: FailureReport, limits: PromptLimits, scrub: Scrubber) -> list[str]:
    call = report.failing_call
    if not call.args and not call.kwargs and call.result is None and call.raised is None:
        return []
    line = _call_line(report.function.qualname, call.args, call.kwargs, limits, scrub)
    if report.kind == "property" and call.result is not None:
        line += f" returned {_value(call.result, limits, scrub)}"
    elif call.raised:
        raised = call.raised
        exc = report.exception
        short = exc.type.rsplit(".", 1)[-1] if exc else ""
        if short and not raised.startswith(short):
            raised = f"{short}: {raised}"
        line += f" raised {_value(raised, limits, scrub)}"
    return [line]


def _failure_items(
    report: FailureReport, limits: PromptLimits, secrets: dict[str, str], scrub: Scrubber
) -> list[str]:
    items: list[str] = []
    if report.kind == "property":
        items.append("A declared property returned False (or raised) for the result.")
        if report.property_source:
            prop = truncate(redact_source(report.property_source, secrets, scrub),
                            limits.property_chars)
            items.append("Violated property:\n```python\n" + prop + "\n```")
        return items
    if report.failing_line is not None:
        rel = report.failing_line - report.function.firstlineno + 1
        items.append(f"Failing line: {report.failing_line} (line {rel} of the function, "
                     "marked >> above).")
    for exc in report.chain:
        items.append(_exception_text(exc, limits, secrets, scrub))
    if not report.chain:
        items.append("(no exception details were captured)")
    return items


def _exception_text(
    exc: ExceptionReport, limits: PromptLimits, secrets: dict[str, str], scrub: Scrubber
) -> str:
    relation = {"root": "Raised", "cause": "Caused by (__cause__)",
                "context": "While handling (__context__)"}[exc.relation]
    out = [f"{relation}: {exc.type}: {truncate(scrub.redact_text(exc.message), 1000)}"]
    for note in exc.notes:
        out.append(f"  note: {truncate(scrub.redact_text(note), limits.value_chars)}")
    if exc.suggestions:
        shown = ", ".join(scrub.redact_text(s) for s in exc.suggestions[:30])
        out.append(f"  names nearby: {shown}")
    frames = list(exc.frames)
    first = next((i for i, f in enumerate(frames) if f.in_target), None)
    if first is not None and first > 1:
        # Callers further out than the direct one say little about the fix.
        out.append(f"  ({first - 1} outer frame{'s' if first > 2 else ''} not shown)")
        frames = frames[first - 1 :]
    if len(frames) > limits.frames:
        out.append(f"  ({len(frames) - limits.frames} outer frames not shown)")
        frames = frames[-limits.frames :]
    for frame in frames:
        where = f"{os.path.basename(frame.filename)}:{frame.lineno} in {frame.function}"
        tag = "  [function under repair]" if frame.in_target else ""
        out.append(f"  at {where}{tag}")
        if frame.line:
            line = redact_source(frame.line.strip(), secrets, scrub)
            out.append(f"      {truncate(line, limits.value_chars)}")
        if frame.in_target and frame.locals:
            names = list(frame.locals.items())
            for name, value in names[: limits.locals_per_frame]:
                shown = REDACTED if scrub.is_secret_key(name) else _value(value, limits, scrub)
                out.append(f"      {name} = {shown}")
            if len(names) > limits.locals_per_frame:
                out.append(f"      ({len(names) - limits.locals_per_frame} more locals)")
    return "\n".join(out)


def _examples(request: RepairRequest, limits: PromptLimits, scrub: Scrubber) -> list[str]:
    name = _short_name(request.report.function.qualname)
    out = []
    for example in request.examples:
        args = [scrub.safe_repr(a, limits.value_chars) for a in example.args]
        kwargs = {k: scrub.redact_value(k, v, limits.value_chars)
                  for k, v in example.kwargs.items()}
        line = _call_line(name, args, kwargs, limits, scrub)
        out.append(f"{line} -> {scrub.safe_repr(example.expected, limits.value_chars)}")
    return out


def _properties(
    request: RepairRequest,
    report: FailureReport,
    limits: PromptLimits,
    secrets: dict[str, str],
    scrub: Scrubber,
) -> list[str]:
    out = []
    violated = (report.property_source or "").strip()
    for prop in request.properties:
        text = _source_of(prop)
        if text is None:
            text = f"# {getattr(prop, '__qualname__', type(prop).__name__)} (source unavailable)"
        elif violated and scrub.redact_text(text) == violated:
            continue  # already shown as the violated property
        text = truncate(redact_source(text, secrets, scrub), limits.property_chars)
        out.append("```python\n" + text + "\n```")
    return out


def _redacted_code(source: str, scrub: Scrubber) -> str:
    """Another function's source, redacted for a prompt: secrets become REDACTED, not
    placeholders (those map back to *this* function's values in an answer)."""
    text = _PLACEHOLDER.sub(REDACTED, redact_source(source, {}, scrub))
    return scrub.redact_text(text)


_PLACEHOLDER = re.compile(r"__selfheal_redacted_\d+__")


def _approved_fixes(
    similar: Sequence[Similar], limits: PromptLimits, scrub: Scrubber
) -> list[tuple[str, str]]:
    """Each approved fix as a worked example (its record id, its text): the failure in
    one line, then its diff.

    The diff is made here from the redacted sources (never the stored diff, which was
    made from the originals), and each example is cut to `approved_fix_chars`.
    """
    out: list[tuple[str, str]] = []
    for fix, score in similar:
        before = _redacted_code(fix.before, scrub)
        after = _redacted_code(fix.after, scrub)
        diff = "".join(difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True),
            "before", "after", n=2))
        if not diff:
            continue
        message = truncate(scrub.redact_text(fix.message), limits.value_chars)
        head = f"### Example {len(out) + 1}: `{_short_name(fix.qualname)}` failed with "
        head += fix.failure + (f": {message}" if message else "")
        lines = [head]
        if fix.line:
            shown = truncate(_redacted_code(fix.line, scrub), limits.value_chars)
            lines.append(f"failing line: `{shown}`")
        kind = f"kind `{fix.kind}`, " if fix.kind != UNLABELLED else ""
        lines.append(f"approved fix ({kind}similarity {score:.2f}):")
        budget = max(200, limits.approved_fix_chars - sum(len(x) + 1 for x in lines) - 16)
        lines.append("```diff\n" + _cut_lines(diff.rstrip("\n"), budget) + "\n```")
        out.append((fix.record_id, "\n".join(lines)))
    return out


def _cut_lines(text: str, budget: int) -> str:
    """`text` within `budget` characters, cut at a line end and saying how much is left
    out (a diff cut inside a line reads as a different edit)."""
    if len(text) <= budget:
        return text
    kept: list[str] = []
    used = 40  # room for the note
    lines = text.splitlines()
    for line in lines:
        if used + len(line) + 1 > budget:
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join([*kept, f"... ({len(lines) - len(kept)} more diff lines)"])


def _source_of(obj: Callable[..., Any]) -> str | None:
    try:
        return textwrap.dedent(inspect.getsource(obj)).strip()
    except (OSError, TypeError):
        return None
    except Exception:
        return None


# --------------------------------------------------------------------------- module context


def _referenced_names(code: types.CodeType) -> list[str]:
    """Global names the code (and code nested in it) may load, in order of first use."""
    seen: dict[str, None] = {}
    stack = [code]
    while stack:
        current = stack.pop(0)
        for name in current.co_names:
            seen.setdefault(name, None)
        stack.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
    return list(seen)


def _module_context(
    request: RepairRequest, limits: PromptLimits, secrets: dict[str, str], scrub: Scrubber
) -> tuple[list[str], int]:
    func = request.function
    try:
        namespace = func.__globals__
        names = _referenced_names(func.__code__)
    except Exception:
        return [], 0
    own_module = getattr(func, "__module__", None)
    items: list[str] = []
    shown = 0
    dropped = 0
    # A method: its class first (the attributes and methods `self` offers).
    owner = _owner_class_name(func)
    if owner and owner in namespace and inspect.isclass(namespace[owner]):
        names = [owner, *[n for n in names if n != owner]]
    for name in names:
        # Only module globals: builtins live elsewhere, and other co_names are attributes.
        if name not in namespace or name.startswith("__"):
            continue
        try:
            value = namespace[name]
        except Exception:
            continue
        if shown >= limits.context_names:
            dropped += 1
            continue
        try:
            text = _describe_global(
                name, value, func, own_module, limits=limits, secrets=secrets, scrub=scrub
            )
        except Exception:
            text = f"{name}: <not describable>"
        items.append(text)
        shown += 1
    free = getattr(func.__code__, "co_freevars", ())
    if free:
        items.append("closure variables: " + ", ".join(free))
    return items, dropped


def _owner_class_name(func: types.FunctionType) -> str | None:
    parts = getattr(func, "__qualname__", "").split(".")
    if len(parts) < 2 or parts[-2] == "<locals>":
        return None
    return parts[-2] if "<locals>" not in parts else None


def _describe_global(
    name: str,
    value: Any,
    func: types.FunctionType,
    own_module: str | None,
    *,
    limits: PromptLimits,
    secrets: dict[str, str],
    scrub: Scrubber,
) -> str:
    if value is func:
        return f"{name}: this function itself (recursion)"
    if isinstance(value, types.ModuleType):
        module_name = value.__name__
        if module_name == name:
            return f"import {module_name}"
        if module_name.rsplit(".", 1)[-1] == name and "." in module_name:
            parent = module_name.rsplit(".", 1)[0]
            return f"from {parent} import {name}"
        return f"import {module_name} as {name}"
    origin = getattr(value, "__module__", None)
    if inspect.isclass(value):
        return _describe_class(
            name, value, origin, own_module, limits=limits, secrets=secrets, scrub=scrub
        )
    if callable(value) and (inspect.isfunction(value) or inspect.isbuiltin(value)
                            or inspect.ismethod(value)):
        prefix = ""
        if origin and origin != own_module:
            prefix = f"from {origin} import {getattr(value, '__name__', name)}" + (
                f" as {name}" if getattr(value, "__name__", name) != name else ""
            ) + "\n"
        asyncdef = "async def" if inspect.iscoroutinefunction(value) else "def"
        sig = _signature(value, secrets, scrub)
        doc = _first_doc_line(value, scrub)
        return f"{prefix}{asyncdef} {name}{sig}: ...{doc}"
    kind = type(value).__qualname__
    kind_module = type(value).__module__
    if kind_module not in ("builtins", own_module):
        kind = f"{kind_module}.{kind}"
    if callable(value):
        return f"{name}: {kind}  (callable object; value not shown)"
    return f"{name}: {kind}  (value not shown)"


def _describe_class(
    name: str,
    cls: type,
    origin: str | None,
    own_module: str | None,
    *,
    limits: PromptLimits,
    secrets: dict[str, str],
    scrub: Scrubber,
) -> str:
    if origin and origin != own_module:
        # A class from elsewhere (the standard library, a package): the model knows it
        # by name, and its members would only take room.
        alias = f" as {name}" if cls.__name__ != name else ""
        return f"from {origin} import {cls.__name__}{alias}"
    prefix = ""
    bases = [b.__name__ for b in cls.__bases__ if b is not object]
    header = f"{prefix}class {name}" + (f"({', '.join(bases)})" if bases else "") + ":"
    if origin == "builtins":
        return f"{name}: builtin class {cls.__name__}"
    members: list[str] = []
    try:
        annotations = inspect.get_annotations(cls)
    except Exception:
        annotations = {}
    if annotations:
        for attr, hint in annotations.items():
            shown = hint if isinstance(hint, str) else inspect.formatannotation(hint)
            members.append(f"    {attr}: {scrub.redact_text(str(shown))}")
    members.extend(_instance_attributes(cls, annotations, scrub))
    for attr, member in cls.__dict__.items():
        if attr.startswith("__") and attr not in ("__init__", "__call__", "__getitem__",
                                                  "__iter__", "__len__", "__eq__"):
            continue
        target: Any
        if isinstance(member, (staticmethod, classmethod)):
            deco = f"    @{type(member).__name__}\n"
            target = member.__func__
        elif isinstance(member, property):
            deco = "    @property\n"
            target = member.fget
        else:
            deco = ""
            target = member
        if not inspect.isfunction(target):
            continue
        sig = _signature(target, secrets, scrub)
        members.append(f"{deco}    def {attr}{sig}: ...")
    if len(members) > limits.members_per_class:
        more = len(members) - limits.members_per_class
        members = [*members[: limits.members_per_class], f"    # ... {more} more members"]
    if not members:
        members = ["    ..."]
    return header + "\n" + "\n".join(members)


def _instance_attributes(cls: type, annotated: Mapping[str, Any], scrub: Scrubber) -> list[str]:
    """`self.x = ...` targets in `__init__`: names (and annotations), never values."""
    init = cls.__dict__.get("__init__")
    source = _source_of(init) if inspect.isfunction(init) else None
    if source is None:
        return []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        hint = ""
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
            hint = ast.unparse(node.annotation)
        for target in targets:
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
                and target.attr not in annotated
            ):
                found.setdefault(target.attr, hint)
    return [
        f"    self.{attr}" + (f": {scrub.redact_text(hint)}" if hint else "  # set in __init__")
        for attr, hint in found.items()
    ]


def _signature(obj: Any, secrets: dict[str, str], scrub: Scrubber) -> str:
    try:
        text = str(inspect.signature(obj))
    except (TypeError, ValueError):
        return "(...)"
    # Defaults are reprs of live values: treat the signature as code (secret-looking
    # literals and literals bound to secret-named parameters become placeholders).
    return truncate(redact_source(text, secrets, scrub), 300)


def _first_doc_line(obj: Any, scrub: Scrubber) -> str:
    doc = getattr(obj, "__doc__", None)
    if not isinstance(doc, str) or not doc.strip():
        return ""
    first = doc.strip().splitlines()[0]
    return f"  # {truncate(scrub.redact_text(first), 120)}"


# --------------------------------------------------------------------------- later turns


def render_feedback(
    outcomes: Sequence[CandidateOutcome],
    *,
    labels: Mapping[str, str],
    secrets: dict[str, str],
    candidates: int,
    scrubber: Scrubber | None = None,
    value_chars: int = 300,
) -> str:
    """The verifier's verdicts on earlier candidates, for the next turn.

    `labels` names the candidates this conversation produced (id -> "candidate 2");
    others (from another engine) are shown with their redacted source.
    """
    scrub = scrubber or get_scrubber()
    if not outcomes:
        return (
            "None of your candidates was verified yet. Propose up to "
            f"{candidates} different candidates."
        )
    parts = ["The verifier checked the candidates:"]
    for outcome in outcomes:
        verdict = outcome.verdict
        cand = outcome.candidate
        label = labels.get(cand.id)
        title = label or f"a candidate from the `{cand.engine}` engine"
        status = "PASSED" if verdict.ok else f"REJECTED at layer `{verdict.failed_layer or '?'}`"
        lines = [f"### {title}: {status}"]
        if verdict.reason:
            lines.append(f"reason: {truncate(scrub.redact_text(verdict.reason), 500)}")
        for layer in verdict.layers:
            mark = "passed" if layer.passed else "FAILED"
            row = f"- {layer.layer}: {mark} ({layer.ran} checked)"
            if layer.detail:
                row += f": {truncate(scrub.redact_text(layer.detail), value_chars)}"
            lines.append(row)
            if layer.counterexample:
                shown = truncate(scrub.redact_text(layer.counterexample), value_chars)
                lines.append(f"  counterexample: {shown}")
        if label is None:
            source = redact_source(cand.source, secrets, scrub)
            lines.append("```python\n" + truncate(source.strip("\n"), 4000) + "\n```")
        parts.append("\n".join(lines))
    parts.append(
        f"Propose up to {candidates} new candidates that fix these problems; do not repeat "
        "a rejected candidate."
    )
    return "\n\n".join(parts)
