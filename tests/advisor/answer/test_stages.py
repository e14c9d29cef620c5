"""A question about one stage of a playbook plan gets that stage's steps, all of them, in order, cited.

Window reading and stage choice are tested over the real corpus records; the answers go through the real
Advisor over the real corpus index, so every step has passed the citation checker.
"""

from __future__ import annotations

import pytest

from advisor.answer.citations import CitationChecker
from advisor.answer.stages import Window, asked_window, find_stage, stages_of
from advisor.service import Advisor
from knowledge.corpus import load_records
from knowledge.index.codec import to_hit
from tests.advisor.helpers import assert_citations_valid

FIRST_MONTHS = "What does the playbook recommend for the first months of scaling operations?"
WEEKS = 52 / 12


@pytest.fixture(scope="module")
def stages():
    return stages_of(load_records())


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("What comes in the first three months?", 0, 3 * WEEKS),
        ("and in the first 6 months?", 0, 6 * WEEKS),
        ("What about months four to nine?", 3 * WEEKS, 9 * WEEKS),
        ("months 4-9", 3 * WEEKS, 9 * WEEKS),
        ("What happens in weeks 5 to 8?", 4, 8),
        ("during the first 3-6 months", 2 * WEEKS, 6 * WEEKS),
        ("our plan for the first quarter", 0, 3 * WEEKS),
        ("the first months of scaling", 0, 0),  # open: the opening stage of a plan, whatever its length
    ],
)
def test_a_time_window_is_read_in_digits_or_words(question, start, end):
    assert asked_window(question) == Window(start=start, end=end)


@pytest.mark.parametrize("question", ["How do we scale?", "What did Google do first?", "Which month is best?"])
def test_no_window_is_read_where_none_is_named(question):
    assert asked_window(question) is None


def test_stages_come_from_the_playbook_steps_in_their_order(stages):
    first = next(s for s in stages if s.name == "Foundation First")
    assert first.months == "Months 1-3" and first.window is not None and first.window.start == 0
    assert first.steps == [f"ops_playbook:step:foundation-first:0{n}" for n in range(1, 5)]
    assert all(len(s.steps) >= 2 for s in stages)


@pytest.mark.parametrize(
    ("question", "stage", "plan"),
    [
        (FIRST_MONTHS, "Foundation First", "Scaling Framework Recommendations"),
        ("And after that, for months four to nine, according to the playbook?", "Systematic Scaling", None),
        # several plans cover months 4-6: the one the question names wins
        ("In the playbook's customer success plan, what comes in months 4 to 6?", "Process Automation", None),
        ("Which steps does the playbook's integrated roadmap give for months 7-9?", "Scaling Phase", None),
        ("In the playbook's quality scaling framework, what comes in weeks 5 to 8?", "Automation Implementation", None),
        ("What is the systematic scaling stage of the playbook?", "Systematic Scaling", None),
    ],
)
def test_the_asked_stage_is_found(stages, question, stage, plan):
    found = find_stage(question, stages, [], {"ops_playbook"})
    assert found is not None and found.name == stage
    if plan:
        assert found.plan[-1] == plan


def test_a_window_outside_the_playbook_asks_for_no_stage(stages):
    records = {r.id: r for r in load_records()}
    google = [to_hit(records[rid], 1.0) for rid in records if rid.startswith("impl_scaling:")][:5]
    assert find_stage("What happened at Google in the first three months?", stages, google, set()) is None


def test_the_first_months_question_gets_every_step_of_the_opening_stage(advisor_service: Advisor, built_index):
    answer = advisor_service.ask(FIRST_MONTHS)
    assert_citations_valid(answer, built_index[1])
    assert CitationChecker().check(answer.answer, answer.citations).dropped == 0
    lines = answer.answer.splitlines()
    plan = "Operations Scaling Methodologies — Scaling Framework Recommendations"
    assert lines[0] == f"**{plan}: Foundation First (Months 1-3)**"
    for n, words in enumerate(
        ["monitoring and alerting", "operational procedures", "basic automation", "quality assurance"], start=1
    ):
        assert lines[n].startswith(f"{n}. ") and words in lines[n].lower()
    assert [c.passage_id for c in answer.citations] == [f"ops_playbook:step:foundation-first:0{n}" for n in range(1, 5)]
    assert answer.backend == "offline"


def test_an_ordinary_playbook_question_is_not_turned_into_a_stage(advisor_service: Advisor):
    answer = advisor_service.ask("What is the biggest mistake AI application companies make when scaling operations?")
    assert not answer.answer.startswith("**")


def test_a_stage_answer_is_given_verbatim_not_rewritten_by_a_model(advisor_service: Advisor, built_index):
    from tests.advisor.answer.test_llm_composer import Scripted

    backend = Scripted(reply='{"sentences": [{"text": "Hire fast.", "passages": [1]}]}')
    settings = advisor_service.settings.model_copy(update={"llm_provider": "local"})
    advisor = Advisor(settings, retriever=built_index[1], diagnoser=advisor_service.parts.diagnoser, backend=backend)
    answer = advisor.ask(FIRST_MONTHS)
    streamed = list(advisor.ask_stream(FIRST_MONTHS))
    assert backend.requests == []
    assert answer.backend == "offline" and "monitoring and alerting" in answer.answer
    assert not any("language model" in notice for notice in answer.notices)
    assert any(getattr(event, "answer", None) == answer for event in streamed)
