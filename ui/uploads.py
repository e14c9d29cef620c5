"""Add a session's own documents through the ingest path, and say per file what happened.

The documents go into the index's user namespace, but only the session that uploaded them has their
ids, and the chat's filters admit only those ids: another session never cites them.
"""

from __future__ import annotations

from pathlib import Path

from reports.conversation import Conversation
from ui.safe_html import esc
from ui.services import Services


class DocumentUploads:
    """Runs uploads for one server; results are rendered as escaped HTML lines."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def add(self, paths: list[str] | None, conversation: Conversation) -> tuple[str, Conversation]:
        files = [Path(p) for p in (paths or [])]
        if not files:
            return self._html(["Choose one or more .txt, .md or .pdf files first."], [], []), conversation
        try:
            report = self.services.doc_store.add(files)
        except Exception as exc:  # a broken index or registry: say so, change nothing in the session
            return self._html([], [], [f"Upload failed: {type(exc).__name__}: {exc}"]), conversation
        kept = [*report.added, *report.already_present]
        doc_ids = list(dict.fromkeys([*conversation.doc_ids, *(e.doc_id for e in kept)]))
        conversation = conversation.model_copy(update={"doc_ids": doc_ids})
        ok = [f"{e.file_name}: added ({self._count(e.chunks)}{self._pages(e.pages)})" for e in report.added]
        ok += [f"{e.file_name}: already added before — now available in this session" for e in report.already_present]
        failed = [f.line() for f in report.failed]
        return self._html([], ok, failed), conversation

    def listing(self, conversation: Conversation) -> str:
        if not conversation.doc_ids:
            return '<div class="doc-report">No documents of yours in this session yet.</div>'
        entries = {e.doc_id: e for e in self.services.doc_store.list()}
        rows = []
        for doc_id in conversation.doc_ids:
            entry = entries.get(doc_id)
            if entry is not None:
                rows.append(f"<li>{esc(entry.file_name)} — {self._count(entry.chunks)}</li>")
        return f'<div class="doc-report"><strong>Your documents in this session</strong><ul>{"".join(rows)}</ul></div>'

    @staticmethod
    def _count(chunks: int) -> str:
        return f"{chunks} passage{'s' if chunks != 1 else ''}"

    @staticmethod
    def _pages(pages: int | None) -> str:
        return f", {pages} page{'s' if pages != 1 else ''}" if pages else ""

    @staticmethod
    def _html(info: list[str], ok: list[str], failed: list[str]) -> str:
        lines = [f"<li>{esc(x)}</li>" for x in info]
        lines += [f'<li class="ok">✔ {esc(x)}</li>' for x in ok]
        lines += [f'<li class="failed">✘ {esc(x)}</li>' for x in failed]
        return f'<div class="doc-report"><ul>{"".join(lines)}</ul></div>'
