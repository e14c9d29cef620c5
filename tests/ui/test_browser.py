"""The chat in a real browser (Debian's chromium) over the real Advisor: ask, read sources, export.

Screenshots are saved under test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from docx import Document

from ui.stream_events import READING, WRITING, WRITING_AFTER_DIAGNOSIS

from .conftest import API_TOKEN

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SITUATION = (
    "We have run three AI pilots in claims handling, but nothing is live yet and every team builds models "
    "its own way. Where do we stand and what should we do next?"
)
HOSTILE = (
    'Our vendor wrote <script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> and '
    "[click me](javascript:window.__xss=3) in the AI plan; nothing is in production yet. What should we do?"
)
WAIT_MS = 240_000


@pytest.fixture(scope="module")
def page(live_server: str) -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run"],
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.dialogs = dialogs
        page.goto(live_server, wait_until="domcontentloaded")
        page.wait_for_selector("#message textarea", timeout=60_000)
        yield page
        browser.close()


def _ask(page, message: str, answers_before: int) -> None:
    page.fill("#message textarea", message)
    page.click("#send")
    try:
        page.wait_for_function(
            f"document.querySelectorAll('#chat .advisor-answer .answer-backend').length > {answers_before}",
            timeout=WAIT_MS,
        )
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "failed-ask.png"), full_page=True)
        raise


def _download(page, name: str, target: Path) -> Path:
    with page.expect_download(timeout=60_000) as info:
        page.locator(f"#report-files a[download='{name}']").first.click()
    info.value.save_as(target)
    return target


def test_ask_read_sources_and_export(page, live_server: str, tmp_path: Path) -> None:
    page.screenshot(path=str(ARTIFACTS / "01-first-visit.png"))
    assert page.locator("#chat").get_by_text("Which roles do companies create").is_visible()

    _ask(page, SITUATION, 0)
    cards = page.locator("#chat details.cite-card")
    assert cards.count() >= 1
    first = cards.first
    passage = first.locator(".cite-text")
    assert not passage.is_visible()  # closed until a person opens it
    first.locator("summary").click()
    passage.wait_for(state="visible")
    shown = passage.inner_text().strip()
    record_id = first.locator(".cite-meta").text_content().split("Record ", 1)[1].split(" ·", 1)[0].strip()
    record = httpx.get(f"{live_server}/v1/passages/{record_id}", headers={"Authorization": f"Bearer {API_TOKEN}"})
    assert " ".join(shown.split()) == " ".join(record.json()["text"].split())

    markers = page.locator("#chat a.cite-marker")
    assert markers.count() >= 1
    last = markers.nth(markers.count() - 1)
    target = last.get_attribute("href").removeprefix("#")
    last.click()
    page.wait_for_function(f"document.getElementById('{target}').open === true", timeout=10_000)

    chart = page.locator("#diag-chart img")
    chart.wait_for(state="visible", timeout=30_000)
    assert chart.bounding_box()["height"] > 150
    assert page.locator("#diag-panel .diag-summary").is_visible()
    assert page.locator("#diag-panel mark").count() >= 1  # the user's own words that rules read
    page.screenshot(path=str(ARTIFACTS / "02-answer-with-sources.png"), full_page=True)

    page.click("#draft-report")
    page.locator("#report-files a[download='advisory-report.pdf']").first.wait_for(timeout=120_000)
    page.screenshot(path=str(ARTIFACTS / "03-report-downloads.png"), full_page=True)
    docx_path = _download(page, "advisory-report.docx", tmp_path / "report.docx")
    pdf_path = _download(page, "advisory-report.pdf", tmp_path / "report.pdf")
    shutil.copy(pdf_path, ARTIFACTS / "advisory-report.pdf")
    shutil.copy(docx_path, ARTIFACTS / "advisory-report.docx")
    metas = page.locator("#chat .cite-meta").all()
    cited = [m.text_content().split("Record ", 1)[1].split(" ·", 1)[0].strip() for m in metas]
    docx_text = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    pdf_raw = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    pdf_text = "".join(pdf_raw.split())  # ids may be wrapped across lines in the PDF
    for record_id in cited:
        assert record_id in docx_text
        assert record_id in pdf_text
    assert "References" in docx_text and "References" in pdf_raw


def test_nothing_a_user_types_runs_as_html(page) -> None:
    before = page.locator("#chat .advisor-answer .answer-backend").count()
    _ask(page, HOSTILE, before)
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    assert page.locator("#chat script").count() == 0
    assert page.locator("#chat img[src='x']").count() == 0
    assert page.locator("#chat a[href^='javascript']").count() == 0
    assert page.locator("#chat").get_by_text("<script>window.__xss = 1</script>", exact=False).count() >= 1
    page.screenshot(path=str(ARTIFACTS / "04-hostile-input-shown-as-text.png"), full_page=True)


def test_a_second_browser_session_starts_empty(page, live_server: str) -> None:
    other = page.context.browser.new_context().new_page()
    other.goto(live_server, wait_until="domcontentloaded")
    other.wait_for_selector("#message textarea", timeout=60_000)
    assert other.locator("#chat details.cite-card").count() == 0
    assert other.locator("#chat .user-message").count() == 0
    assert page.locator("#chat .user-message").count() >= 1
    other.context.close()


def test_questionnaire_places_the_organization_and_feeds_the_chat(page) -> None:
    page.get_by_role("tab", name="Questionnaire").click()
    page.locator("#q-live_models").get_by_text("None yet").click()
    page.locator("#q-data").get_by_text("We assemble it for each use case").click()
    page.click("#q-place")
    page.locator("#q-chart img").wait_for(state="visible", timeout=120_000)
    assert "Proving the concept" in page.locator("#q-diagnosis").inner_text()
    page.screenshot(path=str(ARTIFACTS / "05-questionnaire-placed.png"), full_page=True)
    page.click("#q-to-chat")
    page.wait_for_function(
        "document.querySelector('#message textarea').value.startsWith('About our organization')", timeout=30_000
    )
    assert page.locator("#message textarea").is_visible()
    assert "None yet" in page.locator("#message textarea").input_value()


def test_enter_sends_and_shift_enter_adds_a_line(page) -> None:
    box = page.locator("#message textarea")
    users = page.locator("#chat .user-message").count()
    answers = page.locator("#chat .advisor-answer .answer-backend").count()
    box.fill("")
    box.click()
    page.keyboard.type("Which roles do companies create")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("when they move AI from pilots to production?")
    page.wait_for_timeout(1500)  # time enough for a wrongly sent message to show up
    assert box.input_value() == "Which roles do companies create\nwhen they move AI from pilots to production?"
    assert page.locator("#chat .user-message").count() == users, "Shift+Enter must not send"
    assert page.get_by_text("Enter sends · Shift+Enter starts a new line").is_visible()

    # Every status line shown while the answer is produced is recorded in the page: an offline answer may
    # replace it within milliseconds, before a locator could read it.
    page.evaluate(
        """() => {
        window.__statuses = [];
        const seen = () => document.querySelectorAll('#chat .answer-status')
            .forEach(e => window.__statuses.push(e.innerText));
        new MutationObserver(seen).observe(document.body, {subtree: true, childList: true, characterData: true});
    }"""
    )
    page.keyboard.press("Enter")
    status = page.locator("#chat .answer-status")
    page.wait_for_function(
        f"document.querySelectorAll('#chat .advisor-answer .answer-backend').length > {answers}", timeout=WAIT_MS
    )
    shown = " | ".join(page.evaluate("() => window.__statuses"))
    # Which step shows depends on timing (an offline answer passes "Reading…" within milliseconds): any named step.
    assert any(step in shown for step in (READING, WRITING, WRITING_AFTER_DIAGNOSIS, "language model")), shown
    assert page.locator("#chat .user-message").count() == users + 1
    assert box.input_value() == ""
    assert status.count() == 0, "the answer replaces the status line"
    last = page.locator("#chat .advisor-answer").last
    assert last.locator("a.cite-marker", has_text="[1]").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "06-enter-sends.png"), full_page=True)
