"""Turn a user's .txt, .md or .pdf file into attributed chunks, or say in one line why not.

Every failure is a :class:`UserDocError` naming the file and the reason, raised before anything
touches the index, so one bad file in a batch never costs the others.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from knowledge.schema import Span, UserDocChunk

SUPPORTED_SUFFIXES = (".md", ".pdf", ".txt")
CHUNK_WORD_PIECES = 230
"""Below the model's 256 word pieces, leaving room for [CLS]/[SEP] and the section prefix."""

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+|\n[ \t]*\n\s*|\n(?=[ \t]*(?:[-*•]|\d+[.)])\s)")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


class UserDocError(ValueError):
    """A file that cannot be added; ``str()`` is the one-line message for the user."""

    def __init__(self, file_name: str, reason: str) -> None:
        self.file_name = file_name
        self.reason = " ".join(reason.split())
        super().__init__(f"{file_name}: {self.reason}")


class LoadedDoc(BaseModel):
    model_config = ConfigDict(frozen=True)

    doc_id: str
    file_name: str
    path: str
    sha256: str
    size_bytes: int
    pages: int | None
    chunks: list[UserDocChunk]


class _Block(BaseModel):
    """A run of text that chunks never cross: a PDF page, a Markdown section or a whole text file."""

    text: str
    page: int | None
    section: list[str]
    line_offset: int = 0


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split at sentence ends, blank lines and list items; spans exclude surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*_SENTENCE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + len(piece.rstrip())))
        if match:
            start = match.end()
    return spans


