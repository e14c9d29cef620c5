"""Frameworks and rules load, link to real corpus records, and report bad edits by file, rule and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor.frameworks import load_frameworks
from advisor.frameworks.loader import FRAMEWORK_DIR, scaling_cell
from advisor.rules import load_rules
from advisor.rules.loader import RULE_FILES_DIR, SIGNALS_DIR, data_files
from advisor.rules.models import Condition
from advisor.schema import Challenge, Component, Phase, Practice
from knowledge.corpus import load_records
from knowledge.datafile import DataFileError


@pytest.fixture(scope="module")
def record_ids() -> set[str]:
    return {r.id for r in load_records()}


def test_frameworks_are_complete_and_linked(record_ids: set[str]) -> None:
    fw = load_frameworks()
    assert [p.id for p in fw.impl_scaling.phases] == list(Phase)
    assert {c.id for c in fw.impl_scaling.components} == set(Component)
    assert {x.id for x in fw.isa4.coupling_types} == {"artifact", "process", "normative"}
    assert {c.id for c in fw.mlbc.challenges} == set(Challenge)
    assert {p.id for p in fw.mlbc.practices} == set(Practice)
    assert fw.mlbc.practices_for(Challenge.CONTEXT_SENSITIVITY) == [
        Practice.LEARNING_TO_LEARN,
        Practice.EMBRACING_DATA_WORK,
    ]
    links = fw.record_ids()
    assert all(links.values()), "every element names at least one record"
    missing = {key: [i for i in ids if i not in record_ids] for key, ids in links.items()}
    assert not {k: v for k, v in missing.items() if v}


def test_every_rule_links_to_existing_records(record_ids: set[str]) -> None:
    rules = load_rules()
    missing = {key: [i for i in ids if i not in record_ids] for key, ids in rules.record_ids().items()}
    assert not {k: v for k, v in missing.items() if v}


def test_cells_come_from_the_scaling_table(record_ids: set[str]) -> None:
    for phase in Phase:
        for component in Component:
            cell = scaling_cell(component, phase)
            assert cell.text
            assert set(cell.supporting_records) <= record_ids
    assert "data silos" in scaling_cell(Component.DATA_PIPELINE, Phase.PROVING_CONCEPT).text


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), start=1) if needle in line)


def _copy_rules(tmp_path: Path) -> tuple[Path, Path]:
    signals, rules = tmp_path / "signals", tmp_path / "rules"
    shutil.copytree(SIGNALS_DIR, signals)
    shutil.copytree(RULE_FILES_DIR, rules)
    return signals, rules


def _holding(folder: Path, needle: str) -> Path:
    """The one data file in ``folder`` that contains ``needle``."""
    (path,) = [p for p in sorted(folder.glob("*.yaml")) if needle in p.read_text()]
    return path


def _edit(folder: Path, old: str, new: str) -> Path:
    path = _holding(folder, old)
    path.write_text(path.read_text().replace(old, new, 1))
    return path


def test_rules_load_with_cross_checks() -> None:
    rules = load_rules()
    assert len(rules.rules) >= 30
    assert len({r.id for r in rules.rules}) == len(rules.rules)
    signal_ids = {s.id for s in rules.signals}
    assert all(c.signal in signal_ids for r in rules.rules for c in r.when.conditions())


def test_only_the_yaml_files_of_the_two_folders_are_read(tmp_path: Path) -> None:
    for folder in (SIGNALS_DIR, RULE_FILES_DIR):
        files = data_files(folder)
        assert files == sorted(folder.glob("*.yaml")) and files[0].name.startswith("10_")
        assert (folder / "README.md").exists() and all(len(p.read_text().splitlines()) < 400 for p in files)
    signals, rules = _copy_rules(tmp_path)
    (tmp_path / "facts.yaml").write_text("facts: [not, a, rule]\n")  # a sibling data file is never read
    assert load_rules(signals, rules) == load_rules()
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataFileError, match=r"no \*\.yaml files"):
        load_rules(SIGNALS_DIR, tmp_path / "empty")


def test_unknown_signal_names_file_rule_and_line(tmp_path: Path) -> None:
    signals, rules = _copy_rules(tmp_path)
    path = _edit(rules, "all: [release_imminent]", "all: [release_soon]")
    with pytest.raises(DataFileError) as err:
        load_rules(signals, rules)
    assert err.value.file == str(path)
    assert err.value.item == "rule mlbc.release"
    assert err.value.line == _line_of(path, "all: [release_soon]")
    assert "release_soon" in str(err.value) and f"{path.name}:{err.value.line} (rule mlbc.release)" in str(err.value)


def test_unknown_signal_under_none_is_refused(tmp_path: Path) -> None:
    signals, rules = _copy_rules(tmp_path)
    _edit(rules, "none: [inconsistent_tooling]", "none: [teams_differ]")
    with pytest.raises(DataFileError) as err:
        load_rules(signals, rules)
    assert err.value.item == "rule pl.democratized" and "teams_differ" in str(err.value)


def test_bad_weight_names_rule_and_line(tmp_path: Path) -> None:
    signals, rules = _copy_rules(tmp_path)
    path = _holding(rules, "  - id: pc.pilots\n")
    lines = path.read_text().splitlines()
    start = lines.index("  - id: pc.pilots")
    weight_at = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("weight:"))
    lines[weight_at] = "    weight: -2"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError) as err:
        load_rules(signals, rules)
    assert err.value.item == "rule pc.pilots"
    assert err.value.line == weight_at + 1
    assert "weight" in str(err.value)


def test_a_duplicate_id_in_another_file_names_both(tmp_path: Path) -> None:
    signals, rules = _copy_rules(tmp_path)
    path = _edit(rules, "  - id: tc.deadline\n", "  - id: pc.pilots\n")
    with pytest.raises(DataFileError, match=r"duplicate id \(first in 10_proving_concept\.yaml:\d+\)") as err:
        load_rules(signals, rules)
    assert err.value.file == str(path) and err.value.line == _line_of(path, "  - id: pc.pilots")


def test_negating_a_non_negatable_signal_is_refused(tmp_path: Path) -> None:
    signals, rules = _copy_rules(tmp_path)
    _edit(rules, "all: [performance_drop]", 'all: ["not performance_drop"]')
    with pytest.raises(DataFileError, match="negatable: false") as err:
        load_rules(signals, rules)
    assert err.value.item == "rule cs.performance_drop"


def test_bad_regex_in_signals_names_signal_and_line(tmp_path: Path) -> None:
    signals, rules = _copy_rules(tmp_path)
    path = _edit(signals, "      - '\\bteam of (?P<count>{NUM})\\b'", "      - '\\bteam of ((?P<count>{NUM})\\b'")
    with pytest.raises(DataFileError, match="not a valid regular expression") as err:
        load_rules(signals, rules)
    assert err.value.item == "signal data_team" and err.value.file == str(path)
    block_start = _line_of(path, "- id: data_team")
    block_end = _line_of(path, "- id: data_scattered")
    assert block_start <= err.value.line < block_end


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    signals, rules = _copy_rules(tmp_path)
    path = sorted(rules.glob("*.yaml"))[-1]
    path.write_text(path.read_text() + "  - id: [unclosed\n")
    with pytest.raises(DataFileError, match="not valid YAML") as err:
        load_rules(signals, rules)
    assert err.value.file == str(path)
    assert err.value.line is not None and err.value.line >= len(path.read_text().splitlines()) - 1


def test_framework_error_names_file_and_line(tmp_path: Path) -> None:
    for name in ("impl_scaling.yaml", "isa4.yaml", "mlbc.yaml"):
        shutil.copy(FRAMEWORK_DIR / name, tmp_path / name)
    path = tmp_path / "mlbc.yaml"
    path.write_text(path.read_text().replace("  - id: managing_expectations", "  - id: managing_hopes", 1))
    with pytest.raises(DataFileError) as err:
        load_frameworks(tmp_path)
    assert err.value.file == str(path)
    assert err.value.line == _line_of(path, "- id: managing_hopes")


def test_condition_syntax() -> None:
    assert Condition.model_validate("not data_team") == Condition(signal="data_team", negated=True)
    c = Condition.model_validate("models_live >= 30")
    assert (c.signal, c.op, c.value, c.negated) == ("models_live", ">=", 30, False)
    with pytest.raises(ValueError, match="carries no number"):
        Condition.model_validate("not models_live >= 3")
    with pytest.raises(ValueError, match="must look like"):
        Condition.model_validate("models live")
