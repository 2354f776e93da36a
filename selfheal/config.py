"""Settings: what selfheal does by default, and where each value came from.

Layers, lowest to highest precedence: built-in defaults, `[tool.selfheal]` in the nearest
pyproject.toml (or selfheal.toml), `SELFHEAL_*` environment variables, `configure(...)`,
and decorator arguments (applied by the decorator, not here).

This module owns the Settings model and the process-wide current settings; it must not
import any stage module.
"""

from __future__ import annotations

import threading
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from selfheal.errors import ConfigurationError

Mode = Literal["observe", "propose", "heal", "approved"]
MODES: tuple[str, ...] = ("observe", "propose", "heal", "approved")


class Settings(BaseModel):
    """Every setting of selfheal. Field descriptions are the configuration reference."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    disabled: bool = Field(False, description="Turn selfheal off entirely: decorated functions run bare.")
    mode: Mode = Field("heal", description="observe | propose | heal | approved.")
    engine: str = Field(
        "offline", description="Engine name(s), comma separated, tried in order: offline, anthropic, openai."
    )
    store: str = Field(".selfheal", description="Directory of the patch store, relative to the working directory.")
    include: tuple[str, ...] = Field((), description="Module patterns the import hook instruments (myapp.*).")
    exclude: tuple[str, ...] = Field((), description="Module patterns never instrumented.")
    budget_s: float = Field(10.0, gt=0, description="Seconds one healing attempt may take.")
    max_candidates: int = Field(500, gt=0, description="Candidates one healing attempt may verify.")
    allow_guesses: bool = Field(False, description="May a fix that only returns an invented constant go live?")
    retry: bool = Field(True, description="Re-run the failing call on a verified patch and return its result.")
    record: bool = Field(True, description="Record sample calls of decorated functions for verification.")
    record_calls: int = Field(16, ge=0, description="Distinct calls recorded per function.")
    record_bytes: int = Field(256_000, ge=0, description="Bytes of recorded inputs kept per function.")
    hypothesis: bool = Field(True, description="Check candidates on inputs drawn from type hints.")
    check_timeout_s: float = Field(2.0, gt=0, description="Wall-clock limit for one check in the sandbox.")
    memory_mb: int = Field(1024, gt=0, description="Address-space limit of the sandbox process.")
    allowed_imports: tuple[str, ...] = Field(
        ("math", "re", "string", "itertools", "functools", "operator", "collections", "decimal",
         "fractions", "statistics", "datetime", "json", "heapq", "bisect"),
        description="Modules a candidate patch may import.",
    )
    modules: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Per-module overrides: {'myapp.billing': {'mode': 'propose'}}."
    )


_lock = threading.Lock()
_overrides: dict[str, Any] = {}
_current: Settings | None = None


def _validate(values: dict[str, Any], origin: str) -> Settings:
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"]) or "?"
            problems.append(f"{key}: {err['msg']} (got {err.get('input')!r})")
        raise ConfigurationError(
            f"invalid selfheal settings from {origin}: " + "; ".join(problems)
        ) from None


def configure(**values: Any) -> Settings:
    """Set process-wide defaults; later calls update earlier ones. Returns the result."""
    global _current
    with _lock:
        merged = {**_overrides, **values}
        settings = _validate(_base_values() | merged, "configure()")
        _overrides.clear()
        _overrides.update(merged)
        _current = settings
        return settings


def reset() -> None:
    """Forget configure() calls and re-read files and environment (tests use this)."""
    global _current
    with _lock:
        _overrides.clear()
        _current = None


def _base_values() -> dict[str, Any]:
    return {}


def get_settings() -> Settings:
    global _current
    settings = _current
    if settings is None:
        with _lock:
            if _current is None:
                _current = _validate(_base_values() | _overrides, "defaults")
            settings = _current
    return settings


def settings_for_module(module: str) -> Settings:
    """The settings with per-module overrides for `module` applied."""
    settings = get_settings()
    if not settings.modules:
        return settings
    updates: dict[str, Any] = {}
    # Less specific patterns first, so "myapp.billing" beats "myapp".
    for name in sorted(settings.modules, key=len):
        if module == name or module.startswith(name + "."):
            updates.update(settings.modules[name])
    if not updates:
        return settings
    return _validate(settings.model_dump() | updates, f"[tool.selfheal.modules.{module!r}]")
