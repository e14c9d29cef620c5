"""The LLM answer writer with a scripted backend: structure, streaming, the check, busy and failures.

The backend is a small class that replays fixed replies (the real models run in ``test_local_llm.py``
under the ``llm`` marker and in ``test_llm_backends.py`` against a real HTTP server), so every branch of
the writer is exercised exactly and fast.
"""

from __future__ import annotations

import json
import threading

from advisor.answer.citations import CitationChecker
from advisor.answer.evidence import Evidence, to_citation
from advisor.answer.llm_composer import Accepted, FellBack, LLMComposer
from advisor.answer.llm_output import SentenceStream, answer_schema, parse_free_text
from advisor.answer.prompts import load_prompts
from advisor.llm.backend import ChatReply, ChatRequest, LLMTimeoutError
from advisor.llm.limiter import GenerationSlots
from advisor.schema import Component, Phase
from knowledge.schema import RecordKind
from tests.advisor.helpers import PIPELINE, PLATFORM, QUOTE, diagnosis, hit

PIPE_TEXT = "In the productionizing phase firms automate their data pipeline so that models can be retrained."
PLAT_TEXT = "In the platformizing phase firms build reusable components that many teams share."


class Scripted:
    name = "scripted"

    def __init__(
        self,
        reply: str | Exception | list[str | Exception],
        structured: bool = True,
        gate: threading.Event | None = None,
    ) -> None:
        self.replies = reply if isinstance(reply, list) else [reply]  # one per request; the last one repeats
        self.structured = structured
        self.gate = gate
        self.requests: list[ChatRequest] = []

    def warm_up(self) -> None:
        pass

    def complete(self, request: ChatRequest, on_text=None) -> ChatReply:
        self.requests.append(request)
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        if self.gate is not None:
            self.gate.wait(5)
        if isinstance(reply, Exception):
            raise reply
        for i in range(0, len(reply), 7):  # stream in small pieces, as a model does
            if on_text:
                on_text(reply[i : i + 7])
        return ChatReply(text=reply, structured=self.structured, seconds=0.5, output_tokens=40)


def composer(backend, limit: int = 1) -> LLMComposer:
    return LLMComposer(
        backend, CitationChecker(), load_prompts(), provider="local", max_tokens=300, slots=GenerationSlots(limit)
    )


EVIDENCE = Evidence(answer=[PIPELINE, PLATFORM])  # numbered [1] pipeline, [2] platform


def structured(*sentences: tuple[str, list[int]]) -> str:
    return json.dumps({"sentences": [{"text": t, "passages": p} for t, p in sentences]})


def test_schema_limits_passage_numbers_to_those_shown():
    schema = answer_schema(3, ("sentences",), 5)
    item = schema["properties"]["sentences"]["items"]["properties"]["passages"]["items"]
    assert item["enum"] == [1, 2, 3]
    assert schema["properties"]["sentences"]["maxItems"] == 5


def test_stream_scanner_yields_each_sentence_when_its_object_closes():
    text = structured((PIPE_TEXT, [1]), ('A brace } and a quote " inside.', [2]))
    scanner = SentenceStream()
    seen = []
    for i in range(len(text)):
        seen.extend(s.text for s in scanner.feed(text[i]))
    assert seen == [PIPE_TEXT, 'A brace } and a quote " inside.']


def test_free_text_markers_are_read():
    got = parse_free_text("Firms automate pipelines [1]. Teams share components [2][3].")
    assert [(s.text, s.passages) for s in got] == [
        ("Firms automate pipelines.", [1]),
        ("Teams share components.", [2, 3]),
    ]


def test_grounded_structured_answer_is_accepted_and_cited():
    backend = Scripted(structured((PIPE_TEXT, [1]), (PLAT_TEXT, [2])))
    outcome = composer(backend).compose("What changes from productionizing to platformizing?", EVIDENCE, None)
    assert isinstance(outcome, Accepted), outcome
    assert outcome.report.dropped == 0 and len(outcome.report.citations) == 2
    assert backend.requests[0].json_schema is not None
    assert "Question: What changes" in backend.requests[0].messages[-1].content


