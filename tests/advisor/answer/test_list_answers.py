"""A question asking for a framework's list gets the list: every element named, cited, checked.

Detection and the data file are tested without an index; the answers go through the real Advisor over
the real corpus index (``advisor_service``), so every sentence has passed the citation checker.
"""

from pathlib import Path

import pytest

from advisor.answer.citations import CitationChecker
from advisor.answer.lists import LISTS_FILE, FrameworkLists, ListEvidence, default_lists
from advisor.frameworks import default_frameworks
from advisor.schema import Scope
from knowledge.corpus import load_records
from knowledge.datafile import DataFileError
from knowledge.index.codec import to_hit
from tests.advisor.helpers import assert_citations_valid

PHASES = "What are the phases of the implementing-and-scaling study and what distinguishes them?"
PRACTICES = "what are the practices of the ML-capabilities study?"
LAYERS = "What are the four layers of the ISA-4 framework?"


@pytest.mark.parametrize(
    ("question", "list_id", "count"),
    [
        (PHASES, "impl_phases", 3),
        ("What stages does a firm go through when scaling AI?", "impl_phases", 3),
        ("How many phases are there?", "impl_phases", 3),
        (PRACTICES, "mlbc_practices", 5),
        ("Which practices address temporal complexity?", "mlbc_practices", 3),  # one group of the five
        (LAYERS, "isa4_layers", 4),
        ("Name the layers of ISA-4.", "isa4_layers", 4),
        ("Which managerial layers does ISA-4 have?", "isa4_layers", 2),
        ("list the components", "impl_components", 6),
        ("Which technical components does the implementing-and-scaling study say firms need?", "impl_components", 3),
        ("What are the technical and social components?", "impl_components", 6),
        ("What are the six socio-technical components?", "impl_components", 6),  # "technical" selects nothing
        ("What are the components of ISA-4?", "isa4_layers", 4),  # the framework named decides
        ("What are the three phases of ML-based capability development?", "mlbc_phases", 3),
        ("What are the two major challenges in developing ML-based capabilities?", "mlbc_challenges", 2),
        ("Which coupling dimensions does ISA-4 measure?", "isa4_coupling", 3),
    ],
)
def test_a_question_naming_the_elements_in_the_plural_asks_for_the_list(question, list_id, count):
    request = default_lists().request(question)
    assert request is not None and request.list_id == list_id
    assert len(request.items) == count


@pytest.mark.parametrize(
    "question",
    [
        "How do firms generally begin implementing AI, according to the phases in the study?",  # 'to the phases'
        "What happens to the data pipeline across the phases?",
        "Which team owns the phases?",  # a verb before 'the': the phases are not what is asked
        "Which of the phases matters most?",
        "What is the first phase?",  # singular: one element, not the list
        "What is the champion model for getting other teams to adopt a platform?",
        "What are the best practices for scaling AI?",  # practices without the MLbC paper named
        "What practices does the playbook recommend?",  # another source named
        "What are the phases of ISA-4?",  # ISA-4 has no phases
        "What are the key challenges when scaling AI?",
        "On the social side, what should firms create according to the implementing-and-scaling study?",
    ],
)
def test_other_questions_ask_for_no_list(question):
    assert default_lists().request(question) is None


def _evidence(question: str) -> ListEvidence:
    records = {record.id: record for record in load_records()}
    request = default_lists().request(question)
    assert request is not None
    return ListEvidence(request=request, hits={rid: to_hit(records[rid], 1.0) for rid in request.record_ids()})


@pytest.mark.parametrize(
    "question",
    [
        "What are the phases?",
        "What are the components?",
        "What are the technical components?",
        "What are the social components?",
        "What are the MLbC practices?",
        "Which MLbC practices address temporal complexity?",
        "Which MLbC practices address context sensitivity?",
        "What are the MLbC phases?",
        "What are the MLbC challenges?",
        "What are the MLbC cycles?",
        "What are the ISA-4 layers?",
        "What are the technical layers of ISA-4?",
        "What are the managerial layers of ISA-4?",
        "What are the ISA-4 coupling dimensions?",
    ],
)
def test_every_lead_sentence_passes_the_citation_check_against_its_records(question):
    listed = _evidence(question)
    cited = listed.covering()
    assert all(any(listed.names(hit.text, item) for hit in cited) for item in listed.request.items)
    lead = listed.lead_sentence()
    supported, reason, _, _ = CitationChecker().supports(lead, [hit.text for hit in cited])
    assert supported, f"{lead!r}: {reason}"


