"""Finds text between curly double quotes in OCR'd prose, coping with the OCR's quote damage.

Inside a double quote, an opening single quote (‘) starts a nested quote that the next ’ or ”
closes (the OCR sometimes prints the nested closer as ”, as in ‘data maturity,”).  A ’ between
letters is an apostrophe.  A quote still open at its paragraph's end counts only when it opened
the paragraph (a block quote whose closing mark the OCR lost); a new “ inside an open quote
abandons the open one (it was a mismatched term quote such as “platformizing’).
"""

from __future__ import annotations

from knowledge.corpus.layout import Region, paragraphs


def quoted_regions(raw: str, region: Region) -> list[Region]:
    """Regions strictly inside “…” pairs (quote marks excluded), in order."""
    found: list[Region] = []
    for para in paragraphs(raw, region):
        opened: int | None = None
        nested = False
        for i in range(para.start, para.end):
            ch = raw[i]
            if ch == "“":
                opened, nested = i + 1, False
            elif opened is None:
                continue
            elif ch == "‘":
                nested = True
            elif ch == "’" and nested:
                nested = False
            elif ch == "”":
                if nested:
                    nested = False
                else:
                    found.append(Region(opened, i))
                    opened = None
        if opened is not None and opened == para.start + 1:
            found.append(Region(opened, para.end))
    return found
