"""Per-function healing options: what the decorator was told, merged with the settings.

Owns validation of decorator arguments (at decoration time, so a typo fails at start-up
and never in the middle of a request) and the merge with `settings_for_module` (at
failure time, so `configure()` after decoration still applies). Must not run stages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from selfheal.budget import Budget
from selfheal.config import MODES, Settings, settings_for_module
from selfheal.errors import ConfigurationError
from selfheal.models import Example


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class HealOptions:
    """Decorator arguments; None (or MISSING for fallback) means "from settings"."""

    mode: str | None = None
    engine: Any = None
    examples: tuple[Example, ...] = ()
    properties: tuple[Callable[..., Any], ...] = ()
    checks: tuple[Callable[[], Any], ...] = ()
    retry: bool | None = None
    fallback: Any = MISSING
    budget: Budget | None = None
    allow_guesses: bool | None = None
    heal_on: tuple[type[BaseException], ...] = (Exception,)
    ignore: tuple[type[BaseException], ...] = ()

    @classmethod
    def build(
        cls,
        *,
        mode: str | None = None,
        engine: Any = None,
        examples: Sequence[Any] = (),
        properties: Sequence[Callable[..., Any]] = (),
        checks: Sequence[Callable[[], Any]] = (),
        retry: bool | None = None,
        fallback: Any = MISSING,
        budget: Any = None,
        allow_guesses: bool | None = None,
        heal_on: Sequence[type[BaseException]] | type[BaseException] = (Exception,),
        ignore: Sequence[type[BaseException]] | type[BaseException] = (),
    ) -> HealOptions:
        if mode is not None and mode not in MODES:
            raise ConfigurationError(f"mode: {mode!r} is not a mode; use one of {', '.join(MODES)}")
        for name, funcs in (("properties", properties), ("checks", checks)):
            for f in funcs:
                if not callable(f):
                    raise ConfigurationError(f"{name}: {f!r} is not callable")
        return cls(
            mode=mode,
            engine=engine,
            examples=tuple(Example.coerce(e) for e in examples),
            properties=tuple(properties),
            checks=tuple(checks),
            retry=retry,
            fallback=fallback,
            budget=Budget.coerce(budget) if budget is not None else None,
            allow_guesses=allow_guesses,
            heal_on=_exception_types("heal_on", heal_on),
            ignore=_exception_types("ignore", ignore),
        )

    def effective(self, module: str) -> Effective:
        settings = settings_for_module(module)
        return Effective(
            settings=settings,
            mode=self.mode or settings.mode,
            engine=self.engine if self.engine is not None else settings.engine,
            retry=settings.retry if self.retry is None else self.retry,
            allow_guesses=settings.allow_guesses
            if self.allow_guesses is None
            else self.allow_guesses,
            budget=self.budget
            or Budget(seconds=settings.budget_s, candidates=settings.max_candidates),
        )


@dataclass(frozen=True)
class Effective:
    """Options after merging with the settings in force at failure time."""

    settings: Settings
    mode: str
    engine: Any
    retry: bool
    allow_guesses: bool
    budget: Budget


def _exception_types(
    name: str, value: Sequence[type[BaseException]] | type[BaseException]
) -> tuple[type[BaseException], ...]:
    items = (value,) if isinstance(value, type) else tuple(value)
    for item in items:
        if not (isinstance(item, type) and issubclass(item, BaseException)):
            raise ConfigurationError(
                f"{name}: {item!r} is not an exception type; pass e.g. (KeyError, ValueError)"
            )
    return items
