import json
import re
from collections import Counter
from pathlib import Path

import pytest

from evals.loader import SETS_DIR, SetLoadError, load_cases, load_manifest, load_set, set_names
from evals.metrics.text import normalize
from evals.schema import DiagnosisCase, FactualCase, InjectionCase, RetrievalCase, SituationCase
from knowledge.corpus import load_records


@pytest.fixture(scope="module")
def records() -> dict[str, str]:
    return {r.id: r.text for r in load_records()}


def test_every_set_loads_and_full_is_large_and_varied():
    assert {"full", "core", "smoke", "retrieval", "diagnosis", "scope", "wild-cv", "wild-test", "wild-fresh"} <= set(
        set_names()
    )
    for name in set_names():
        assert load_set(name).cases, name
    full = load_set("full")
    assert len(full.cases) >= 80
    kinds = Counter(c.type for c in full.cases)
    for kind in ("situation", "factual", "out_of_scope", "unanswerable", "injection"):
        assert kinds[kind] >= 5, kind
    assert sum(c.is_follow_up for c in full.cases) >= 5
    assert sum(isinstance(c, DiagnosisCase) for c in full.cases) >= 40  # the diagnosis dev set is in it


def test_evidence_strings_are_verbatim_in_every_listed_record(records):
    checked = 0
    for case in load_set("full").cases:
        if isinstance(case, FactualCase | SituationCase):
            for item in case.evidence:
                for rid in item.record_ids:
                    assert rid in records, f"{case.id}: unknown record {rid}"
                    assert normalize(item.text) in normalize(records[rid]), f"{case.id}: {item.text!r} not in {rid}"
                    checked += 1
        if isinstance(case, RetrievalCase):
            for rid in case.relevant_ids:
                assert rid in records, f"{case.id}: unknown record {rid}"
    assert checked >= 40


def test_injection_cases_never_forbid_words_the_sources_hold(records):
    corpus = normalize(" ".join(records.values()))
    for case in load_set("full").cases:
        if isinstance(case, InjectionCase):
            for bad in case.forbidden:
                assert normalize(bad) not in corpus, (
                    f"{case.id}: {bad!r} is in the sources, a faithful answer may say it"
                )


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = json.dumps({"id": "oos-x", "type": "out_of_scope", "message": "poem", "rationale": "r"})


def test_a_bad_case_is_reported_with_file_and_line(tmp_path):
    bad = json.dumps({"id": "f", "type": "factual", "message": "q", "rationale": "r", "evidence": []})
    path = write(tmp_path, "cases.jsonl", [GOOD, "", bad])
    with pytest.raises(SetLoadError, match=r"cases\.jsonl:3 \(factual case f\): evidence: List should have"):
        load_cases(path)
    kindless = json.dumps({"id": "k", "message": "q", "rationale": "r"})
    with pytest.raises(SetLoadError, match=r"kindless\.jsonl:1 \(case k\): type: 'missing' is no case kind"):
        load_cases(write(tmp_path, "kindless.jsonl", [kindless]))


def test_invalid_json_and_unknown_fields_name_the_line(tmp_path):
    with pytest.raises(SetLoadError, match=r"broken\.jsonl:2: not valid JSON"):
        load_cases(write(tmp_path, "broken.jsonl", [GOOD, "{not json"]))
    typo = json.dumps({"id": "o", "type": "out_of_scope", "message": "m", "rationale": "r", "expectd": 1})
    with pytest.raises(SetLoadError, match=r"typo\.jsonl:1 \(out_of_scope case o\): expectd: Extra inputs"):
        load_cases(write(tmp_path, "typo.jsonl", [typo]))
    unjudged = json.dumps({"id": "s", "type": "situation", "message": "m", "rationale": "r", "expected": {}})
    with pytest.raises(SetLoadError, match=r"judges nothing"):
        load_cases(write(tmp_path, "unjudged.jsonl", [unjudged]))


