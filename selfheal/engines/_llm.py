"""What the LLM engines share: the conversation loop, budgets, answers, vendor errors.

Owns the session logic both vendors follow (turns up to `max_turns`, the token and time
budget, feedback of earlier verdicts, usage and its cost estimate), the parsing of an
answer into candidates (a JSON object from a tool call or a JSON-schema answer, never a
def fished out of prose), the translation of vendor SDK errors into selfheal's
`EngineUnavailable` / `EngineResponseError`, and a per-endpoint circuit breaker.

An answer is bounded before it is parsed (`AnswerLimits`): `limit_response_size` makes
the SDK's HTTP client stop reading a response body at `answer_max_bytes` (so the SDK
never decodes a huge one), and the reply text, the patches per answer and the bytes and
lines per patch are checked again here before `json.loads` and `ast.parse` see them.

It must not import a vendor SDK (the vendor modules do, lazily) and must not verify or
install anything: candidates go back to the pipeline, which verifies them.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from selfheal.config import get_settings
from selfheal.engines.base import AnswerLimits, RepairRequest, bounded_candidates
from selfheal.engines.prompt import Prompt, PromptLimits, build_prompt, render_feedback
from selfheal.errors import EngineError, EngineResponseError, EngineUnavailable
from selfheal.models import Candidate, CandidateOutcome, Usage
from selfheal.scrub import Scrubber, env_secrets, get_scrubber, restore_source, truncate

# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class LLMOptions:
    """Resolved options of one LLM engine (constructor arguments over settings)."""

    model: str
    max_tokens: int = 4096
    temperature: float | None = None
    timeout_s: float = 60.0
    max_turns: int = 3
    candidates_per_turn: int = 3
    max_retries: int = 2
    token_budget: int | None = None
    allowed_imports: tuple[str, ...] = ()
    prompt_limits: PromptLimits = field(default_factory=PromptLimits)


def setting(name: str, default: Any) -> Any:
    """A value from `selfheal.config.get_settings()`, or `default` when it has none."""
    try:
        value = getattr(get_settings(), name, default)
    except Exception:  # settings that fail to load are reported elsewhere, not here
        return default
    return default if value is None else value


class LLMEngineBase:
    """What the Anthropic and OpenAI-compatible engines have in common: their
    constructor arguments, and resolving them over the settings into LLMOptions."""

    model_setting = ""  # the settings key of this engine's model
    default_model = ""

    def _configure(
        self,
        *,
        model: str | None,
        max_tokens: int | None,
        temperature: float | None,
        timeout_s: float | None,
        max_turns: int | None,
        candidates_per_turn: int,
        max_retries: int,
        token_budget: int | None,
        allowed_imports: tuple[str, ...] | None,
        api_key: str | None,
        base_url: str | None,
        prompt_limits: PromptLimits | None,
        prices: Mapping[str, tuple[float, float]] | None,
        scrubber: Any,
        circuit_failures: int,
        circuit_cooldown_s: float,
    ) -> None:
        self.model = model
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.timeout_s = timeout_s
        self.max_turns = max_turns
        self.candidates_per_turn = candidates_per_turn
        self.max_retries = max_retries
        self.token_budget = token_budget
        self.allowed_imports = allowed_imports
        self.prompt_limits = prompt_limits or PromptLimits()
        self.prices = dict(DEFAULT_PRICES if prices is None else prices)
        self.scrubber = scrubber
        self.circuit_failures = circuit_failures
        self.circuit_cooldown_s = circuit_cooldown_s
        self._api_key = api_key
        self._base_url = base_url
        self._client: Any = None
        self._lock = threading.Lock()

    def _options(self, temperature: float | None) -> LLMOptions:
        """Constructor arguments over the settings (`temperature` is the engine's call)."""
        return LLMOptions(
            model=self.model or str(setting(self.model_setting, self.default_model)),
            max_tokens=self.max_tokens or int(setting("max_tokens", 4096)),
            temperature=temperature,
            timeout_s=self.timeout_s or float(setting("llm_timeout_s", 60.0)),
            max_turns=self.max_turns or int(setting("max_turns", 3)),
            candidates_per_turn=self.candidates_per_turn,
            max_retries=self.max_retries,
            token_budget=self.token_budget or setting("token_budget", None),
            allowed_imports=tuple(
                self.allowed_imports
                if self.allowed_imports is not None
                else setting("allowed_imports", ())
            ),
            prompt_limits=self.prompt_limits,
        )


# --------------------------------------------------------------------------- prices

# US dollars per million tokens (input, output), by model-name prefix; the longest
# matching prefix wins. An estimate for the record, not a bill: unknown models cost 0.
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "claude-fable": (10.0, 50.0),
    "claude-opus": (5.0, 25.0),
    "claude-sonnet-5": (2.0, 10.0),
    "claude-sonnet": (3.0, 15.0),
    "claude-haiku": (1.0, 5.0),
    "gpt-5-nano": (0.05, 0.4),
    "gpt-5-mini": (0.25, 2.0),
    "gpt-5": (1.25, 10.0),
    "gpt-4.1-nano": (0.1, 0.4),
    "gpt-4.1-mini": (0.4, 1.6),
    "gpt-4.1": (2.0, 8.0),
    "gpt-4o-mini": (0.15, 0.6),
    "gpt-4o": (2.5, 10.0),
}
PRIOR_OUTCOMES_SHOWN = 3  # other engines' rejected candidates shown on the first turn
CACHE_READ_FACTOR = 0.1  # cached input tokens are billed at about a tenth
CACHE_WRITE_FACTOR = 1.25  # writing the cache costs a quarter more than plain input


