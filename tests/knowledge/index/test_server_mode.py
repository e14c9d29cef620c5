"""Scale-out: the same corpus in a real `chroma run` server gives the same top-5 as embedded Chroma."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.loader import load_cases
from knowledge import corpus
from knowledge.index import HybridRetriever, IndexConfig, Ingestor, open_index
from knowledge.index.user_doc_store import UserDocStore
from tests.knowledge.index.chroma_server import chroma_server

DEV_SET = Path(__file__).parents[3] / "evals" / "sets" / "retrieval_dev.jsonl"

pytestmark = pytest.mark.slow


def test_server_mode_matches_embedded_mode(built_index, tmp_path: Path) -> None:
    embedded_config, embedded = built_index
    queries = [case.message for case in load_cases(DEV_SET)][::4]
    with chroma_server(tmp_path / "server-data") as url:
        config = IndexConfig(data_dir=tmp_path / "client", chroma_url=url, collection=embedded_config.collection)
        report = Ingestor(config, progress=False).run(corpus.load_records(), corpus.corpus_version())
        assert report.created and report.added == len(corpus.load_records())
        assert not (config.index_dir / "chroma.sqlite3").exists(), "server mode must not write an embedded index"

        served = open_index(config, progress=False)  # a second client: the manifest lives on the server
        assert Ingestor(config, progress=False).pending_reason(corpus.corpus_version()) is None
        for mode in ("hybrid", "dense", "bm25"):
            for query in queries:
                want = [h.passage_id for h in embedded.search(query, k=5, mode=mode).hits]
                got = [h.passage_id for h in served.search(query, k=5, mode=mode).hits]
                assert got == want, f"{mode} {query!r}"

        note = tmp_path / "note.txt"
        note.write_text("Our warehouse pilot in Rotterdam stalled because nobody owned the label data.")
        UserDocStore(config, progress=False).add([note])
        hit = HybridRetriever(config).search("who owned the label data in Rotterdam", k=1).hits[0]
        assert hit.kind == "user_doc" and hit.title == "note.txt"
