"""Installing a verified patch on a live function, and taking it back.

Owns the patch state of a live function: original -> patched -> (reverted) original.
A patch is installed by assigning the function object's `__code__` (and defaults), so
every holder of a reference sees it; frames already running keep the old code. Both
steps happen under the target's lock and are all-or-nothing: the new code is fully
built and checked before anything is assigned.

Must not decide whether a patch is good (verification did) and must not write files.
"""

from __future__ import annotations

import ast
import linecache
import types
from dataclasses import dataclass, field

from selfheal.config import settings_for_module
from selfheal.errors import SwapError
from selfheal.instrument.codegen import (
    CodegenError,
    Variant,
    compile_like,
    instrument,
    parse_def,
)
from selfheal.instrument.source import (
    kind_of,
    parameter_names,
    reassigned_params,
)
from selfheal.instrument.target import Target, function_like
from selfheal.models import Candidate
from selfheal.verify.guards import install_live_guards
from selfheal.verify.policy import CompiledCandidate, compile_candidate, restrict_in_place


@dataclass
class LivePatch:
    candidate: Candidate
    record_id: str
    plain: types.FunctionType  # the patch without instrumentation: the retry runs this
    codes: dict[Variant, types.CodeType] = field(default_factory=dict)
    defaults: tuple[object, ...] | None = None
    kwdefaults: dict[str, object] | None = None
    compiled: CompiledCandidate | None = None  # what verification ran: its guards go live


def patch_filename(candidate: Candidate) -> str:
    return f"<selfheal patch {candidate.id}>"


def build_patch(target: Target, candidate: Candidate, record_id: str = "") -> LivePatch:
    """Compile a candidate for `target` without installing it (SwapError if impossible)."""
    try:
        node = parse_def(candidate.source)
    except (SyntaxError, CodegenError) as exc:
        raise SwapError(f"patch for {target.ref.qualname} does not parse: {exc}") from exc
    if node.name != target.live.__code__.co_name:
        raise SwapError(f"patch defines {node.name!r}, not {target.live.__code__.co_name!r}")
    if parameter_names(node) != parameter_names(target.source.node):
        raise SwapError(f"patch changes the signature of {target.ref.qualname}")
    # The live patch is the code that was verified: the same RestrictedPython transform,
    # calling the same guards (installed with it), so it cannot behave differently once
    # it is out of the sandbox. Only selfheal's own handler is added around it.
    allowed = settings_for_module(target.live.__module__).allowed_imports
    compiled, violations = compile_candidate(candidate.source, target.original_function(), allowed)
    if compiled is None:
        why = "; ".join(v.message for v in violations[:3]) or "it does not compile"
        raise SwapError(f"patch for {target.ref.qualname} breaks the policy: {why}")
    restricted = ast.parse(candidate.source)
    violations = restrict_in_place(restricted, allowed)
    if violations or not isinstance(restricted.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
        raise SwapError(f"patch for {target.ref.qualname} breaks the policy")
    node = restricted.body[0]
    filename = patch_filename(candidate)
    # Tracebacks through the live patch show its own lines.
    lines = candidate.source.splitlines(keepends=True)
    linecache.cache[filename] = (len(candidate.source), None, lines, filename)
    template = target.original_code
    try:
        plain_code = compile_like(target.source, node, template, filename)
        codes: dict[Variant, types.CodeType] = {
            variant: compile_like(
                target.source,
                instrument(node, target.fid, variant, reassigned_params(node)),
                template,
                filename,
            )
            for variant in ("lean", "observed")
        }
    except CodegenError as exc:
        raise SwapError(f"patch for {target.ref.qualname} cannot replace it: {exc}") from exc
    if kind_of(plain_code) != kind_of(template):
        raise SwapError(
            f"patch turns {target.ref.qualname} from a {kind_of(template)} into a "
            f"{kind_of(plain_code)}"
        )
    # Defaults are evaluated once, at def time: a patch keeps the live function's default
    # objects (a patch that changed a default expression is refused by policy).
    defaults, kwdefaults = target.original_defaults, target.original_kwdefaults
    plain = function_like(target.live, plain_code, defaults, kwdefaults)
    return LivePatch(candidate, record_id, plain, codes, defaults, kwdefaults, compiled)




def install(target: Target, patch: LivePatch) -> None:
    """Make `patch` the code of the live function."""
    if patch.compiled is not None:
        # Before the code: the first call of the patch already needs its guards.
        install_live_guards(target.live.__globals__, patch.compiled)
    with target.lock:
        target.patch = patch
        target.live.__defaults__ = patch.defaults
        target.live.__kwdefaults__ = patch.kwdefaults
        target.refresh_code()


def install_if_original(target: Target, patch: LivePatch) -> bool:
    """Install `patch` unless another patch went live first; True if installed."""
    with target.lock:
        if target.patch is not None:
            return False
        install(target, patch)
        return True


def revert(target: Target) -> LivePatch | None:
    """Put the original code back; returns the patch that was live, if any."""
    with target.lock:
        patch, target.patch = target.patch, None
        target.live.__defaults__ = target.original_defaults
        target.live.__kwdefaults__ = target.original_kwdefaults
        target.refresh_code()
        return patch
