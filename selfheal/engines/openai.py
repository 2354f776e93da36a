"""The `openai` engine: any OpenAI-compatible Chat Completions server proposes patches.

Owns the Chat Completions conversation with OpenAI itself or a compatible server
(Ollama, vLLM, llama.cpp server, LM Studio): how the answer is structured, the
multi-turn exchange, usage, and the translation of SDK errors at this boundary.

Structured answers, in order of preference (`structured=`):

* ``"auto"`` (default): the first of the modes below the server accepts. A request the
  server refuses (HTTP 400/422 naming tools, functions, response_format or a schema)
  is sent again in the next mode; the engine remembers the mode that worked;
* ``"tools"``: a forced function call whose arguments are the patch list;
* ``"json_schema"``: `response_format` with the patch JSON schema (strict);
* ``"json_object"``: `response_format={"type": "json_object"}` and the schema in the
  rules, for servers with JSON mode but no schemas;
* ``"prompt"``: the fallback for servers with neither: the rules ask for a bare JSON
  object and the whole message must be that object (one code fence tolerated). Prose
  with a def in it is still rejected: a patch is never fished out of text.

Credentials and the endpoint: `api_key` / `base_url` arguments, then the
`openai_base_url` setting, then the SDK's `OPENAI_API_KEY` / `OPENAI_BASE_URL`. A
server other than OpenAI's may need no key; a placeholder is sent then. It must not
verify, install or store anything.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
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
    setting,
    translate_error,
)
from selfheal.engines.base import RepairRequest
from selfheal.engines.prompt import PATCH_TOOL_NAME, PromptLimits, patch_schema
from selfheal.errors import (
    ConfigurationError,
    EngineError,
    EngineResponseError,
    EngineUnavailable,
    MissingDependencyError,
)
from selfheal.scrub import Scrubber

DEFAULT_MODEL = "gpt-4o-mini"
OPENAI_URL = "https://api.openai.com/v1"
NO_KEY = "not-needed"  # sent to servers that take no key (Ollama, llama.cpp, vLLM)

Structured = Literal["auto", "tools", "json_schema", "json_object", "prompt"]
STRUCTURED_MODES: tuple[str, ...] = ("auto", "tools", "json_schema", "json_object", "prompt")
FALLBACK_ORDER: tuple[str, ...] = ("tools", "json_schema", "json_object", "prompt")
# Words in a refusal that say the structured-output feature, not the request, is the problem.
_UNSUPPORTED = re.compile(
    r"(?i)tool|function|response_format|json_schema|json_object|schema|structured|grammar"
)


def _import_sdk() -> Any:
    try:
        # an optional dependency (the `openai` extra)
        import openai
    except ImportError:
        raise MissingDependencyError("openai", "openai") from None
    return openai


class OpenAIEngine(LLMEngineBase):
    """Proposes patches with an OpenAI-compatible model. Arguments left as None come
    from the settings (`openai_model`, `openai_base_url`, `max_tokens`, `temperature`,
    `llm_timeout_s`, `max_turns`, `token_budget`, `allowed_imports`) or the SDK's
    environment variables."""

    name = "openai"
    model_setting = "openai_model"
    default_model = DEFAULT_MODEL

    def __init__(
        self,
        *,
        model: str | None = None,
        structured: Structured = "auto",
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
        prompt_limits: PromptLimits | None = None,
        prices: Mapping[str, tuple[float, float]] | None = None,
        scrubber: Scrubber | None = None,
        circuit_failures: int = 3,
        circuit_cooldown_s: float = 30.0,
    ) -> None:
        if structured not in STRUCTURED_MODES:
            raise ConfigurationError(
                f"openai engine: structured={structured!r}; use one of "
                + ", ".join(STRUCTURED_MODES)
            )
        self._sdk = _import_sdk()
        self.structured: Structured = structured
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
        self.learned_mode: str | None = None  # what "auto" found this server accepts
        self.last_session: OpenAISession | None = None  # the latest, for its usage

    def options(self) -> LLMOptions:
        temperature = self.temperature
        if temperature is None:
            temperature = setting("temperature", None)
        if temperature is None:
            # OpenAI-compatible servers accept 0; repair wants the most likely patch.
            temperature = 0.0
        return self._options(temperature)

    def _endpoint(self) -> str | None:
        return self._base_url or setting("openai_base_url", None) or os.environ.get(
            "OPENAI_BASE_URL"
        )

    def client(self) -> Any:
        """The SDK client (made once). Raises EngineUnavailable without credentials."""
        with self._lock:
            if self._client is None:
                base_url = self._endpoint()
                api_key = self._api_key or os.environ.get("OPENAI_API_KEY")
                if not api_key:
                    if base_url is None or base_url.rstrip("/") == OPENAI_URL:
                        raise EngineUnavailable(
                            "openai: no API key; set OPENAI_API_KEY, or OPENAI_BASE_URL / the "
                            "openai_base_url setting for a server that needs none"
                        )
                    api_key = NO_KEY
                try:
                    self._client = self._sdk.OpenAI(
                        api_key=api_key,
                        base_url=base_url,
                        max_retries=self.max_retries,
                        timeout=self.options().timeout_s,
                    )
                    limit_response_size(self._client)
                except self._sdk.OpenAIError as exc:
                    raise translate_error(exc, self.name, self._sdk, 0.0) from None
            return self._client

    def check(self) -> None:
        """Set-up validation: a ConfigurationError that says what is missing."""
        try:
            self.client()
        except EngineUnavailable as exc:
            raise ConfigurationError(str(exc)) from None

    def open(self, request: RepairRequest) -> OpenAISession:
        client = self.client()
        options = self.options()
        circuit = circuit_for(
            (self.name, str(client.base_url), options.model),
            self.circuit_failures,
            self.circuit_cooldown_s,
        )
        session = OpenAISession(
            request,
            options,
            client=client,
            sdk=self._sdk,
            circuit=circuit,
            prices=self.prices if _is_openai(client) else {},
            scrubber=self.scrubber,
            structured=self.structured,
            start=self.learned_mode,
            learned=self._learn,
        )
        self.last_session = session
        return session

    def _learn(self, mode: str) -> None:
        self.learned_mode = mode

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def _is_openai(client: Any) -> bool:
    return str(client.base_url).rstrip("/") == OPENAI_URL


class _Refused(Exception):
    """The server refused the structured-output mode of a request."""

    def __init__(self, error: EngineError) -> None:
        super().__init__(str(error))
        self.error = error


class OpenAISession(LLMSession):
    engine_name = "openai"

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
        structured: Structured,
        start: str | None = None,
        learned: Callable[[str], None] | None = None,
    ) -> None:
        self._auto = structured == "auto"
        mode = (start or FALLBACK_ORDER[0]) if self._auto else structured
        super().__init__(
            request,
            options,
            circuit=circuit,
            prices=prices,
            scrubber=scrubber,
            json_only=mode in ("json_object", "prompt"),
        )
        self._client = client
        self._sdk = sdk
        self._structured = mode
        self._learned = learned
        self._messages: list[dict[str, Any]] = []
        self._pending_calls: list[str] = []

    def _format_args(self) -> dict[str, Any]:
        schema = patch_schema()
        if self._structured == "tools":
            return {
                "tools": [{
                    "type": "function",
                    "function": {
                        "name": PATCH_TOOL_NAME,
                        "description": "Submit candidate replacements for the failing "
                        "function.",
                        "parameters": schema,
                        "strict": True,
                    },
                }],
                "tool_choice": {"type": "function", "function": {"name": PATCH_TOOL_NAME}},
            }
        if self._structured == "json_schema":
            return {"response_format": {
                "type": "json_schema",
                "json_schema": {"name": PATCH_TOOL_NAME, "schema": schema, "strict": True},
            }}
        if self._structured == "json_object":
            return {"response_format": {"type": "json_object"}}
        return {}

    def _ask(self, text: str | None, timeout_s: float, *, first: bool) -> Answer:
        while True:
            try:
                answer = self._ask_once(text, timeout_s, first=first)
            except _Refused as refused:
                following = FALLBACK_ORDER.index(self._structured) + 1
                if not (self._auto and first) or following >= len(FALLBACK_ORDER):
                    raise refused.error from None
                self._structured = FALLBACK_ORDER[following]
                self._rebuild_prompt(self._structured in ("json_object", "prompt"))
                continue
            if self._auto and first and self._learned is not None:
                self._learned(self._structured)
            return answer

    def _ask_once(self, text: str | None, timeout_s: float, *, first: bool) -> Answer:
        feedback_text = text or ""
        if first:
            opening = self.prompt.context + (f"\n\n{text}" if text else "")
            self._messages = [
                {"role": "system", "content": self.prompt.system},
                {"role": "user", "content": opening},
            ]
        elif self._pending_calls:
            for i, call_id in enumerate(self._pending_calls):
                self._messages.append({
                    "role": "tool",
                    "tool_call_id": call_id,
                    "content": feedback_text if i == 0 else "(see the first result)",
                })
        else:
            self._messages.append({"role": "user", "content": feedback_text})
        kwargs: dict[str, Any] = dict(self._format_args())
        # OpenAI itself wants max_completion_tokens (reasoning models refuse max_tokens);
        # compatible servers mostly know only max_tokens.
        if _is_openai(self._client):
            kwargs["max_completion_tokens"] = self.options.max_tokens
        else:
            kwargs["max_tokens"] = self.options.max_tokens
        if self.options.temperature is not None:
            kwargs["temperature"] = self.options.temperature
        try:
            completion = self._client.chat.completions.create(
                model=self.options.model,
                messages=self._messages,
                timeout=timeout_s,
                **kwargs,
            )
        except (self._sdk.OpenAIError, ValueError) as exc:
            error = translate_error(exc, self.engine_name, self._sdk, timeout_s)
            status = getattr(exc, "status_code", None)
            if status in (400, 422) and _UNSUPPORTED.search(str(getattr(exc, "message", exc))):
                raise _Refused(error) from None
            raise error from None
        return self._answer(completion)

    def _answer(self, completion: Any) -> Answer:
        usage = getattr(completion, "usage", None)
        prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
        details = getattr(usage, "prompt_tokens_details", None)
        cached = int(getattr(details, "cached_tokens", 0) or 0)
        turn = TurnUsage(
            input_tokens=max(0, prompt_tokens - cached),
            output_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
            cache_read_tokens=cached,
        )
        choices = getattr(completion, "choices", None) or []
        if not choices:
            return Answer(payload=None, usage=turn, problem="the answer has no choices")
        choice = choices[0]
        message = choice.message
        finish = getattr(choice, "finish_reason", None)
        tool_calls = list(getattr(message, "tool_calls", None) or [])
        content = getattr(message, "content", None)
        history: dict[str, Any] = {"role": "assistant", "content": content or ""}
        if tool_calls:
            history["tool_calls"] = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {
                        "name": call.function.name,
                        "arguments": call.function.arguments,
                    },
                }
                for call in tool_calls
                if getattr(call, "type", "function") == "function"
            ]
        self._messages.append(history)
        self._pending_calls = [c["id"] for c in history.get("tool_calls", [])]
        if getattr(message, "refusal", None):
            return Answer(payload=None, usage=turn, problem="the model refused")
        if self._structured == "tools":
            calls = [c for c in history.get("tool_calls", [])
                     if c["function"]["name"] == PATCH_TOOL_NAME]
            if not calls:
                problem = ("the answer was cut at max_tokens" if finish == "length"
                           else "answered in prose instead of calling the tool")
                return Answer(payload=None, usage=turn, problem=problem)
            patches: list[Any] = []
            for call in calls:
                try:
                    arguments = json.loads(call["function"]["arguments"] or "")
                except ValueError as exc:
                    cut = " (cut at max_tokens)" if finish == "length" else ""
                    raise EngineResponseError(
                        f"openai: the tool arguments are not JSON{cut}: {exc}"
                    ) from None
                if isinstance(arguments, dict) and isinstance(arguments.get("patches"), list):
                    patches.extend(arguments["patches"])
                elif isinstance(arguments, dict) and "source" in arguments:
                    patches.append(arguments)
            return Answer(payload={"patches": patches}, usage=turn)
        if not content:
            return Answer(payload=None, usage=turn, problem="empty answer")
        if finish == "length":
            raise EngineResponseError("openai: the answer was cut at max_tokens")
        return Answer(payload=parse_json_text(content), usage=turn)