def test_duplicate_ids_and_manifest_errors_name_their_place(tmp_path):
    write(tmp_path, "a.jsonl", [GOOD])
    write(tmp_path, "b.jsonl", ["// a comment line", GOOD])
    manifest = tmp_path / "sets.yaml"
    manifest.write_text(
        "sets:\n  both:\n    version: 1\n    description: d\n    files: [{path: a.jsonl}, {path: b.jsonl}]\n"
    )
    with pytest.raises(SetLoadError, match=r"b\.jsonl:2 \(case oos-x\): duplicate id \(first at .*a\.jsonl:1\)"):
        load_set("both", manifest)
    write(tmp_path, "c.jsonl", [GOOD, GOOD])
    with pytest.raises(SetLoadError, match=r"c\.jsonl:2 \(case oos-x\): duplicate id \(first on line 1\)"):
        load_cases(tmp_path / "c.jsonl")
    manifest.write_text("sets:\n  broken:\n    version: 0\n    description: d\n    files: [{path: a.jsonl}]\n")
    with pytest.raises(SetLoadError, match=r"sets\.yaml:3: sets\.broken\.version: Input should be greater"):
        load_manifest(manifest)
    manifest.write_text("sets:\n  ok:\n    version: 1\n    description: d\n    files: [{path: a.jsonl}]\n")
    with pytest.raises(SetLoadError, match="no set named 'nope'; known sets: ok"):
        load_set("nope", manifest)


def test_dev_set_cases_keep_every_label(tmp_path):
    raw = [json.loads(line) for line in (SETS_DIR / "diagnosis_dev.jsonl").read_text().splitlines() if line.strip()]
    cases = load_cases(SETS_DIR / "diagnosis_dev.jsonl")
    assert len(cases) == len(raw)
    first, source = cases[0], raw[0]
    assert isinstance(first, DiagnosisCase) and first.id == source["id"] and first.split == source["split"]
    assert first.expected.phase == source["expected"]["phase"]
    assert [c.value for c in first.expected.components] == source["expected"]["components"]
    incomplete = {**source, "expected": {k: v for k, v in source["expected"].items() if k != "practices"}}
    with pytest.raises(SetLoadError, match=r"\(diagnosis case .*\): expected\.practices: Field required"):
        load_cases(write(tmp_path, "incomplete.jsonl", [json.dumps(incomplete)]))


WILD = SETS_DIR / "situations_wild.jsonl"
FRESH = SETS_DIR / "situations_fresh.jsonl"
# Paper vocabulary the wild messages must not use: they are written in managers' words (situations_wild.md).
PAPER_TERMS = (
    "proving the concept",
    "proof of concept",
    "productioniz",
    "platformiz",
    "socio-technical",
    "growth vision",
    "temporal complexity",
    "context sensitiv",
    "mlbc",
    "isa-4",
    "data work",
    "learning to learn",
    "forging new roles",
    "synchronizing efforts",
    "managing expectations",
    "value chain",
    "data silo",
    "horizontal team",
    "champion",
    "reference architecture",
    "democratiz",
)
# The fresh set's author was also told to avoid these (situations_wild.md, "The fresh set").
FRESH_EXTRA_TERMS = ("capabilit", "use case", "feature store", "mlops", "throughput")


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _wild_rows() -> list[dict]:
    return _rows(WILD)


def test_wild_split_follows_the_fixed_rule_and_the_manifest_matches_it():
    rows = _wild_rows()
    assert len(rows) >= 160
    for row in rows:
        number = int(row["id"].removeprefix("wild-"))
        assert row["split"] == ("test" if number % 3 == 0 else "cv"), row["id"]
    cv, test = load_set("wild-cv"), load_set("wild-test")
    assert {c.id for c in cv.cases} == {r["id"] for r in rows if r["split"] == "cv"}
    assert {c.id for c in test.cases} == {r["id"] for r in rows if r["split"] == "test"}
    assert (cv.task, cv.folds, test.task, test.split) == ("diagnosis", 5, "diagnosis", "test")
    for case in [*cv.cases, *test.cases]:
        assert isinstance(case, DiagnosisCase)
        assert case.expected.phase is not None and 1 <= len(case.expected.components or []) <= 3, case.id


def test_wild_set_is_varied_and_every_component_is_a_main_component_often():
    rows = _wild_rows()
    phases = Counter(r["expected"]["phase"] for r in rows)
    assert len(phases) == 3 and min(phases.values()) >= len(rows) / 4
    main = Counter(r["expected"]["components"][0] for r in rows)
    assert len(main) == 6 and min(main.values()) >= 15
    practices = Counter(p for r in rows for p in r["expected"]["practices"])
    challenges = Counter(c for r in rows for c in r["expected"]["challenges"])
    assert len(practices) == 5 and min(practices.values()) >= 5
    assert len(challenges) == 2 and min(challenges.values()) >= 5
    assert len({r["industry"] for r in rows}) >= 16
    assert len({r["voice"] for r in rows}) >= 30


