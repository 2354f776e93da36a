"""OpenTelemetry spans, metrics and events of heals; the only module importing opentelemetry.

Owns the names: one `selfheal.heal` span per heal with a child span per stage
(`selfheal.capture`, `selfheal.propose`, `selfheal.verify`, `selfheal.swap`,
`selfheal.store`), the `selfheal.*` metrics, and the `selfheal.healed` event on the
caller's span. It uses opentelemetry-api only: without an SDK configured by the user,
every call here is a no-op. Nothing is emitted on the happy path of a decorated call,
because nothing here is called from it.

Attribute values are ids, names and counts, never inputs or locals; free text
passes through `selfheal.scrub` first. A telemetry failure must never reach the
caller: every entry point contains its own errors.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import metrics, trace

from selfheal.scrub import redact_text

log = logging.getLogger("selfheal")
_SCOPE = "selfheal"

AttributeValue = str | bool | int | float


def _tracer() -> trace.Tracer:
    # Looked up per use: the user may install their SDK provider after importing us.
    return trace.get_tracer(_SCOPE)


def _clean(attributes: Mapping[str, Any]) -> dict[str, AttributeValue]:
    clean: dict[str, AttributeValue] = {}
    for key, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, (bool, int, float)):
            clean[key] = value
        else:
            clean[key] = redact_text(str(value))[:500]
    return clean


class _Instruments:
    """Metric instruments, created once per meter provider."""

    def __init__(self) -> None:
        meter = metrics.get_meter(_SCOPE)
        self.provider_id = id(metrics.get_meter_provider())
        self.attempted = meter.create_counter(
            "selfheal.heals.attempted", unit="{heal}", description="Heals started."
        )
        self.succeeded = meter.create_counter(
            "selfheal.heals.succeeded",
            unit="{heal}",
            description="Heals that found a verified patch.",
        )
        self.failed = meter.create_counter(
            "selfheal.heals.failed", unit="{heal}", description="Heals that ended in a fallback."
        )
        self.rolled_back = meter.create_counter(
            "selfheal.patches.rolled_back", unit="{patch}", description="Live patches rolled back."
        )
        self.time_to_heal = meter.create_histogram(
            "selfheal.heal.duration", unit="s", description="From the exception to the decision."
        )
        meter.create_observable_gauge(
            "selfheal.patches.live",
            callbacks=[_observe_live],
            unit="{patch}",
            description="Patches currently live in this process.",
        )


_instruments: _Instruments | None = None
_instruments_lock = threading.Lock()


def _no_live_patches() -> int:
    return 0


_live_counter: Callable[[], int] = _no_live_patches


def set_live_counter(counter: Callable[[], int]) -> None:
    """Where the live-patches gauge reads its value (the swap registry)."""
    global _live_counter
    _live_counter = counter


def _observe_live(options: Any) -> Iterator[metrics.Observation]:
    try:
        yield metrics.Observation(_live_counter())
    except Exception:
        log.debug("live-patch gauge failed", exc_info=True)


def _get_instruments() -> _Instruments:
    global _instruments
    provider_id = id(metrics.get_meter_provider())
    current = _instruments
    if current is None or current.provider_id != provider_id:
        with _instruments_lock:
            if _instruments is None or _instruments.provider_id != provider_id:
                _instruments = _Instruments()
            current = _instruments
    return current


def count(kind: str, attributes: Mapping[str, Any] | None = None) -> None:
    """Add one to `attempted`, `succeeded`, `failed` or `rolled_back`."""
    try:
        counter = getattr(_get_instruments(), kind)
        counter.add(1, _clean(attributes or {}))
    except Exception:
        log.debug("metric %s failed", kind, exc_info=True)


def record_duration(seconds: float, attributes: Mapping[str, Any] | None = None) -> None:
    try:
        _get_instruments().time_to_heal.record(seconds, _clean(attributes or {}))
    except Exception:
        log.debug("duration metric failed", exc_info=True)


class Span:
    """A thin handle on a span that never raises."""

    def __init__(self, span: trace.Span | None) -> None:
        self._span = span

    def set(self, **attributes: Any) -> None:
        if self._span is None:
            return
        try:
            for key, value in _clean({f"selfheal.{k}": v for k, v in attributes.items()}).items():
                self._span.set_attribute(key, value)
        except Exception:
            log.debug("span attribute failed", exc_info=True)

    def error(self, description: str) -> None:
        if self._span is None:
            return
        try:
            status = trace.Status(trace.StatusCode.ERROR, redact_text(description)[:200])
            self._span.set_status(status)
        except Exception:
            log.debug("span status failed", exc_info=True)


@contextlib.contextmanager
def span(name: str, **attributes: Any) -> Iterator[Span]:
    """A span named `selfheal.<name>`; errors inside telemetry are swallowed, not the body's."""
    cm: Any = None
    handle = Span(None)
    try:
        cm = _tracer().start_as_current_span(
            f"selfheal.{name}",
            attributes=_clean({f"selfheal.{k}": v for k, v in attributes.items()}),
            record_exception=False,
            set_status_on_exception=False,
        )
        handle = Span(cm.__enter__())
    except Exception:
        cm = None
        log.debug("span %s failed to start", name, exc_info=True)
    try:
        yield handle
    finally:
        if cm is not None:
            try:
                cm.__exit__(None, None, None)
            except Exception:
                log.debug("span %s failed to end", name, exc_info=True)


def healed_event(**attributes: Any) -> None:
    """Tell the caller's current span that selfheal healed this call."""
    try:
        current = trace.get_current_span()
        if current.is_recording():
            current.add_event(
                "selfheal.healed", _clean({f"selfheal.{k}": v for k, v in attributes.items()})
            )
    except Exception:
        log.debug("healed event failed", exc_info=True)


def current_context() -> Any:
    """The caller's telemetry context, to carry into the heal thread."""
    try:
        return otel_context.get_current()
    except Exception:
        return None


@contextlib.contextmanager
def attached(ctx: Any) -> Iterator[None]:
    """Run a block in `ctx`, so a heal's span is a child of the failing request's span."""
    token = None
    if ctx is not None:
        try:
            token = otel_context.attach(ctx)
        except Exception:
            token = None
    try:
        yield
    finally:
        if token is not None:
            with contextlib.suppress(Exception):
                otel_context.detach(token)