def test_wrong_number_is_reattributed_and_invention_dropped():
    backend = Scripted(structured((PIPE_TEXT, [2]), (PLAT_TEXT, [2]), ("Every firm must spend 4 million euros.", [1])))
    outcome = composer(backend).compose("What do firms do?", EVIDENCE, None)
    assert isinstance(outcome, Accepted)
    assert outcome.report.repaired == 1 and outcome.report.dropped + outcome.withheld == 1
    assert "4 million" not in outcome.report.text


def test_a_model_sentence_padding_its_passage_with_details_it_lacks_is_withheld():
    from knowledge.embedding import Embedder

    padded = "Firms automate their data pipeline by hiring many new engineers and running weekly training sessions."
    checker = CitationChecker(Embedder())
    assert checker.supports(padded, [PIPE_TEXT])[0]  # a close paraphrase to the offline check: 0.36 of its words
    backend = Scripted(structured((PIPE_TEXT, [1]), (PLAT_TEXT, [2]), (padded, [1])))
    writer = LLMComposer(backend, checker, load_prompts(), provider="local", max_tokens=300, slots=GenerationSlots(1))
    outcome = writer.compose("What do firms do?", EVIDENCE, None)
    assert isinstance(outcome, Accepted)
    assert "hiring" not in outcome.report.text and outcome.withheld == 1
    streamed = "".join(p for p in writer.stream("What do firms do?", EVIDENCE, None) if isinstance(p, str))
    assert "hiring" not in streamed and "data pipeline" in streamed


def test_ungrounded_answer_falls_back_with_the_reason():
    backend = Scripted(structured(("AI is great for everyone.", [1]), ("Buy more GPUs today.", [2])))
    outcome = composer(backend).compose("What do firms do?", EVIDENCE, None)
    assert isinstance(outcome, FellBack) and "supported" in outcome.reason


def test_backend_failure_is_a_typed_fallback():
    outcome = composer(Scripted(LLMTimeoutError("after 3 s"))).compose("What do firms do?", EVIDENCE, None)
    assert isinstance(outcome, FellBack) and "did not answer in time" in outcome.reason


def test_streamed_pieces_are_checked_sentences_with_running_markers():
    backend = Scripted(
        structured((PIPE_TEXT, [1]), ("Unsupported claim about rockets and moons.", [1]), (PLAT_TEXT, [2]))
    )
    items = list(composer(backend).stream("What do firms do?", EVIDENCE, None))
    pieces = [i for i in items if isinstance(i, str)]
    assert len(pieces) == 2 and pieces[0].rstrip().endswith("[1]") and pieces[1].rstrip().endswith("[2]")
    assert not any("rockets" in p for p in pieces)
    assert isinstance(items[-1], Accepted)


def test_a_request_beyond_the_limit_is_told_at_once_that_the_model_is_busy():
    gate = threading.Event()
    slow = composer(Scripted(structured((PIPE_TEXT, [1]), (PLAT_TEXT, [2])), gate=gate), limit=1)
    first = slow.stream("What do firms do?", EVIDENCE, None)
    holder = threading.Thread(target=lambda: list(first))
    holder.start()
    for _ in range(100):  # until the first request holds the slot
        if not slow.slots.try_acquire():
            break
        slow.slots.release()
        threading.Event().wait(0.01)
    outcome = slow.compose("Another question?", EVIDENCE, None)
    gate.set()
    holder.join(5)
    assert isinstance(outcome, FellBack) and "busy" in outcome.reason
    assert slow.slots.try_acquire()  # the slot is free again once the first answer is done


