"""Markdown tables of a run (printed by ``advisor bench`` and written to ``benchmarks/RESULTS.md``)."""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks.latency import ASK, BASELINE, FLOOR, SEARCH
from benchmarks.llm_speed import LLMSpeed
from benchmarks.report import BenchReport
from benchmarks.scale import ScaleFailure, ScalePoint
from benchmarks.stats import Latency


def seconds(value: float | None) -> str:
    """Format a duration for a table: ms below 10 s, seconds above."""
    if value is None:
        return "—"
    if value < 10:
        return f"{value * 1000:,.0f} ms"
    return f"{value:,.1f} s"


def times(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def size(n_bytes: int) -> str:
    return f"{n_bytes / 1024**2:,.1f} MiB"


def table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _latency_cells(latency: Latency | None) -> list[str]:
    if latency is None:
        return ["0", "—", "—"]
    return [str(latency.n), seconds(latency.p50), seconds(latency.p95)]


def main_table(report: BenchReport) -> str:
    """Build the one table with p50/p95 and ratios to the floor, for everything timed per request or process."""
    rows = []
    for row in report.latency:
        rows.append(
            [
                f"**{row.name}**",
                row.description,
                *_latency_cells(row.latency),
                times(row.p50_ratio_to_floor),
                times(row.p95_ratio_to_floor),
            ]
        )
    floor = report.row(FLOOR)

    def add(name: str, what: str, latency: Latency | None, per_request: bool = False) -> None:
        """Add a row; only per-request timings get a ratio to the floor (a process start is not a request)."""
        p50: float | None = None
        p95: float | None = None
        if per_request and latency is not None and floor is not None:
            p50, p95 = latency.p50 / floor.latency.p50, latency.p95 / floor.latency.p95
        rows.append([f"**{name}**", what, *_latency_cells(latency), times(p50), times(p95)])

    if report.cold_start:
        add("cold start", report.cold_start.description, report.cold_start.latency)
    if report.server:
        one = Latency.of([report.server.ready_s])
        add("server ready", report.server.description, one)
    if report.stream:
        first = report.stream.first_piece
        add("first streamed piece", "POST /v1/ask/stream → first SSE `text` event", first, per_request=True)
        done = report.stream.complete
        add("streamed answer complete", "POST /v1/ask/stream → SSE `final` event", done, per_request=True)
    if report.ingest:
        cold = Latency.of([report.ingest.cold_s])
        add("ingest, cold", "`advisor ingest` into an empty data dir (process wall time)", cold)
        add("re-ingest, no change", "`advisor ingest` again, nothing changed", Latency.of([report.ingest.reingest_s]))
    head = ["measure", "what", "n", "p50", "p95", "p50 / floor", "p95 / floor"]
    return table(head, rows)


def concurrency_table(report: BenchReport) -> str:
    rows = []
    for level in report.concurrency:
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(level.error_kinds.items())) or "—"
        rows.append(
            [
                str(level.clients),
                f"{level.completed}/{level.planned}" + (" (time limit)" if level.stopped_by_time_limit else ""),
                f"{level.errors} ({kinds})" if level.errors else "0",
                f"{level.throughput_rps:.2f}",
                seconds(level.latency.p50 if level.latency else None),
                seconds(level.latency.p95 if level.latency else None),
                seconds(level.wall_s),
            ]
        )
    head = ["parallel clients", "answered / planned", "errors", "throughput (req/s)", "p50", "p95", "wall"]
    return table(head, rows)


def scale_table(report: BenchReport) -> str:
    rows = []
    for point in report.scale:
        if isinstance(point, ScaleFailure):
            rows.append([f"×{point.factor}", f"failed: {point.error}", *["—"] * 9])
            continue
        rows.append(_scale_row(point))
    head = [
        "corpus",
        "records (synthetic); mean length",
        "ingest",
        "re-ingest",
        "open (load + BM25)",
        "search p50",
        "search p95",
        "p95 / ×1",
        "floor p95",
        "index on disk",
        "peak RSS (search process)",
    ]
    return table(head, rows)


