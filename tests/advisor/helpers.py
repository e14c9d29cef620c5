"""Hand-made records for unit tests of the answer layer (no index needed)."""

from __future__ import annotations

from advisor.answer.evidence import to_citation
from advisor.schema import Citation
from knowledge.schema import RecordKind, SearchHit


def hit(
    pid: str, text: str, kind: RecordKind = RecordKind.PASSAGE, speaker: str | None = None, company: str | None = None
) -> SearchHit:
    return SearchHit(
        passage_id=pid,
        kind=kind,
        source="impl_scaling",
        title="Implementing and scaling AI",
        section="4.2.2 Productionizing",
        speaker=speaker,
        role=None,
        company=company,
        text=text,
        score=1.0,
    )


PIPELINE = hit(
    "p.pipeline",
    "In the productionizing phase firms automate their data pipeline so that models can be retrained. "
    "Data quality checks run every night and failures are reported to the data owners.",
)
PLATFORM = hit(
    "p.platform",
    "In the platformizing phase firms build reusable components that many teams share across the value chain.",
)
QUOTE = hit(
    "q.chen",
    "You need robust customer monitoring, clear support processes, and automated customer success systems before you "
    "can effectively scale.",
    kind=RecordKind.QUOTE,
    speaker="Sarah Chen",
    company="Jasper AI",
)
FIGURES = hit("p.figures", "The firm ran 40 experiments in 2021 and moved three of them into production.")


def citations(*hits: SearchHit) -> list[Citation]:
    return [to_citation(h, i) for i, h in enumerate(hits, start=1)]


def diagnosis(phase=None, components=(), challenges=(), practices=(), questions=(), phase_confidence=0.8):
    from advisor.schema import Component, Confidence, Diagnosis

    return Diagnosis(
        phase=phase,
        component_phases={c: None for c in Component},
        components=list(components),
        weakest_components=list(components),
        isa4_layers=[],
        mlbc_phase=None,
        challenges=list(challenges),
        practices=list(practices),
        confidence=Confidence(
            phase=phase_confidence, components=0.7, isa4_layers=0.5, mlbc_phase=0.5, challenges=0.5, practices=0.5
        ),
        rules_fired=[],
        missing_information=[],
        clarifying_questions=list(questions),
    )


def assert_citations_valid(answer, retriever) -> None:
    """Every [n] in the text has a Citation, every Citation is used, and each carries the real record's words."""
    from advisor.answer.text import markers_in

    used = {f"[{n}]" for n in markers_in(answer.answer)}
    given = [c.marker for c in answer.citations]
    assert len(given) == len(set(given)), f"duplicate markers: {given}"
    assert used == set(given), f"markers in text {sorted(used)} != citations {sorted(given)}"
    for c in answer.citations:
        record = retriever.get_record(c.passage_id)
        assert c.text == record.text, f"{c.marker} {c.passage_id}: citation text is not the record's text"
        assert c.source == record.source_id and c.kind == record.kind
