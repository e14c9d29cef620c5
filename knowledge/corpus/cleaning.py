r"""The one documented cleaning function every record's text goes through.

A record's ``text`` is always ``clean(raw[span.start:span.end])`` so that a reader can put the
citation next to the source file and see the same words.  The rules only repair damage the
sources demonstrably have (PDF-to-text OCR in the implementing-and-scaling paper, markdown in
the playbook); they never paraphrase.  Rules, in the order they run:

1. Broken ligatures (U+FB00..U+FB06) are spelled out; soft hyphens are dropped.
2. Markdown mark-up is removed: ``**bold**``/``*italic*`` markers, line-leading ``#``, ``>``,
   list bullets (``-``, ``•``, the OCR bullet ``e`` before a capital) and tree glyphs
   (``├──``, ``│``, ``└──``).  Numbered-list digits are kept (they carry order).
3. Running headers, page numbers and journal footers: lines that are only a page number, and
   lines matching a known journal footer, are dropped.
4. Line-break hyphenation is undone: ``busi-\nnesses`` becomes ``businesses``.  The hyphen is
   kept when the word after the break starts with a capital (``T-\nMobile``) or when the joined
   pair is a real hyphenated compound listed in ``HYPHENATED_COMPOUNDS`` (``socio-technical``,
   ``two-week`` ...; the list was made by reading every line-break hyphen in the sources and
   checking how the same paper spells the word elsewhere).
5. OCR misreadings of "AI": the standalone words ``Al``/``AL`` become ``AI`` (``\b`` keeps names
   such as AlphaFold, Alibaba or Ali Rodell intact), ``(AD)`` becomes ``(AI)``; when such a word
   ends a sentence whose full stop the OCR swallowed (``to AL Such an analysis``), the full stop is
   restored.  A short table of other whole-word OCR misreadings (``OpenAl``, ``lansiti``,
   ``Miinch`` ...) is applied verbatim.
6. Whitespace: every run of whitespace (including line breaks) becomes one space; ends trimmed.
"""

from __future__ import annotations

import re

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}

# Real compounds that happen to be split at a line end; everything else split there is joined.
HYPHENATED_COMPOUNDS = frozenset(
    {
        "far-reaching",
        "future-proof",
        "re-architect",
        "socio-technical",
        "two-week",
        "up-level",
        "well-organized",
        "well-known",
        "real-time",
        "long-term",
        "short-term",
        "proof-of-concept",
        "end-to-end",
        "off-the-shelf",
    }
)

# Whole-word OCR misreadings seen in the sources (left: as printed, right: what the paper says).
OCR_WORD_FIXES = {
    "OpenAl": "OpenAI",
    "lansiti": "Iansiti",
    "Miinch": "Münch",
    "I’know": "I know",
    "[ mentally": "I mentally",
    "202.3)": "2023)",
}

# Footers of the journals the sources come from, should a page footer survive the text export.
JOURNAL_FOOTER_RE = re.compile(
    r"^\s*(?:Technological Forecasting (?:&|and) Social Change.*|Internet Research Vol\..*|"
    r"World Journal of Advanced Research and Reviews, \d{4}, \d+\(\d+\), [\d-]+)\s*$",
    re.MULTILINE,
)
PAGE_NUMBER_LINE_RE = re.compile(r"^[ \t]*\d{1,4}[ \t]*$", re.MULTILINE)

_EMPHASIS_RE = re.compile(r"\*\*(.+?)\*\*|(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_LINE_MARKUP_RE = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]*|(?:[-•][ \t]*)+(?=\S|$)|e[ \t]+(?=[A-Z]))", re.MULTILINE)
_TREE_RE = re.compile(r"[├└]──[ \t]*|│")
_HYPHEN_BREAK_RE = re.compile(r"([A-Za-z]+)-[ \t]*\n\s*([A-Za-z]+)")
_OCR_AI_RE = re.compile(r"\b(?:Al|AL)\b(?P<stop>(?=\s+[A-Z]))?")
_WHITESPACE_RE = re.compile(r"\s+")


def _join_hyphen(match: re.Match[str]) -> str:
    head, tail = match.group(1), match.group(2)
    if tail[0].isupper() or f"{head}-{tail}".lower() in HYPHENATED_COMPOUNDS:
        return f"{head}-{tail}"
    return head + tail


def _fix_ai(match: re.Match[str]) -> str:
    return "AI." if match.group("stop") is not None else "AI"


def clean(raw: str) -> str:
    """Return the citable text of a raw source slice (see the module docstring for the rules)."""
    text = raw
    for bad, good in LIGATURES.items():
        text = text.replace(bad, good)
    text = text.replace("\u00ad", "")
    text = _EMPHASIS_RE.sub(lambda m: m.group(1) or m.group(2), text)
    text = _LINE_MARKUP_RE.sub("", text)
    text = _TREE_RE.sub(" ", text)
    text = JOURNAL_FOOTER_RE.sub("", text)
    text = PAGE_NUMBER_LINE_RE.sub("", text)
    text = _HYPHEN_BREAK_RE.sub(_join_hyphen, text)
    for bad, good in OCR_WORD_FIXES.items():
        text = text.replace(bad, good)
    text = text.replace("(AD)", "(AI)")
    text = _OCR_AI_RE.sub(_fix_ai, text)
    return _WHITESPACE_RE.sub(" ", text).strip()
