"""Chat sessions over the real Advisor: uploads go through the ingest path and stay in their session."""

from __future__ import annotations

import shutil
from html import unescape
from pathlib import Path

import pytest

from advisor.service import Advisor
from advisor.settings import Settings
from knowledge.index import IndexConfig
from knowledge.schema import RecordKind
from reports.conversation import Conversation
from ui.chat import ChatController
from ui.services import Services
from ui.session_filters import SOURCE_CHOICES
from ui.uploads import DocumentUploads

pytestmark = pytest.mark.slow
PLAN = (
    "# Northwind AI plan\n\nThe fraud model retraining at Northwind is owned by the Zephyr guild, "
    "which reviews model drift every Tuesday with the claims team.\n"
)


@pytest.fixture(scope="module")
def own_services(built_index, tmp_path_factory: pytest.TempPathFactory) -> Services:
    """A copy of the session's index, so uploads never touch the shared read-only one."""
    config, _ = built_index
    data = tmp_path_factory.mktemp("uploads") / "data"
    shutil.copytree(config.data_dir, data)
    settings = Settings(data_dir=data, collection=config.collection, llm_provider="none", chroma_url=None)
    return Services(settings, advisor=Advisor(settings))


def _final(controller: ChatController, message: str, conversation: Conversation):
    updates = list(controller.respond(message, [], conversation, SOURCE_CHOICES))
    return updates[-1]


def test_uploads_are_seen_only_by_their_session(own_services: Services, tmp_path: Path) -> None:
    uploads = DocumentUploads(own_services)
    good = tmp_path / "northwind-plan.md"
    good.write_text(PLAN)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.pdf"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    before = len(own_services.retriever.records())

    shown, session_a = uploads.add([str(good), str(empty), str(binary)], Conversation())
    html = unescape(shown)
    assert "northwind-plan.md: added" in html
    assert "empty.txt: empty file" in html
    assert "photo.pdf: not a PDF" in html
    assert len(session_a.doc_ids) == 1
    assert len(own_services.retriever.records()) > before  # the good file went in despite the bad ones
    session_b = Conversation()

    controller = ChatController(own_services)
    query = "Who owns fraud model retraining and reviews drift every Tuesday at Northwind?"
    mine = own_services.search(query, 5, controller.filter_builder().build(SOURCE_CHOICES, session_a.doc_ids))
    assert any(h.kind == RecordKind.USER_DOC and h.title == "northwind-plan.md" for h in mine.hits)
    theirs = own_services.search(query, 5, controller.filter_builder().build(SOURCE_CHOICES, session_b.doc_ids))
    assert all(h.kind != RecordKind.USER_DOC for h in theirs.hits)

    answer_b = _final(controller, query, session_b).conversation.exchanges[-1].answer
    assert all(c.kind != RecordKind.USER_DOC for c in answer_b.citations)
    assert "northwind-plan.md" in unescape(uploads.listing(session_a))
    assert "No documents" in uploads.listing(session_b)


def test_two_sessions_keep_their_own_history(own_services: Services) -> None:
    controller = ChatController(own_services)
    situation = (
        "We have run three AI pilots in claims handling, but nothing is live yet and every team builds models "
        "its own way. Where do we stand and what should we do next?"
    )
    first = _final(controller, situation, Conversation())
    second = _final(controller, "What is a data pipeline in the scaling framework?", Conversation())
    assert len(first.conversation.exchanges) == 1 and len(second.conversation.exchanges) == 1
    assert first.conversation.exchanges[0].message != second.conversation.exchanges[0].message
    assert first.diagnosis_html is not None and first.figure is not None
    follow = _final(controller, "And what about for a bank?", first.conversation)
    assert follow.conversation.exchanges[0].message == first.conversation.exchanges[0].message
    assert len(follow.conversation.exchanges) == 2
    assert len(first.conversation.exchanges) == 1  # the earlier state object is never mutated


def test_bad_chat_input_keeps_the_text(own_services: Services) -> None:
    controller = ChatController(own_services)
    limit = own_services.settings.max_message_chars
    long_text = "x" * (limit + 1)
    (update,) = list(controller.respond(long_text, [], Conversation(), SOURCE_CHOICES))
    assert update.pending_text == long_text and "limit" in (update.warning or "")
    (update,) = list(controller.respond("   ", [], Conversation(), SOURCE_CHOICES))
    assert update.warning and update.chat == []
    (update,) = list(controller.respond("Our pilots stall", [], Conversation(), []))
    assert update.pending_text == "Our pilots stall" and "Tick at least one" in (update.warning or "")


def test_index_config_matches_the_settings(own_services: Services) -> None:
    config = own_services.index_config()
    assert isinstance(config, IndexConfig) and config.data_dir == own_services.settings.data_dir
