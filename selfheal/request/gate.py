"""The gate of the request path: is this exception a failure selfheal should handle?

Owns the first judgement an exception meets when it leaves an instrumented function
(`judged`) and the sentinel instrumented code re-raises on (`RERAISE`). It is imported
with the runtime hooks, while the rest of the request path (capture, engines, sandbox,
store) is imported only when an exception passes this gate: a program whose exceptions
are all expected ones (a library's test suite, a parser behind `except ValueError`) never
loads the heal loop. It must stay cheap to import and must not import the heal loop at
module level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from selfheal.request import expected
from selfheal.verify.isolate import in_child

if TYPE_CHECKING:
    from selfheal.function.target import Target


class _Reraise:
    def __repr__(self) -> str:
        return "RERAISE"


RERAISE: Any = _Reraise()  # tells instrumented code to re-raise from its own frame
_HANDLED = "_selfheal_handled_"


def _mark(exc: BaseException) -> bool:
    """Mark an exception as seen; False if it already was (an outer recursive frame)."""
    if getattr(exc, _HANDLED, False):
        return False
    try:
        setattr(exc, _HANDLED, True)
    except Exception:
        return True
    return True


def judged(exc: BaseException, target: Target | None) -> str | None:
    """Why `exc` is a failure, or None when selfheal stays out of it.

    Called first, before a Target is adopted (`target` is the one that exists already,
    if any): an exception the program expects costs this judgement and nothing else (no
    capture, record, span, budget or breaker count). Only the innermost instrumented
    frame an exception leaves judges it.
    """
    if in_child() or not _mark(exc):
        return None
    patch = target.patch if target is not None else None
    if patch is not None:
        # A live patch means a heal ran in this process: the heal loop is loaded already.
        from selfheal.heal.capture import failing_line

        if failing_line(exc, {*patch.codes.values()}) is not None:
            # Whatever the program expects, the original did not raise here: the patch
            # did, and the precheck rolls it back.
            return "the live patch raised it"
    verdict = expected.judge(exc)
    return verdict.why if verdict.failure else None
