"""The questions every latency section asks: a data file a consultant can read and extend.

``questions.jsonl`` holds one ``{"id", "kind", "message"}`` per line, worded as managers and
consultants ask (situations, factual questions, half-remembered quotes). Each line is validated on
load; an error names the file and the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEFAULT_QUESTIONS = Path(__file__).with_name("questions.jsonl")


class QuestionFileError(ValueError):
    """The questions file is malformed; the message names the file and the line."""


class BenchQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    kind: Literal["situation", "factual", "quote"]
    message: str = Field(min_length=3)


def load_questions(path: Path = DEFAULT_QUESTIONS) -> list[BenchQuestion]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QuestionFileError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    questions: list[BenchQuestion] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            item = BenchQuestion.model_validate_json(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "line"
            raise QuestionFileError(f"{path}:{number}: {where}: {first['msg']}") from exc
        if item.id in seen:
            raise QuestionFileError(f"{path}:{number}: duplicate id {item.id!r} (first on line {seen[item.id]})")
        seen[item.id] = number
        questions.append(item)
    if not questions:
        raise QuestionFileError(f"{path}: no questions in it")
    return questions


LEAD_INS = ("Hello.", "Hi team.", "Good morning.", "One more question.", "Thanks in advance.", "Quick one.")


def phrasing(message: str, repetition: int) -> str:
    """Give each repetition its own wording, so no timed call is answered from a cache of its own text."""
    if repetition < 0:
        raise ValueError("repetition must not be negative")
    if repetition == 0:
        return message
    lead = LEAD_INS[(repetition - 1) % len(LEAD_INS)]
    rounds = (repetition - 1) // len(LEAD_INS)
    return f"{lead} " * (rounds + 1) + message


def distinct_messages(messages: list[str], count: int) -> list[str]:
    """``count`` messages cycling through ``messages``, each round worded differently (see ``phrasing``)."""
    if not messages:
        raise ValueError("no messages")
    return [phrasing(messages[i % len(messages)], i // len(messages)) for i in range(count)]
