"""Records cover the sources' bodies; body and exclusions are the parsers' explicit definitions."""

from __future__ import annotations

import pytest

from knowledge.corpus.build import parse_source
from knowledge.corpus.coverage import measure, measure_all
from knowledge.corpus.sources import source_by_id


@pytest.mark.parametrize("source_id", ["isa4", "impl_scaling", "mlbc", "ops_playbook"])
def test_spans_cover_95_percent_of_body_prose(corpus_records, source_id):
    coverage = measure(parse_source(source_by_id(source_id)), corpus_records)
    assert coverage.prose_chars > 0
    assert coverage.span_coverage >= 0.95, coverage


def test_only_headings_labels_and_the_rebuilt_table_are_set_aside(corpus_records):
    for coverage in measure_all(corpus_records):
        # what is not prose is small: headings/labels everywhere, the garbled Table 2 in impl_scaling
        assert coverage.structural_chars + coverage.table_chars <= 0.16 * coverage.body_chars, coverage
        assert coverage.body_coverage >= 0.99, coverage


def test_exclusions_are_what_the_parsers_say(corpus_records):
    mlbc = parse_source(source_by_id("mlbc"))
    body = "".join(mlbc.raw[r.start : r.end] for r in mlbc.body)
    assert "Abedin, B. (2022)" not in body  # references
    assert "About the authors" not in body and "Acknowledgements" not in body
    assert "Figure 9" not in body  # the caption list
    assert "P1117Accelerator Lead" in body and "P298" not in body  # titles kept, id/count rows not
    assert "Purpose" in body and "7. Conclusion" in body and "Our use of “meta-learning”" in body
    impl = parse_source(source_by_id("impl_scaling"))
    (table,) = impl.tables
    assert impl.raw[table.start : table.end].strip().startswith("Table 2")
    assert "Centrally organized Al team" in impl.raw[table.start : table.end]
    in_table = [
        r.id
        for r in corpus_records
        if r.source_id == "impl_scaling" and r.span.start < table.end and table.start < r.span.end
    ]
    assert not in_table  # the garbled table is data (scaling_table.yaml), not passages


def test_records_stay_inside_the_body(corpus_records):
    for source_id in ["isa4", "impl_scaling", "mlbc", "ops_playbook"]:
        parsed = parse_source(source_by_id(source_id))
        for record in (r for r in corpus_records if r.source_id == source_id):
            assert any(b.start <= record.span.start and record.span.end <= b.end for b in parsed.body), record.id
