"""Fill in which records hold each evidence string of a case file, so authors write words, not IDs.

``python -m evals.resolve evals/sets/factual.jsonl`` rewrites every evidence item's ``record_ids`` with
the corpus records whose text contains the item's text (matched after :func:`normalize`), and stops
with the file and line of any evidence string no record holds, so an expectation can never rest on
words the sources do not contain. Run it again whenever the corpus is rebuilt.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path

from evals.metrics.text import normalize


class EvidenceNotFoundError(ValueError):
    """An evidence string is in no record; the message names the file and line."""


def corpus_texts() -> dict[str, str]:
    from knowledge.corpus import load_records

    return {record.id: record.text for record in load_records()}


def records_containing(text: str, records: Mapping[str, str]) -> list[str]:
    needle = normalize(text)
    return [rid for rid, body in records.items() if needle in normalize(body)]


def resolve_file(path: Path, records: Mapping[str, str]) -> int:
    """Rewrite ``record_ids`` in place; return how many evidence items were resolved."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out, resolved = [], 0
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            out.append(line)
            continue
        case = json.loads(line)
        for item in case.get("evidence", []):
            ids = records_containing(item["text"], records)
            if not ids:
                raise EvidenceNotFoundError(f"{path}:{number}: no record contains evidence {item['text']!r}")
            item["record_ids"] = ids
            resolved += 1
        out.append(json.dumps(case, ensure_ascii=False))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return resolved


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m evals.resolve FILE.jsonl [...]", file=sys.stderr)
        return 2
    records = corpus_texts()
    try:
        for name in argv:
            print(f"{name}: {resolve_file(Path(name), records)} evidence items resolved")
    except EvidenceNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
