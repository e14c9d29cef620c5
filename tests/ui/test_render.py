from advisor.schema import MatchedSpan
from tests.ui.samples import SITUATION, diagnosis, situation_answer
from ui.render_answer import AnswerRenderer, card_id
from ui.render_diagnosis import DiagnosisRenderer, highlight
from ui.safe_html import esc


def test_answer_has_a_card_per_citation_with_marker_links() -> None:
    answer = situation_answer()
    html = AnswerRenderer().render(answer, "t1")
    for citation in answer.citations:
        assert f'id="{card_id("t1", citation.marker)}"' in html
        assert f'href="#{card_id("t1", citation.marker)}"' in html
    assert html.count('<details class="cite-card"') == 3
    assert "Head of Data, Head of Analytics, RetailCo" in html
    assert "5.1 Proving the concept" in html


def test_hostile_answer_and_citation_text_stay_text() -> None:
    answer = situation_answer("\n- <script>alert(1)</script> [x](javascript:alert(2))")
    evil = answer.citations[0].model_copy(update={"text": "<img src=x onerror=alert(3)>", "title": "<b>T</b>"})
    answer = answer.model_copy(update={"citations": [evil, *answer.citations[1:]]})
    html = AnswerRenderer().render(answer, "t1")
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "javascript:" not in html
    assert "&lt;script&gt;" in html


def test_highlight_marks_the_users_words() -> None:
    html = highlight(SITUATION, [s for r in diagnosis().rules_fired for s in r.matched])
    assert "<mark>nothing is live yet</mark>" in html
    assert "<mark>each team ships models its own way</mark>" in html


def test_highlight_falls_back_to_searching_when_offsets_disagree() -> None:
    html = highlight("<x> then it broke", [MatchedSpan(text="it broke", start=0, end=3)])
    assert html.endswith("<mark>it broke</mark>")
    assert html.startswith("&lt;x&gt;")


def test_diagnosis_panel_lists_challenges_practices_rules() -> None:
    html = DiagnosisRenderer().render(diagnosis(), SITUATION)
    for text in ("Proving the concept", "Context sensitivity", "Synchronizing efforts", esc("nothing_live"), "<mark>"):
        assert text in html
    assert "Describe your organization" in DiagnosisRenderer().render(None)


def test_rule_conclusions_are_spelled_out() -> None:
    from ui.rule_words import conclusion_words

    words = conclusion_words("phase=proving_concept; component_phase=data_pipeline/productionizing (answer: Shared)")
    assert words == "overall phase: Proving the concept; Data pipeline at Productionizing (answer: Shared)"
    assert conclusion_words("free text stays") == "free text stays"