def test_situation_keeps_sections_and_the_offline_quotes():
    quote = f"“{QUOTE.text}” — {QUOTE.speaker}. [2]"
    offline_text = f"**Where you stand**\n{PIPE_TEXT} [1]\n\n**What practitioners said**\n- {quote}"
    offline = CitationChecker().check(offline_text, [to_citation(PIPELINE, 1), to_citation(QUOTE, 2)])
    assert offline.dropped == 0
    reply = json.dumps(
        {
            "where_you_stand": [{"text": PIPE_TEXT, "passages": [1]}],
            "what_to_do_next": [{"text": "1. " + PLAT_TEXT, "passages": [3]}],
            "watch_for": [
                {"text": "Data quality checks run every night and failures go to the data owners.", "passages": [1]}
            ],
        }
    )
    situation = diagnosis(phase=Phase.PRODUCTIONIZING, components=[Component.DATA_PIPELINE])
    backend = Scripted(reply)
    evidence = Evidence(answer=[PIPELINE, PLATFORM], quote=[QUOTE])  # [1] pipeline, [2] quote, [3] platform
    outcome = composer(backend).compose("Where do we stand?", evidence, situation, offline)
    assert isinstance(outcome, Accepted), outcome
    text = outcome.report.text
    assert text.index("**Where you stand**") < text.index("**What to do next**") < text.index("**Watch for**")
    assert text.index("**What practitioners said**") < text.index("**Watch for**")
    assert "1. 1." not in text and "1. In the platformizing" in text
    assert QUOTE.text in text  # the practitioner's words verbatim, never paraphrased by the model
    assert "Diagnosis of the user's situation: phase:" in backend.requests[0].messages[-1].content


def test_a_looping_model_is_shown_each_sentence_once():
    backend = Scripted(structured((PIPE_TEXT, [1]), (PIPE_TEXT, [1]), (PIPE_TEXT + " Again.", [1]), (PLAT_TEXT, [2])))
    items = list(composer(backend).stream("What do firms do?", EVIDENCE, None))
    pieces = [i for i in items if isinstance(i, str)]
    outcome = items[-1]
    assert len(pieces) == 2
    assert isinstance(outcome, Accepted) and outcome.report.text.count("automate their data pipeline") == 1


def test_a_sentence_cites_only_the_passage_that_says_it():
    backend = Scripted(structured((PIPE_TEXT, [1, 2]), (PLAT_TEXT, [2, 1])))
    outcome = composer(backend).compose("What do firms do?", EVIDENCE, None)
    assert isinstance(outcome, Accepted)
    first, second = outcome.report.text.split("\n\n")
    assert first.endswith("[1]") and "[2]" not in first
    assert second.endswith("[2]") and "[1]" not in second


def test_a_situation_streams_where_you_stand_before_the_model_writes():
    offline_text = f"**Where you stand: the “productionizing” phase**\n{PIPE_TEXT} [1]"  # placement in the heading
    offline = CitationChecker().check(offline_text, [to_citation(PIPELINE, 1)])
    reply = json.dumps(
        {
            "what_to_do_next": [{"text": PLAT_TEXT, "passages": [2]}, {"text": PIPE_TEXT, "passages": [1]}],
            "watch_for": [{"text": PIPE_TEXT, "passages": [1]}],
        }
    )
    gate = threading.Event()  # the model writes nothing until the lead was read
    backend = Scripted(reply, gate=gate)
    situation = diagnosis(phase=Phase.PRODUCTIONIZING, components=[Component.DATA_PIPELINE])
    stream = composer(backend).stream("Where do we stand?", EVIDENCE, situation, offline)
    first = next(stream)
    assert isinstance(first, str) and first.startswith("**Where you stand: the “productionizing” phase**\n")
    assert PIPE_TEXT in first
    assert "[1]" in first  # numbered first, as in the final answer
    gate.set()
    rest = list(stream)
    outcome = rest[-1]
    assert isinstance(outcome, Accepted)
    assert outcome.report.text.startswith("**Where you stand: the “productionizing” phase**")
    assert "".join(p for p in rest if isinstance(p, str)).lstrip().startswith("**What to do next**")


