"""Turn untrusted text (a user's message, a document's words, a model's output) into inert HTML.

The chat shows text typed by users and text from their uploaded documents, and Gradio's chatbot
also runs Markdown. Escaping only ``<`` and ``&`` would still let ``[x](javascript:...)`` become a
link, so every character Markdown or LaTeX reacts to is written as an entity too. Everything the UI
puts on screen goes through :func:`esc` or :func:`render_rich_text`; the only raw HTML is ours.
"""

from __future__ import annotations

import re

_MARKDOWN_CHARS = {
    "[": "&#91;",
    "]": "&#93;",
    "(": "&#40;",
    ")": "&#41;",
    "*": "&#42;",
    "_": "&#95;",
    "`": "&#96;",
    "~": "&#126;",
    "#": "&#35;",
    "|": "&#124;",
    "\\": "&#92;",
    "!": "&#33;",
    "$": "&#36;",
    "{": "&#123;",
    "}": "&#125;",
    ":": "&#58;",
}
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", **_MARKDOWN_CHARS}
_ESCAPE_RE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
# C0/C1 control characters other than tab and newline have no business on screen.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MARKER_RE = re.compile(r"\[(\d{1,3})\]")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
_BULLET_RE = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+(.*)$")
_NUMBERED_RE = re.compile(r"^\s*\d{1,2}[.)]\s+")
_HEADING_RE = re.compile(r"^\s*(?:#{1,6}\s+(.+?)|\*\*([^*]+?)\*\*:?)\s*$")


def esc(text: str | None) -> str:
    """Escape text so neither the browser nor a Markdown pass can read anything into it."""
    if not text:
        return ""
    cleaned = _CONTROL_RE.sub("", text)
    # One pass over the raw text: escaping HTML first and Markdown after would escape the "#" of "&#x27;".
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], cleaned)


def esc_multiline(text: str | None) -> str:
    """Escape and keep the author's line breaks."""
    return "<br>".join(esc(line) for line in (text or "").split("\n"))


def safe_id(value: str) -> str:
    """Reduce any string to characters that are safe inside an HTML id attribute."""
    return re.sub(r"[^a-zA-Z0-9_-]", "-", value)[:80] or "x"


def render_rich_text(text: str, marker_href: dict[str, str] | None = None) -> str:
    """Render the small Markdown subset the composer writes (headings, bullets, bold, [n] markers).

    Each line is escaped first and our own tags are added afterwards, so a ``<script>`` or a
    ``javascript:`` link in the text stays visible text. Markers that name a citation become links
    to its card; unknown markers stay plain text rather than pointing nowhere.
    """
    marker_href = marker_href or {}
    parts: list[str] = []
    open_list = ""
    for raw in text.split("\n"):
        heading = _HEADING_RE.match(raw)
        bullet = _BULLET_RE.match(raw)
        list_tag = ("ol" if _NUMBERED_RE.match(raw) else "ul") if bullet else ""
        if open_list and list_tag != open_list:
            parts.append(f"</{open_list}>")
            open_list = ""
        if not raw.strip():
            continue
        if heading:
            title = heading.group(1) or heading.group(2)
            parts.append(f'<h4 class="answer-heading">{_inline(title, marker_href)}</h4>')
        elif bullet:
            if not open_list:
                parts.append(f'<{list_tag} class="answer-list">')
                open_list = list_tag
            parts.append(f"<li>{_inline(bullet.group(1), marker_href)}</li>")
        elif _is_note(raw):
            parts.append(f'<p class="answer-note"><em>{_inline(raw.strip()[1:-1], marker_href)}</em></p>')
        else:
            parts.append(f'<p class="answer-par">{_inline(raw.strip(), marker_href)}</p>')
    if open_list:
        parts.append(f"</{open_list}>")
    return "".join(parts)


def _is_note(line: str) -> bool:
    """Tell whether a whole line is set in _italics_ (the composer's notes about the sources)."""
    stripped = line.strip()
    return len(stripped) > 2 and stripped[0] == "_" and stripped[-1] == "_"


def _inline(line: str, marker_href: dict[str, str]) -> str:
    """Escape a line, then restore bold and marker links from placeholders we control."""
    pieces: list[str] = []
    pos = 0
    for match in re.finditer(r"\*\*(.+?)\*\*|\[(\d{1,3})\]", line):
        pieces.append(esc(line[pos : match.start()]))
        if match.group(1) is not None:
            pieces.append(f"<strong>{_markers(match.group(1), marker_href)}</strong>")
        else:
            pieces.append(_marker_link(match.group(0), marker_href))
        pos = match.end()
    pieces.append(esc(line[pos:]))
    return "".join(pieces)


def _markers(segment: str, marker_href: dict[str, str]) -> str:
    pieces: list[str] = []
    pos = 0
    for match in _MARKER_RE.finditer(segment):
        pieces.append(esc(segment[pos : match.start()]))
        pieces.append(_marker_link(match.group(0), marker_href))
        pos = match.end()
    pieces.append(esc(segment[pos:]))
    return "".join(pieces)


def _marker_link(marker: str, marker_href: dict[str, str]) -> str:
    target = marker_href.get(marker)
    label = esc(marker)
    if target is None:
        return f'<span class="cite-marker-missing">{label}</span>'
    return f'<a class="cite-marker" href="#{target}" title="Show the source">{label}</a>'
