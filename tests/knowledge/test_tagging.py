"""Framework tags: placed by section, by marker stretches and by mentions, as tag_rules.yaml says."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.corpus.layout import Region
from knowledge.corpus.segments import Heading
from knowledge.corpus.tagging import MarkerRule, SectionRule, Tagger, TagRules, load_tag_rules
from knowledge.datafile import DataFileError


def _by_id(records):
    return {r.id: r for r in records}


def test_quotes_carry_the_phase_and_the_component_being_discussed(corpus_records):
    by_id = _by_id(corpus_records)
    assert {"phase:proving_concept", "component:data_pipeline"} <= set(
        by_id["impl_scaling:quote:mike-del-balso:01"].tags
    )
    assert {"phase:proving_concept", "component:technical_infrastructure"} <= set(
        by_id["impl_scaling:quote:heather-nolis:01"].tags
    )
    # H&M's "do it centrally" follows a sentence about capabilities but sits in the org-structure paragraph
    errol = by_id["impl_scaling:quote:errol-koolmeister:02"]
    assert "component:organizational_structure" in errol.tags and "component:ai_capabilities" not in errol.tags
    assert {"phase:productionizing", "component:ai_capabilities"} <= set(
        by_id["impl_scaling:quote:adrien-gaidon:01"].tags
    )


def test_every_quote_in_the_phase_sections_has_one_phase_and_a_component(corpus_records):
    for record in corpus_records:
        if record.kind == "quote" and record.section[-1].startswith(("4.2.1.", "4.2.2.", "4.2.3.")):
            assert len([t for t in record.tags if t.startswith("phase:")]) == 1, record.id
            assert any(t.startswith("component:") for t in record.tags), record.id


def test_mlbc_tags_follow_the_papers_structure(corpus_records):
    by_id = _by_id(corpus_records)
    quotes = [r for r in corpus_records if r.source_id == "mlbc" and r.kind == "quote"]
    trainers = next(q for q in quotes if "full-time bot trainers" in q.text)
    assert {"practice:fostering_temporal_congruence", "practice:forging_new_roles"} <= set(trainers.tags)
    covid = next(q for q in quotes if "COVID-19" in q.text)
    assert "challenge:context_sensitivity" in covid.tags
    ambassadors = next(q for q in quotes if "AI Ambassador Program" in q.text)
    assert "mlbc_cycle:user" not in ambassadors.tags
    assert "mlbc_cycle:organization" in by_id["mlbc:quote:head-of-ai:01"].tags
    discussion = [r for r in corpus_records if r.source_id == "mlbc" and r.section[-1] == "5. Discussion"]
    assert any({"alignment:effectuating", "mlbc_phase:release"} <= set(r.tags) for r in discussion)


def test_isa4_layers_and_coupling_dimensions(corpus_records):
    tags = set().union(*(r.tags for r in corpus_records if r.source_id == "isa4"))
    assert {
        "isa4:data_infrastructure",
        "isa4:model_operations",
        "isa4:governance",
        "isa4:organizational_alignment",
        "coupling:artifact",
        "coupling:process",
        "coupling:normative",
    } <= tags


def test_marker_stretch_ends_at_next_marker_of_its_dimension_or_heading():
    raw = "Intro. Alpha starts here. More alpha. Beta starts here. Beta more.\nHeading\nAfter heading."
    heading_at = raw.index("Heading")
    rules = TagRules(
        markers=[
            MarkerRule(source="s", at="Alpha starts here", dimension="d", tags=["x:alpha"]),
            MarkerRule(source="s", at="Beta starts here", dimension="d", tags=["x:beta"]),
        ],
        sections=[SectionRule(source="s", heading="Heading", tags=["x:section"])],
    )
    tagger = Tagger(rules, "s", raw, [Heading(Region(heading_at, heading_at + 7), 1, "Heading")])

    def at(text: str) -> Region:
        return Region(raw.index(text), raw.index(text) + len(text))

    assert tagger.tags(("Top",), at("Intro."), "Intro.") == []
    assert tagger.tags(("Top",), at("More alpha."), "") == ["x:alpha"]
    assert tagger.tags(("Top",), at("Beta more."), "") == ["x:beta"]
    assert tagger.tags(("Heading",), at("After heading."), "") == ["x:section"]


def test_a_marker_that_is_not_in_the_source_fails_loudly(tmp_path: Path):
    rules = TagRules(markers=[MarkerRule(source="s", at="words that are nowhere", dimension="d", tags=["x:y"])])
    with pytest.raises(DataFileError, match=r"tag_rules\.yaml.*words that are nowhere"):
        Tagger(rules, "s", "some other text", [])


def test_a_bad_tag_is_reported_with_the_file(tmp_path: Path):
    path = tmp_path / "tag_rules.yaml"
    path.write_text("sections:\n  - {source: s, heading: '4.1', tags: ['Not A Tag']}\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"tag_rules\.yaml"):
        load_tag_rules(path)


def test_an_unknown_key_is_reported_with_file_and_line(tmp_path: Path):
    path = tmp_path / "tag_rules.yaml"
    path.write_text("sections:\n  - source: s\n    heading: '4.1'\n    tag: [a:b]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"tag_rules\.yaml:2: sections\.0"):
        load_tag_rules(path)
