"""Every practitioner quote in the sources is a quote record, found here independently of the parsers."""

from __future__ import annotations

import re

import pytest

from knowledge.corpus.interviewees import load_interviewees


def _quote_starts(records, source_id):
    return {r.span.start: r for r in records if r.source_id == source_id and r.kind == "quote"}


def test_every_mlbc_role_tagged_paragraph_is_a_quote(corpus_records, corpus_raw):
    raw = corpus_raw["mlbc"]
    starts = _quote_starts(corpus_records, "mlbc")
    tagged = list(re.finditer(r"^(.+?)\s*∼\s*(.+?)\.?$", raw, re.MULTILINE))
    assert len(tagged) >= 60
    for match in tagged:
        record = starts.get(match.start())
        assert record is not None, match.group(0)[:80]
        assert record.role == match.group(2).strip() and record.speaker is None and record.company is None
        assert record.text == " ".join(match.group(1).split())


def test_every_playbook_quote_line_is_a_quote_by_the_profiled_expert(corpus_records, corpus_raw):
    raw = corpus_raw["ops_playbook"]
    starts = _quote_starts(corpus_records, "ops_playbook")
    profiles = [(m.start(), m.group(1).split(", ")) for m in re.finditer(r"\*\*Expert Profile: (.+?)\*\*", raw)]
    lines = list(re.finditer(r'^> "(.+)"$', raw, re.MULTILINE))
    assert len(lines) == len(profiles) == 10
    for match in lines:
        record = starts.get(match.start(1))
        assert record is not None, match.group(1)[:60]
        name, title, company = max((p for p in profiles if p[0] < match.start()), key=lambda p: p[0])[1]
        assert (record.speaker, record.role, record.company) == (name, title, company)


def _interviewee_quotes(raw: str, names: list[str]) -> list[tuple[int, str]]:
    """“…” passages that follow an interviewee's name in the same or the previous paragraph.

    Excluded: quoted terms (fewer than three words) and literature quotes (a citation follows).
    """
    found = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"(?s)\S.*?(?=\n\s*\n|\Z)", raw)]
    name_re = re.compile("|".join(r"\s+".join(n.replace("-", "-\\s*").split()) for n in names))
    for open_mark in (m.start() for m in re.finditer("“", raw)):
        words_after = re.match(r"“\s*(\S+\s+){2}\S", raw[open_mark : open_mark + 200])
        close = raw.find("”", open_mark)
        if not words_after or (close != -1 and len(raw[open_mark:close].split()) < 3):
            continue
        if close != -1 and re.match(r"[”\s]*\([A-Z][^()]*\d{4}", raw[close : close + 80]):
            continue
        k = next(i for i, (s, e) in enumerate(paragraphs) if s <= open_mark < e)
        window = raw[paragraphs[max(0, k - 1)][0] : open_mark]
        if name_re.search(window):
            found.append((open_mark, raw[open_mark + 1 : open_mark + 40]))
    return found


def test_every_interviewee_quote_in_impl_scaling_is_a_quote(corpus_records, corpus_raw):
    raw = corpus_raw["impl_scaling"]
    table2 = raw.index("Table 2\nImplementing"), raw.index("to support lines of business")
    names = [n for p in load_interviewees() for n in (p.name, *p.aliases)]
    expected = [q for q in _interviewee_quotes(raw, names) if not table2[0] <= q[0] <= table2[1]]
    starts = _quote_starts(corpus_records, "impl_scaling")
    missing = [text for pos, text in expected if pos + 1 not in starts]
    assert not missing
    assert len(expected) >= 40
    extra = [r.id for s, r in starts.items() if s - 1 not in {pos for pos, _ in expected}]
    assert not extra  # nothing quoted that is not an interviewee's words


@pytest.mark.parametrize(
    ("record_id", "speaker", "company", "industry", "role"),
    [
        ("impl_scaling:quote:heather-nolis:01", "Heather Nolis", "T-Mobile", "Telecommunications", None),
        ("impl_scaling:quote:jack-berkowitz:03", "Jack Berkowitz", "ADP", "Software", "chief data officer at ADP"),
        ("impl_scaling:quote:mike-del-balso:01", "Mike del Balso", "Tecton/Uber", "Software/mobility", None),
    ],
)
def test_impl_scaling_attribution_comes_from_table_1(corpus_records, record_id, speaker, company, industry, role):
    record = next(r for r in corpus_records if r.id == record_id)
    assert (record.speaker, record.company, record.industry, record.role) == (speaker, company, industry, role)


def test_quotes_are_verbatim_and_keep_nested_quotes(corpus_records):
    by_id = {r.id: r for r in corpus_records}
    assert by_id["impl_scaling:quote:mike-del-balso:01"].text.endswith(
        "building ‘ML maturity’ on top of that is a tricky spot to be in."
    )
    # the block quote whose closing mark the OCR lost still ends at its paragraph end
    assert by_id["impl_scaling:quote:subarna-sinha:01"].text.endswith("regenerate all of the training data as needed.")
    # the ADP quote attributed to "Jake Berkowitz" in the prose is Jack Berkowitz of Table 1
    assert by_id["impl_scaling:quote:jack-berkowitz:01"].text.startswith("The one thing you know about technology")
    assert (
        by_id["mlbc:quote:managing-director-ai-consulting-company:01"].role
        == "Managing Director (AI consulting company)"
    )
