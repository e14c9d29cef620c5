"""What a reader sees of a record: the section shown with a hit."""

from __future__ import annotations

from knowledge.index.codec import section_label, to_hit
from knowledge.schema import PlaybookStep, Record


def _step(records: list[Record], record_id: str) -> PlaybookStep:
    record = next(r for r in records if r.id == record_id)
    assert isinstance(record, PlaybookStep)
    return record


def test_a_playbook_step_names_its_stage_and_months(corpus_records) -> None:
    step = _step(corpus_records, "ops_playbook:step:foundation-first:01")
    shown = to_hit(step, 1.0).section
    assert shown.startswith(section_label(step) + " > ")
    assert shown.endswith("> Foundation First (Months 1-3)")


def test_a_step_whose_heading_is_its_stage_is_not_named_twice(corpus_records) -> None:
    step = _step(corpus_records, "ops_playbook:step:top-10-expert-recommendations:07")
    assert step.phase == step.section[-1]
    assert to_hit(step, 1.0).section == section_label(step)


def test_other_records_keep_their_section(corpus_records) -> None:
    passage = next(r for r in corpus_records if r.kind == "passage")
    assert to_hit(passage, 1.0).section == section_label(passage)
