"""Hand-made cases and answers for metric tests: every score below is worked out by hand."""

from __future__ import annotations

from pydantic import TypeAdapter

from advisor.schema import Answer, Citation, Confidence, Diagnosis, Scope
from evals.results import CaseResult
from evals.schema import EvalCase

_CASE = TypeAdapter(EvalCase)

RECORDS = {
    "a:passage:pipeline:01": (
        "Creating a first data pipeline is highly important. This means starting to eliminate data silos."
    ),
    "a:passage:horizontal:01": (
        "Horizontal teams that work on overarching capabilities such as forecasting are required."
    ),
    "a:quote:hm:01": "We have around 10 use cases in production right now.",
}


def case(**fields: object) -> EvalCase:
    fields.setdefault("rationale", "hand-made")
    return _CASE.validate_python(fields)


def diagnosis(**fields: object) -> Diagnosis:
    base: dict = {
        "phase": None,
        "component_phases": {},
        "components": [],
        "weakest_components": [],
        "isa4_layers": [],
        "mlbc_phase": None,
        "challenges": [],
        "practices": [],
        "confidence": Confidence(
            phase=0.5, components=0.5, isa4_layers=0.5, mlbc_phase=0.5, challenges=0.5, practices=0.5
        ),
        "rules_fired": [],
        "missing_information": [],
        "clarifying_questions": [],
    }
    base.update(fields)
    return Diagnosis.model_validate(base)


def answer(
    text: str,
    cited: list[tuple[int, str]] | None = None,
    scope: Scope = Scope.IN_SCOPE,
    diag: Diagnosis | None = None,
    texts: dict[str, str] | None = None,
) -> Answer:
    texts = {**RECORDS, **(texts or {})}
    citations = [
        Citation(
            marker=f"[{n}]",
            passage_id=rid,
            kind="passage",
            source="a",
            title="A",
            section="s",
            speaker=None,
            role=None,
            company=None,
            text=texts.get(rid, "made-up text"),
        )
        for n, rid in (cited or [])
    ]
    return Answer(answer=text, scope=scope, diagnosis=diag, citations=citations, backend="offline", notices=[])


def result(
    the_case: EvalCase, the_answer: Answer | None, latency_ms: float = 10.0, retrieved: list[str] | None = None
) -> CaseResult:
    return CaseResult(
        case=the_case,
        answer=the_answer,
        error=None if the_answer else "boom",
        latency_ms=latency_ms,
        retrieved_ids=retrieved or [],
    )
