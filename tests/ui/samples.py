"""Hand-built answers for the pure layout tests (rendering, report writing).

Layout is tested on known input so that a failure points at the layout; everything end to end
(API, chat, browser, CLI report from a real conversation) runs the real Advisor instead.
"""

from __future__ import annotations

from advisor.schema import (
    Answer,
    Challenge,
    Citation,
    Component,
    Confidence,
    Diagnosis,
    Isa4Layer,
    MatchedSpan,
    MlbcPhase,
    Phase,
    Practice,
    RuleFired,
    Scope,
)

SITUATION = "We have three pilots but nothing is live yet, and each team ships models its own way."


def diagnosis() -> Diagnosis:
    start = SITUATION.index("nothing is live yet")
    start2 = SITUATION.index("each team ships models its own way")
    return Diagnosis(
        phase=Phase.PROVING_CONCEPT,
        component_phases={
            Component.DATA_PIPELINE: Phase.PROVING_CONCEPT,
            Component.TECHNICAL_INFRASTRUCTURE: None,
            Component.AI_MODELS: Phase.PRODUCTIONIZING,
            Component.AI_GROWTH_VISION: None,
            Component.AI_CAPABILITIES: Phase.PROVING_CONCEPT,
            Component.ORGANIZATIONAL_STRUCTURE: Phase.PROVING_CONCEPT,
        },
        components=[Component.AI_MODELS, Component.ORGANIZATIONAL_STRUCTURE],
        weakest_components=[Component.ORGANIZATIONAL_STRUCTURE],
        isa4_layers=[Isa4Layer.MODEL_OPERATIONS],
        mlbc_phase=MlbcPhase.DEVELOPMENT,
        challenges=[Challenge.CONTEXT_SENSITIVITY],
        practices=[Practice.SYNCHRONIZING_EFFORTS],
        confidence=Confidence(
            phase=0.8, components=0.7, isa4_layers=0.6, mlbc_phase=0.6, challenges=0.5, practices=0.5
        ),
        rules_fired=[
            RuleFired(
                rule_id="nothing_live",
                conclusion="No model in production: proving the concept.",
                matched=[MatchedSpan(text="nothing is live yet", start=start, end=start + 19)],
            ),
            RuleFired(
                rule_id="siloed_teams",
                conclusion="Teams work separately: synchronizing efforts helps.",
                matched=[MatchedSpan(text="each team ships models its own way", start=start2, end=start2 + 34)],
            ),
        ],
        missing_information=["how many people work on AI"],
        clarifying_questions=["Who owns the models once they are built?"],
    )


def citations() -> list[Citation]:
    return [
        Citation(
            marker="[1]",
            passage_id="impl.phases.proving",
            kind="passage",
            source="implementing_scaling_ai",
            title="Implementing and scaling AI in organizations",
            section="5.1 Proving the concept",
            speaker=None,
            role=None,
            company=None,
            text="In the first phase, firms prove the concept with pilots that show value.",
        ),
        Citation(
            marker="[2]",
            passage_id="mlbc.quote.7",
            kind="quote",
            source="mlbc_alignment",
            title="Aligning ML-based capabilities",
            section="Findings",
            speaker="Head of Data",
            role="Head of Analytics",
            company="RetailCo",
            text="We had to sit the data scientists next to the business or nothing moved.",
        ),
        Citation(
            marker="[3]",
            passage_id="playbook.step.2",
            kind="playbook_step",
            source="scaling_ops_playbook",
            title="Scaling operations playbook",
            section="Step 2",
            speaker=None,
            role=None,
            company=None,
            text="Name one owner per model and put it on a shared release calendar.",
        ),
    ]


def situation_answer(extra_text: str = "") -> Answer:
    text = (
        "**Where you stand**\n"
        "Your description fits the proving-the-concept phase. [1]\n\n"
        "**What to do next**\n"
        "1. Name one owner per model and put it on a shared release calendar. [3]\n"
        "2. Sit data scientists with the business. [2]\n\n"
        "**What practitioners said**\n"
        "- “We had to sit the data scientists next to the business or nothing moved.” — Head of Data, RetailCo. [2]"
        + extra_text
    )
    return Answer(
        answer=text,
        scope=Scope.IN_SCOPE,
        diagnosis=diagnosis(),
        citations=citations(),
        backend="offline",
        notices=[],
    )