def test_a_list_answer_that_leaves_out_an_item_falls_back_naming_it():
    from advisor.answer.lists import ListEvidence, ListItem, ListRequest

    def item(name: str) -> ListItem:
        return ListItem(id=name.lower(), name=name, definition="", records=[], spellings=[name.lower()])

    listing = ListEvidence(
        request=ListRequest(
            list_id="phases", lead="", items=[item("Productionizing"), item("Platformizing")], overview=[]
        ),
        hits={},
    )
    reply = structured((PIPE_TEXT, [1]), (PLAT_TEXT, [2]))  # names both phases
    ok = composer(Scripted(reply)).compose("What are the phases?", EVIDENCE, None, listing=listing)
    assert isinstance(ok, Accepted), ok
    checks = "Data quality checks run every night and failures are reported to the data owners."
    only_one = structured((PLAT_TEXT, [2]), (checks, [1]))  # supported, but names one phase of the two
    missed = composer(Scripted(only_one)).compose("What are the phases?", EVIDENCE, None, listing=listing)
    assert isinstance(missed, FellBack) and "did not name Productionizing" in missed.reason, missed


def test_a_passage_repeating_a_shown_one_gives_its_place_to_the_next():
    twin = PIPELINE.model_copy(update={"passage_id": "impl_scaling:passage:twin:01"})
    backend = Scripted(structured((PIPE_TEXT, [1]), (PLAT_TEXT, [2])))
    outcome = composer(backend).compose("What do firms do?", Evidence(answer=[PIPELINE, twin, PLATFORM]), None)
    assert isinstance(outcome, Accepted), outcome
    prompt = "\n".join(m.content for m in backend.requests[-1].messages if m.role == "user")
    assert "[1]" in prompt and "[2]" in prompt and "[3]" not in prompt  # the twin was left out, not numbered
    assert prompt.count(PIPELINE.text[:40]) == 1 and PLATFORM.text[:40] in prompt


def test_a_narrowed_citation_meets_the_model_floor_too():
    from knowledge.embedding import Embedder

    # Platform passage alone: 0.67 of the words. Pipeline passage alone: 0.44 plus a close meaning, enough for
    # the offline check, not for a model's sentence.
    both = "Firms automate their data pipeline and build reusable components that many teams share."
    backend = Scripted(structured((PIPE_TEXT, [1]), (both, [1, 2])))
    writer = LLMComposer(
        backend, CitationChecker(Embedder()), load_prompts(), provider="local", max_tokens=300, slots=GenerationSlots(1)
    )
    outcome = writer.compose("What do firms do?", EVIDENCE, None)
    assert isinstance(outcome, Accepted), outcome
    line = next(s for s in outcome.report.sentences if "reusable" in s.text)
    cited = {outcome.report.citations[n - 1].passage_id for n in line.cited}
    assert cited == {PLATFORM.passage_id}


def test_a_factual_answer_leads_from_the_best_passage_then_reads_the_rest():
    backend = Scripted([structured((PIPE_TEXT, [1])), structured((PIPE_TEXT, [1]), (PLAT_TEXT, [2]))])
    items = list(composer(backend).stream("What changes from productionizing to platformizing?", EVIDENCE, None))
    first, second = backend.requests
    assert "[1]" in first.messages[-1].content and "[2]" not in first.messages[-1].content
    lead = first.json_schema["properties"]["sentences"]
    assert lead["maxItems"] == load_prompts().limits_for("local").lead_sentences
    assert lead["minItems"] == 2  # the best passage has two sentences: two of the answer come from it
    assert second.json_schema["properties"]["sentences"]["minItems"] == 0  # the others may add nothing
    assert [m.role for m in second.messages] == ["system", "user", "assistant", "user"]
    assert second.messages[:2] == first.messages  # the same conversation: its KV cache is read again
    assert second.messages[2].content == structured((PIPE_TEXT, [1])) and "[2]" in second.messages[3].content
    pieces = [i for i in items if isinstance(i, str)]
    assert len(pieces) == 2 and "data pipeline" in pieces[0] and "reusable components" in pieces[1]  # no repeat
    outcome = items[-1]
    assert isinstance(outcome, Accepted) and len(outcome.report.citations) == 2


def test_a_second_turn_that_adds_nothing_keeps_a_lead_of_two_sentences():
    nightly = "Data quality checks run every night and failures are reported to the data owners."
    backend = Scripted([structured((PIPE_TEXT, [1]), (nightly, [1])), json.dumps({"sentences": []})])
    outcome = composer(backend).compose("How do firms keep their data pipeline healthy?", EVIDENCE, None)
    assert isinstance(outcome, Accepted), outcome
    assert len(backend.requests) == 2 and "every night" in outcome.report.text


