"""The `anthropic` engine: Claude proposes patches through a tool call or structured output.

Owns the Anthropic Messages API conversation: how the answer is structured, prompt
caching of the static part (tools + rules, then the failure context), the multi-turn
exchange where each verdict goes back to the model, usage with cache tokens, and the
translation of SDK errors at this boundary.

Two structured modes (`structured=`), neither of which reads a patch out of prose:

* ``"tool"`` (default): a tool whose input is the list of candidate `def` statements,
  forced with `tool_choice`. Forcing a tool is refused while the model thinks, and
  current models think by default, so this mode sends `thinking: disabled`.
* ``"json_schema"``: structured outputs (`output_config.format`), which let the model
  think first (better fixes, more output tokens); `effort=` tunes how much.

Sampling parameters: current models (Sonnet 5, Opus 4.7 and later) refuse a non-default
`temperature` with HTTP 400, so it is sent only when given to the constructor.

Credentials and the endpoint come from the SDK's own environment variables
(`ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN`, `ANTHROPIC_BASE_URL`) unless given. The
SDK retries 408/409/429/5xx (529 included) and connection errors with backoff,
`max_retries` times. It must not verify, install or store anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from selfheal.engines._llm import (
    Answer,
    LLMEngineBase,
    LLMOptions,
    LLMSession,
    TurnUsage,
    circuit_for,
    limit_response_size,
    parse_json_text,
    translate_error,
)
from selfheal.engines.base import RepairRequest
from selfheal.engines.prompt import PATCH_TOOL_NAME, PromptLimits, patch_schema
from selfheal.errors import (
    ConfigurationError,
    EngineResponseError,
    EngineUnavailable,
    MissingDependencyError,
)
from selfheal.scrub import Scrubber, get_scrubber, truncate

DEFAULT_MODEL = "claude-sonnet-5"
STRUCTURED_MODES: tuple[str, ...] = ("tool", "json_schema")
Structured = Literal["tool", "json_schema"]
Effort = Literal["low", "medium", "high", "xhigh", "max"]

_TOOL_DESCRIPTION = (
    "Submit candidate replacements for the failing function. Each patch is a complete "
    "def statement with the same name and parameters, plus a short rationale."
)


def _import_sdk() -> Any:
    try:
        # an optional dependency (the `anthropic` extra)
        import anthropic
    except ImportError:
        raise MissingDependencyError("anthropic", "anthropic") from None
    return anthropic


def _brief_error(exc: BaseException) -> str:
    return truncate(get_scrubber().redact_text(f"{type(exc).__name__}: {exc}"), 300)


class AnthropicEngine(LLMEngineBase):
    """Proposes patches with Claude. Every argument left as None comes from the settings
    (`anthropic_model`, `max_tokens`, `llm_timeout_s`, `max_turns`, `token_budget`,
    `allowed_imports`) or, for credentials and the base URL, from the SDK's environment.

    `temperature` is sent only when given here (current models choose their own).
    """

    name = "anthropic"
    model_setting = "anthropic_model"
    default_model = DEFAULT_MODEL

    def __init__(
        self,
        *,
        model: str | None = None,
        structured: Structured = "tool",
        effort: Effort | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
        timeout_s: float | None = None,
        max_turns: int | None = None,
        candidates_per_turn: int = 3,
        max_retries: int = 2,
        token_budget: int | None = None,
        allowed_imports: tuple[str, ...] | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        prompt_cache: bool = True,
        prompt_limits: PromptLimits | None = None,
        prices: Mapping[str, tuple[float, float]] | None = None,
        scrubber: Scrubber | None = None,
        circuit_failures: int = 3,
        circuit_cooldown_s: float = 30.0,
    ) -> None:
        if structured not in STRUCTURED_MODES:
            raise ConfigurationError(
                f"anthropic engine: structured={structured!r}; use one of "
                + ", ".join(STRUCTURED_MODES)
            )
        self._sdk = _import_sdk()
        self.structured: Structured = structured
        self.effort = effort
        self.prompt_cache = prompt_cache
        self._configure(
            model=model,
            max_tokens=max_tokens,
            temperature=temperature,
            timeout_s=timeout_s,
            max_turns=max_turns,
            candidates_per_turn=candidates_per_turn,
            max_retries=max_retries,
            token_budget=token_budget,
            allowed_imports=allowed_imports,
            api_key=api_key,
            base_url=base_url,
            prompt_limits=prompt_limits,
            prices=prices,
            scrubber=scrubber,
            circuit_failures=circuit_failures,
            circuit_cooldown_s=circuit_cooldown_s,
        )
        self.last_session: AnthropicSession | None = None  # the latest, for its usage

    def options(self) -> LLMOptions:
        """The options a session opened now would use."""
        # temperature only when given: current models refuse other values (see above).
        return self._options(self.temperature)

    def client(self) -> Any:
        """The SDK client (made once). Raises EngineUnavailable without credentials."""
        with self._lock:
            if self._client is None:
                try:
                    client = self._sdk.Anthropic(
                        api_key=self._api_key,
                        base_url=self._base_url,
                        max_retries=self.max_retries,
                        timeout=self.options().timeout_s,
                    )
                except self._sdk.AnthropicError as exc:
                    # Without a key the SDK looks for profiles on disk and says what it
                    # missed there; the usual fix is the key, so name it first.
                    raise EngineUnavailable(
                        "anthropic: no usable credentials; set ANTHROPIC_API_KEY (or "
                        f"ANTHROPIC_AUTH_TOKEN). The SDK said: {_brief_error(exc)}"
                    ) from None
                if (
                    client.api_key is None
                    and client.auth_token is None
                    and getattr(client, "credentials", None) is None
                ):
                    client.close()
                    raise EngineUnavailable(
                        "anthropic: no API key; set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN)"
                    )
                limit_response_size(client)
                self._client = client
            return self._client

    @property
    def base_url(self) -> str:
        return str(self.client().base_url)

    def check(self) -> None:
        """Set-up validation: a ConfigurationError that says what is missing."""
        try:
            self.client()
        except EngineUnavailable as exc:
            raise ConfigurationError(str(exc)) from None

    def open(self, request: RepairRequest) -> AnthropicSession:
        client = self.client()
        options = self.options()
        circuit = circuit_for(
            (self.name, str(client.base_url), options.model),
            self.circuit_failures,
            self.circuit_cooldown_s,
        )
        session = AnthropicSession(
            request,
            options,
            client=client,
            sdk=self._sdk,
            circuit=circuit,
            prices=self.prices,
            scrubber=self.scrubber,
            prompt_cache=self.prompt_cache,
            structured=self.structured,
            effort=self.effort,
        )
        self.last_session = session
        return session

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


class AnthropicSession(LLMSession):
    engine_name = "anthropic"

    def __init__(
        self,
        request: RepairRequest,
        options: LLMOptions,
        *,
        client: Any,
        sdk: Any,
        circuit: Any,
        prices: Mapping[str, tuple[float, float]],
        scrubber: Scrubber | None,
        prompt_cache: bool,
        structured: Structured = "tool",
        effort: Effort | None = None,
    ) -> None:
        super().__init__(
            request, options, circuit=circuit, prices=prices, scrubber=scrubber,
            json_only=structured == "json_schema",
        )
        self._structured = structured
        self._effort = effort
        self._client = client
        self._sdk = sdk
        self._cache = prompt_cache
        self._messages: list[dict[str, Any]] = []
        self._pending_tool_ids: list[str] = []

    def _cached(self, block: dict[str, Any]) -> dict[str, Any]:
        if self._cache:
            block["cache_control"] = {"type": "ephemeral"}
        return block

    def _ask(self, text: str | None, timeout_s: float, *, first: bool) -> Answer:
        if first:
            # The failure context is the same on every turn: a cache breakpoint after it
            # makes later turns read it from the cache.
            opening = [self._cached({"type": "text", "text": self.prompt.context})]
            if text:
                opening.append({"type": "text", "text": text})
            self._messages = [{"role": "user", "content": opening}]
        else:
            feedback_text = text or ""
            content: list[dict[str, Any]] = []
            for i, tool_id in enumerate(self._pending_tool_ids):
                content.append({
                    "type": "tool_result",
                    "tool_use_id": tool_id,
                    "content": feedback_text if i == 0 else "(see the first result)",
                })
            if not content:
                content.append({"type": "text", "text": feedback_text})
            self._messages.append({"role": "user", "content": content})
        extra: dict[str, Any] = {}
        if self.options.temperature is not None:
            extra["extra_body"] = {"temperature": self.options.temperature}
        output: dict[str, Any] = {}
        if self._effort is not None:
            output["effort"] = self._effort
        if self._structured == "tool":
            extra["tools"] = [{
                "name": PATCH_TOOL_NAME,
                "description": _TOOL_DESCRIPTION,
                "input_schema": patch_schema(),
            }]
            extra["tool_choice"] = {"type": "tool", "name": PATCH_TOOL_NAME}
            # A forced tool is refused while thinking, which current models do by default.
            extra["thinking"] = {"type": "disabled"}
        else:
            output["format"] = {"type": "json_schema", "schema": patch_schema()}
        if output:
            extra["output_config"] = output
        try:
            message = self._client.messages.create(
                model=self.options.model,
                max_tokens=self.options.max_tokens,
                # Tools and rules are identical for every failure: cached across heals.
                system=[self._cached({"type": "text", "text": self.prompt.system})],
                messages=self._messages,
                timeout=timeout_s,
                **extra,
            )
        except (self._sdk.AnthropicError, ValueError) as exc:
            raise translate_error(exc, self.engine_name, self._sdk, timeout_s) from None
        return self._answer(message)

    def _answer(self, message: Any) -> Answer:
        usage = getattr(message, "usage", None)
        turn = TurnUsage(
            input_tokens=int(getattr(usage, "input_tokens", 0) or 0),
            output_tokens=int(getattr(usage, "output_tokens", 0) or 0),
            cache_read_tokens=int(getattr(usage, "cache_read_input_tokens", 0) or 0),
            cache_write_tokens=int(getattr(usage, "cache_creation_input_tokens", 0) or 0),
        )
        history: list[dict[str, Any]] = []
        patches: list[Any] = []
        tool_ids: list[str] = []
        prose: list[str] = []
        found = False
        for block in getattr(message, "content", None) or []:
            kind = getattr(block, "type", None)
            if kind == "tool_use":
                history.append(
                    {"type": "tool_use", "id": block.id, "name": block.name, "input": block.input}
                )
                tool_ids.append(block.id)
                if block.name == PATCH_TOOL_NAME and isinstance(block.input, dict):
                    found = True
                    items = block.input.get("patches")
                    if isinstance(items, list):
                        patches.extend(items)
                    elif "source" in block.input:
                        patches.append(block.input)
            elif kind == "text":
                history.append({"type": "text", "text": block.text})
                prose.append(block.text)
            elif kind in ("thinking", "redacted_thinking"):
                # Thinking goes back exactly as received (its signature is checked).
                history.append(block.to_dict())
        if history:
            self._messages.append({"role": "assistant", "content": history})
        self._pending_tool_ids = tool_ids
        stop = getattr(message, "stop_reason", None)
        if self._structured == "json_schema":
            if stop == "max_tokens":
                raise EngineResponseError("anthropic: the answer was cut at max_tokens")
            if stop == "refusal":
                return Answer(payload=None, usage=turn, problem="the model refused")
            if not prose:
                return Answer(payload=None, usage=turn, problem=f"no text (stop {stop!r})")
            return Answer(payload=parse_json_text("".join(prose)), usage=turn)
        if not found:
            if stop == "max_tokens":
                problem = "the answer was cut at max_tokens"
            elif prose:
                problem = "answered in prose instead of calling the tool"
            else:
                problem = f"no tool call (stop reason {stop!r})"
            return Answer(payload=None, usage=turn, problem=problem)
        return Answer(payload={"patches": patches}, usage=turn)
