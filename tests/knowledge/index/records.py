"""Hand-made records for index tests that must not depend on the real corpus."""

from __future__ import annotations

import zlib

from knowledge.schema import Passage, PlaybookStep, Quote, Record, Span


def _span(text: str, start: int | None, rid: str) -> Span:
    """Place a record far from the others unless a start is given (spans only matter for adjacency)."""
    begin = (zlib.crc32(rid.encode()) % 10_000) * 1_000 if start is None else start
    return Span(start=begin, end=begin + len(text), line_start=1, line_end=1)


def passage(
    rid: str, text: str, *, source: str = "paper_a", section: tuple[str, ...] = ("Intro",), tags=(), start=None
) -> Passage:
    return Passage(
        id=rid,
        source_id=source,
        title=f"Title of {source}",
        authors=["A. Author"],
        year=2024,
        section=list(section),
        text=text,
        span=_span(text, start, rid),
        tags=list(tags),
    )


def quote(rid: str, text: str, *, speaker: str, company: str, source: str = "playbook", tags=()) -> Quote:
    return Quote(
        id=rid,
        source_id=source,
        title=f"Title of {source}",
        authors=[],
        year=2025,
        section=[f"Expert {speaker}"],
        text=text,
        span=_span(text, None, rid),
        tags=list(tags),
        speaker=speaker,
        role="VP",
        company=company,
        industry=None,
    )


def step(rid: str, text: str, *, phase: str, source: str = "playbook", tags=()) -> PlaybookStep:
    return PlaybookStep(
        id=rid,
        source_id=source,
        title=f"Title of {source}",
        authors=[],
        year=2025,
        section=["Framework", phase],
        text=text,
        span=_span(text, None, rid),
        tags=list(tags),
        phase=phase,
        months="1-3",
        owner=None,
        kpi=None,
    )


def small_corpus() -> list[Record]:
    """Eight records on distinct topics, enough for BM25 to have real IDFs."""
    return [
        passage("a.p1", "Data quality problems stall most machine learning pilots before production.", tags=["t:data"]),
        passage("a.p2", "Executive sponsorship keeps AI programs funded through the first difficult year.", start=500),
        passage(
            "b.p1",
            "Model monitoring detects drift when customer behaviour changes after deployment.",
            source="paper_b",
            section=("Operations",),
            tags=["t:ops"],
        ),
        passage(
            "b.p2",
            "Teams that hire MLOps engineers early ship models to production faster.",
            source="paper_b",
            section=("Teams",),
            start=900,
        ),
        quote(
            "q.chen",
            "You need robust customer monitoring before you can effectively scale.",
            speaker="Sarah Chen",
            company="Jasper AI",
            tags=["t:ops"],
        ),
        quote(
            "q.rodriguez",
            "Quality at scale requires a shift from reactive to proactive management.",
            speaker="Michael Rodriguez",
            company="Fiddler AI",
        ),
        step("s.found", "Establish monitoring and alerting systems and document procedures.", phase="Foundation First"),
        step("s.opt", "Implement predictive analytics for capacity planning.", phase="Advanced Optimization"),
    ]
