"""The files people upload by mistake or on purpose: binary, empty, encrypted, broken, huge, tricky names."""

from __future__ import annotations

import os
from pathlib import Path

from tests.knowledge.index.pdfs import broken_pdf, encrypted_pdf, text_pdf, truncated_pdf

GOOD_TEXT = (
    "Our invoice-matching model at the Ghent shared-service centre has been a pilot for eighteen months. "
    "Finance never agreed who owns the retraining once the vendor's contract ends."
)


def bad_files(folder: Path, max_bytes: int) -> dict[str, tuple[Path, str]]:
    """Write one file per kind of bad upload; map a label to (path, words the refusal must contain)."""
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, tuple[bytes, str, str]] = {
        "binary": (b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(3000), "notes.txt", "binary"),
        "zero bytes": (b"", "empty.md", "empty"),
        "encrypted pdf": (encrypted_pdf(["Secret pilot plan for the claims team."]), "locked.pdf", "encrypted"),
        "broken pdf": (broken_pdf(), "broken.pdf", "broken"),
        "truncated pdf": (truncated_pdf(["Half a PDF about pilots."]), "half.pdf", "broken"),
        "not a pdf at all": (b"just text pretending", "fake.pdf", "not a PDF"),
        "over the size limit": (b"pilot " * (max_bytes // 6 + 10), "huge.txt", "too large"),
        "unsupported type": (b"MZ\x90\x00\x03", "setup.exe", "unsupported file type"),
        "no extension": (b"root:x:0:0:root:/root:/bin/bash\n", "passwd", "unsupported file type"),
        "scanned pdf without text": (text_pdf([""]), "scan.pdf", "no extractable text"),
    }
    out = {}
    for label, (data, name, reason) in made.items():
        path = folder / name
        path.write_bytes(data)
        out[label] = (path, reason)
    return out


def good_file(folder: Path, name: str = "ghent-retro.txt", text: str = GOOD_TEXT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
