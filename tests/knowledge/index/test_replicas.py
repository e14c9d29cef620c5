"""Two real ``advisor serve`` replicas on one real ``chroma run`` server agree on users' documents (slow).

A document added with replica A's settings is listed by ``advisor docs list`` with replica B's settings (B has
its own ADVISOR_DATA_DIR: the register must live in Chroma, not in a local file), and both running replicas find
it by its words (BM25 lives in each process's memory, so each must notice the change) and by its meaning,
without a restart. Removing it with B's settings takes it away for A too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.index import IndexConfig
from knowledge.index.lexical import tokenize
from tests.knowledge.index.chroma_server import chroma_server
from tests.knowledge.index.replicas import advisor_serve, replica_env, run_advisor, search, seed_server, user_doc_titles

pytestmark = pytest.mark.slow

DOC_NAME = "quillmore-depot-retro.txt"
DOC_TEXT = (
    "At the Quillmore depot, forklift drivers on the night shift ignored the routes our routing model proposed. "
    "The forklift-routing pilot stalled for two years and nobody owned retraining after the vendor left."
)
WORD = "Quillmore"
PARAPHRASE = "lift truck operators working evenings rejected navigation suggestions"
"""No indexed word in common with the document (checked below): only the dense side can find it. On the corpus
its cosine to the document is 0.53, to the closest corpus record 0.35."""


def listed(env: dict[str, str]) -> list[dict]:
    done = run_advisor(["docs", "list", "--json"], env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_document_added_through_one_replica_is_listed_and_found_by_the_other(built_index, tmp_path: Path) -> None:
    assert not set(tokenize(PARAPHRASE)) & set(tokenize(DOC_TEXT)), "the paraphrase must share no indexed word"
    corpus_config, _ = built_index
    doc = tmp_path / DOC_NAME
    doc.write_text(DOC_TEXT, encoding="utf-8")
    with chroma_server(tmp_path / "chroma-data") as url:
        shared = IndexConfig(data_dir=tmp_path / "seed", chroma_url=url, collection=corpus_config.collection)
        assert seed_server(corpus_config, shared) > 400
        env_a = replica_env(tmp_path / "replica-a", url, corpus_config.collection)
        env_b = replica_env(tmp_path / "replica-b", url, corpus_config.collection)
        with (
            advisor_serve(env_a, tmp_path / "replica-a.log") as a,
            advisor_serve(env_b, tmp_path / "replica-b.log") as b,
        ):
            for replica in (a, b):  # both load their records and build BM25 before the document exists
                assert search(replica, "pilot stuck before production")
                assert not user_doc_titles(search(replica, WORD))
            assert listed(env_b) == []

            added = run_advisor(["ingest", str(doc)], env_a)
            assert added.returncode == 0 and f"added {DOC_NAME}" in added.stdout, added.stdout + added.stderr
            (entry,) = listed(env_b)
            assert (entry["file_name"], entry["chunks"]) == (DOC_NAME, 1)
            assert not (tmp_path / "replica-b" / "user_docs" / "registry.json").exists()
            for name, replica in (("A", a), ("B", b)):
                assert user_doc_titles(search(replica, WORD))[:1] == [DOC_NAME], f"replica {name}, by its words"
                assert DOC_NAME in user_doc_titles(search(replica, PARAPHRASE)), f"replica {name}, by its meaning"

            removed = run_advisor(["docs", "remove", entry["doc_id"]], env_b)
            assert removed.returncode == 0, removed.stderr
            assert listed(env_a) == []
            for replica in (a, b):
                assert not user_doc_titles(search(replica, WORD))
                assert not user_doc_titles(search(replica, PARAPHRASE))
