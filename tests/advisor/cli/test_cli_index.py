from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli.main import cli
from knowledge.index import IndexConfig, Ingestor
from tests.knowledge.index.pdfs import encrypted_pdf
from tests.knowledge.index.records import small_corpus

HIT_KEYS = {"passage_id", "kind", "source", "title", "section", "speaker", "role", "company", "text", "score"}


def point_at(monkeypatch: pytest.MonkeyPatch, config: IndexConfig) -> None:
    for key in ("ADVISOR_CHROMA_URL", "ADVISOR_EMBEDDING_MODEL_PATH"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(config.data_dir))
    monkeypatch.setenv("ADVISOR_COLLECTION", config.collection)


@pytest.fixture
def on_built(built_index, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    point_at(monkeypatch, built_index[0])
    return CliRunner()


def test_search_json_is_a_list_of_hits(on_built: CliRunner) -> None:
    result = on_built.invoke(cli, ["search", "our models never make it into production", "--k", "4", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert 1 <= len(hits) <= 4
    assert all(set(hit) == HIT_KEYS for hit in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_search_filters_from_options(on_built: CliRunner) -> None:
    result = on_built.invoke(cli, ["search", "reliability", "--kind", "quote", "--source", "impl_scaling", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits and all(h["kind"] == "quote" and h["source"] == "impl_scaling" for h in hits)
    result = on_built.invoke(cli, ["search", "customers", "--company", "jasper ai", "--json", "--mode", "bm25"])
    assert {h["company"] for h in json.loads(result.stdout)} == {"Jasper AI"}


def test_unknown_filter_values_are_refused_with_suggestions(on_built: CliRunner) -> None:
    result = on_built.invoke(cli, ["search", "x", "--source", "impl_scalling"])
    assert result.exit_code == 2
    assert "no record has source 'impl_scalling'; did you mean: impl_scaling" in result.output


def test_search_table_is_readable(on_built: CliRunner) -> None:
    result = on_built.invoke(cli, ["search", "riding a bicycle while building the wheels", "--k", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2 results for 'riding a bicycle while building the wheels' (hybrid)")
    assert "1. [quote] mlbc:quote:data-scientist:03" in result.stdout


def test_batch_prints_one_line_per_input_and_reports_bad_lines(on_built: CliRunner, tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        json.dumps({"id": "a", "message": "compute is not unlimited in the cloud"})
        + "\n{not json\n\n"
        + json.dumps({"id": 7, "message": "champion model for platform adoption"})
        + "\n"
    )
    result = on_built.invoke(cli, ["search", "--batch", str(batch), "--k", "3"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", None, 7]
    assert set(lines[0]) == {"id", "hits"} and len(lines[0]["hits"]) == 3
    assert all(set(hit) == HIT_KEYS for hit in lines[0]["hits"] + lines[2]["hits"])
    assert lines[1]["error"].startswith(f"{batch}:2: ")
    assert f"{batch}:2: " in result.stderr


def test_exactly_one_of_query_batch_evaluate(on_built: CliRunner) -> None:
    result = on_built.invoke(cli, ["search"])
    assert result.exit_code == 2 and "give exactly one of QUERY" in result.output


def test_evaluate_prints_the_three_modes_side_by_side(on_built: CliRunner, tmp_path: Path) -> None:
    dev = tmp_path / "dev.jsonl"
    dev.write_text(
        json.dumps(
            {
                "id": "x",
                "type": "retrieval",
                "message": "bicycle wheels",
                "relevant_ids": ["mlbc:quote:data-scientist:03"],
                "style": "quote",
            }
        )
        + "\n"
    )
    result = on_built.invoke(cli, ["search", "--evaluate", str(dev), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [s["mode"] for s in report["scores"]] == ["dense", "bm25", "hybrid"]
    assert report["scores"][1]["recall_at_5"] == 1.0


def test_corpus_ingest_on_an_up_to_date_index_changes_nothing(on_built: CliRunner) -> None:
    result = on_built.invoke(cli, ["ingest"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("index up to date: 0 added, 0 updated, 0 deleted")


@pytest.fixture
def small_index(index_config: IndexConfig, monkeypatch: pytest.MonkeyPatch) -> IndexConfig:
    Ingestor(index_config, progress=False).run(small_corpus(), "v1")
    point_at(monkeypatch, index_config)
    return index_config


def test_ingest_paths_then_list_and_remove(small_index: IndexConfig, tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "notes.md"
    good.write_text("# Notes\n\nThe steering group meets monthly to review the churn model.\n")
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(encrypted_pdf(["secret plans"]))
    result = runner.invoke(cli, ["ingest", str(good), str(locked)])
    assert result.exit_code == 1
    assert result.stdout.startswith("added notes.md as ")
    assert "error: locked.pdf: encrypted PDF (password protected)" in result.stderr

    listed = json.loads(runner.invoke(cli, ["docs", "list", "--json"]).stdout)
    assert [(d["file_name"], d["chunks"]) for d in listed] == [("notes.md", 1)]
    table = runner.invoke(cli, ["docs", "list"]).stdout
    assert listed[0]["doc_id"] in table and "notes.md" in table

    removed = runner.invoke(cli, ["docs", "remove", listed[0]["doc_id"]])
    assert removed.exit_code == 0 and removed.stdout.startswith("removed notes.md")
    assert "no documents added yet" in runner.invoke(cli, ["docs", "list"]).stdout
    missing = runner.invoke(cli, ["docs", "remove", "nope"])
    assert missing.exit_code == 1 and "no user document with id 'nope'" in missing.output


def test_rebuild_with_paths_is_a_usage_error(small_index: IndexConfig, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("hello there, this is a note.")
    result = CliRunner().invoke(cli, ["ingest", "--rebuild", str(path)])
    assert result.exit_code == 2 and "--rebuild applies to the corpus" in result.output
