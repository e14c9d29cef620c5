"""The implementing-and-scaling paper's interviewees (its Table 1) as validated data."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from knowledge.corpus.paths import INTERVIEWEES_FILE
from knowledge.datafile import load_yaml_list


class Interviewee(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=3)
    aliases: list[str] = Field(default_factory=list)
    company: str
    industry: str
    role: str | None = None

    def pattern(self) -> re.Pattern[str]:
        """Match the name or an alias in raw text, across line breaks and line-break hyphens."""

        def one(name: str) -> str:
            words = [re.escape(w).replace(r"\-", r"-\s*") for w in name.split()]
            return r"\s+".join(words)

        return re.compile(r"\b(?:" + "|".join(one(n) for n in [self.name, *self.aliases]) + r")\b")


def load_interviewees(path: Path = INTERVIEWEES_FILE) -> list[Interviewee]:
    return load_yaml_list(path, Interviewee, kind="interviewee")
