from ui.safe_html import esc, render_rich_text


def test_escape_defuses_html_and_markdown_links() -> None:
    out = esc('<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="y">')
    assert "<" not in out and ">" not in out
    assert "](" not in out and "javascript:" not in out
    assert '"' not in out


def test_control_characters_are_dropped() -> None:
    assert esc("a\x00b\x1bc\x7f") == "abc"


def test_rich_text_links_known_markers_only() -> None:
    html = render_rich_text("**Where you stand**\nIt fits. [1] And [7].\n1. Do this [2]", {"[1]": "c1", "[2]": "c2"})
    assert '<h4 class="answer-heading">Where you stand</h4>' in html
    assert 'href="#c1"' in html and 'href="#c2"' in html
    assert "cite-marker-missing" in html  # [7] has no citation: plain text, not a dead link
    assert "<ol" in html


def test_rich_text_never_emits_foreign_tags() -> None:
    html = render_rich_text("- <b onclick=x>hi</b> **<i>bold</i>** [a](javascript:alert(1)) [1]", {"[1]": "c1"})
    assert "<b " not in html and "<i>" not in html
    assert "javascript:" not in html
    assert html.count("<a ") == 1


def test_an_apostrophe_is_escaped_once_so_the_browser_shows_it():
    import html as stdlib_html

    from ui.safe_html import esc

    shown = esc("It's the team's model & #1")
    assert "&#x27;" in shown and "&&#35;" not in shown
    assert stdlib_html.unescape(shown) == "It's the team's model & #1"
