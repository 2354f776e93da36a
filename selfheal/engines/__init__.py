"""Engines propose candidate patches; `resolve_engines` turns a user's spec into engines.

This package owns the Engine protocol (`base`), the built-in engines and the mapping from
names ("offline", "anthropic", "openai") to them. It must not verify or install anything.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from selfheal.budget import Budget
from selfheal.engines.base import (
    CallableEngine,
    Engine,
    EngineSession,
    RepairRequest,
    ScriptedEngine,
)
from selfheal.errors import ConfigurationError

EngineSpec = str | Engine | Callable[..., Iterable[str]] | Sequence[Any] | None

__all__ = [
    "Budget",
    "CallableEngine",
    "Engine",
    "EngineSession",
    "EngineSpec",
    "RepairRequest",
    "ScriptedEngine",
    "resolve_engines",
]


_named: dict[str, Engine] = {}
_named_lock = threading.Lock()


def _cache_key(name: str) -> str:
    # An engine is reused while what it was built from is unchanged: its settings and
    # the SDKs' own environment variables (base URL, key).
    from selfheal.config import get_settings

    env = sorted(
        (k, v) for k, v in os.environ.items() if k.startswith(("ANTHROPIC_", "OPENAI_"))
    )
    return f"{name}|{id(get_settings())}|{hash(tuple(env))}"


def _by_name(name: str) -> Engine:
    """One engine per name and setup: an LLM engine keeps its HTTP client across heals."""
    key = _cache_key(name)
    with _named_lock:
        engine = _named.get(key)
        if engine is None:
            if len(_named) > 32:
                _named.clear()
            engine = _named[key] = _make(name)
        return engine


def _make(name: str) -> Engine:
    if name == "offline":
        # an engine (and its SDK) loads only when it is configured
        from selfheal.engines.offline import OfflineEngine

        return OfflineEngine()
    if name == "anthropic":
        # as above
        from selfheal.engines.anthropic import AnthropicEngine

        return AnthropicEngine()
    if name == "openai":
        # as above
        from selfheal.engines.openai import OpenAIEngine

        return OpenAIEngine()
    raise ConfigurationError(
        f"engine: unknown engine {name!r}; use 'offline', 'anthropic', 'openai', "
        "an Engine object, or a callable(report) -> iterable of function sources"
    )


def resolve_engines(spec: EngineSpec, default: str = "offline") -> list[Engine]:
    """Turn a decorator/config engine spec into a list of engines, tried in order."""
    if spec is None:
        spec = default
    if isinstance(spec, str):
        return [_by_name(s.strip()) for s in spec.split(",") if s.strip()]
    if isinstance(spec, Engine):
        return [spec]
    if isinstance(spec, (list, tuple)):
        engines: list[Engine] = []
        for item in spec:
            engines.extend(resolve_engines(item, default))
        return engines
    if callable(spec):
        return [CallableEngine(spec)]
    raise ConfigurationError(
        f"engine: {spec!r} is not an engine; use a name ('offline', 'anthropic', 'openai'), "
        "an Engine, a callable(report) -> iterable of sources, or a list of these"
    )
