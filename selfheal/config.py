"""Settings: what selfheal does by default, and where each value came from.

Layers, lowest to highest precedence:

1. built-in defaults (the field defaults of `Settings`);
2. the configuration file: walking up from the working directory, the first directory
   holding a `selfheal.toml` (top-level keys) or a `pyproject.toml` with a
   `[tool.selfheal]` table wins; when one directory holds both, `selfheal.toml` wins
   and the pyproject table is ignored. `SELFHEAL_CONFIG=path` names the file instead
   (either kind) and stops the search;
3. `SELFHEAL_*` environment variables, one per key (`SELFHEAL_MODE=propose`,
   `SELFHEAL_INCLUDE=myapp.*,other`, `SELFHEAL_DISABLED=1`);
4. `configure(...)` calls;
5. decorator arguments (applied by the decorator, not here).

Per-module tables (`[tool.selfheal.modules."myapp.billing"]`) override keys for the
functions of that module and its submodules; they are validated with the rest at start-up.

Every value is validated when the settings are first read, and a bad one raises
`ConfigurationError` naming the key, where it came from (file or environment variable)
and the allowed values. The current settings are cached; `reset()` forgets them.

This module owns the Settings model, the loading of its layers and the provenance of
every key. It must not import any stage module (capture, engines, verify, ...).
"""

from __future__ import annotations

import difflib
import json
import os
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.fields import FieldInfo

from selfheal.errors import ConfigurationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

Mode = Literal["observe", "propose", "heal", "approved"]
MODES: tuple[str, ...] = ("observe", "propose", "heal", "approved")
WhileHealing = Literal["wait", "fallback"]
ENGINE_NAMES: tuple[str, ...] = ("offline", "anthropic", "openai")

ENV_PREFIX = "SELFHEAL_"
# Environment variables that steer loading itself rather than naming a setting.
CONFIG_FILE_ENV = "SELFHEAL_CONFIG"
# SELFHEAL_* variables read elsewhere (not settings, so not reported as unknown).
# SELFHEAL_SIGNING_KEY is the approval signing key itself: never a setting, so that
# `selfheal config` can never show it.
OTHER_ENV = frozenset({CONFIG_FILE_ENV, "SELFHEAL_USER", "SELFHEAL_SIGNING_KEY"})
PYPROJECT_TABLE = "[tool.selfheal]"
GUIDANCE_MAX_CHARS = 4_000  # the guidance text goes into every LLM prompt

_DEFAULT_IMPORTS = (
    "math", "re", "string", "itertools", "functools", "operator", "collections", "decimal",
    "fractions", "statistics", "datetime", "json", "heapq", "bisect",
)  # fmt: skip


