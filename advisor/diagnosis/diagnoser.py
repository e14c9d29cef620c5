"""The rule-backed Diagnoser: message (and optional questionnaire) in, Diagnosis out.

Pipeline: segment -> detect signals (lexical + embeddings) -> fire rules -> sum evidence ->
place -> ask when unsure. Each step is its own small class; this one only wires them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.diagnosis.aggregate import AggregationParams, Aggregator, Placement, tally
from advisor.diagnosis.clarify import Clarifier
from advisor.diagnosis.engine import FiredRule, RuleEngine
from advisor.diagnosis.facts import SituationFacts
from advisor.diagnosis.facts_reader import FactsReader
from advisor.diagnosis.facts_rules import FactsRuleEngine
from advisor.diagnosis.hits import SignalReport
from advisor.diagnosis.questionnaire import QuestionnaireAnswers, QuestionnaireScorer
from advisor.diagnosis.signals import SignalDetector
from advisor.rules.loader import default_rules
from advisor.rules.models import ComponentConclusion, RuleSet
from advisor.schema import Confidence, Diagnosis, RuleFired
from advisor.settings import Settings
from knowledge.datafile import load_yaml_model
from knowledge.embedding import Embedder

CALIBRATION_FILE = Path(__file__).with_name("calibration.yaml")
# A phase that rests only on embedding likeness (no rule fired on the manager's own words) is shown with
# at most this confidence, under the clarifier's threshold, so the phase question is asked too.
PARAPHRASE_ONLY_CAP = 0.4


ConfidenceMap = list[tuple[float, float]]


def map_confidence(raw: float, bins: ConfidenceMap | None) -> float:
    """Read a raw confidence off its reliability bins ``[(upper edge, accuracy measured there), ...]``."""
    if not bins:
        return raw
    for upper, value in bins:
        if raw < upper:
            return value
    return bins[-1][1]


class Calibration(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    semantic_threshold: float = Field(ge=0, le=1)
    params: AggregationParams
    calibrated_on: str
    objective: float | None
    # Per field (phase, components): raw confidence bins -> accuracy measured on the calibration items,
    # so a shown confidence of 0.8 means about 8 in 10 such placements were right there.
    confidence_map: dict[Literal["phase", "components"], ConfidenceMap] = {}


def load_calibration(path: Path | None = None) -> Calibration:
    path = Path(path or CALIBRATION_FILE)
    return load_yaml_model(path, Calibration, kind="calibration")


class DiagnosisInputError(ValueError):
    """The message cannot be diagnosed as given (too long, wrong type); the text says what to change."""


def _describe(fired: FiredRule) -> str:
    """Say in the conclusion when the user's own words hedged it, so a reader weighs it accordingly."""
    return fired.conclusion + (" (hedged)" if fired.hedged else "")


