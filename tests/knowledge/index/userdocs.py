"""Users' files for the loader and store tests: good ones, and one of each way a file can be bad."""

from __future__ import annotations

from pathlib import Path

from knowledge.embedding import Embedder
from tests.knowledge.index.pdfs import broken_pdf, encrypted_pdf, truncated_pdf

GOOD_TXT = "Our churn model never left the pilot. Nobody owned the feature pipeline after the vendor left."
GOOD_MD = "# Retro\n\n## What went wrong\n\nThe steering committee met once a quarter, far too rarely.\n"
PDF_PAGES = ["Warehouse robots were piloted in Lyon.", "Page two: the union asked for retraining budgets."]

BAD_FILES = [
    ("empty.txt", b"", "empty file (0 bytes)"),
    ("blank.md", b"   \n\n  \n", "no text in it"),
    ("photo.txt", bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(range(256)), "binary content"),
    ("locked.pdf", encrypted_pdf(PDF_PAGES), "encrypted PDF (password protected)"),
    ("garbage.pdf", broken_pdf(), "broken PDF"),
    ("cut.pdf", truncated_pdf(PDF_PAGES), "broken PDF"),
    ("renamed.pdf", b"just some text, not a pdf", "not a PDF (no %PDF header)"),
    ("huge.txt", b"word " * 50_000, "too large: 0.2 MB, the upload limit is 0.2 MB"),
    ("notes.docx", b"PK\x03\x04 not supported", "unsupported file type .docx"),
]


def word_pieces(text: str) -> int:
    return len(Embedder().tokenizer().tokenize(text))


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path
