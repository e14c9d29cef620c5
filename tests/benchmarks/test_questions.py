from pathlib import Path

import pytest

from benchmarks.questions import (
    DEFAULT_QUESTIONS,
    QuestionFileError,
    distinct_messages,
    load_questions,
    phrasing,
)


def test_shipped_questions_load() -> None:
    questions = load_questions(DEFAULT_QUESTIONS)
    assert len(questions) >= 10
    assert {q.kind for q in questions} == {"situation", "factual", "quote"}


def test_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(
        '{"id": "a", "kind": "factual", "message": "What is MLOps?"}\n\n'
        '{"id": "b", "kind": "poem", "message": "x y z"}\n'
    )
    with pytest.raises(QuestionFileError, match=r"q\.jsonl:3: kind"):
        load_questions(path)
    path.write_text('{"id": "a", "kind": "factual", "message": "What is MLOps?"}\n' * 2)
    with pytest.raises(QuestionFileError, match=r"q\.jsonl:2: duplicate id 'a' \(first on line 1\)"):
        load_questions(path)
    path.write_text("\n")
    with pytest.raises(QuestionFileError, match="no questions"):
        load_questions(path)
    with pytest.raises(QuestionFileError, match="cannot read"):
        load_questions(tmp_path / "missing.jsonl")


def test_each_repetition_is_worded_anew() -> None:
    words = [phrasing("What is MLOps?", rep) for rep in range(15)]
    assert words[0] == "What is MLOps?"
    assert len(set(words)) == 15
    assert all(w.endswith("What is MLOps?") for w in words)
    with pytest.raises(ValueError):
        phrasing("x", -1)


def test_distinct_messages_cycle_without_repeats() -> None:
    plan = distinct_messages(["a?", "b?", "c?"], 8)
    assert len(plan) == 8 == len(set(plan))
    assert plan[:3] == ["a?", "b?", "c?"]
    assert plan[3].endswith("a?") and plan[3] != "a?"
