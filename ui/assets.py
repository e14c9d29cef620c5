"""The page's own CSS and its one script (opening a citation card when its [n] marker is clicked).

The script is a single delegated listener: chat messages are re-rendered by Gradio all the time,
so nothing is attached to individual elements. It only follows our own ``#cite-…`` links
(Gradio's sanitizer keeps ids and fragment links, but drops data- attributes).
"""

from __future__ import annotations

HEAD = """
<script>
(function () {
  function openCard(id) {
    var card = document.getElementById(id);
    if (!card) { return false; }
    card.open = true;
    card.scrollIntoView({block: "nearest", behavior: "smooth"});
    card.classList.add("cite-flash");
    setTimeout(function () { card.classList.remove("cite-flash"); }, 1600);
    return true;
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target && ev.target.closest ? ev.target.closest("a.cite-marker") : null;
    if (!link) { return; }
    var id = (link.getAttribute("href") || "").replace(/^#/, "");
    if (/^[A-Za-z0-9_-]+$/.test(id) && openCard(id)) {
      ev.preventDefault();
      ev.stopPropagation();
    }
  }, true);
})();
</script>
"""

CSS = """
.gradio-container { max-width: 1320px !important; margin: auto; }
#advisor-header h1 { margin-bottom: 0; color: #14425a; }
#advisor-header p { margin-top: 4px; color: #4a5a66; }
.advisor-answer { line-height: 1.5; }
.advisor-answer .answer-heading { margin: 10px 0 4px; font-size: 1.02em; color: #14425a; }
.advisor-answer .answer-list { margin: 2px 0 6px 0; padding-left: 1.3em; }
.advisor-answer .answer-list li { margin-bottom: 4px; }
.advisor-answer .answer-note { color: #5b6670; }
.advisor-answer .scope-note { display: inline-block; font-size: 0.85em; padding: 2px 8px; border-radius: 10px;
  background: #fff4e0; color: #8a5a00; margin-bottom: 6px; }
.advisor-answer .answer-notice { font-size: 0.85em; padding: 4px 8px; border-left: 3px solid #d9a400;
  background: #fffaf0; margin: 6px 0; }
.advisor-answer .answer-backend { font-size: 0.75em; color: #8a949c; margin-top: 6px; }
a.cite-marker { font-weight: 600; text-decoration: none; color: #1f6f8b; padding: 0 1px; cursor: pointer; }
a.cite-marker:hover { text-decoration: underline; }
.cite-cards { margin-top: 10px; border-top: 1px solid #dde5ea; padding-top: 6px; max-height: 320px;
  overflow-y: auto; }
.cite-cards-label { font-size: 0.8em; color: #5b6670; margin-bottom: 4px; }
details.cite-card { border: 1px solid #d5e0e6; border-radius: 8px; margin: 5px 0; background: #fbfdfe; }
details.cite-card[open] { background: #f3f8fa; border-color: #9cc3d3; }
details.cite-card.cite-flash { box-shadow: 0 0 0 3px #f2c14e; }
details.cite-card summary { cursor: pointer; padding: 6px 10px; font-size: 0.88em; display: flex; flex-wrap: wrap;
  gap: 4px 8px; align-items: baseline; }
.cite-num { font-weight: 700; color: #1f6f8b; }
.cite-kind { font-size: 0.78em; text-transform: uppercase; letter-spacing: 0.03em; padding: 1px 6px; border-radius: 8px;
  background: #e6eef2; color: #33505e; }
.cite-kind-quote { background: #efe8f7; color: #553a7a; }
.cite-kind-playbook_step { background: #e8f4ea; color: #2f6a3a; }
.cite-kind-user_doc { background: #fdf0e3; color: #7a4a12; }
.cite-title { font-weight: 600; }
.cite-section { max-width: 28em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.cite-section { color: #5b6670; }
.cite-who { color: #553a7a; font-style: italic; }
.cite-text { margin: 4px 12px 6px; padding: 6px 10px; border-left: 3px solid #9cc3d3; background: white;
  font-size: 0.92em; white-space: normal; }
.cite-meta { font-size: 0.72em; color: #8a949c; padding: 0 12px 6px; }
.diag-empty { color: #5b6670; padding: 8px; font-size: 0.92em; }
.diag-summary { width: 100%; border-collapse: collapse; font-size: 0.9em; }
.diag-summary th { text-align: left; color: #4a5a66; font-weight: 600; padding: 3px 6px; width: 40%; }
.diag-summary td { padding: 3px 6px; }
.diag-summary, .diag-summary tr, .diag-summary th, .diag-summary td { border: none !important;
  border-bottom: 1px solid #e2e8ec !important; background: transparent !important; }
.diag-section h4 { margin: 10px 0 4px; color: #14425a; font-size: 0.95em; }
.diag-section ul { margin: 0; padding-left: 1.2em; font-size: 0.9em; }
.diag-message { padding: 6px 10px; background: #fbfbf6; border: 1px solid #ece6c8; border-radius: 6px;
  font-size: 0.9em; }
.diag-message mark { background: #ffe58a; padding: 0 2px; border-radius: 3px; }
.rule-id { font-size: 0.8em; background: #eef2f4; padding: 0 4px; border-radius: 4px; }
.rule-words { color: #5b6670; font-size: 0.85em; }
.doc-report { font-size: 0.9em; }
.doc-report .ok { color: #2f6a3a; }
.doc-report .failed { color: #a0281c; }
.user-message { white-space: normal; }
.message-hint { font-size: 0.78em; color: #8a949c; margin: -6px 0 2px 2px; }
.answer-status { display: flex; align-items: center; gap: 8px; color: #4a5a66; font-size: 0.9em; margin-top: 4px; }
.answer-spinner { width: 12px; height: 12px; border: 2px solid #c9dbe3; border-top-color: #1f6f8b;
  border-radius: 50%; animation: answer-spin 0.9s linear infinite; flex: none; }
@keyframes answer-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .answer-spinner { animation: none; } }
/* Calmer field labels than the theme's coloured chips: this is a consulting tool, not a toy. */
.gradio-container [data-testid="block-info"] { background: transparent !important; color: #14425a !important;
  font-weight: 600 !important; padding-left: 0 !important; }
"""