class Diagnoser:
    """Cheap to construct; the embedding model loads on the first diagnosis (or ``warm_up``)."""

    def __init__(
        self,
        settings: Settings | None = None,
        rules: RuleSet | None = None,
        embedder: Embedder | None = None,
        calibration: Calibration | None = None,
        use_embeddings: bool = True,
        facts_reader: FactsReader | None = None,
    ) -> None:
        self.settings = settings
        self.rules = rules or default_rules()
        self.calibration = calibration or load_calibration()
        model_path = settings.embedding_model_path if settings else None
        self.detector = SignalDetector(self.rules, embedder or Embedder(model_path), use_embeddings=use_embeddings)
        self.engine = RuleEngine(self.rules)
        self.aggregator = Aggregator(self.calibration.params)
        self.clarifier = Clarifier()
        self.scorer = QuestionnaireScorer()
        self.max_chars = settings.max_message_chars if settings else 8000
        # With a model configured, the facts it reads (verified quotes) fire the rules of facts.yaml too.
        self.facts_reader = facts_reader
        self.facts_engine = FactsRuleEngine()

    def warm_up(self) -> None:
        self.detector.warm_up()
        if self.facts_reader is not None:
            self.facts_reader.warm_up()

    def read_facts(self, message: str) -> SituationFacts | None:
        """Read the situation facts of ``message`` (None without a reader; empty with the reason if it failed)."""
        return self.facts_reader.run(message) if self.facts_reader is not None else None

    def _facts_fired(self, message: str, facts: SituationFacts | None) -> list[FiredRule]:
        facts = facts if facts is not None else self.read_facts(message)
        return self.facts_engine.run(facts) if facts is not None else []

    @staticmethod
    def _paraphrase_only(fired: list[FiredRule], phase) -> bool:
        backing = [f for f in fired if any(getattr(c, "phase", None) == phase for c in f.conclusions) and f.matched]
        return bool(backing) and all(f.paraphrase_only for f in backing)

    @staticmethod
    def _calibrated(placement: Placement, calibration: Calibration) -> Placement:
        """Replace raw phase/component confidences by the accuracy measured at that level (if mapped)."""
        cmap = calibration.confidence_map
        phase = map_confidence(placement.phase_confidence, cmap.get("phase")) if placement.phase else 0.0
        comps = map_confidence(placement.components_confidence, cmap.get("components")) if placement.components else 0.0
        return placement.model_copy(
            update={"phase_confidence": round(phase, 3), "components_confidence": round(comps, 3)}
        )

    @staticmethod
    def _rule_fired(fired: FiredRule) -> RuleFired:
        return RuleFired(rule_id=fired.rule_id, conclusion=_describe(fired), matched=fired.matched)

    def embedded_texts(self, message: str) -> list[str]:
        """Return the texts diagnosing ``message`` will embed, so a caller can put them in its own batch."""
        return self.detector.embedded_texts(message)

    def detect(self, message: str) -> SignalReport:
        if not isinstance(message, str):
            raise DiagnosisInputError(f"message must be text, got {type(message).__name__}")
        if len(message) > self.max_chars:
            raise DiagnosisInputError(
                f"message is {len(message)} characters; the limit is {self.max_chars} "
                "(ADVISOR_MAX_MESSAGE_CHARS). Shorten it to the situation itself."
            )
        return self.detector.detect(message)

    def diagnose(self, message: str, questionnaire: QuestionnaireAnswers | None = None) -> Diagnosis:
        """Place a manager's situation in the frameworks and show which of their words led there."""
        return self.diagnose_report(self.detect(message), questionnaire)

    def diagnose_report(
        self,
        report: SignalReport,
        questionnaire: QuestionnaireAnswers | None = None,
        semantic_threshold: float | None = None,
        params: AggregationParams | None = None,
        calibration: Calibration | None = None,
        facts: SituationFacts | None = None,
    ) -> Diagnosis:
        """Diagnose already-detected signals; calibration calls this with trial thresholds.

        ``facts`` (already read) are used as given; otherwise the facts reader, if any, reads them.
        """
        calibration = calibration or self.calibration
        threshold = calibration.semantic_threshold if semantic_threshold is None else semantic_threshold
        params = params or calibration.params
        fired: list[FiredRule] = self.engine.run(report.active(threshold), threshold)
        fired.extend(self._facts_fired(report.message, facts))
        if questionnaire is not None:
            fired.extend(self.scorer.score(questionnaire))
        fired.sort(key=lambda f: -f.evidence)
        placement = self.aggregator.place(tally(fired), params)
        if not placement.components:
            closest = self.engine.fallback(report.hits, self.detector.floor)
            conclusions = closest.conclusions if closest is not None else []
            components = [c.component for c in conclusions if isinstance(c, ComponentConclusion)]
            if closest is not None and components:
                fired.append(closest)
                placement = placement.model_copy(
                    update={"components": components[:1], "components_confidence": closest.evidence / 2.5}
                )
        placement = self._calibrated(placement, calibration)
        if placement.phase is not None and self._paraphrase_only(fired, placement.phase):
            # No word of the manager's named the phase, only likenesses did: show it, but ask.
            capped = min(placement.phase_confidence, PARAPHRASE_ONLY_CAP)
            placement = placement.model_copy(update={"phase_confidence": capped})
        clarification = self.clarifier.clarify(placement)
        return Diagnosis(
            phase=placement.phase,
            component_phases=placement.component_phases,
            components=placement.components,
            weakest_components=placement.weakest_components,
            isa4_layers=placement.isa4_layers,
            mlbc_phase=placement.mlbc_phase,
            challenges=placement.challenges,
            practices=placement.practices,
            confidence=Confidence(
                phase=placement.phase_confidence,
                components=placement.components_confidence,
                isa4_layers=placement.isa4_confidence,
                mlbc_phase=placement.mlbc_confidence,
                challenges=placement.challenges_confidence,
                practices=placement.practices_confidence,
            ),
            rules_fired=[self._rule_fired(f) for f in fired],
            missing_information=clarification.missing_information,
            clarifying_questions=clarification.clarifying_questions,
        )
