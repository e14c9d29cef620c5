"""Parser for scaling_ops_playbook.txt (markdown: expert profiles, quotes, roadmaps, lists).

Body: from "## Executive Summary" to the "## Source Registry" (the registry lists where the
compilation's material came from, like a reference list, and is not a record; nor are the
title/date/status header and the "Last Updated" footer).
Records: the executive summary and each expert profile (profile + experience line) and each
metrics list are passages; each ``> "…"`` line is a quote by the profiled expert; every item
of an actionable list is a playbook step:
- items under a numbered bold phase (``1. **Foundation First** (Months 1-3)``) take that phase
  and its month range;
- items under a roadmap line in a code block (``Week 1-4: Foundation Setup``) or under a
  top-level tree node (``├── Model Development``) take that phase / range;
- ``**Label**: text`` items of other lists take the list's title as their phase.
Owner is the profiled expert ("name, title, company"); KPI is the expert's metrics list.
Headings, ``---`` rules, code fences, list titles and phase lines are structural: their words
reach the records as section paths, phases and month ranges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.corpus.cleaning import clean
from knowledge.corpus.ids import slugify
from knowledge.corpus.layout import LineIndex, Region, find_unique, trim
from knowledge.corpus.segments import Heading, ParsedSource, ProseRun, QuoteSegment, StepSegment

SOURCE_ID = "ops_playbook"
HEADING_RE = re.compile(r"^(#{2,3})\s+(.+)$")
PROFILE_RE = re.compile(r"^\*\*Expert Profile:\s*(.+?)\*\*$")
TITLE_RE = re.compile(r"^\*\*(.+?):\*\*$")
QUOTE_RE = re.compile(r'^>\s*"(.+)"\s*$')
PHASE_RE = re.compile(r"^\d+\.\s+\*\*(.+?)\*\*(?:\s*\((.+?)\))?\s*$")
LABEL_ITEM_RE = re.compile(r"^(?:\d+\.|-)\s+(\*\*.+?\*\*:\s*.+)$")
SUB_ITEM_RE = re.compile(r"^\s+-\s+(.+)$")
PLAIN_ITEM_RE = re.compile(r"^-\s+(.+)$")
CODE_RANGE_RE = re.compile(r"^((?:Weeks?|Months?)\s+\d+-\d+):\s*(.+)$")
TREE_TOP_RE = re.compile(r"^[├└]──\s*(.+)$")
TREE_ITEM_RE = re.compile(r"^(?:│\s+)?[├└]──\s*(.+)$")
METRICS_WORDS = ("Metrics", "Key Performance Indicators")


@dataclass
class _Expert:
    label: str  # "Sarah Chen, VP of Operations, Jasper AI"
    name: str
    title: str | None
    company: str | None
    kpi: str | None = None


def _expert(label: str) -> _Expert:
    parts = [p.strip() for p in label.split(",")]
    return _Expert(label, parts[0], parts[1] if len(parts) > 1 else None, ", ".join(parts[2:]) or None)


def _metrics_by_expert(lines: list[str]) -> dict[str, str]:
    """First pass: each expert's metrics list, joined, to serve as the KPI of their steps."""
    out: dict[str, list[str]] = {}
    expert = None
    title = None
    for line in lines:
        if m := PROFILE_RE.match(line.strip()):
            expert, title = m.group(1), None
        elif HEADING_RE.match(line):
            expert, title = None, None
        elif m := TITLE_RE.match(line.strip()):
            title = m.group(1)
        elif expert and title and any(w in title for w in METRICS_WORDS) and (m := PLAIN_ITEM_RE.match(line)):
            out.setdefault(expert, []).append(clean(m.group(1)))
    return {k: "; ".join(v) for k, v in out.items()}


