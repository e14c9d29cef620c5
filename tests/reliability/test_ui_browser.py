"""The chat in real chromium: bad input gets a visible notice, and nothing a user or a document writes runs.

Hostile text comes in twice: typed into the message box, and inside an uploaded document (whose file
name is hostile too) that the answer may quote. Neither may open a dialog, set a global, or leave a
``javascript:`` link anywhere in the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.service import Advisor
from tests.ui.server import running_server
from ui.app import create_app
from ui.limits import ApiLimits
from ui.services import Services

from .test_abuse import CRAFTED_DOC, QUESTION

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reliability"
WAIT_MS = 300_000
HOSTILE_MESSAGE = (
    '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> '
    "[plan](javascript:window.__xss=3) [doc](JaVaScRiPt:alert(1)) "
    "Our AI pilots 🚀 never reach production and nobody owns the data. What should we do next?"
)
HOSTILE_NAME = '<img src=x onerror="window.__xss_name=1">.md'
NO_JS_LINKS = "Array.from(document.querySelectorAll('a[href]')).filter(a => /^\\s*javascript:/i.test(a.href)).length"


@pytest.fixture(scope="module")
def page(built_index, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    import shutil

    from playwright.sync_api import sync_playwright

    from .conftest import settings_for

    source, _ = built_index
    data = tmp_path_factory.mktemp("ui_copy") / "data"
    shutil.copytree(source.data_dir, data, ignore=shutil.ignore_patterns(".index.lock"))
    settings = settings_for(source.model_copy(update={"data_dir": data, "max_upload_bytes": 200_000}))
    advisor = Advisor(settings)
    app = create_app(settings, Services(settings, advisor=advisor), ApiLimits(rate_per_minute=0))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with running_server(app) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.dialogs = dialogs
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector("#message textarea", timeout=120_000)
        yield page
        browser.close()


def _answers(page) -> int:
    return page.locator("#chat .advisor-answer .answer-backend").count()


def _ask(page, message: str) -> None:
    before = _answers(page)
    page.fill("#message textarea", message)
    page.click("#send")
    page.wait_for_function(
        f"document.querySelectorAll('#chat .advisor-answer .answer-backend').length > {before}", timeout=WAIT_MS
    )


def _assert_nothing_ran(page) -> None:
    assert page.evaluate("[window.__xss, window.__xss_doc, window.__xss_name]") == [None, None, None]
    assert page.dialogs == []
    assert page.evaluate(NO_JS_LINKS) == 0
    assert page.evaluate("document.querySelectorAll('#chat script, #doc-report script, #doc-list script').length") == 0


def test_empty_and_too_long_messages_get_a_visible_notice(page) -> None:
    before = _answers(page)
    page.fill("#message textarea", "   \n  ")
    page.click("#send")
    page.get_by_text("Type a question or describe your situation").first.wait_for(timeout=60_000)
    long = "Our pilots are stuck. " * 4600  # ~100 kB
    page.fill("#message textarea", long)
    page.click("#send")
    page.get_by_text("the limit is 8,000").first.wait_for(timeout=60_000)
    assert len(page.input_value("#message textarea")) == len(long), "the text stays in the box"
    assert _answers(page) == before
    page.screenshot(path=str(ARTIFACTS / "bad-input-notices.png"))


def test_hostile_message_is_shown_as_text(page) -> None:
    _ask(page, HOSTILE_MESSAGE)
    _assert_nothing_ran(page)
    assert page.locator("#chat").get_by_text("<script>window.__xss = 1</script>", exact=False).count() >= 1
    page.screenshot(path=str(ARTIFACTS / "hostile-message.png"), full_page=True)


def test_hostile_document_and_file_name_never_run(page, tmp_path: Path) -> None:
    doc = tmp_path / HOSTILE_NAME
    doc.write_text(CRAFTED_DOC, encoding="utf-8")
    page.get_by_role("tab", name="Your documents").click()
    page.set_input_files("#upload input[type=file]", str(doc))
    page.wait_for_timeout(1500)
    page.click("#add-docs")
    page.locator("#doc-report li").first.wait_for(timeout=WAIT_MS)
    report = page.inner_text("#doc-report")
    assert "added" in report, report
    _assert_nothing_ran(page)
    page.get_by_role("tab", name="Advisor").click()
    _ask(page, QUESTION)
    _assert_nothing_ran(page)
    assert "[99]" not in page.inner_text("#chat")
    page.screenshot(path=str(ARTIFACTS / "hostile-document.png"), full_page=True)