def price_of(model: str, prices: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
    best = ""
    for prefix in prices:
        if model.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return prices[best] if best else (0.0, 0.0)


@dataclass(frozen=True)
class TurnUsage:
    """Tokens of one request, as the vendor reported them."""

    input_tokens: int = 0  # not cached
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    def cost(self, price: tuple[float, float]) -> float:
        per_in, per_out = price
        return (
            self.input_tokens * per_in
            + self.cache_read_tokens * per_in * CACHE_READ_FACTOR
            + self.cache_write_tokens * per_in * CACHE_WRITE_FACTOR
            + self.output_tokens * per_out
        ) / 1_000_000


@dataclass(frozen=True)
class Answer:
    """One vendor answer: the structured payload (None when there was none) and usage."""

    payload: Any
    usage: TurnUsage
    problem: str = ""  # why there is no payload (prose only, cut at max_tokens ...)


# --------------------------------------------------------------------------- answers


class AnswerTooLarge(EngineResponseError):
    """A response body over `answer_max_bytes`: reading stopped there."""


_bounded_streams: dict[type, type] = {}


def _bounded_stream(stream: Any, limit: int) -> Any:
    """`stream` (an HTTP client's sync byte stream) stopping with AnswerTooLarge at `limit`.

    The client checks that a response stream is its own SyncByteStream, so the wrapper
    subclasses whatever byte-stream base the given stream has (the SDKs ship their own
    HTTP library), found by name.
    """
    base = next((c for c in type(stream).__mro__ if c.__name__ == "SyncByteStream"), None)
    if base is None:
        return stream  # another shape: the checks after parsing still hold
    wrapper = _bounded_streams.get(base)
    if wrapper is None:
        def __init__(self: Any, inner: Any, cap: int) -> None:
            self._inner, self._cap, self._seen = inner, cap, 0

        def __iter__(self: Any) -> Any:
            for chunk in self._inner:
                self._seen += len(chunk)
                if self._seen > self._cap:
                    raise AnswerTooLarge(
                        f"the answer is over answer_max_bytes ({self._cap} bytes); "
                        "reading stopped there"
                    )
                yield chunk

        def close(self: Any) -> None:
            self._inner.close()

        wrapper = _bounded_streams[base] = type(
            "BoundedStream", (base,), {"__init__": __init__, "__iter__": __iter__,
                                       "close": close})
    return wrapper(stream, limit)


def limit_response_size(client: Any) -> None:
    """Make an SDK client refuse response bodies over `answer_max_bytes` while reading.

    Uses the response event hook of the SDK's HTTP client (called once the headers are
    in, before the body is read): a Content-Length over the limit is refused at once, a
    body without one is counted as it streams. A client of another shape is left as it
    is; the answer is still checked before it is parsed here.
    """
    http: Any = getattr(client, "_client", None)
    hooks = getattr(http, "event_hooks", None)
    if not isinstance(hooks, dict):
        return

    def check(response: Any) -> None:
        limit = AnswerLimits.from_settings().max_bytes
        length = str(response.headers.get("content-length") or "")
        if length.isdigit() and int(length) > limit:
            raise AnswerTooLarge(
                f"the answer is {length} bytes, over answer_max_bytes ({limit}); refused unread"
            )
        response.stream = _bounded_stream(response.stream, limit)

    hooks = {**hooks, "response": [*hooks.get("response", []), check]}
    http.event_hooks = hooks


_FENCE = re.compile(r"^\s*```[A-Za-z0-9_+-]*\s*\n(?P<body>[\s\S]*?)\n?\s*```\s*$")


def parse_json_text(text: str, limits: AnswerLimits | None = None) -> Any:
    """A JSON answer given as message text (the fallback modes); a single code fence
    around it is tolerated, anything else around it is not. Text over the answer limit
    is refused unread."""
    limits = limits or AnswerLimits.from_settings()
    if len(text) > limits.max_bytes:
        raise EngineResponseError(
            f"the answer is {len(text)} characters, over answer_max_bytes "
            f"({limits.max_bytes}); refused unread"
        )
    stripped = text.strip()
    fenced = _FENCE.match(stripped)
    if fenced:
        stripped = fenced["body"].strip()
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise EngineResponseError(
            f"the answer is not a JSON object ({exc.msg} at character {exc.pos}): "
            f"{truncate(stripped, 120)!r}"
        ) from None


def clean_source(source: str) -> str:
    """A def statement as a model wrote it: fences and common indentation removed."""
    fenced = _FENCE.match(source.strip())
    if fenced:
        source = fenced["body"]
    return textwrap.dedent(source).strip("\n") + "\n"


def parse_patches(
    payload: Any,
    *,
    function_name: str,
    engine: str,
    limit: int,
    secrets: Mapping[str, str] | None = None,
    original: str | None = None,
    limits: AnswerLimits | None = None,
) -> list[Candidate]:
    """Candidates from a structured answer `{"patches": [{"source", "rationale"}...]}`.

    Only the first `answer_max_candidates` items are looked at, and an item whose source
    is over the answer limits (bytes, lines) is dropped before it is parsed. Items that
    are not one `def` of the function are dropped with a reason; if nothing usable
    remains the whole answer is an `EngineResponseError`. Given the `original` source,
    candidates that only invent a value are marked `guess` (see `is_guess`).
    Placeholders that redaction put into the prompt are replaced by the originals here,
    locally.
    """
    limits = limits or AnswerLimits.from_settings()
    if isinstance(payload, Mapping) and "patches" not in payload and "source" in payload:
        payload = {"patches": [payload]}  # one patch given without the list around it
    if not isinstance(payload, Mapping) or not isinstance(payload.get("patches"), list):
        raise EngineResponseError(
            "the answer has no `patches` list: " + truncate(_brief(payload), 160)
        )
    candidates: list[Candidate] = []
    seen: set[str] = set()
    numbered, problems = bounded_candidates(
        enumerate(item if isinstance(item, Mapping) else {} for item in payload["patches"]),
        limits,
        original or "",
        lambda pair: pair[1].get("source"),
    )
    problems = [p.replace("candidate ", "patch ", 1) for p in problems]
    for index, item in numbered:
        rationale = item.get("rationale")
        rationale = rationale.strip() if isinstance(rationale, str) else ""
        source = clean_source(item["source"])
        source, problem = _single_def(source, function_name)
        if problem:
            problems.append(f"patch {index + 1}: {problem}")
            continue
        source = restore_source(source, secrets or {})
        if source in seen:
            continue
        seen.add(source)
        candidates.append(
            Candidate(
                source=source,
                engine=engine,
                description=truncate(rationale.splitlines()[0] if rationale else "", 200),
                rationale=truncate(rationale, 2000),
                rank=float(len(candidates)),
                guess=original is not None and is_guess(original, source),
            )
        )
        if len(candidates) >= limit:
            break
    if not candidates:
        detail = "; ".join(problems) or "the `patches` list is empty"
        raise EngineResponseError(f"no usable patch in the answer: {truncate(detail, 400)}")
    return candidates


def _single_def(source: str, name: str) -> tuple[str, str]:
    try:
        module = ast.parse(source)
    except SyntaxError as exc:
        return source, f"not valid Python ({exc.msg}, line {exc.lineno})"
    defs = [n for n in module.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if len(module.body) != 1 or len(defs) != 1:
        return source, "not exactly one def statement"
    node = defs[0]
    if node.name != name:
        return source, f"defines {node.name!r}, not {name!r}"
    if node.decorator_list:
        # Decorators would wrap the patch a second time once swapped in: drop them.
        lines = source.splitlines(keepends=True)
        source = "".join(lines[node.lineno - 1 :])
    return source, ""


# --------------------------------------------------------------------------- guesses


def is_guess(original: str, candidate: str) -> bool:
    """Does `candidate` only invent a value where `original` failed?

    Two shapes, the ones a model reaches for when it cannot find the cause: the original
    body plus guards that return a constant (`if not values: return 0.0`), or the
    original body inside a `try` whose handlers return a constant. Such a patch makes
    the failing call return a made-up value; the pipeline lets it go live only when the
    user allows guesses or an example or property says what that input must give.
    """
    try:
        orig = _body(original)
        cand = _body(candidate)
    except (SyntaxError, ValueError):
        return False
    if orig is None or cand is None or cand == orig:
        return False
    cand_nodes, orig_dump = cand, [ast.dump(n) for n in orig]
    kept = [n for n in cand_nodes if not _constant_guard(n)]
    if len(kept) < len(cand_nodes) and [ast.dump(n) for n in kept] == orig_dump:
        return True
    if len(cand_nodes) == 1 and isinstance(cand_nodes[0], ast.Try):
        node = cand_nodes[0]
        if (
            [ast.dump(n) for n in node.body] == orig_dump
            and node.handlers
            and not node.orelse
            and not node.finalbody
            and all(_returns_constant(h.body) for h in node.handlers)
        ):
            return True
    return False


def _body(source: str) -> list[ast.stmt] | None:
    module = ast.parse(textwrap.dedent(source))
    if len(module.body) != 1 or not isinstance(
        module.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)
    ):
        return None
    body = list(module.body[0].body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and (
        isinstance(body[0].value.value, str)
    ):
        body = body[1:]  # a docstring changes nothing
    return body


def _is_constant(node: ast.expr | None) -> bool:
    if node is None or isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _is_constant(node.operand)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(_is_constant(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(
            _is_constant(k) and _is_constant(v) for k, v in zip(node.keys, node.values, strict=True)
        )
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        # float("nan"), Decimal("0"), dict(): a constant built by a call
        return not node.keywords and all(_is_constant(a) for a in node.args)
    return False


def _returns_constant(body: list[ast.stmt]) -> bool:
    return len(body) == 1 and isinstance(body[0], ast.Return) and _is_constant(body[0].value)


def _constant_guard(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and not node.orelse and _returns_constant(node.body)


def _brief(payload: Any) -> str:
    try:
        return json.dumps(payload)[:200]
    except (TypeError, ValueError):
        return type(payload).__name__


# --------------------------------------------------------------------------- errors


def translate_error(exc: BaseException, vendor: str, sdk: Any, timeout_s: float) -> EngineError:
    """A vendor SDK exception as selfheal's own error (the message is redacted).

    `sdk` is the vendor module (`anthropic` or `openai`); both expose the same error
    classes, so one mapping serves both.
    """
    scrub = get_scrubber()

    def message(text: str) -> str:
        return truncate(scrub.redact_text(text), 300)

    if isinstance(exc, EngineError):
        return exc
    if isinstance(exc, getattr(sdk, "APITimeoutError", ())):
        return EngineUnavailable(f"{vendor}: no answer within {timeout_s:g}s (timed out)")
    if isinstance(exc, getattr(sdk, "APIConnectionError", ())):
        cause = exc.__cause__ or exc.__context__
        why = f"{type(cause).__name__}: {cause}" if cause else str(exc)
        return EngineUnavailable(f"{vendor}: connection failed ({message(why)})")
    if isinstance(exc, getattr(sdk, "APIStatusError", ())):
        status = getattr(exc, "status_code", "?")
        body = getattr(exc, "message", "") or str(exc)
        if status in (401, 403):
            return EngineUnavailable(
                f"{vendor}: the server refused the credentials (HTTP {status}): {message(body)}"
            )
        if status == 429:
            return EngineUnavailable(f"{vendor}: rate limited (HTTP 429) after retries")
        if isinstance(status, int) and status >= 500:
            return EngineUnavailable(
                f"{vendor}: server error (HTTP {status}) after retries: {message(body)}"
            )
        return EngineUnavailable(f"{vendor}: request rejected (HTTP {status}): {message(body)}")
    if isinstance(exc, getattr(sdk, "APIResponseValidationError", ())):
        return EngineResponseError(f"{vendor}: malformed response: {message(str(exc))}")
    if isinstance(exc, ValueError):  # a 200 whose body is not JSON, or not the shape
        return EngineResponseError(
            f"{vendor}: unreadable response ({type(exc).__name__}: {message(str(exc))})"
        )
    return EngineUnavailable(f"{vendor}: {type(exc).__name__}: {message(str(exc))}")


# --------------------------------------------------------------------------- circuit


class Circuit:
    """Stops asking an endpoint that keeps failing: after `failures` unavailable answers
    in a row it refuses for `cooldown_s`, then lets one request through to probe."""

    def __init__(self, failures: int = 3, cooldown_s: float = 30.0) -> None:
        self.failures = failures
        self.cooldown_s = cooldown_s
        self._lock = threading.Lock()
        self._count = 0
        self._opened_at: float | None = None

    def check(self, what: str) -> None:
        with self._lock:
            if self._opened_at is None:
                return
            waited = time.monotonic() - self._opened_at
            if waited < self.cooldown_s:
                raise EngineUnavailable(
                    f"{what}: circuit open after {self._count} failures in a row; "
                    f"retrying in {self.cooldown_s - waited:.0f}s"
                )
            self._opened_at = None  # half open: one probe

    def success(self) -> None:
        with self._lock:
            self._count = 0
            self._opened_at = None

    def failure(self) -> None:
        with self._lock:
            self._count += 1
            if self._count >= self.failures:
                self._opened_at = time.monotonic()

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._opened_at is not None


_circuits: dict[tuple[str, ...], Circuit] = {}
_circuits_lock = threading.Lock()


def circuit_for(key: tuple[str, ...], failures: int, cooldown_s: float) -> Circuit:
    """The circuit shared by every engine talking to the same endpoint and model."""
    with _circuits_lock:
        circuit = _circuits.get(key)
        if circuit is None or (circuit.failures, circuit.cooldown_s) != (failures, cooldown_s):
            circuit = _circuits[key] = Circuit(failures, cooldown_s)
        return circuit


def reset_circuits() -> None:
    """Forget every endpoint's failures (tests use this)."""
    with _circuits_lock:
        _circuits.clear()


# --------------------------------------------------------------------------- session


class LLMSession:
    """The vendor-independent half of a repair conversation.

    A vendor subclass implements `_ask(text, timeout_s, first=...) -> Answer`; it keeps
    the message history in its vendor's shape.
    """

    engine_name = "llm"

    def __init__(
        self,
        request: RepairRequest,
        options: LLMOptions,
        *,
        circuit: Circuit,
        prices: Mapping[str, tuple[float, float]],
        scrubber: Scrubber | None = None,
        json_only: bool = False,
    ) -> None:
        self.request = request
        self.options = options
        self.circuit = circuit
        # Exact strings to remove besides the patterns: secret-named environment values.
        self.scrubber = (scrubber or get_scrubber()).with_known(env_secrets())
        self.prompt: Prompt = build_prompt(
            request,
            allowed_imports=options.allowed_imports,
            candidates=options.candidates_per_turn,
            limits=options.prompt_limits,
            scrubber=self.scrubber,
            json_only=json_only,
        )
        self._secrets = dict(self.prompt.secrets)
        self._json_only = json_only
        self._price = price_of(options.model, prices)
        self._started = time.monotonic()
        self._turns = 0
        self._reported: set[str] = set()
        self._labels: dict[str, str] = {}
        self._usage = Usage(engine=self.engine_name)
        self._done = False

    # -- the protocol

    @property
    def usage(self) -> Usage:
        return self._usage

    @property
    def turns(self) -> int:
        return self._turns

    def next_batch(self, feedback: Sequence[CandidateOutcome]) -> Sequence[Candidate]:
        if self._done or self._turns >= self.options.max_turns:
            return []
        if any(o.verdict.ok and o.candidate.id in self._labels for o in feedback):
            # One of ours passed: spend nothing more. (Another engine's pass may be a
            # guess the pipeline does not accept, so that alone does not stop us.)
            self._done = True
            return []
        if self._over_token_budget():
            return []
        timeout = self._timeout()
        if timeout is None:
            return []
        text: str | None = None
        first = self._turns == 0
        new = [o for o in feedback if o.candidate.id not in self._reported]
        if first and new:
            # Candidates of engines tried before this one (offline, say): the last few,
            # so the model does not propose them again.
            shown = new[-PRIOR_OUTCOMES_SHOWN:]
            intro = f"Other engines already tried {len(new)} candidates without an accepted fix."
            intro += f" The last {len(shown)}:\n\n" if len(shown) < len(new) else "\n\n"
            text = intro + render_feedback(
                shown,
                labels={},
                secrets=self._secrets,
                candidates=self.options.candidates_per_turn,
                scrubber=self.scrubber,
                value_chars=self.options.prompt_limits.value_chars,
            )
            text = self.scrubber.redact_text(text)
        elif not first:
            text = render_feedback(
                new,
                labels=self._labels,
                secrets=self._secrets,
                candidates=self.options.candidates_per_turn,
                scrubber=self.scrubber,
                value_chars=self.options.prompt_limits.value_chars,
            )
            # A last scrub of the whole turn: restores nothing, removes anything missed.
            text = self.scrubber.redact_text(text)
        for outcome in feedback:
            self._reported.add(outcome.candidate.id)
        self.circuit.check(self.engine_name)
        try:
            answer = self._ask(text, timeout, first=first)
        except EngineUnavailable:
            self.circuit.failure()
            raise
        self.circuit.success()
        self._turns += 1
        self._add_usage(answer.usage)
        if answer.payload is None:
            raise EngineResponseError(
                f"{self.engine_name}: no structured answer ({answer.problem or 'no tool call'})"
            )
        candidates = parse_patches(
            answer.payload,
            function_name=self.prompt.function_name,
            engine=self.engine_name,
            limit=self.options.candidates_per_turn,
            secrets=self._secrets,
            original=self.request.report.function.source,
        )
        for candidate in candidates:
            self._labels.setdefault(
                candidate.id, f"your candidate {len(self._labels) + 1} (turn {self._turns})"
            )
        learnt = self._learnt()
        if learnt:
            candidates = [
                c.model_copy(update={"rationale": truncate(
                    (c.rationale + "\n" if c.rationale else "") + learnt, 2000)})
                for c in candidates
            ]
        return candidates

    def _learnt(self) -> str:
        """What the project taught the prompt, for the candidates' rationale (so that
        `selfheal show` says which approved fixes the model was shown)."""
        shown = self.prompt.approved_shown
        parts = []
        if shown:
            parts.append(f"{len(shown)} approved fix{'es' if len(shown) > 1 else ''} of "
                         f"similar failures ({', '.join(shown)})")
        if self.prompt.guided:
            parts.append("the project's guidance")
        return f"prompt showed {' and '.join(parts)}" if parts else ""

    # -- for subclasses

    def _rebuild_prompt(self, json_only: bool) -> None:
        """Switch the rules between 'call the tool' and 'answer with bare JSON' (before
        the first request only: the conversation so far used the old rules)."""
        if json_only == self._json_only:
            return
        self._json_only = json_only
        self.prompt = build_prompt(
            self.request,
            allowed_imports=self.options.allowed_imports,
            candidates=self.options.candidates_per_turn,
            limits=self.options.prompt_limits,
            scrubber=self.scrubber,
            json_only=json_only,
        )
        self._secrets = dict(self.prompt.secrets)

    def _ask(self, text: str | None, timeout_s: float, *, first: bool) -> Answer:
        """Send one turn. `first`: open the conversation with `self.prompt`, adding
        `text` (earlier engines' outcomes) when given; later turns send `text` (the
        feedback) as the answer to the previous turn."""
        raise NotImplementedError

    # -- budget

    def _over_token_budget(self) -> bool:
        budget = self.options.token_budget
        request_budget = self.request.budget.tokens
        limits = [b for b in (budget, request_budget) if b is not None]
        if not limits:
            return False
        spent = self._usage.input_tokens + self._usage.output_tokens
        return spent >= min(limits)

    def _timeout(self) -> float | None:
        """This request's timeout: the engine's, cut to what the heal's budget has left."""
        timeout = self.options.timeout_s
        seconds = self.request.budget.seconds
        if seconds is not None:
            left = seconds - (time.monotonic() - self._started)
            if left < 0.05:
                return None
            timeout = min(timeout, left)
        return timeout

    def _add_usage(self, turn: TurnUsage) -> None:
        u = self._usage
        self._usage = Usage(
            engine=self.engine_name,
            requests=u.requests + 1,
            input_tokens=u.input_tokens + turn.input_tokens + turn.cache_read_tokens
            + turn.cache_write_tokens,
            output_tokens=u.output_tokens + turn.output_tokens,
            cost_usd=round(u.cost_usd + turn.cost(self._price), 6),
        )