def parse(raw: str) -> ParsedSource:
    index = LineIndex(raw)
    body = Region(find_unique(raw, "## Executive Summary"), find_unique(raw, "## Source Registry"))
    first, last = index.line_of(body.start), index.line_of(body.end - 1)
    texts = [raw[index.line_region(n).start : index.line_region(n).end] for n in range(first, last + 1)]
    kpis = _metrics_by_expert(texts)

    headings: list[Heading] = []
    runs: list[ProseRun] = []
    quotes: list[QuoteSegment] = []
    steps: list[StepSegment] = []
    structural: list[Region] = []
    path: list[str] = []
    expert: _Expert | None = None
    title: str | None = None
    phase: tuple[str, str | None] | None = None
    in_code = False
    pending_profile: tuple[Region, _Expert] | None = None  # a profile line and its expert, until the next line
    metrics_run: list[Region] = []

    def section() -> tuple[str, ...]:
        return (*path, title) if title else tuple(path)

    def flush_metrics() -> None:
        if metrics_run:
            region = Region(metrics_run[0].start, metrics_run[-1].end)
            runs.append(ProseRun(section(), slugify(title or "metrics"), (region,), line_mode=True))
            metrics_run.clear()

    def add_step(region: Region, phase_name: str, months: str | None) -> None:
        owner = expert.label if expert else None
        kpi = kpis.get(expert.label) if expert else None
        steps.append(StepSegment(region, section(), phase_name, months, owner, kpi))

    for number in range(first, last + 1):
        line_region = index.line_region(number)
        line = raw[line_region.start : line_region.end]
        stripped = line.strip()
        region = trim(raw, line_region)
        if pending_profile is not None and stripped.startswith("*") and not stripped.startswith("**"):
            profile_region, profiled = pending_profile
            run_region = Region(profile_region.start, region.end)
            runs.append(
                ProseRun(
                    (*path, f"Expert Profile: {profiled.name}"), slugify(f"profile {profiled.name}"), (run_region,)
                )
            )
            pending_profile = None
            continue
        pending_profile = None
        if stripped.startswith("```"):
            in_code = not in_code
            phase = None
            structural.append(region)
            continue
        if not stripped:
            continue
        if not (metrics_run and PLAIN_ITEM_RE.match(line)):
            flush_metrics()
        if m := HEADING_RE.match(line):
            level = len(m.group(1)) - 1
            text = clean(m.group(2))
            path = [*path[: level - 1], text]
            headings.append(Heading(region, level, text))
            structural.append(region)
            expert, title, phase = None, None, None
            if text == "Executive Summary":
                summary_end = raw.index("\n---", region.end)
                runs.append(ProseRun(tuple(path), slugify(text), (trim(raw, Region(region.end, summary_end)),)))
            continue
        if stripped == "---":
            structural.append(region)
            continue
        if path == ["Executive Summary"]:
            continue
        if m := PROFILE_RE.match(stripped):
            expert, title, phase = _expert(m.group(1)), None, None
            pending_profile = (region, expert)
            continue
        if m := TITLE_RE.match(stripped):
            title, phase = m.group(1), None
            structural.append(region)
            if any(w in title for w in METRICS_WORDS):
                metrics_run.append(region)
                structural.pop()
            continue
        if metrics_run and PLAIN_ITEM_RE.match(line):
            metrics_run.append(region)
            continue
        if m := QUOTE_RE.match(stripped):
            start = line_region.start + line.index('"') + 1
            end = line_region.start + line.rindex('"')
            name = expert.name if expert else None
            quotes.append(
                QuoteSegment(
                    Region(start, end),
                    section(),
                    name or "unattributed",
                    name,
                    expert.title if expert else None,
                    expert.company if expert else None,
                    None,
                )
            )
            continue
        if in_code:
            if m := CODE_RANGE_RE.match(stripped):
                phase = (m.group(2).strip(), m.group(1))
                structural.append(region)
            elif (m := TREE_TOP_RE.match(line)) and raw[index.line_region(number + 1).start] in "│ ":
                phase = (m.group(1).strip(), None)
                structural.append(region)
            elif (m := TREE_ITEM_RE.match(stripped)) and phase:
                start = line_region.start + line.index(m.group(1))
                add_step(Region(start, region.end), *phase)
            else:  # the code block's own title line ("Quality Scaling Framework:")
                title = stripped.rstrip(":")
                structural.append(region)
            continue
        if m := PHASE_RE.match(stripped):
            phase = (m.group(1), m.group(2))
            structural.append(region)
            continue
        if (m := SUB_ITEM_RE.match(line)) and phase:
            add_step(Region(line_region.start + line.index(m.group(1)), region.end), *phase)
            continue
        if m := LABEL_ITEM_RE.match(stripped):
            add_step(Region(line_region.start + line.index(m.group(1)), region.end), title or "Recommendations", None)
            continue
        raise ValueError(f"{SOURCE_ID}: line {number} not understood: {line!r}")
    flush_metrics()

    return ParsedSource(
        source_id=SOURCE_ID,
        raw=raw,
        headings=headings,
        runs=sorted(runs, key=lambda r: r.paragraphs[0].start),
        quotes=quotes,
        steps=steps,
        body=[body],
        structural=structural,
    )
