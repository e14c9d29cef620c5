"""A model sentence in a practitioner's or the authors' "we" is shown as their quotation."""

from __future__ import annotations

from advisor.answer.evidence import to_citation
from advisor.answer.text import speaks_first_person
from advisor.answer.voice import in_their_voice, speaker_line, stands_in
from knowledge.schema import RecordKind
from tests.advisor.helpers import PIPELINE, hit

NOLIS = hit(
    "q.nolis",
    "We originally released our models in R. It was just R in a Docker container as an API.",
    kind=RecordKind.QUOTE,
    speaker="Heather Nolis",
    company="T-Mobile",
)
ROLE_ONLY = hit(
    "q.role",
    "For us it is important that data scientists gain as much domain understanding as quickly as possible.",
    kind=RecordKind.QUOTE,
).model_copy(update={"role": "Head of AI"})
AUTHORS = hit("p.authors", "Our findings reveal three dimensions of context. Firms differ in how they respond.")


def test_first_person_is_read_outside_quotations_only():
    assert speaks_first_person("We launched our proof of concept with a cloud service.")
    assert speaks_first_person("Part of my role is to filter the requests.")
    assert not speaks_first_person("Firms move to the US market once their models run.")
    assert not speaks_first_person("As one engineer said, “we moved too fast”, and the firm slowed down.")


def test_words_stand_in_a_passage_in_order_whatever_the_case_and_marks():
    assert stands_in("It was just R in a Docker container as an API", NOLIS.text)
    assert not stands_in("It was R in a container as an API", NOLIS.text)


def test_a_copied_quote_is_quoted_with_its_speaker():
    said = "We originally released our models in R."
    shown = in_their_voice(said, [to_citation(NOLIS, 1)])
    assert shown == "“We originally released our models in R.” — Heather Nolis, T-Mobile."


def test_a_quote_with_a_role_only_names_the_role():
    said = "For us it is important that data scientists gain as much domain understanding as quickly as possible."
    assert in_their_voice(said, [to_citation(ROLE_ONLY, 1)]).endswith("” — Head of AI.")


def test_the_authors_words_get_quotation_marks_alone():
    assert in_their_voice("Our findings reveal three dimensions of context.", [to_citation(AUTHORS, 1)]) == (
        "“Our findings reveal three dimensions of context.”"
    )


def test_a_paraphrase_a_third_person_sentence_or_two_citations_stay_as_written():
    paraphrase = "We first shipped models written in R inside containers."
    assert in_their_voice(paraphrase, [to_citation(NOLIS, 1)]) == paraphrase
    plain = "It was just R in a Docker container as an API."
    assert in_their_voice(plain, [to_citation(NOLIS, 1)]) == plain
    said = "We originally released our models in R."
    assert in_their_voice(said, [to_citation(NOLIS, 1), to_citation(PIPELINE, 2)]) == said


def test_a_company_the_role_names_is_not_repeated():
    line = speaker_line("Ya Xu", "head of data science at LinkedIn", "LinkedIn")
    assert line == "Ya Xu, head of data science at LinkedIn"
    assert speaker_line(None, None, None) == ""
