"""Hand-made benchmark reports for the rendering and writing tests (figures chosen, not measured)."""

from __future__ import annotations

from benchmarks.http_load import ConcurrencyLevel, StreamResult
from benchmarks.latency import rows_from_samples
from benchmarks.llm_speed import LLMSpeed
from benchmarks.machine import Machine
from benchmarks.processes import ColdStartResult, IngestResult
from benchmarks.report import BenchReport, ServerStart, check_targets
from benchmarks.runner import options_for
from benchmarks.scale import ScaleFailure, ScalePoint, with_ratios
from benchmarks.stats import Latency

MACHINE = Machine(
    cpu_model="Test CPU 9000",
    logical_cores=2,
    usable_cores=2,
    memory_gib=24.0,
    os="Linux 6",
    python="3.11.7",
    packages={"torch": "2.13.0", "chromadb": "1.5.9"},
    load_average=(0.5, 0.4, 0.3),
)


def point(factor: int, p95: float) -> ScalePoint:
    return ScalePoint(
        factor=factor,
        records=497 * factor,
        synthetic_records=497 * (factor - 1),
        words_mean=40.0,
        model_load_s=0.4,
        ingest_s=10.0 * factor,
        reingest_s=0.5,
        open_s=0.2 * factor,
        search=Latency.of([p95 / 2, p95]),
        floor=Latency.of([0.02, 0.03]),
        index_bytes=5_000_000 * factor,
        peak_rss_mib=600.0 + factor,
    )


def report(
    label: str = "after", ask_scale: float = 2.0, errors_at_16: int = 0, first_piece: float = 0.4
) -> BenchReport:
    samples = {
        "floor": [0.020, 0.022, 0.030],
        "baseline": [0.025, 0.028, 0.040],
        "search": [0.030, 0.035, 0.045],
        "ask": [0.020 * ask_scale, 0.022 * ask_scale, 0.030 * ask_scale],
    }
    r = BenchReport(
        label=label,
        command="advisor bench all --quick",
        started_at="2026-11-23 20:31:00 UTC",
        finished_at="2026-11-23 20:40:00 UTC",
        machine=MACHINE,
        load_average_end=(1.0, 0.8, 0.6),
        options=options_for(quick=True),
        ingest=IngestResult(cold_s=30.0, reingest_s=4.0, summary_cold="index created", summary_reingest="up to date"),
        latency=rows_from_samples(samples),
        cold_start=ColdStartResult(runs=2, errors=0, latency=Latency.of([9.0, 11.0])),
        server=ServerStart(ready_s=12.0, rate_limit="rate limit off"),
        stream=StreamResult(
            requests=3, errors=0, first_piece=Latency.of([first_piece] * 3), complete=Latency.of([0.6] * 3)
        ),
        concurrency=[
            ConcurrencyLevel(
                clients=c,
                planned=2 * c,
                completed=2 * c - (errors_at_16 if c == 16 else 0),
                errors=errors_at_16 if c == 16 else 0,
                error_kinds={"http 500": errors_at_16} if c == 16 and errors_at_16 else {},
                wall_s=5.0,
                throughput_rps=2 * c / 5.0,
                latency=Latency.of([0.3, 0.5]),
                stopped_by_time_limit=False,
            )
            for c in (1, 4, 16)
        ],
        scale=with_ratios([point(1, 0.04), point(10, 0.05), ScaleFailure(factor=100, error="ran over 3600 s")]),
        llm=LLMSpeed(
            backend="local:Qwen2.5-Coder-1.5B-Instruct",
            prompts=2,
            max_new_tokens=400,
            load_s=3.0,
            first_sentence=Latency.of([1.5, 1.7]),
            whole_answer=Latency.of([9.0, 11.0]),
            kept=2,
            peak_rss_mb=2900.0,
            first_sentence_by_kind={"situation": Latency.of([0.1]), "factual": Latency.of([6.5])},
        ),
    )
    r.targets = check_targets(r)
    return r
