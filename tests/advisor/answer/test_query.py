"""The query plan of a situation: which searches fill which section."""

from __future__ import annotations

from advisor.answer.query import QueryBuilder
from advisor.schema import Component, Phase
from knowledge.schema import RecordKind
from tests.advisor.helpers import diagnosis

MESSAGE = "We run two pilots in claims and want to pick what to build next."


def _playbook_specs(phase: Phase) -> list:
    plan = QueryBuilder().build(MESSAGE, diagnosis(phase=phase, components=[Component.AI_GROWTH_VISION]))
    return [s for s in plan.specs if s.filters is not None and RecordKind.PLAYBOOK_STEP in (s.filters.kinds or [])]


def test_a_firm_proving_the_concept_gets_no_playbook_steps_to_scale_operations_it_does_not_run():
    assert _playbook_specs(Phase.PROVING_CONCEPT) == []
    plan = QueryBuilder().build(MESSAGE, diagnosis(phase=Phase.PROVING_CONCEPT))
    own = [s for s in plan.specs if s.filters is not None and s.filters.kinds == [RecordKind.USER_DOC]]
    # the manager's own documents still feed the next steps, and finding none widens to no other kind
    assert [(s.purpose, s.widen) for s in own] == [("recommendation", False)]


def test_a_firm_with_models_in_production_gets_the_playbooks_steps():
    for phase in (Phase.PRODUCTIONIZING, Phase.PLATFORMIZING):
        assert [s.purpose for s in _playbook_specs(phase)] == ["recommendation"]
