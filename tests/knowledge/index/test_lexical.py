from __future__ import annotations

from knowledge.index.lexical import LexicalIndex, tokenize
from tests.knowledge.index.records import quote, small_corpus


def test_tokenize_lowercases_drops_stopwords_and_folds_word_forms() -> None:
    assert tokenize("The company's MLOps and ML-ops: scaling, scaled, scales") == [
        "company",
        "mlop",
        "ml",
        "ops",
        "mlop",
        "scal",
        "scal",
        "scal",
    ]
    assert tokenize("We don’t know what it is") == ["know"]
    assert tokenize("Processes, business") == ["process", "business"]


def test_bm25_ranks_by_shared_words_and_leaves_out_records_without_any() -> None:
    index = LexicalIndex(small_corpus())
    hits = index.search("hire MLOps engineers", k=5)
    assert [h.id for h in hits] == ["b.p2"]
    assert hits[0].score > 0
    assert index.search("the of and", k=5) == []


def test_bm25_indexes_speaker_and_company_and_honours_the_filter() -> None:
    records = [*small_corpus(), quote("q.kim", "Automation is key.", speaker="Alex Kim", company="Neptune.ai")]
    index = LexicalIndex(records)
    assert index.search("what did Alex Kim say", k=3)[0].id == "q.kim"
    assert index.search("Jasper", k=3)[0].id == "q.chen"
    assert index.search("monitoring", k=5, allowed=lambda r: r.kind == "playbook_step")[0].id == "s.found"
