from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from benchmarks.retrieval_eval import RetrievalDevSetError, RetrievalEvaluator, load_dev_set
from knowledge import corpus
from knowledge.index import HybridRetriever, IndexConfig, Ingestor
from tests.knowledge.index.records import small_corpus

DEV_SET = Path(__file__).parents[2] / "evals" / "sets" / "retrieval_dev.jsonl"


def test_dev_set_is_big_varied_and_every_expected_id_exists() -> None:
    queries = load_dev_set(DEV_SET)
    assert len(queries) >= 40
    styles = Counter(q.style for q in queries)
    assert styles["manager"] >= 15 and styles["quote"] >= 10 and styles["consultant"] >= 5
    known = {r.id for r in corpus.load_records()}
    missing = {(q.id, rid) for q in queries for rid in q.expected if rid not in known}
    assert not missing, f"expected ids not in the corpus: {sorted(missing)}"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "a", "query": "abc", "expected": [], "style": "quote"}', ":2: expected: List should have at least 1"),
        ('{"id": "a", "query": "abc", "expected": ["x"], "style": "ceo"}', ":2: style: Input should be"),
        ("not json", ":2: line: Invalid JSON"),
    ],
)
def test_bad_dev_set_lines_are_named_by_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "dev.jsonl"
    path.write_text('{"id": "ok", "query": "abc", "expected": ["x"], "style": "quote"}\n' + line + "\n")
    with pytest.raises(RetrievalDevSetError) as caught:
        load_dev_set(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)


def test_evaluator_scores_recall_and_mrr(index_config: IndexConfig, tmp_path: Path) -> None:
    Ingestor(index_config, progress=False).run(small_corpus(), "v1")
    path = tmp_path / "dev.jsonl"
    path.write_text(
        '{"id": "hit", "query": "MLOps engineers hired early", "expected": ["b.p2"], "style": "consultant"}\n'
        '{"id": "half", "query": "MLOps engineers hired early", "expected": ["b.p2", "nowhere"], "style": "manager"}\n'
    )
    evaluation = RetrievalEvaluator(HybridRetriever(index_config)).evaluate(load_dev_set(path), modes=["bm25"])
    (score,) = evaluation.scores
    assert [o.recall for o in score.outcomes] == [1.0, 0.5]
    assert score.recall_at_5 == pytest.approx(0.75) and score.hit_at_5 == 1.0 and score.mrr_at_10 == 1.0
    assert score.recall_by_style == {"consultant": 1.0, "manager": 0.5}
    assert "bm25" in evaluation.table()
