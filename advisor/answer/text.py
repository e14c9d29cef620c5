"""Sentence and word handling shared by the composers and the citation checker.

One tokenizer for every step, so the support test measures the same words the composer picked.
"""

from __future__ import annotations

import re
from functools import lru_cache

MARKER_RE = re.compile(r"\[(\d+)\]")
MARKER_RUN_RE = re.compile(r"(?:\s*\[\d+\])+\s*$")
_WORD_RE = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_NUMBER_RE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:\s?%|\s?percent)?")
_ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "vs.", "etc.", "Dr.", "Mr.", "Ms.", "Inc.", "U.S.", "cf.", "Fig.", "No.")
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’)]*(?:\s*\[\d+\])*(?=\s+[\"“‘(]?[A-Z0-9])")

_STOPWORDS_TEXT = """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just let me more most my myself no nor
    not now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves one ones may might
    must shall us per via within without upon onto whether either neither yet still even much many often
    every"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Words the composer uses to frame a record ("your description fits ..."): they carry no claim of their own,
# so the support test neither demands them in the record nor credits them.
_FRAMING_TEXT = """according describes described description fits fit looks look like seems seem situation paper papers
    study source sources says said say words practitioner practitioners recommends recommendation mainly
    especially point points next step steps watch note quote quoted put puts around"""
FRAMING_WORDS = frozenset(_FRAMING_TEXT.split())


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower().replace("’", "'"))


def stem(word: str) -> str:
    """Crude suffix folding so 'pipelines'/'pipeline' and 'scaling'/'scale' meet; no extra dependency."""
    for suffix in ("izing", "ising", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "ly", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> set[str]:
    """Stemmed words that carry meaning (no stopwords, no framing words, no bare markers)."""
    return set(_content_terms(text))


@lru_cache(maxsize=8192)
def _content_terms(text: str) -> frozenset[str]:
    """Memoized: every answer ranks and checks the same corpus sentences again (~15 ms of stemming each)."""
    return frozenset(stem(w) for w in words(text) if w not in STOPWORDS and w not in FRAMING_WORDS and not w.isdigit())


def numbers(text: str) -> set[str]:
    """Figures stated in a text, normalized ('40 %' -> '40%'), so invented numbers can be caught."""
    found = set()
    for match in _NUMBER_RE.findall(strip_markers(text)):
        value = match.replace(" ", "").replace("percent", "%").replace(",", "")
        found.add(value)
    return found


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences without breaking on common abbreviations."""
    protected = text
    for i, abbr in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbr, f"\x00{i}\x00")
    protected = protected.strip()
    pieces, start = [], 0
    for match in _SENTENCE_END_RE.finditer(protected):
        pieces.append(protected[start : match.end()])
        start = match.end()
    pieces.append(protected[start:])
    out = []
    for piece in pieces:
        for i, abbr in enumerate(_ABBREVIATIONS):
            piece = piece.replace(f"\x00{i}\x00", abbr)
        piece = " ".join(piece.split())
        if piece:
            out.append(piece)
    return out


def strip_markers(text: str) -> str:
    return MARKER_RE.sub("", text).strip()


def markers_in(text: str) -> list[int]:
    return [int(n) for n in MARKER_RE.findall(text)]


def truncate_words(text: str, limit: int) -> str:
    parts = text.split()
    if len(parts) <= limit:
        return text
    return " ".join(parts[:limit]).rstrip(",;:") + " …"


# First-person words; "us" only in lower case ("US" is a country).
_FIRST_PERSON_RE = re.compile(
    r"\b(?:[Ww]e|[Oo]ur|[Oo]urs|us|[Ii]|[Mm]y|[Mm]e|[Ww]e[’']re|[Ww]e[’']ve|[Ww]e[’']d|[Ww]e[’']ll|[Ii][’']m|[Ii][’']ve|[Ii][’']d)\b"
)
_QUOTED_RE = re.compile(r"“[^”]*”|\"[^\"]*\"")


def speaks_first_person(text: str) -> bool:
    """Tell whether ``text`` says "we", "our", "I"... outside the quotations it holds."""
    return bool(_FIRST_PERSON_RE.search(_QUOTED_RE.sub(" ", text)))
