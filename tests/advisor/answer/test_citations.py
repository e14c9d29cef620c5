import pytest

from advisor.answer.citations import CitationChecker, ClaimStatus
from knowledge.embedding import Embedder
from tests.advisor.helpers import FIGURES, PIPELINE, PLATFORM, QUOTE, citations


@pytest.fixture(scope="module")
def checker() -> CitationChecker:
    return CitationChecker(Embedder())


def test_supported_sentences_keep_markers_and_verbatim_text(checker):
    passages = citations(PIPELINE, PLATFORM)
    draft = (
        "In the productionizing phase firms automate their data pipeline so that models can be retrained. [1]\n"
        "Firms build reusable components that many teams share. [2]"
    )
    report = checker.check(draft, passages)
    assert report.dropped == 0 and report.supported == 2
    assert report.text.endswith("[2]")
    assert [c.passage_id for c in report.citations] == ["p.pipeline", "p.platform"]
    assert report.citations[0].text == PIPELINE.text


def test_invalid_marker_is_repaired_when_another_passage_supports(checker):
    passages = citations(PIPELINE, PLATFORM)
    report = checker.check(
        "Firms build reusable components that many teams share across the value chain. [7]", passages
    )
    assert report.invalid_markers == ["[7]"]
    assert report.sentences[0].status is ClaimStatus.REPAIRED
    assert report.text.endswith("[1]")  # renumbered: the only cited passage is the platform one
    assert [c.passage_id for c in report.citations] == ["p.platform"]


def test_wrong_marker_is_repaired_to_the_supporting_passage(checker):
    passages = citations(PIPELINE, PLATFORM)
    report = checker.check(
        "Data quality checks run every night and failures are reported to the data owners. [2]", passages
    )
    assert report.sentences[0].status is ClaimStatus.REPAIRED
    assert report.citations[0].passage_id == "p.pipeline"


def test_unsupported_sentence_is_dropped(checker):
    passages = citations(PIPELINE, PLATFORM)
    draft = (
        "Blockchain tokens guarantee shareholder dividends in every quarter. [1]\n"
        "Firms automate their data pipeline. [1]"
    )
    report = checker.check(draft, passages)
    assert report.dropped == 1
    assert "Blockchain" not in report.text
    assert "data pipeline" in report.text


def test_sentence_without_marker_is_dropped_or_repaired(checker):
    passages = citations(PIPELINE)
    report = checker.check("Gardening improves mood on weekends.", passages)
    assert report.dropped == 1 and report.text == ""


def test_invented_figure_is_dropped_even_with_overlap(checker):
    passages = citations(FIGURES)
    report = checker.check("The firm ran 95 experiments in 2021 and moved three of them into production. [1]", passages)
    assert report.dropped == 1
    assert "figure" in report.sentences[0].reason
    ok = checker.check("The firm ran 40 experiments in 2021 and moved three of them into production. [1]", passages)
    assert ok.dropped == 0


def test_quote_attribution_must_match_the_cited_speaker(checker):
    passages = citations(QUOTE)
    good = "“You need robust customer monitoring and clear support processes.” — Sarah Chen, Jasper AI. [1]"
    bad = "“You need robust customer monitoring and clear support processes.” — Satya Nadella, Microsoft. [1]"
    assert checker.check(good, passages).dropped == 0
    report = checker.check(bad, passages)
    assert report.dropped == 1 and "attribution" in report.sentences[0].reason


def test_headings_questions_and_notes_are_not_claims(checker):
    passages = citations(PIPELINE)
    draft = (
        "**Where you stand**\nFirms automate their data pipeline. [1]\n\n"
        "**To sharpen this**\n- How many models are live?\n"
        "_The sources give no budget._"
    )
    report = checker.check(draft, passages)
    assert report.claims == 1 and report.dropped == 0
    assert "**Where you stand**" in report.text and "How many models are live?" in report.text
    assert "_The sources give no budget._" in report.text
    # an LLM may not smuggle claims in as notes
    assert checker.check("_Budgets are usually 2 million._", passages, allow_notes=False).dropped == 1


def test_heading_of_a_fully_dropped_section_goes_too(checker):
    passages = citations(PIPELINE)
    report = checker.check("**Watch for**\n- Quantum entanglement ruins sourdough. [1]", passages)
    assert report.text == "" and report.citations == []


def test_paraphrase_passes_through_similarity(checker):
    passages = citations(PIPELINE)
    sentence = (
        "When productionizing, businesses automate the flow of data so algorithms can be retrained regularly. [1]"
    )
    report = checker.check(sentence, passages)
    assert report.dropped == 0, report.sentences
    assert "similarity" in report.sentences[0].reason  # admitted by meaning, not by word overlap alone


def test_thresholds_are_validated():
    with pytest.raises(ValueError):
        CitationChecker(min_coverage=0.2, min_coverage_with_meaning=0.5)


def test_numbered_list_is_renumbered_after_a_drop(checker):
    passages = citations(PIPELINE, PLATFORM)
    draft = (
        "**What to do next**\n1. Firms automate their data pipeline. [1]\n2. Quantum sourdough fixes everything. [1]\n"
        "3. Firms build reusable components. [2]"
    )
    report = checker.check(draft, passages)
    assert "\n2. Firms build reusable components. [2]" in report.text
    assert "3." not in report.text


def test_fake_markers_are_removed(checker):
    passages = citations(PIPELINE)
    report = checker.check("Firms automate their data pipeline [X999]. [1]", passages)
    assert "X999" not in report.text and "[X999]" in report.invalid_markers
    assert report.text == "Firms automate their data pipeline. [1]"
