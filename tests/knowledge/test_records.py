"""The committed corpus: traceable to its sources, uniquely and stably identified, up to date."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from knowledge.corpus import corpus_version, get_record, load_records
from knowledge.corpus.cleaning import OCR_WORD_FIXES, clean
from knowledge.corpus.ids import ID_RE
from knowledge.corpus.paths import DATA_DIR, RECORDS_FILE
from knowledge.corpus.store import CorpusFileError, dump_records


def test_every_record_text_is_its_cleaned_source_span(corpus_records, corpus_raw):
    for record in corpus_records:
        raw = corpus_raw[record.source_id]
        assert record.text == clean(raw[record.span.start : record.span.end]), record.id


def test_no_word_in_the_corpus_that_is_not_in_a_source(corpus_records, corpus_raw):
    # Independent of clean(): every word of a record is a word of its raw source, or the join of
    # a word split by a line-break hyphen, or one of the documented OCR repairs.
    repairs = {"AI", *(w for fix in OCR_WORD_FIXES.values() for w in re.findall(r"\w+", fix))}
    for source_id, raw in corpus_raw.items():
        words = set(re.findall(r"\w+", raw))
        words |= {a + b for a, b in re.findall(r"(\w+)-[ \t]*\n\s*(\w+)", raw)}
        for record in (r for r in corpus_records if r.source_id == source_id):
            unknown = set(re.findall(r"\w+", record.text)) - words - repairs
            assert not unknown, (record.id, unknown)


def test_span_line_numbers_match_offsets(corpus_records, corpus_raw):
    for record in corpus_records:
        raw = corpus_raw[record.source_id]
        assert raw.count("\n", 0, record.span.start) + 1 == record.span.line_start, record.id
        assert raw.count("\n", 0, record.span.end - 1) + 1 == record.span.line_end, record.id


def test_ids_are_unique_and_readable(corpus_records):
    ids = [r.id for r in corpus_records]
    assert len(ids) == len(set(ids))
    for record in corpus_records:
        assert ID_RE.match(record.id), record.id
        source, kind, _key, number = record.id.split(":")
        assert source == record.source_id
        assert kind == {"passage": "passage", "quote": "quote", "playbook_step": "step"}[record.kind]
        assert number.isdigit() and len(number) == 2


def test_published_ids_are_still_there(corpus_records):
    # Other helpers cite these IDs in eval sets and rules: once published, an ID never goes away.
    published = (DATA_DIR / "published_ids.txt").read_text(encoding="utf-8").split()
    missing = sorted(set(published) - {r.id for r in corpus_records})
    assert not missing, missing
    for known in [
        "impl_scaling:quote:heather-nolis:01",
        "mlbc:quote:data-scientist:07",
        "ops_playbook:step:foundation-first:03",
    ]:
        assert known in published


def test_committed_records_equal_a_fresh_build(corpus_built):
    assert dump_records(corpus_built) == RECORDS_FILE.read_text(encoding="utf-8")


def test_build_is_deterministic(corpus_built):
    from knowledge.corpus import build_records

    assert dump_records(build_records()) == dump_records(corpus_built)


def test_every_source_has_records(corpus_records):
    counts = Counter((r.source_id, r.kind) for r in corpus_records)
    for key in [
        ("isa4", "passage"),
        ("impl_scaling", "passage"),
        ("impl_scaling", "quote"),
        ("mlbc", "passage"),
        ("mlbc", "quote"),
        ("ops_playbook", "passage"),
        ("ops_playbook", "quote"),
        ("ops_playbook", "playbook_step"),
    ]:
        assert counts[key] > 0, key


def test_get_record_and_unknown_id(corpus_records):
    first = corpus_records[0]
    assert get_record(first.id) == first
    with pytest.raises(KeyError, match="unknown record id 'impl_scaling:passage:nope:01'"):
        get_record("impl_scaling:passage:nope:01")


def test_corpus_version_tracks_file_content(tmp_path: Path):
    path = tmp_path / "records.jsonl"
    path.write_bytes(RECORDS_FILE.read_bytes())
    before = corpus_version(path)
    assert before == corpus_version(RECORDS_FILE) and len(before) == 12
    path.write_text(path.read_text(encoding="utf-8").replace("AI", "A.I.", 1), encoding="utf-8")
    assert corpus_version(path) != before


def test_bad_line_is_reported_with_file_and_line(tmp_path: Path):
    lines = RECORDS_FILE.read_text(encoding="utf-8").splitlines()
    broken = json.loads(lines[2])
    broken["span"]["start"] = -1
    lines[2] = json.dumps(broken)
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CorpusFileError, match=r"records\.jsonl:3: passage\.span\.start"):
        load_records(path)


def test_duplicate_id_is_reported(tmp_path: Path):
    lines = RECORDS_FILE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join([lines[0], lines[1], lines[0]]) + "\n", encoding="utf-8")
    with pytest.raises(CorpusFileError, match=r"records\.jsonl:3: duplicate id"):
        load_records(path)


def test_missing_file_says_how_to_build(tmp_path: Path):
    with pytest.raises(CorpusFileError, match="advisor knowledge build"):
        load_records(tmp_path / "none.jsonl")