def _scale_row(point: ScalePoint) -> list[str]:
    ingest = seconds(point.ingest_s)
    if point.ingest_vectors_reused and point.ingest_embedded_texts is not None:
        ingest += f"; {point.ingest_embedded_texts:,} texts embedded, {point.ingest_vectors_reused:,} vectors reused"
    if point.ingest_reused and point.ingest_load_average:
        ingest += f" (kept build of {point.ingest_built_at}, load {point.ingest_load_average[0]})"
    rss = f"{point.peak_rss_mib:,.0f} MiB"
    if point.ingest_peak_rss_mib:
        rss += f" (ingest: {point.ingest_peak_rss_mib:,.0f} MiB)"
    return [
        f"×{point.factor}",
        f"{point.records:,} ({point.synthetic_records:,}); {point.words_mean:.0f} words/record",
        ingest,
        seconds(point.reingest_s),
        seconds(point.open_s),
        seconds(point.search.p50),
        seconds(point.search.p95),
        times(point.search_p95_ratio_to_x1),
        seconds(point.floor.p95),
        size(point.index_bytes),
        rss,
    ]


def llm_table(report: BenchReport) -> str:
    llm = report.llm
    if llm is None:
        return ""
    head = ["backend", "answers", "kept", "join (first use)", "model load", "first sentence p50", "first sentence p95"]
    head += ["whole answer p50", "whole answer p95", "peak RSS"]
    row = [
        llm.backend,
        str(llm.prompts),
        str(llm.kept),
        seconds(llm.join_s),
        seconds(llm.load_s),
        seconds(llm.first_sentence.p50),
        seconds(llm.first_sentence.p95),
        seconds(llm.whole_answer.p50),
        seconds(llm.whole_answer.p95),
        f"{llm.peak_rss_mb:,.0f} MB",
    ]
    text = table(head, [row])
    if llm.first_sentence_by_kind:
        kinds = [
            [kind, str(lat.n), seconds(lat.p50), seconds(lat.p95)] for kind, lat in llm.first_sentence_by_kind.items()
        ]
        text += "\n\n" + table(["question kind", "answers", "first sentence p50", "first sentence p95"], kinds)
    return text


def targets_table(report: BenchReport) -> str:
    verdict = {True: "met", False: "**missed**", None: "not measured"}
    rows = [[t.name, t.target, t.measured, verdict[t.met]] for t in report.targets]
    return table(["target", "limit", "measured", "verdict"], rows)


def machine_lines(report: BenchReport) -> str:
    m = report.machine
    packages = ", ".join(f"{k} {v}" for k, v in m.packages.items())
    end = report.load_average_end
    return "\n".join(
        [
            f"- CPU: {m.cpu_model}; {m.logical_cores} logical cores ({m.usable_cores} usable); {m.memory_gib} GiB RAM",
            f"- OS: {m.os}; Python {m.python}",
            f"- Packages: {packages}",
            f"- Load average (1/5/15 min) at start: {m.load_average}" + (f", at end: {end}" if end else ""),
        ]
    )


def render_run(report: BenchReport, heading: str = "##") -> str:
    o = report.options
    parts = [
        f"{heading} Run `{report.label}` ({report.started_at} → {report.finished_at})",
        f"Command: `{report.command}`",
        machine_lines(report),
        f"Sections: {', '.join(o.sections)}; {o.questions} questions × {o.repetitions} repetitions "
        f"(each repetition worded anew); quick={o.quick}.",
        "",
        f"{heading}# Targets",
        targets_table(report),
        "",
        f"{heading}# Latency (one process, one index; the floor is the reference)",
        main_table(report),
    ]
    if report.concurrency:
        limit = report.server.rate_limit if report.server else ""
        parts += [
            "",
            f"{heading}# Concurrency through the HTTP API (POST /v1/ask, loopback)",
            f"Each client sends up to {o.requests_per_client} questions one after another; "
            f"each level stops after {o.level_time_limit_s:.0f} s. {limit}",
            concurrency_table(report),
        ]
    if report.scale:
        parts += [
            "",
            f"{heading}# Scale (corpus grown with synthetic records; one fresh process per size)",
            scale_table(report),
        ]
    if report.llm:
        parts += ["", f"{heading}# Local LLM", llm_table(report), "", report.llm.description]
    if report.problems:
        parts += ["", f"{heading}# Problems", "\n".join(f"- {p}" for p in report.problems)]
    return "\n\n".join(p for p in parts if p) + "\n"


