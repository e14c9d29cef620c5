"""The answer layer's data files load, and a mistake names the file and the line."""

import pytest

from advisor.answer.prompts import DEFAULT_PROMPTS_FILE, load_prompts
from advisor.answer.scope import DEFAULT_SCOPE_FILE, ScopeClassifier
from knowledge.datafile import DataFileError


def test_shipped_files_load():
    prompts = load_prompts()
    assert prompts.limits_for("local").max_passages <= prompts.limits_for("openai").max_passages
    ScopeClassifier(embedder=object())  # validates scope.yaml without loading a model


def test_prompt_placeholder_error_names_file_and_line(tmp_path):
    text = DEFAULT_PROMPTS_FILE.read_text(encoding="utf-8").replace("{diagnosis}", "{diagnose}")
    bad = tmp_path / "prompts.yaml"
    bad.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row.startswith("situation:"))
    with pytest.raises(DataFileError, match=rf"prompts\.yaml:{line}: situation: .*placeholders"):
        load_prompts(bad)


def test_a_lead_with_no_room_after_it_names_the_line(tmp_path):
    text = DEFAULT_PROMPTS_FILE.read_text(encoding="utf-8")
    text = text.replace("lead_sentences: 3", "lead_sentences: 4").replace("max_sentences: 5", "max_sentences: 4", 1)
    bad = tmp_path / "prompts.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"prompts\.yaml:\d+: limits\.local.*lead_sentences \(4\) must be below"):
        load_prompts(bad)


def test_scope_bad_regex_names_the_line(tmp_path):
    text = DEFAULT_SCOPE_FILE.read_text(encoding="utf-8").replace("needs: year", "needs: yearly", 1)
    bad = tmp_path / "scope.yaml"
    bad.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "needs: yearly" in row)
    with pytest.raises(DataFileError, match=rf"scope\.yaml:{line}: fact_requests\.1\.needs"):
        ScopeClassifier(embedder=object(), config_path=bad)


def test_broken_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "prompts.yaml"
    bad.write_text("version: 1\nsystem: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"prompts\.yaml:\d+: not valid YAML"):
        load_prompts(bad)
    with pytest.raises(DataFileError, match="cannot read"):
        load_prompts(tmp_path / "missing.yaml")
