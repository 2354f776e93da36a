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
import functools
import linecache
import types
from collections.abc import Callable, Iterable

from selfheal.config import settings_for_module
from selfheal.errors import SwapError
from selfheal.function.codegen import (
    CodegenError,
    Variant,
    compile_like,
    instrument,
    parse_def,
)
from selfheal.function.live import LivePatch
from selfheal.function.source import (
    FunctionNode,
    kind_of,
    own_nodes,
    parameter_names,
    reassigned_params,
)
from selfheal.function.target import Target, function_like
from selfheal.models import Candidate
from selfheal.verify import watchdog
from selfheal.verify.guards import install_live_guards
from selfheal.verify.policy import compile_candidate, restrict_in_place


def patch_filename(candidate: Candidate) -> str:
    return f"<selfheal patch {candidate.id}>"


_TOKEN = "_sh_tok_"


def restricted_def(source: str, allowed_imports: Iterable[str], what: str) -> FunctionNode:
    """The candidate's def under the policy's RestrictedPython transform: the code that
    was verified, calling the same guards (SwapError if it breaks the policy)."""
    tree = ast.parse(source)
    violations = restrict_in_place(tree, allowed_imports)
    if violations or len(tree.body) != 1 or not isinstance(
            tree.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
        why = "; ".join(v.message for v in violations[:3]) or "not one def statement"
        raise SwapError(f"patch for {what} breaks the policy: {why}")
    return tree.body[0]


def timed_def(node: FunctionNode, key: str) -> FunctionNode:
    """`node` with a prologue that reports each call to the watchdog (`_sh_enter_`) and
    an epilogue that ends it, whatever way the body leaves. Trusted code added after the
    transform, like the failure handler. Coroutines and generators stay untimed (see
    `selfheal.verify.watchdog`)."""
    if isinstance(node, ast.AsyncFunctionDef) or any(
            isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own_nodes(node)):
        return node
    body = list(node.body)
    doc = body[:1] if body and isinstance(body[0], ast.Expr) and isinstance(
        body[0].value, ast.Constant) and isinstance(body[0].value.value, str) else []
    body = body[len(doc):] or [ast.Pass()]
    enter = ast.Assign(
        targets=[ast.Name(_TOKEN, ast.Store())],
        value=ast.Call(ast.Name("_sh_enter_", ast.Load()), [ast.Constant(key)], []))
    leave = ast.Expr(ast.Call(ast.Name("_sh_leave_", ast.Load()),
                              [ast.Name(_TOKEN, ast.Load())], []))
    guarded = ast.Try(body=body, handlers=[], orelse=[], finalbody=[leave])
    for stmt in (enter, guarded, leave):
        ast.copy_location(stmt, body[0])
    node.body = [*doc, enter, guarded]
    ast.fix_missing_locations(node)
    return node


def time_budget(module: str, reference_s: float) -> float:
    """Seconds one live call of a patch may run (0: not timed), from the settings of the
    function's module and the slowest call of the function seen."""
    settings = settings_for_module(module)
    if settings.live_time_factor <= 0:
        return 0.0
    return max(settings.live_time_floor_s, settings.live_time_factor * reference_s)


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
    key = f"{target.fid}:{candidate.id}"
    node = timed_def(restricted_def(candidate.source, allowed, target.ref.qualname), key)
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
    guards = None if compiled is None else functools.partial(install_live_guards, compiled=compiled)
    return LivePatch(candidate, record_id, plain, codes, defaults, kwdefaults, guards, key)


def install(target: Target, patch: LivePatch,
            on_overrun: Callable[[str], None] | None = None) -> None:
    """Make `patch` the code of the live function.

    Its calls are timed: one that runs past the budget (see `time_budget`) is cut off,
    and when it cannot be, `on_overrun(why)` runs (default: the patch is reverted).
    """
    if patch.install_guards is not None:
        # Before the code: the first call of the patch already needs its guards.
        patch.install_guards(target.live.__globals__)
    if patch.budget_key:
        recorded = target.recorder.slowest_s if target.recorder is not None else 0.0
        seconds = time_budget(target.live.__module__, max(recorded, patch.reference_s))

        def revert_it(why: str) -> None:
            with target.lock:
                if target.patch is patch:
                    revert(target)
                    target.rejected.add(patch.candidate.id)

        watchdog.register(patch.budget_key, watchdog.Budget(
            seconds, on_overrun or revert_it, f"the patch of {target.ref.qualname}"))
    with target.lock:
        target.patch = patch
        target.live.__defaults__ = patch.defaults
        target.live.__kwdefaults__ = patch.kwdefaults
        target.refresh_code()


def install_if_original(target: Target, patch: LivePatch,
                        on_overrun: Callable[[str], None] | None = None) -> bool:
    """Install `patch` unless another patch went live first; True if installed."""
    with target.lock:
        if target.patch is not None:
            return False
        install(target, patch, on_overrun)
        return True


def revert(target: Target) -> LivePatch | None:
    """Put the original code back; returns the patch that was live, if any."""
    with target.lock:
        patch, target.patch = target.patch, None
        target.live.__defaults__ = target.original_defaults
        target.live.__kwdefaults__ = target.original_kwdefaults
        target.refresh_code()
        if patch is not None and patch.budget_key:
            watchdog.unregister(patch.budget_key)
        return patch