def _pick(report: BenchReport, name: str) -> Latency | None:
    row = report.row(name)
    return row.latency if row else None


def comparison_table(before: BenchReport, after: BenchReport) -> str:
    """Key figures of two runs side by side (p95 unless said otherwise)."""

    def level(report: BenchReport, clients: int):
        return next((c for c in report.concurrency if c.clients == clients), None)

    def top_scale(report: BenchReport) -> ScalePoint | None:
        points = [p for p in report.scale if isinstance(p, ScalePoint)]
        return max(points, key=lambda p: p.factor) if points else None

    # Milliseconds only compare on one machine; say so when the two runs were not on the same one.
    specs: list[tuple[str, object, object]] = [("machine (CPU)", before.machine.cpu_model, after.machine.cpu_model)]
    for name in (FLOOR, BASELINE, SEARCH, ASK):
        b, a = _pick(before, name), _pick(after, name)
        specs.append((f"{name} p50", seconds(b.p50) if b else "—", seconds(a.p50) if a else "—"))
        specs.append((f"{name} p95", seconds(b.p95) if b else "—", seconds(a.p95) if a else "—"))
    b_ask, a_ask = before.row(ASK), after.row(ASK)
    specs.append(
        (
            "ask p95 / floor p95",
            times(b_ask.p95_ratio_to_floor if b_ask else None),
            times(a_ask.p95_ratio_to_floor if a_ask else None),
        )
    )
    for label, get in (
        ("cold start p50", lambda r: r.cold_start.latency.p50 if r.cold_start and r.cold_start.latency else None),
        ("server ready", lambda r: r.server.ready_s if r.server else None),
        ("first streamed piece p50", lambda r: r.stream.first_piece.p50 if r.stream and r.stream.first_piece else None),
        ("ingest, cold", lambda r: r.ingest.cold_s if r.ingest else None),
        ("re-ingest, no change", lambda r: r.ingest.reingest_s if r.ingest else None),
    ):
        specs.append((label, seconds(get(before)), seconds(get(after))))
    for clients in sorted({c.clients for c in [*before.concurrency, *after.concurrency]}):
        b, a = level(before, clients), level(after, clients)
        specs.append(
            (
                f"{clients} clients: req/s · p95 · errors",
                f"{b.throughput_rps:.2f} · {seconds(b.latency.p95 if b.latency else None)} · {b.errors}" if b else "—",
                f"{a.throughput_rps:.2f} · {seconds(a.latency.p95 if a.latency else None)} · {a.errors}" if a else "—",
            )
        )
    b_top, a_top = top_scale(before), top_scale(after)
    specs.append(
        (
            "search p95 at largest corpus / ×1",
            f"{times(b_top.search_p95_ratio_to_x1)} (×{b_top.factor})" if b_top else "—",
            f"{times(a_top.search_p95_ratio_to_x1)} (×{a_top.factor})" if a_top else "—",
        )
    )
    if before.llm or after.llm:
        specs.append(
            (
                "local LLM first checked sentence p50 · whole answer p50",
                f"{seconds(before.llm.first_sentence.p50)} · {seconds(before.llm.whole_answer.p50)}"
                if before.llm
                else "—",
                f"{seconds(after.llm.first_sentence.p50)} · {seconds(after.llm.whole_answer.p50)}"
                if after.llm
                else "—",
            )
        )
    head = ["figure", f"before (`{before.label}`)", f"after (`{after.label}`)"]
    return table(head, [[str(cell) for cell in spec] for spec in specs])


def _llm_pair(llm: LLMSpeed | None) -> str:
    return f"{seconds(llm.first_sentence.p50)} · {seconds(llm.whole_answer.p50)}" if llm else "—"