def test_a_best_passage_of_one_sentence_asks_a_lead_of_one():
    backend = Scripted([structured((PLAT_TEXT, [1])), structured((PIPE_TEXT, [2]))])
    composer(backend).compose("What do firms do?", Evidence(answer=[PLATFORM, PIPELINE]), None)
    assert backend.requests[0].json_schema["properties"]["sentences"]["minItems"] == 1


def test_the_lead_streams_before_the_rest_is_asked():
    gate = threading.Event()

    class Held(Scripted):
        def complete(self, request, on_text=None):
            if self.requests:  # the second turn waits until the test has read the first sentence
                gate.wait(5)
            return super().complete(request, on_text)

    backend = Held([structured((PIPE_TEXT, [1])), structured((PLAT_TEXT, [2]))])
    stream = composer(backend).stream("What do firms do?", EVIDENCE, None)
    assert "data pipeline" in next(stream)
    assert len(backend.requests) == 1
    gate.set()
    assert isinstance(list(stream)[-1], Accepted)


def test_a_failed_second_turn_falls_back_with_its_reason():
    backend = Scripted([structured((PIPE_TEXT, [1])), LLMTimeoutError("after 3 s")])
    outcome = composer(backend).compose("What do firms do?", EVIDENCE, None)
    assert isinstance(outcome, FellBack) and "did not answer in time" in outcome.reason


def test_an_endpoint_without_lead_first_is_asked_once():
    backend = Scripted(structured((PIPE_TEXT, [1]), (PLAT_TEXT, [2])))
    writer = LLMComposer(
        backend, CitationChecker(), load_prompts(), provider="openai", max_tokens=300, slots=GenerationSlots(1)
    )
    assert isinstance(writer.compose("What do firms do?", EVIDENCE, None), Accepted)
    assert len(backend.requests) == 1 and "Question: What do firms do?" in backend.requests[0].messages[-1].content


def test_the_schema_admits_no_key_of_the_models_own():
    schema = answer_schema(3, ("sentences",), 4)
    assert schema["additionalProperties"] is False
    assert schema["properties"]["sentences"]["items"]["additionalProperties"] is False


def test_a_reply_cut_short_mid_json_keeps_its_closed_sentences_and_shows_no_json():
    cut = structured((PIPE_TEXT, [1]), (PLAT_TEXT, [2]))[:-2] + ',"sentences [{":":",",":":",",":":'  # the token limit
    writer = LLMComposer(
        Scripted(cut), CitationChecker(), load_prompts(), provider="openai", max_tokens=300, slots=GenerationSlots(1)
    )
    items = list(writer.stream("What do firms do?", EVIDENCE, None))
    outcome = items[-1]
    assert isinstance(outcome, Accepted), outcome
    shown = "".join(i for i in items if isinstance(i, str)) + outcome.report.text
    assert "data pipeline" in shown and "reusable components" in shown
    assert "{" not in shown and '":' not in shown


def test_a_copied_first_person_quote_is_shown_as_the_speakers_quotation():
    nolis = hit(
        "q.nolis",
        "We originally released our models in R. It was just R in a Docker container as an API.",
        kind=RecordKind.QUOTE,
        speaker="Heather Nolis",
        company="T-Mobile",
    )
    copied = "We originally released our models in R."
    replies = [structured((copied, [1])), structured((PIPE_TEXT, [2]))]
    question = "How did T-Mobile first put models into production?"
    evidence = Evidence(answer=[nolis, PIPELINE])
    streamed = "".join(p for p in composer(Scripted(replies)).stream(question, evidence, None) if isinstance(p, str))
    shown = "“We originally released our models in R.” — Heather Nolis, T-Mobile. [1]"
    assert shown in streamed
    outcome = composer(Scripted(replies)).compose(question, evidence, None)
    assert isinstance(outcome, Accepted), outcome
    assert shown in outcome.report.text and outcome.report.dropped == 0