class Settings(BaseModel):
    """Every setting of selfheal. Field descriptions are the configuration reference."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # -- switches and modes
    disabled: bool = Field(
        False, description="Turn selfheal off entirely: decorated functions run bare and the "
        "import hook instruments nothing."
    )
    mode: Mode = Field(
        "heal", description="What happens on a failure: `observe` (store the report), `propose` "
        "(also propose and verify candidates, then re-raise), `heal` (swap a verified patch in), "
        "`approved` (swap in only patches a person approved)."
    )
    engine: str = Field(
        "offline", description="Engine name(s), comma separated, tried in order: "
        + ", ".join(ENGINE_NAMES) + "."
    )
    store: str = Field(
        ".selfheal", description="Directory of the patch store, relative to the working directory."
    )
    # -- import hook
    include: tuple[str, ...] = Field(
        (), description="Module patterns the import hook instruments (`myapp.*`); used by "
        "`selfheal run` and `install()` without arguments."
    )
    exclude: tuple[str, ...] = Field(
        (), description="Module patterns never instrumented, even when `include` matches them."
    )
    modules: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Per-module overrides, a table per module name or "
        "pattern: `[tool.selfheal.modules.\"myapp.billing\"] mode = \"propose\"`. A name also "
        "covers its submodules; the most specific entry wins."
    )
    # -- one healing attempt
    budget_s: float = Field(10.0, gt=0, description="Seconds one healing attempt may take.")
    max_candidates: int = Field(
        500, gt=0, description="Candidates one healing attempt may verify."
    )
    token_budget: int = Field(
        50_000, gt=0, description="LLM tokens (prompt and answer) one healing attempt may spend."
    )
    allow_guesses: bool = Field(
        False, description="May a fix that only returns an invented constant go live?"
    )
    retry: bool = Field(
        True, description="Re-run the failing call on a verified patch and return its result."
    )
    # -- the caller while a heal runs
    while_healing: WhileHealing = Field(
        "wait", description="What other calls that hit the same failure do while its heal "
        "runs: `wait` (up to `wait_s` for its result, then fall back) or `fallback` (fall back "
        "at once). The call that started the heal waits for it unless `background` is set."
    )
    wait_s: float = Field(
        10.0, ge=0, description="Seconds a failing call waits for its heal when `while_healing` "
        "is `wait`."
    )
    background: bool = Field(
        False, description="Heal in a background thread instead of the failing call's thread."
    )
    attempts_per_window: int = Field(
        3, gt=0, description="Healing attempts allowed per failure fingerprint per window."
    )
    window_s: float = Field(
        300.0, gt=0, description="Length in seconds of the window `attempts_per_window` counts in."
    )
    max_concurrent_heals: int = Field(
        4, gt=0, description="Heals of distinct failures that may run at once in a process; "
        "a failure beyond that falls back at once."
    )
    token_budget_total: int = Field(
        1_000_000, gt=0, description="LLM tokens the whole process may spend on heals; when "
        "spent, only the offline engine is asked."
    )
    circuit_failures: int = Field(
        3, gt=0, description="Consecutive failures of an engine that open its circuit breaker."
    )
    circuit_cooldown_s: float = Field(
        60.0, gt=0, description="Seconds an open circuit waits before one probe request."
    )
    # -- recording calls for verification
    record: bool = Field(
        True, description="Record sample calls of decorated functions for verification."
    )
    record_calls: int = Field(16, ge=0, description="Distinct calls recorded per function.")
    record_bytes: int = Field(
        256_000, ge=0, description="Bytes of recorded inputs kept per function."
    )
    # -- verification sandbox
    hypothesis: bool = Field(True, description="Check candidates on inputs drawn from type hints.")
    check_timeout_s: float = Field(
        2.0, gt=0, description="Wall-clock limit for one check in the sandbox."
    )
    memory_mb: int = Field(1024, gt=0, description="Address-space limit of the sandbox process.")
    allowed_imports: tuple[str, ...] = Field(
        _DEFAULT_IMPORTS, description="Modules a candidate patch may import."
    )
    # -- what engines may answer (checked before any parsing)
    answer_max_bytes: int = Field(
        1_000_000, gt=0, description="Bytes one engine answer may hold (an LLM's reply, or "
        "the candidate sources of one batch together); a larger answer is refused unread, "
        "candidates beyond it are dropped."
    )
    answer_max_candidates: int = Field(
        20, gt=0, description="Candidates taken from one engine answer; the rest are dropped."
    )
    candidate_max_lines: int = Field(
        2_000, gt=0, description="Lines a candidate may have beyond those of the function it "
        "replaces; a longer one is dropped before it is parsed."
    )
    max_tracked_failures: int = Field(
        4_096, gt=0, description="Distinct failures whose attempt counts a process keeps "
        "(least recently seen forgotten first)."
    )
    # -- the patch store: integrity, retention and size
    signing_key_file: str | None = Field(
        None, description="File holding the key that signs and checks approvals (HMAC); it "
        "must be outside the store. The key itself may be given in `SELFHEAL_SIGNING_KEY` "
        "instead. With a key, only approvals signed with it go live or are applied."
    )
    store_max_records: int = Field(
        1_000, ge=0, description="Records the store keeps; the oldest unprotected go first "
        "(approved, live, rejected and rolled-back records are protected). 0: no limit."
    )
    store_max_bytes: int = Field(
        100_000_000, ge=0, description="Bytes the store's records and patches may take. "
        "0: no limit."
    )
    store_max_age_days: float = Field(
        90.0, ge=0, description="Days an unprotected record is kept after its last status "
        "change. 0: no limit."
    )
    store_max_per_failure: int = Field(
        20, ge=0, description="Records kept per failure fingerprint. 0: no limit."
    )
    record_max_bytes: int = Field(
        1_000_000, ge=10_000, description="Bytes one record may take; larger ones leave out "
        "their rejected candidates, then stored inputs, then recorded calls (the note says so)."
    )
    # -- live patches
    live_time_factor: float = Field(
        20.0, ge=0, description="A live patch's call may run this many times the slowest "
        "call of the function seen (recorded, or in verification) before it is cut off and "
        "the patch rolled back; 0 switches the cut-off off.",
    )
    live_time_floor_s: float = Field(
        1.0, gt=0, description="Seconds a live patch's call may always run, however fast "
        "the function was.",
    )
    # -- LLM engines (credentials come from the SDKs' own environment variables)
    anthropic_model: str = Field(
        "claude-sonnet-5", description="Model the `anthropic` engine asks."
    )
    openai_model: str = Field(
        "gpt-4o-mini", description="Model the `openai` engine asks (any OpenAI-compatible "
        "server: Ollama, vLLM, llama.cpp)."
    )
    openai_base_url: str | None = Field(
        None, description="Base URL of the OpenAI-compatible server; unset: the SDK's own "
        "`OPENAI_BASE_URL` or its default."
    )
    llm_timeout_s: float = Field(60.0, gt=0, description="Seconds one LLM request may take.")
    max_turns: int = Field(
        3, gt=0, description="Rounds of propose / verify feedback one LLM session may take."
    )
    max_tokens: int = Field(4096, gt=0, description="Tokens one LLM answer may hold.")
    temperature: float | None = Field(
        None, ge=0, le=2, description="Sampling temperature of LLM engines; unset lets the "
        "model choose (current Anthropic models refuse other values)."
    )
    guidance: str = Field(
        "", description="Your own words for the LLM engines, added to every prompt after "
        "selfheal's rules: house rules such as \"prefer raising ValueError over returning "
        "None\". Redacted like everything else that leaves the process; at most "
        f"{GUIDANCE_MAX_CHARS} characters."
    )
    prompt_examples: int = Field(
        3, ge=0, le=10, description="Fixes approved in this project for similar failures "
        "(same exception type, alike code) that an LLM prompt shows as worked examples; "
        "0 shows none."
    )

    @field_validator("include", "exclude", "allowed_imports", mode="before")
    @classmethod
    def _split_lists(cls, value: Any) -> Any:
        # Environment variables and hand-written TOML give "a,b" or "a": both mean a list.
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("guidance", mode="before")
    @classmethod
    def _guidance_text(cls, value: Any) -> Any:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValueError(
                f"expected text (a TOML string; use a multi-line \"\"\"...\"\"\" string for "
                f"several rules), got {type(value).__name__} {value!r}"
            )
        text = value.strip()
        if len(text) > GUIDANCE_MAX_CHARS:
            raise ValueError(
                f"{len(text)} characters, over the {GUIDANCE_MAX_CHARS} allowed: it goes "
                "into every prompt; keep it to the rules a reviewer would otherwise repeat"
            )
        bad = sorted({f"U+{ord(c):04X}" for c in text if ord(c) < 32 and c not in "\n\t"})
        if bad:
            raise ValueError(f"control characters ({', '.join(bad)}) in the text; remove them")
        return text

    @field_validator("engine", mode="before")
    @classmethod
    def _join_engines(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return ",".join(value)
        return value

    @field_validator("engine")
    @classmethod
    def _known_engines(cls, value: str) -> str:
        names = [part.strip() for part in value.split(",") if part.strip()]
        unknown = [name for name in names if name not in ENGINE_NAMES]
        if not names or unknown:
            raise ValueError(
                f"unknown engine {', '.join(map(repr, unknown)) or repr(value)}; "
                f"allowed: a comma-separated list of {', '.join(ENGINE_NAMES)}"
            )
        return ",".join(names)

    @field_validator("modules", mode="after")
    @classmethod
    def _module_tables(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        # Checked here too so a Settings built directly cannot carry a broken table;
        # `load()` checks first, with messages that name the file.
        for name, table in value.items():
            problems = _module_table_problems(name, table)
            if problems:
                raise ValueError("; ".join(f"{key}: {text}" for key, text in problems))
        return value


# Keys that make no sense for one module: the hook's own patterns and the tables themselves.
MODULE_LOCAL_FORBIDDEN = frozenset({"include", "exclude", "modules"})


def _module_table_problems(name: str, table: Any) -> list[tuple[str, str]]:
    """(key, what is wrong) for each problem of the per-module table `name`."""
    prefix = f'modules."{name}"'
    if not isinstance(table, Mapping):
        return [(prefix, f"expected a table of settings (got {table!r})")]
    problems = []
    for key, value in table.items():
        if key in MODULE_LOCAL_FORBIDDEN:
            problems.append((f"{prefix}.{key}", "cannot be set per module"))
        elif isinstance(value, Mapping) and key not in Settings.model_fields:
            # `[tool.selfheal.modules.myapp.billing]` nests tables at every dot.
            problems.append((
                f"{prefix}.{key}",
                f'a table, not a setting: quote dotted module names, '
                f'[tool.selfheal.modules."{name}.{key}"]',
            ))
    if problems:
        return problems
    try:
        Settings.model_validate(dict(table))
    except ValidationError as exc:
        for err in exc.errors():
            key, text = _describe_error(err)
            problems.append((f"{prefix}.{key}", text))
    return problems


# --------------------------------------------------------------------------- errors


def _describe_error(err: Mapping[str, Any]) -> tuple[str, str]:
    """One pydantic error as (key, `what is wrong (got X); allowed: ...`)."""
    loc = tuple(str(p) for p in err.get("loc", ()))
    key = ".".join(loc) or "?"
    if err.get("type", "") == "extra_forbidden":
        return key, f"unknown key{_did_you_mean(key)}"
    msg = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    text = f"{msg} (got {err.get('input')!r})"
    allowed = _allowed_values(loc[0]) if loc else ""
    if allowed and "allowed" not in msg:
        text += f"; allowed: {allowed}"
    return key, text


def _did_you_mean(key: str) -> str:
    close = difflib.get_close_matches(key, Settings.model_fields, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"{hint}; known keys: {', '.join(Settings.model_fields)}"


def _allowed_values(key: str) -> str:
    info = Settings.model_fields.get(key)
    if info is None:
        return ""
    return _describe_type(info)


def _describe_type(info: FieldInfo) -> str:
    ann = info.annotation
    if get_origin(ann) is Literal:
        return " | ".join(str(a) for a in get_args(ann))
    bounds = []
    for meta in info.metadata:
        for attr, symbol in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")):
            bound = getattr(meta, attr, None)
            if bound is not None:
                bounds.append(f"{symbol} {bound}")
    names = {
        bool: "true | false",
        int: "an integer",
        float: "a number",
        str: "a string",
    }
    base = names.get(ann, "") if isinstance(ann, type) else ""
    if ann == (str | None):
        base = "a string (or unset)"
    elif get_origin(ann) is tuple:
        base = "a list of strings"
    elif get_origin(ann) is dict:
        base = "a table of tables"
    return f"{base} {', '.join(bounds)}".strip() if bounds else base


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class Layer:
    """The raw values one source contributes, and how to name that source."""

    origin: str
    values: dict[str, Any]
    # Per key, where exactly it came from (an env var name); defaults to `origin`.
    key_origins: dict[str, str] = field(default_factory=dict)

    def origin_of(self, key: str) -> str:
        return self.key_origins.get(key, self.origin)


@dataclass(frozen=True)
class Loaded:
    """The effective settings, and for every key the layer its value came from."""

    settings: Settings
    sources: dict[str, str]
    file: Path | None
    ignored_env: tuple[str, ...] = ()


def find_config_file(start: Path | None = None) -> tuple[Path, str] | None:
    """The configuration file in effect and the table read from it, or None.

    Walks up from `start` (default: the working directory). In each directory a
    `selfheal.toml` wins over a `pyproject.toml`; a pyproject.toml without a
    `[tool.selfheal]` table does not count and the walk goes on.
    """
    named = os.environ.get(CONFIG_FILE_ENV)
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigurationError(
                f"{CONFIG_FILE_ENV}={named}: no such file (set it to a selfheal.toml or a "
                "pyproject.toml, or unset it to search from the working directory)"
            )
        return path.resolve(), _table_name(path)
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        dedicated = directory / "selfheal.toml"
        if dedicated.is_file():
            return dedicated, "(top level)"
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject, PYPROJECT_TABLE
    return None


def _table_name(path: Path) -> str:
    return PYPROJECT_TABLE if path.name == "pyproject.toml" else "(top level)"


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    # Cheap pre-check before parsing: most pyproject.toml files do not mention us.
    if "selfheal" not in text:
        return False
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        # A broken pyproject.toml that mentions selfheal is ours to report.
        return True
    tool = data.get("tool")
    return isinstance(tool, dict) and "selfheal" in tool


def read_file_layer(path: Path) -> Layer:
    """The values a configuration file sets (not validated yet)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(f"cannot read {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path} is not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("selfheal", {})
        origin = f"{path} {PYPROJECT_TABLE}"
    else:
        table = data
        origin = str(path)
    if not isinstance(table, dict):
        raise ConfigurationError(f"{origin}: expected a table of settings")
    return Layer(origin=origin, values=dict(table))


def _env_key(name: str) -> str:
    return ENV_PREFIX + name.upper()


def read_env_layer(environ: Mapping[str, str] | None = None) -> tuple[Layer, tuple[str, ...]]:
    """The values `SELFHEAL_*` variables set, and the unknown variables (reported, not fatal).

    Unknown variables are not an error: other tools and selfheal's own sandbox may set
    variables under the same prefix; `selfheal config` lists them so a typo is visible.
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    known = {_env_key(name): name for name in Settings.model_fields if name != "modules"}
    ignored = []
    for var, raw in env.items():
        if not var.startswith(ENV_PREFIX) or var in OTHER_ENV:
            continue
        name = known.get(var)
        if name is None:
            ignored.append(var)
            continue
        info = Settings.model_fields[name]
        value: Any = raw.strip()
        if info.annotation == (str | None) and value == "":
            value = None
        values[name] = value
        origins[name] = f"environment variable {var}"
    return Layer("environment", values, origins), tuple(sorted(ignored))


def _merge(layers: list[Layer]) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for layer in layers:
        for key, value in layer.values.items():
            if key == "modules" and isinstance(value, Mapping):
                # Tables merge per module name: a later layer can override one module
                # without restating every other.
                merged = dict(values.get("modules", {}))
                for mod, table in value.items():
                    previous = merged.get(mod)
                    if isinstance(previous, Mapping) and isinstance(table, Mapping):
                        merged[mod] = {**previous, **table}
                    else:
                        merged[mod] = table
                    sources[f"modules.{mod}"] = layer.origin_of(key)
                values["modules"] = merged
            else:
                values[key] = value
            sources[key] = layer.origin_of(key)
    return values, sources


def validate_layers(layers: list[Layer]) -> tuple[Settings, dict[str, str]]:
    """Merge layers (later wins) and validate; errors name the key and its source."""
    values, sources = _merge(layers)
    problems: list[str] = []
    tables = values.get("modules", {})
    for name, table in tables.items() if isinstance(tables, Mapping) else ():
        problem = _module_table_problems(name, table)
        if problem:
            origin = sources.get(f"modules.{name}", "defaults")
            problems.extend(f"{key} in {origin}: {text}" for key, text in problem)
    if problems:
        raise ConfigurationError(_format_problems(problems))
    try:
        settings = Settings.model_validate(values)
    except ValidationError as exc:
        for err in exc.errors():
            key, text = _describe_error(err)
            origin = sources.get(key.split(".")[0], "defaults")
            problems.append(f"{key} in {origin}: {text}")
        raise ConfigurationError(_format_problems(problems)) from None
    full = {name: sources.get(name, "default") for name in Settings.model_fields}
    full.update({k: v for k, v in sources.items() if k.startswith("modules.")})
    return settings, full


def _format_problems(problems: list[str]) -> str:
    if len(problems) == 1:
        return f"invalid selfheal setting: {problems[0]}"
    return "invalid selfheal settings:\n" + "\n".join(f"  - {p}" for p in problems)


# --------------------------------------------------------------------------- process state

_lock = threading.Lock()
_overrides: dict[str, Any] = {}
_override_origins: dict[str, str] = {}
_loaded: Loaded | None = None
_module_cache: dict[str, Settings] = {}


def _after_fork_in_child() -> None:
    # The sandbox forks while other threads may hold the lock: a child must not inherit
    # it locked (it would deadlock on its first get_settings()).
    global _lock
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _base_layers() -> tuple[list[Layer], Path | None, tuple[str, ...]]:
    layers: list[Layer] = []
    found = find_config_file()
    path = None
    if found is not None:
        path = found[0]
        layers.append(read_file_layer(path))
    env_layer, ignored = read_env_layer()
    layers.append(env_layer)
    return layers, path, ignored


def _load_locked(overrides: dict[str, Any], origins: dict[str, str]) -> Loaded:
    layers, path, ignored = _base_layers()
    if overrides:
        layers.append(Layer("configure()", dict(overrides), dict(origins)))
    settings, sources = validate_layers(layers)
    return Loaded(settings, sources, path, ignored)


def load() -> Loaded:
    """The effective settings with their provenance (cached until `configure`/`reset`)."""
    global _loaded
    loaded = _loaded
    if loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _load_locked(_overrides, _override_origins)
            loaded = _loaded
    return loaded


def configure(**values: Any) -> Settings:
    """Set process-wide defaults; later calls update earlier ones. Returns the result.

    Raises ConfigurationError (and changes nothing) when a value is invalid.
    """
    return configure_from("configure()", **values)


def configure_from(origin: str, **values: Any) -> Settings:
    """`configure(...)` with another name for the source (`selfheal config` shows it).

    The command line uses it for its options (`--store`, `--include`...).
    """
    global _loaded
    with _lock:
        merged = {**_overrides, **values}
        origins = {**_override_origins, **dict.fromkeys(values, origin)}
        loaded = _load_locked(merged, origins)
        _overrides.clear()
        _overrides.update(merged)
        _override_origins.clear()
        _override_origins.update(origins)
        _loaded = loaded
        _module_cache.clear()
        return loaded.settings


def reset() -> None:
    """Forget configure() calls and re-read files and environment on next use (tests)."""
    global _loaded
    with _lock:
        _overrides.clear()
        _override_origins.clear()
        _loaded = None
        _module_cache.clear()


def get_settings() -> Settings:
    """The effective process-wide settings; the first call reads file and environment."""
    return load().settings


def get_sources() -> dict[str, str]:
    """For every key (and every `modules.<name>` table), the layer its value came from."""
    return dict(load().sources)


def module_table_matches(pattern: str, module: str) -> bool:
    """Does a `modules` table named `pattern` apply to `module`?

    A plain name covers the module and its submodules; a name with wildcards is an
    fnmatch pattern on the dotted name (and also covers the submodules of a match).
    """
    if module == pattern or module.startswith(pattern + "."):
        return True
    if any(ch in pattern for ch in "*?["):
        return fnmatchcase(module, pattern) or fnmatchcase(module, pattern + ".*")
    return False


def _specificity(pattern: str) -> tuple[int, int, int]:
    # More dotted parts = more specific; then literal beats wildcard; then longer.
    wild = any(ch in pattern for ch in "*?[")
    return (pattern.count("."), 0 if wild else 1, len(pattern))


def settings_for_module(module: str) -> Settings:
    """The settings with the per-module overrides for `module` applied (cached)."""
    settings = get_settings()
    if not settings.modules:
        return settings
    cached = _module_cache.get(module)
    if cached is not None:
        return cached
    updates: dict[str, Any] = {}
    # Least specific first, so "myapp.billing" beats "myapp" and "myapp.*".
    for name in sorted(settings.modules, key=_specificity):
        if module_table_matches(name, module):
            updates.update(settings.modules[name])
    result = settings
    if updates:
        try:
            result = Settings.model_validate(settings.model_dump() | updates)
        except ValidationError as exc:  # pragma: no cover - tables are validated at load
            raise ConfigurationError(
                _format_problems([": ".join(_describe_error(e)) for e in exc.errors()])
            ) from None
    with _lock:
        # Only cache if the settings did not change meanwhile.
        if _loaded is not None and _loaded.settings is settings:
            _module_cache[module] = result
    return result


# --------------------------------------------------------------------------- reference


def _default_text(info: FieldInfo) -> str:
    default = info.get_default(call_default_factory=True)
    if isinstance(default, tuple):
        default = list(default)
    return json.dumps(default)


def reference_markdown() -> str:
    """The configuration reference (a Markdown table) built from the field descriptions."""
    lines = [
        "| Key | Environment variable | Default | Allowed | Description |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, info in Settings.model_fields.items():
        env = "—" if name == "modules" else f"`{_env_key(name)}`"
        description = (info.description or "").replace("|", "\\|").replace("\n", " ")
        allowed = _describe_type(info).replace("|", "\\|")
        default = _default_text(info).replace("|", "\\|")
        lines.append(f"| `{name}` | {env} | `{default}` | {allowed} | {description} |")
    return "\n".join(lines) + "\n"
