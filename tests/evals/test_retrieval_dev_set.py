from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from advisor.settings import Settings
from evals import retrieval
from evals.loader import file_set, load_cases
from evals.options import EvalOptions
from evals.schema import RetrievalCase
from knowledge import corpus
from knowledge.datafile import DataFileError
from knowledge.index import HybridRetriever, IndexConfig, Ingestor
from tests.knowledge.index.records import small_corpus

DEV_SET = Path(__file__).parents[2] / "evals" / "sets" / "retrieval_dev.jsonl"
OK = '{"id": "ok", "type": "retrieval", "message": "abc", "relevant_ids": ["x"], "style": "quote"}'


def test_dev_set_is_big_varied_and_every_expected_id_exists() -> None:
    queries = [q for q in load_cases(DEV_SET) if isinstance(q, RetrievalCase)]
    assert len(queries) >= 40 and len(queries) == len(load_cases(DEV_SET))
    styles = Counter(q.style for q in queries)
    assert styles["manager"] >= 15 and styles["quote"] >= 10 and styles["consultant"] >= 5
    known = {r.id for r in corpus.load_records()}
    missing = {(q.id, rid) for q in queries for rid in q.relevant_ids if rid not in known}
    assert not missing, f"expected ids not in the corpus: {sorted(missing)}"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (OK.replace('["x"]', "[]"), ":2 (retrieval case ok): relevant_ids: List should have at least 1"),
        (OK.replace('"quote"', '"ceo"'), ":2 (retrieval case ok): style: Input should be"),
        ("not json", ":2: not valid JSON"),
    ],
)
def test_bad_dev_set_lines_are_named_by_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "dev.jsonl"
    path.write_text(OK.replace('"ok"', '"first"') + "\n" + line + "\n")
    with pytest.raises(DataFileError) as caught:
        load_cases(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)


def test_evaluator_scores_recall_and_mrr(index_config: IndexConfig, tmp_path: Path) -> None:
    Ingestor(index_config, progress=False).run(small_corpus(), "v1")
    path = tmp_path / "dev.jsonl"
    path.write_text(
        '{"id": "hit", "type": "retrieval", "message": "MLOps engineers hired early", "relevant_ids": ["b.p2"], '
        '"style": "consultant"}\n'
        '{"id": "half", "type": "retrieval", "message": "MLOps engineers hired early", '
        '"relevant_ids": ["b.p2", "nowhere"], "style": "manager"}\n'
    )
    options = EvalOptions(file=path, task="retrieval", progress=False)
    run = retrieval.run(Settings(), file_set(path), options, HybridRetriever(index_config), modes=["bm25"])
    evaluation = retrieval.evaluation(run)
    (score,) = evaluation.scores
    assert [o.recall for o in score.outcomes] == [1.0, 0.5]
    assert score.recall_at_5 == pytest.approx(0.75) and score.hit_at_5 == 1.0 and score.mrr_at_10 == 1.0
    assert score.recall_by_style == {"consultant": 1.0, "manager": 0.5}
    assert "bm25" in evaluation.table()
    assert run.metric("bm25/recall_at_5").value == pytest.approx(0.75)  # what the gate reads
