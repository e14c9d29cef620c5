"""Framework tags from knowledge/data/tag_rules.yaml, applied to record spans.

Three kinds of rule, all stated by reading the sources (the file says where):
- ``sections``: records whose own (deepest) heading starts with ``heading`` get the tags;
- ``markers``: from the first occurrence of ``at`` (whitespace-insensitive, must be unique) to
  the next marker of the same ``dimension`` or the next heading, records overlapping that
  stretch get the tags (e.g. the component a "Technical components:" paragraph turns to); a
  marker with an empty tag list just ends the stretch before it;
- ``mentions``: records whose cleaned text contains ``phrase`` get the tags.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from knowledge.corpus.layout import Region, find_unique
from knowledge.corpus.paths import TAG_RULES_FILE
from knowledge.corpus.segments import Heading
from knowledge.datafile import DataFileError, load_yaml_model

TAG_PATTERN = r"^[a-z0-9_]+:[a-z0-9_]+$"


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    tags: list[str] = Field(min_length=1)


class SectionRule(_Rule):
    heading: str


class MarkerRule(BaseModel):
    """A marker with no tags only ends the stretch of the marker before it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    at: str = Field(min_length=8)
    dimension: str
    tags: list[str]


class MentionRule(_Rule):
    phrase: str
    case_sensitive: bool = False


class TagRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sections: list[SectionRule] = Field(default_factory=list)
    markers: list[MarkerRule] = Field(default_factory=list)
    mentions: list[MentionRule] = Field(default_factory=list)


def load_tag_rules(path: Path = TAG_RULES_FILE) -> TagRules:
    import re

    rules = load_yaml_model(path, TagRules, kind="rule")
    tag_lists = [r.tags for r in rules.sections] + [r.tags for r in rules.markers] + [r.tags for r in rules.mentions]
    for tags in tag_lists:
        for tag in tags:
            if not re.match(TAG_PATTERN, tag):
                raise DataFileError(path, None, None, f"tag {tag!r} does not match {TAG_PATTERN}")
    return rules


class Tagger:
    """Tags for one source; built once per source, then asked per record."""

    def __init__(self, rules: TagRules, source_id: str, raw: str, headings: list[Heading]) -> None:
        self.source_id = source_id
        self.sections = [r for r in rules.sections if r.source == source_id]
        self.mentions = [r for r in rules.mentions if r.source == source_id]
        heading_starts = [*sorted(h.region.start for h in headings), len(raw)]
        placed = []
        for rule in (r for r in rules.markers if r.source == source_id):
            try:
                placed.append((find_unique(raw, rule.at), rule))
            except ValueError as exc:
                raise DataFileError(TAG_RULES_FILE, None, f"marker for {source_id}", str(exc)) from exc
        placed.sort(key=lambda p: p[0])
        self.intervals: list[tuple[Region, MarkerRule]] = []
        for i, (start, rule) in enumerate(placed):
            end = next(h for h in heading_starts if h > start)
            for later, other in placed[i + 1 :]:
                if other.dimension == rule.dimension:
                    end = min(end, later)
                    break
            self.intervals.append((Region(start, end), rule))

    def tags(self, section: tuple[str, ...], span: Region, text: str) -> list[str]:
        found: set[str] = set()
        for section_rule in self.sections:
            if section and section[-1].startswith(section_rule.heading):
                found.update(section_rule.tags)
        for region, marker in self.intervals:
            if span.start < region.end and region.start < span.end:
                found.update(marker.tags)
        for mention in self.mentions:
            if mention.case_sensitive:
                hay, needle = text, mention.phrase
            else:
                hay, needle = text.lower(), mention.phrase.lower()
            if needle in hay:
                found.update(mention.tags)
        return sorted(found)
