"""The rebuild journal keeps users' chunks while a rebuild has the collection dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.index import IndexConfig, Ingestor
from knowledge.index.journal import RebuildJournal
from knowledge.index.user_doc_loader import UserDocLoader
from knowledge.schema import UserDocChunk
from tests.knowledge.index.records import small_corpus
from tests.knowledge.index.state import stored_hashes, stored_manifest
from tests.knowledge.index.userdocs import GOOD_MD, GOOD_TXT, write


def chunks_of(folder: Path, name: str, text: str) -> list[UserDocChunk]:
    return UserDocLoader(200_000, lambda piece: len(piece.split())).load(write(folder, name, text)).chunks


def test_only_user_chunks_are_saved_and_a_second_save_adds_to_the_first(
    index_config: IndexConfig, tmp_path: Path
) -> None:
    journal = RebuildJournal(index_config)
    assert journal.load() == [] and not journal.path.exists()
    journal.save(small_corpus())  # corpus records are re-made from records.jsonl, never journalled
    assert not journal.path.exists()
    first, second = chunks_of(tmp_path, "churn.txt", GOOD_TXT), chunks_of(tmp_path, "retro.md", GOOD_MD)
    journal.save(first)
    journal.save([*small_corpus(), *second])
    assert journal.load() == [*first, *second]
    journal.clear()
    assert not journal.path.exists()


def test_merged_adds_the_journalled_chunks_that_are_missing(index_config: IndexConfig, tmp_path: Path) -> None:
    journal = RebuildJournal(index_config)
    kept, lost = chunks_of(tmp_path, "churn.txt", GOOD_TXT), chunks_of(tmp_path, "retro.md", GOOD_MD)
    journal.save([*kept, *lost])
    assert journal.merged(kept) == [*kept, *lost]
    assert journal.merged([]) == [*kept, *lost]


def test_a_damaged_line_names_the_file_and_line(index_config: IndexConfig, tmp_path: Path) -> None:
    journal = RebuildJournal(index_config)
    journal.save(chunks_of(tmp_path, "churn.txt", GOOD_TXT))
    journal.path.write_text(journal.path.read_text() + "{not json\n")
    with pytest.raises(ValueError, match=rf"{journal.path.name}:2: damaged rebuild journal"):
        journal.load()


def test_the_next_run_writes_back_what_a_killed_rebuild_journalled_then_removes_it(
    indexed: IndexConfig, tmp_path: Path
) -> None:
    chunks = chunks_of(tmp_path, "churn.txt", GOOD_TXT)
    RebuildJournal(indexed).save(chunks)  # as if a rebuild was killed after dropping the collection
    Ingestor(indexed, progress=False).run(small_corpus(), "v1")
    assert {c.id for c in chunks} <= set(stored_hashes(indexed))
    assert stored_manifest(indexed) is not None
    assert not RebuildJournal(indexed).path.exists()