class UserDocLoader:
    """Validate and chunk one file; ``count_word_pieces`` is the embedding model's tokenizer count."""

    def __init__(
        self,
        max_bytes: int,
        count_word_pieces: Callable[[str], int],
        chunk_word_pieces: int = CHUNK_WORD_PIECES,
    ) -> None:
        if max_bytes <= 0 or chunk_word_pieces <= 0:
            raise ValueError("max_bytes and chunk_word_pieces must be positive")
        self.max_bytes = max_bytes
        self.count = count_word_pieces
        self.chunk_word_pieces = chunk_word_pieces

    def load(self, path: Path) -> LoadedDoc:
        name = path.name
        data = self._read(path)
        digest = hashlib.sha256(data).hexdigest()
        doc_id = digest[:12]
        if path.suffix.lower() == ".pdf":
            blocks = _pdf_blocks(name, data)
            pages: int | None = len(blocks)
        else:
            text = _decode_text(name, data)
            is_markdown = path.suffix.lower() == ".md"
            blocks = _markdown_blocks(text) if is_markdown else [_Block(text=text, page=None, section=[])]
            pages = None
        blocks = [block for block in blocks if block.text.strip()]
        if not blocks:
            reason = "no extractable text (a scanned PDF needs OCR first)" if pages else "no text in it"
            raise UserDocError(name, reason)
        chunks = self._chunk(doc_id, name, blocks)
        return LoadedDoc(
            doc_id=doc_id,
            file_name=name,
            path=str(path.resolve()),
            sha256=digest,
            size_bytes=len(data),
            pages=pages,
            chunks=chunks,
        )

    def _read(self, path: Path) -> bytes:
        name = path.name
        if not path.exists():
            raise UserDocError(str(path), "file not found")
        if not path.is_file():
            raise UserDocError(str(path), "not a regular file")
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            shown = path.suffix or "(no extension)"
            raise UserDocError(name, f"unsupported file type {shown}; use {', '.join(SUPPORTED_SUFFIXES)}")
        size = path.stat().st_size
        if size == 0:
            raise UserDocError(name, "empty file (0 bytes)")
        if size > self.max_bytes:
            raise UserDocError(name, f"too large: {_mb(size)}, the upload limit is {_mb(self.max_bytes)}")
        try:
            return path.read_bytes()
        except OSError as exc:
            raise UserDocError(name, f"cannot read it: {exc.strerror or exc}") from exc

    def _chunk(self, doc_id: str, name: str, blocks: list[_Block]) -> list[UserDocChunk]:
        chunks: list[UserDocChunk] = []
        for block in blocks:
            for start, end in self._pack(block.text):
                text = block.text[start:end]
                line_start = block.line_offset + block.text.count("\n", 0, start) + 1
                chunks.append(
                    UserDocChunk(
                        id=f"user:{doc_id}:{len(chunks):04d}",
                        source_id=f"user:{doc_id}",
                        title=name,
                        authors=[],
                        year=None,
                        section=block.section,
                        text=text,
                        span=Span(start=start, end=end, line_start=line_start, line_end=line_start + text.count("\n")),
                        tags=[],
                        doc_id=doc_id,
                        file_name=name,
                        page=block.page,
                    )
                )
        return chunks

    def _pack(self, text: str) -> list[tuple[int, int]]:
        """Greedily pack whole sentences into spans of at most ``chunk_word_pieces``; split only overlong ones."""
        packed: list[tuple[int, int]] = []
        current: tuple[int, int] | None = None
        used = 0
        for start, end in self._pieces(text):
            size = self.count(text[start:end])
            if current is not None and used + size <= self.chunk_word_pieces:
                current, used = (current[0], end), used + size
                continue
            if current is not None:
                packed.append(current)
            current, used = (start, end), size
        if current is not None:
            packed.append(current)
        return packed

    def _pieces(self, text: str) -> list[tuple[int, int]]:
        pieces: list[tuple[int, int]] = []
        for start, end in sentence_spans(text):
            if self.count(text[start:end]) <= self.chunk_word_pieces:
                pieces.append((start, end))
                continue
            piece_start, last_end, used = None, start, 0
            for word in re.finditer(r"\S+", text[start:end]):
                size = self.count(word.group())
                if piece_start is not None and used + size > self.chunk_word_pieces:
                    pieces.append((piece_start, last_end))
                    piece_start, used = None, 0
                if piece_start is None:
                    piece_start = start + word.start()
                last_end, used = start + word.end(), used + size
            if piece_start is not None:
                pieces.append((piece_start, last_end))
        return pieces


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _decode_text(name: str, data: bytes) -> str:
    if b"\x00" in data[:65536]:
        raise UserDocError(name, "binary content, not a text file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UserDocError(name, "binary content, not a text file")
    controls = sum(1 for ch in text[:65536] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(3, len(text[:65536]) // 100):
        raise UserDocError(name, "binary content, not a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _markdown_blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    headings: list[tuple[int, str]] = []
    lines: list[str] = []
    first_line = 0

    def flush() -> None:
        if lines:
            section = [heading for _, heading in headings]
            blocks.append(_Block(text="\n".join(lines), page=None, section=section, line_offset=first_line))

    for number, line in enumerate(text.split("\n")):
        match = _HEADING.match(line)
        if match:
            flush()
            level = len(match.group(1))
            headings = [*(h for h in headings if h[0] < level), (level, match.group(2))]
            lines, first_line = [], number + 1
        else:
            lines.append(line)
    flush()
    return blocks


def _pdf_blocks(name: str, data: bytes) -> list[_Block]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    if b"%PDF-" not in data[:1024]:
        raise UserDocError(name, "not a PDF (no %PDF header): the file is broken or mislabeled")
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # its repair warnings would garble the one-line error
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError as exc:
                raise UserDocError(name, f"encrypted PDF that needs an extra package to open: {exc}") from exc
            if not opened:
                raise UserDocError(name, "encrypted PDF (password protected); remove the password and add it again")
        texts = [page.extract_text() or "" for page in reader.pages]
    except UserDocError:
        raise
    except FileNotDecryptedError as exc:
        raise UserDocError(name, "encrypted PDF (password protected); remove the password and add it again") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise UserDocError(name, f"broken PDF ({type(exc).__name__}: {exc})") from exc
    finally:
        pypdf_log.setLevel(level)
    if not texts:
        raise UserDocError(name, "broken PDF (no pages)")
    return [_Block(text=text.strip(), page=number, section=[f"page {number}"]) for number, text in enumerate(texts, 1)]
