"""Spans, metrics and events through the OpenTelemetry SDK's in-memory exporters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from selfheal import self_healing
from tests.failing import raised
from tests.runtime.engines import RATIO_FIX, CountingEngine

_exporter = InMemorySpanExporter()
_reader = InMemoryMetricReader()
_installed = False


@pytest.fixture
def otel() -> Iterator[tuple[InMemorySpanExporter, InMemoryMetricReader]]:
    global _installed
    if not _installed:  # global providers can be set once per process
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_exporter))
        trace.set_tracer_provider(provider)
        metrics.set_meter_provider(MeterProvider(metric_readers=[_reader]))
        _installed = True
    _exporter.clear()
    _reader.get_metrics_data()  # drain
    return _exporter, _reader


def _metric_points(reader: InMemoryMetricReader) -> dict[str, float]:
    points: dict[str, float] = {}
    data = reader.get_metrics_data()
    for resource in data.resource_metrics if data else []:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                for point in metric.data.data_points:
                    value = getattr(point, "value", None)
                    if value is None:
                        value = getattr(point, "count", 0)
                    points[metric.name] = points.get(metric.name, 0) + value
    return points


def test_a_heal_emits_a_span_per_stage_and_metrics(mod, store_dir, otel):
    exporter, reader = otel
    self_healing(engine=CountingEngine(RATIO_FIX), examples=[((1, 0), 0.0)])(mod.ratio)
    before = _metric_points(reader)
    tracer = trace.get_tracer("user-app")
    with tracer.start_as_current_span("request") as request_span:
        assert mod.ratio(4, 0) == 0.0
    spans = {s.name: s for s in exporter.get_finished_spans()}
    for name in ("heal", "capture", "propose", "verify", "swap", "store"):
        assert f"selfheal.{name}" in spans, name
    heal = spans["selfheal.heal"]
    assert heal.attributes["selfheal.function"] == "ratio"
    assert heal.attributes["selfheal.verdict"] == "healed"
    assert len(heal.attributes["selfheal.fingerprint"]) == 16
    assert spans["selfheal.capture"].parent.span_id == heal.context.span_id
    # The heal runs in its own thread, yet belongs to the request that failed.
    assert heal.parent.span_id == spans["request"].context.span_id
    events = [e for e in spans["request"].events if e.name == "selfheal.healed"]
    assert events and events[0].attributes["selfheal.function"] == "ratio"
    assert request_span is not None
    points = _metric_points(reader)
    for name in ("selfheal.heals.attempted", "selfheal.heals.succeeded"):
        assert points[name] == before.get(name, 0) + 1
    # One more observation in the time-to-heal histogram.
    assert points["selfheal.heal.duration"] == before.get("selfheal.heal.duration", 0) + 1
    assert points["selfheal.patches.live"] >= 1


def test_nothing_is_emitted_on_the_happy_path(mod, store_dir, otel):
    exporter, reader = otel
    self_healing(engine=CountingEngine(RATIO_FIX))(mod.ratio)
    before = _metric_points(reader)  # counters are cumulative across tests
    for i in range(100):
        mod.ratio(i, 2)
    assert exporter.get_finished_spans() == ()
    after = _metric_points(reader)
    for name in ("selfheal.heals.attempted", "selfheal.heals.failed", "selfheal.heal.duration"):
        assert after.get(name, 0) == before.get(name, 0)


def test_a_failed_heal_is_an_error_span_and_counted(mod, store_dir, otel):
    exporter, reader = otel
    self_healing(engine=CountingEngine())(mod.ratio)
    before = _metric_points(reader).get("selfheal.heals.failed", 0)
    raised(ZeroDivisionError, mod.ratio, 1, 0)
    heal = next(s for s in exporter.get_finished_spans() if s.name == "selfheal.heal")
    assert heal.attributes["selfheal.verdict"] == "fallback"
    assert heal.status.status_code == trace.StatusCode.ERROR
    assert _metric_points(reader)["selfheal.heals.failed"] == before + 1


def test_an_expected_exception_has_no_span_and_counts_nothing(mod, store_dir, otel):
    exporter, reader = otel
    engine = CountingEngine(RATIO_FIX)
    self_healing(engine=engine, examples=[((1, 0), 0.0)])(mod.ratio)
    before = _metric_points(reader)
    for _ in range(3):
        try:  # noqa: SIM105 - an except naming the type, the commonest expectation
            mod.ratio(1, 0)
        except ZeroDivisionError:
            pass
    assert exporter.get_finished_spans() == ()
    assert engine.sessions == 0
    after = _metric_points(reader)
    assert {k: v for k, v in after.items() if k.startswith("selfheal.heals")} == {
        k: v for k, v in before.items() if k.startswith("selfheal.heals")
    }
