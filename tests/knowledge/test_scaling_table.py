"""The rebuilt phase x component table: complete, faithful to the garbled source, supported by passages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.corpus import load_scaling_table
from knowledge.corpus.cleaning import clean
from knowledge.corpus.paths import SCALING_TABLE_FILE
from knowledge.datafile import DataFileError


@pytest.fixture(scope="module")
def table():
    return load_scaling_table()


def test_all_18_cells_once(table):
    assert len(table.cells) == 18
    assert {(c.phase, c.component) for c in table.cells} == {
        (p.id, k.id) for p in table.phases for k in table.components
    }


def test_cell_words_come_from_their_source_lines(table, corpus_raw):
    lines = corpus_raw["impl_scaling"].splitlines()
    first, last = table.source_lines
    assert lines[first - 1].strip() == "Table 2"
    for cell in table.cells:
        assert all(first <= n <= last for n in cell.source_lines)
        fragment_words = set(re.findall(r"[\w-]+", clean("\n".join(lines[n - 1] for n in cell.source_lines))))
        assert set(re.findall(r"[\w-]+", cell.text)) <= fragment_words, (cell.phase, cell.component)


def test_known_cells_read_as_in_the_paper(table):
    assert table.cell("proving_concept", "data_pipeline").text == (
        "Assemble data to run first use cases; enable data access; begin eliminating data silos"
    )
    assert table.cell("platformizing", "organizational_structure").text == (
        "Establish overarching, horizontal teams; increase (applied) research focus"
    )
    assert table.cell("productionizing", "ai_growth_vision").text == "Customer value creation across value chain"


def test_cell_lookup_takes_phase_and_component_in_either_order(table):
    cell = table.cell("productionizing", "ai_models")
    assert table.cell("ai_models", "productionizing") is cell
    assert cell.record_ids == cell.supporting_records
    with pytest.raises(KeyError, match="no cell"):
        table.cell("productionizing", "ai_modelz")


def test_supporting_passages_carry_the_cells_tags(table, corpus_records):
    by_id = {r.id: r for r in corpus_records}
    for cell in table.cells:
        for record_id in cell.supporting_records:
            record = by_id[record_id]
            assert record.kind == "passage" and record.source_id == "impl_scaling"
            assert set(cell.tags) <= set(record.tags), (record_id, cell.tags)


def test_every_tagged_phase_passage_supports_its_cell(table, corpus_records):
    for cell in table.cells:
        tagged = {r.id for r in corpus_records if r.kind == "passage" and set(cell.tags) <= set(r.tags)}
        assert tagged == set(cell.supporting_records), (cell.phase, cell.component)


def test_a_missing_cell_is_reported_with_file_and_line(tmp_path: Path):
    text = SCALING_TABLE_FILE.read_text(encoding="utf-8")
    broken = text.replace("component: ai_models\n", "component: ai_modelz\n", 1)
    path = tmp_path / "scaling_table.yaml"
    path.write_text(broken, encoding="utf-8")
    line = broken[: broken.index("ai_modelz")].count("\n") + 1
    with pytest.raises(DataFileError, match=rf"scaling_table\.yaml:{line}: cells\.\d+\.component"):
        load_scaling_table(path)


def test_an_unknown_supporting_record_is_reported(tmp_path: Path):
    path = tmp_path / "scaling_table.yaml"
    path.write_text(
        SCALING_TABLE_FILE.read_text(encoding="utf-8").replace(
            "impl_scaling:passage:4-2-1-proving-the-concept:01", "impl_scaling:passage:nope:01", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="unknown records"):
        load_scaling_table(path)