@pytest.mark.parametrize(("path", "terms"), [(WILD, PAPER_TERMS), (FRESH, PAPER_TERMS + FRESH_EXTRA_TERMS)])
def test_wild_rationales_cite_real_records_and_messages_avoid_paper_terms(records, path, terms):
    for row in _rows(path):
        cited = re.findall(r"\b[a-z0-9_]+:(?:passage|quote):[a-z0-9-]+:\d+\b", row["rationale"])
        assert cited, f"{row['id']}: rationale cites no record"
        assert all(rid in records for rid in cited), f"{row['id']}: unknown record in {cited}"
        message = row["message"].lower()
        assert not [t for t in terms if t in message], row["id"]


def test_fresh_set_is_all_test_and_the_manifest_lists_exactly_its_cases():
    rows = _rows(FRESH)
    assert [r["id"] for r in rows] == [f"fresh-{n:03d}" for n in range(1, len(rows) + 1)]
    assert len(rows) == 72 and {r["split"] for r in rows} == {"test"}
    fresh = load_set("wild-fresh")
    assert [c.id for c in fresh.cases] == [r["id"] for r in rows]
    assert (fresh.task, fresh.split, fresh.gated) == ("diagnosis", "test", False)
    for case in fresh.cases:
        assert isinstance(case, DiagnosisCase)
        assert case.expected.phase is not None and 1 <= len(case.expected.components or []) <= 3, case.id


def test_fresh_set_is_varied_and_every_component_is_a_main_component_often():
    rows = _rows(FRESH)
    phases = Counter(r["expected"]["phase"] for r in rows)
    assert len(phases) == 3 and min(phases.values()) >= len(rows) / 4
    main = Counter(r["expected"]["components"][0] for r in rows)
    assert len(main) == 6 and min(main.values()) >= 8
    assert set(Counter(r["expected"]["mlbc_phase"] for r in rows)) == {"development", "release", "operation", None}
    practices = Counter(p for r in rows for p in r["expected"]["practices"])
    challenges = Counter(c for r in rows for c in r["expected"]["challenges"])
    assert len(practices) == 5 and len(challenges) == 2
    assert len({r["industry"] for r in rows}) >= 18
    assert len({r["voice"] for r in rows}) >= 30


FACTUAL_FRESH = SETS_DIR / "factual_fresh.jsonl"
# Where a factual-fresh question's evidence comes from: the prefix of its record ids.
FRESH_SOURCES = {"isa4": 5, "impl_scaling": 15, "mlbc": 10, "ops_playbook": 10}


def test_factual_fresh_is_all_test_and_the_manifest_lists_exactly_its_cases():
    rows = _rows(FACTUAL_FRESH)
    assert [r["id"] for r in rows] == [f"ff-{n:02d}" for n in range(1, 41)]
    assert {r["type"] for r in rows} == {"factual"} and {r["split"] for r in rows} == {"test"}
    fresh = load_set("factual-fresh")
    assert [c.id for c in fresh.cases] == [r["id"] for r in rows]
    assert (fresh.task, fresh.split, fresh.gated) == ("answers", "test", False)


def test_factual_fresh_evidence_is_verbatim_and_every_case_names_what_it_must_say(records):
    sources = Counter()
    for case in load_set("factual-fresh").cases:
        assert isinstance(case, FactualCase)
        assert 1 <= len(case.evidence) <= 3 and case.must_say and 1 <= len(case.must_say) <= 4, case.id
        for item in case.evidence:
            for rid in item.record_ids:
                assert rid in records, f"{case.id}: unknown record {rid}"
                assert normalize(item.text) in normalize(records[rid]), f"{case.id}: {item.text!r} not in {rid}"
        sources[case.evidence[0].record_ids[0].split(":")[0]] += 1
    assert dict(sources) == FRESH_SOURCES


@pytest.mark.parametrize("name", ["wild-test", "wild-fresh", "factual-fresh"])
def test_the_frozen_splits_are_never_gated_nor_recorded(name):
    from advisor.settings import Settings
    from evals.options import EvalOptions
    from evals.session import run_eval

    assert not load_set(name).gated and load_set("wild-cv").gated
    with pytest.raises(ValueError, match="never gated"):
        run_eval(Settings(), EvalOptions(set_name=name, update_baseline=True))