def test_every_framework_record_a_list_names_is_in_the_corpus():
    ids = {record.id for record in load_records()}
    lists = default_lists()
    for spec in lists.spec.lists:
        for record_id in spec.overview:
            assert record_id in ids, (spec.id, record_id)


def _write(tmp_path: Path, old: str, new: str) -> Path:
    text = LISTS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "lists.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_broken_lists_file_names_its_file_and_line(tmp_path):
    unknown = _write(tmp_path, "      productionizing: [productionized]", "      producing: [productionized]")
    line = next(i for i, t in enumerate(unknown.read_text().splitlines(), 1) if "producing:" in t)
    with pytest.raises(DataFileError, match=rf"lists\.yaml:{line} \(list impl_phases\): 'producing' is not"):
        FrameworkLists.load(unknown, default_frameworks())
    typo = _write(tmp_path, "    nouns: [practice]", "    noun: [practice]")
    with pytest.raises(DataFileError, match=r"lists\.yaml:\d+ \(list mlbc_practices\): .*noun"):
        FrameworkLists.load(typo, default_frameworks())
    template = _write(tmp_path, 'lead: "The {count} layers of ISA-4 are {items}."', 'lead: "The {n} layers."')
    with pytest.raises(DataFileError, match=r"lists\.yaml:\d+ \(list isa4_layers\)"):
        FrameworkLists.load(template, default_frameworks())


# -- through the Advisor, over the real index ---------------------------------------------------------------


def _ask(advisor_service, built_index, question: str):
    answer = advisor_service.ask(question)
    assert answer.scope is Scope.IN_SCOPE and answer.backend == "offline"
    assert not any("left out" in notice for notice in answer.notices), answer.notices  # nothing dropped
    report = CitationChecker().check(answer.answer, answer.citations)
    assert report.dropped == 0 and report.claims >= 2
    assert_citations_valid(answer, built_index[1])
    return answer


def _element_lines(answer, request):
    """Map each element to its bullet line and check that line cites one of the element's own records."""
    cited = {c.marker: c.passage_id for c in answer.citations}
    lines = {}
    for item in request.items:
        bullets = [line for line in answer.answer.splitlines() if line.startswith("- ")]
        line = next(line for line in bullets if item.name.lower() in line[:60].lower())
        markers = [m for m in cited if m in line]
        assert any(cited[m] in item.records for m in markers), (item.name, line)
        lines[item.id] = line
    return lines


def test_the_phases_question_names_and_defines_all_three_phases(advisor_service, built_index):
    answer = _ask(advisor_service, built_index, PHASES)
    lead = answer.answer.splitlines()[0]
    for phase in ("proving the concept", "productionizing", "platformizing"):
        assert phase in lead.lower()
    assert lead.rstrip().endswith("]")  # the lead is cited
    _element_lines(answer, default_lists().request(PHASES))


def test_the_practices_question_names_all_five_practices(advisor_service, built_index):
    answer = _ask(advisor_service, built_index, PRACTICES)
    lead = answer.answer.splitlines()[0].lower()
    for practice in default_frameworks().mlbc.practices:
        assert practice.name.lower() in lead
    assert len(_element_lines(answer, default_lists().request(PRACTICES))) == 5


def test_the_isa4_question_names_the_four_layers_cited_to_the_abstract(advisor_service, built_index):
    answer = _ask(advisor_service, built_index, LAYERS)
    lead = answer.answer.splitlines()[0]
    for layer in ("Data Infrastructure", "Model Operations", "Governance", "Organizational Alignment"):
        assert layer in lead
    marker = lead.rsplit(" ", 1)[-1]
    assert any(c.marker == marker and c.passage_id == "isa4:passage:abstract:01" for c in answer.citations)


def test_an_ordinary_question_is_not_turned_into_a_list(advisor_service, built_index):
    question = "How do firms generally begin implementing AI, according to the phases in the study?"
    answer = _ask(advisor_service, built_index, question)
    assert not answer.answer.startswith("The three phases")
    assert not any(line.startswith("- ") for line in answer.answer.splitlines())
