"""Situation facts: the schema and quote check, the facts rules, the reader over real HTTP, the CLI, the real model.

The reader is tested against a real loopback server speaking the OpenAI chat API (tests/advisor/openai_server.py,
here answering with a facts reply set per test), so the request, the schema constraint and every failure path go
through the same HTTP client the product uses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from advisor.cli.main import cli
from advisor.diagnosis import Diagnoser
from advisor.diagnosis.facts import (
    FACT_NAMES,
    FactsReply,
    SituationFacts,
    fact_values,
    find_quote,
    reply_schema,
    verify,
)
from advisor.diagnosis.facts_reader import (
    CACHE_FILE_NAME,
    FactsCache,
    SituationFactsReader,
    load_facts_prompts,
)
from advisor.diagnosis.facts_rules import FactsRuleEngine, load_facts_rules
from advisor.llm.backend import ChatReply, ChatRequest, LLMBusyError
from advisor.llm.openai_backend import OpenAICompatibleBackend
from advisor.schema import Phase
from knowledge.datafile import DataFileError
from tests.advisor.openai_server import OpenAIServer, _completion, _Handler, closed_port

RECORDS = Path(__file__).resolve().parents[3] / "knowledge" / "data" / "records.jsonl"
MESSAGE = "We run about Ten models in production, and each squad deploys them its own way. Our data is a mess."
# A loose word ("pilot", "first chatbot") points at the first phase; the count and the platform say otherwise.
SCALE_MESSAGE = (
    "Each of our business lines keeps its own forecasts running on the group machine learning service - well "
    "over a hundred of them. Our first chatbot pilot starts next month."
)


def reply(**facts: tuple[str, str] | None) -> FactsReply:
    """A model reply: ``name=(value, quote)`` for the facts given, null for the rest."""
    data = {name: None for name in FACT_NAMES}
    for name, fact in facts.items():
        data[name] = None if fact is None else {"quote": fact[1], "value": fact[0]}
    return FactsReply.model_validate(data)


# ------------------------------------------------------------------ schema and quote verification
def test_schema_is_the_reply_model_inlined_with_every_fact_required() -> None:
    schema = reply_schema()
    assert "$ref" not in json.dumps(schema) and "$defs" not in schema
    assert schema["required"] == list(FACT_NAMES)
    for name in FACT_NAMES:
        branches = schema["properties"][name]["anyOf"]
        obj = next(b for b in branches if b.get("type") == "object")
        assert {"type": "null"} in branches
        assert obj["required"] == ["quote", "value"]
        assert obj["properties"]["value"]["enum"] == list(fact_values(name))


def test_quote_found_case_and_whitespace_normalised_with_exact_offsets() -> None:
    message = "Honestly,  we don’t have\nany model LIVE yet."
    span = find_quote(message, "we don't have any model live yet.")
    assert span is not None
    assert message[span.start : span.end] == span.text == "we don’t have\nany model LIVE yet"


def test_fabricated_quote_is_dropped_with_the_reason() -> None:
    facts = verify(MESSAGE, reply(models=("dozens", "hundreds of models on our platform"), obstacle=("data", "data")))
    assert facts.facts == []
    assert any("not in the message" in d for d in facts.dropped)
    assert any("obstacle" in d for d in facts.dropped)  # one short word matches almost anything: too short


def test_a_count_rests_on_the_users_number() -> None:
    facts = verify(MESSAGE, reply(models=("dozens", "about Ten models in production")))
    assert facts.value("models") == "several"  # the number the user wrote decides, not the model's band
    assert "read as several" in facts.adjusted[0]
    assert verify(MESSAGE, reply(models=("several", "about Ten models in production"))).adjusted == []
    assert facts.facts[0].number == 10
    implied = verify(MESSAGE, reply(models=("dozens", "each squad deploys them")))
    assert implied.value("models") == "dozens" and implied.facts[0].number is None
    nothing = verify("Nothing is live yet.", reply(models=("none", "Nothing is live yet")))
    assert nothing.value("models") == "none"


def test_verified_facts_carry_the_users_words() -> None:
    facts = verify(
        MESSAGE,
        reply(
            models=("several", "ten models in production"),
            build=("each_team_own_way", "each squad deploys them its own way"),
            obstacle=("data", "Our data is a mess"),
        ),
    )
    assert [f.fact for f in facts.facts] == ["models", "build", "obstacle"]
    for fact in facts.facts:
        assert MESSAGE[fact.span.start : fact.span.end] == fact.span.text
    assert facts.reason is None and facts.dropped == []


# ------------------------------------------------------------------ the prompt file
def test_prompt_file_loads_and_its_key_changes_with_its_text(tmp_path: Path) -> None:
    prompts = load_facts_prompts()
    assert "{message}" in prompts.user and all(f"{name}:" in prompts.system for name in FACT_NAMES)
    edited = prompts.model_copy(update={"system": prompts.system + " Be brief."})
    assert edited.key != prompts.key


def test_prompt_file_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "facts_prompt.yaml"
    bad.write_text("version: 1\nmax_tokens: 200\nsystem: too short\nuser: 'Message: {text}'\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_facts_prompts(bad)
    assert str(bad) in str(err.value) and err.value.line == 3


# ------------------------------------------------------------------ rules from facts
def test_facts_rules_load_and_cite_existing_records() -> None:
    ids = {json.loads(line)["id"] for line in RECORDS.read_text(encoding="utf-8").splitlines() if line.strip()}
    rules = load_facts_rules()
    assert rules and all(r.id.startswith("facts.") for r in rules)
    assert {rec for r in rules for rec in r.records} <= ids


def test_facts_rule_with_an_unknown_value_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(
        "rules:\n  - id: facts.models.x\n    description: a bad value\n    when: {models: [lots]}\n"
        "    then:\n      - phase: platformizing\n    weight: 1.0\n    records: [x]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as err:
        load_facts_rules(path)
    assert err.value.line == 4 and "lots" in str(err.value)


def test_fired_facts_rules_show_the_quotes_they_read() -> None:
    facts = verify(
        MESSAGE,
        reply(models=("several", "ten models in production"), build=("each_team_own_way", "each squad deploys")),
    )
    fired = {f.rule_id: f for f in FactsRuleEngine().run(facts)}
    assert {"facts.models.several", "facts.build.each_team_own_way", "facts.scale.production"} <= set(fired)
    assert [s.text for s in fired["facts.scale.production"].matched] == [
        "Ten models in production",
        "each squad deploys",
    ]
    assert FactsRuleEngine().run(SituationFacts.empty("no backend")) == []


@pytest.fixture(scope="module")
def lexical() -> Diagnoser:
    return Diagnoser(use_embeddings=False)


def test_clear_count_and_build_outweigh_a_loose_word(lexical: Diagnoser) -> None:
    report = lexical.detect(SCALE_MESSAGE)
    assert lexical.diagnose_report(report).phase == Phase.PROVING_CONCEPT  # the words alone: "pilot", "first"
    facts = verify(
        SCALE_MESSAGE,
        reply(
            models=("dozens", "well over a hundred of them"),
            build=("one_platform", "running on the group machine learning service"),
        ),
    )
    diagnosis = lexical.diagnose_report(report, facts=facts)
    assert diagnosis.phase == Phase.PLATFORMIZING
    traced = {r.rule_id: r for r in diagnosis.rules_fired}
    assert [m.text for m in traced["facts.models.dozens"].matched] == ["well over a hundred of them"]
    for fired in diagnosis.rules_fired:
        for span in fired.matched:
            assert SCALE_MESSAGE[span.start : span.end] == span.text


def test_without_a_reader_the_diagnosis_is_the_words_alone(lexical: Diagnoser) -> None:
    diagnosis = lexical.diagnose(MESSAGE)
    assert lexical.read_facts(MESSAGE) is None
    assert not any(r.rule_id.startswith("facts.") for r in diagnosis.rules_fired)


# ------------------------------------------------------------------ the reader over real HTTP
class _FactsHandler(_Handler):
    """Answers mode ``facts`` with the server's ``reply`` text; every other mode as the shared test server does."""

    server: FactsServer

    def do_POST(self) -> None:
        if self.server.mode != "facts":
            super().do_POST()
            return
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.server.requests.append(body)
        if body.get("stream"):
            self._stream(self.server.reply)
        else:
            self._send(200, _completion(self.server.reply))


class FactsServer(OpenAIServer):
    def __init__(self) -> None:
        super().__init__()
        self.RequestHandlerClass = _FactsHandler
        self.mode = "facts"
        self.reply = ""


@pytest.fixture
def server():
    with FactsServer() as s:
        yield s


def http_reader(url: str, tmp_path: Path, timeout_s: float = 5.0) -> SituationFactsReader:
    backend = OpenAICompatibleBackend(url, "test-model", None, timeout_s)
    return SituationFactsReader.for_data_dir(backend, tmp_path)


GOOD = reply(
    models=("several", "about ten models in production"),
    build=("each_team_own_way", "each squad deploys them its own way"),
    obstacle=("data", "Our data is a mess"),
    decide=("team_setup", "should we centralize the platform team"),  # not said: dropped
)


def test_reader_sends_the_schema_and_keeps_only_verified_facts(server: FactsServer, tmp_path: Path) -> None:
    server.reply = GOOD.model_dump_json()
    facts = http_reader(server.base_url, tmp_path).run(MESSAGE)
    assert facts.reason is None and facts.source == "openai:test-model"
    assert [(f.fact, f.value) for f in facts.facts] == [
        ("models", "several"),
        ("build", "each_team_own_way"),
        ("obstacle", "data"),
    ]
    assert len(facts.dropped) == 1 and facts.dropped[0].startswith("decide=team_setup")
    (body,) = server.requests
    assert body["response_format"]["json_schema"]["schema"] == reply_schema()
    assert body["messages"][0]["role"] == "system" and MESSAGE in body["messages"][1]["content"]


def test_second_read_comes_from_the_cache(server: FactsServer, tmp_path: Path) -> None:
    server.reply = GOOD.model_dump_json()
    first = http_reader(server.base_url, tmp_path).run(MESSAGE)
    (tmp_path / CACHE_FILE_NAME).open("a", encoding="utf-8").write("{not json\n")
    again = http_reader(server.base_url, tmp_path).run(MESSAGE)  # a new reader: read back from the file
    assert len(server.requests) == 1
    assert again.source == "cache:openai:test-model" and again.facts == first.facts
    http_reader(server.base_url, tmp_path).run(MESSAGE + " Also, we are hiring.")
    assert len(server.requests) == 2  # another message is another key


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("rate_limited", "rate-limiting"), ("garbage", "not valid"), ("slow", "did not answer in time")],
)
def test_failing_backend_gives_empty_facts_with_the_reason(
    server: FactsServer, tmp_path: Path, mode: str, reason: str
) -> None:
    server.mode, server.delay_s = mode, 2.0
    facts = http_reader(server.base_url, tmp_path, timeout_s=0.5).run(MESSAGE)
    assert facts.facts == [] and facts.reason is not None and reason in facts.reason
    assert not (tmp_path / CACHE_FILE_NAME).exists()  # failures are not cached: the next run asks again


def test_reply_that_is_not_the_facts_shape_gives_empty_facts(server: FactsServer, tmp_path: Path) -> None:
    server.reply = json.dumps({"models": {"quote": "ten models", "value": "lots"}})
    facts = http_reader(server.base_url, tmp_path).run(MESSAGE)
    assert facts.facts == [] and "not the facts shape" in (facts.reason or "")


def test_unreachable_and_busy_backends_give_empty_facts(tmp_path: Path) -> None:
    facts = http_reader(f"http://127.0.0.1:{closed_port()}/v1", tmp_path).run(MESSAGE)
    assert facts.facts == [] and "cannot be reached" in (facts.reason or "")

    class Busy:
        name = "busy"

        def warm_up(self) -> None: ...

        def complete(self, request: ChatRequest, on_text=None) -> ChatReply:
            raise LLMBusyError("2 answers running")

    busy = SituationFactsReader(Busy(), cache=FactsCache(tmp_path / "c.jsonl")).run(MESSAGE)
    assert "busy" in (busy.reason or "")


def test_reader_checks_its_arguments() -> None:
    with pytest.raises(TypeError):
        SituationFactsReader(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        SituationFactsReader(OpenAICompatibleBackend("http://x/v1", "m", None, 1), prompts={"version": 1})  # type: ignore[arg-type]


def test_diagnoser_with_a_reader_merges_the_facts(server: FactsServer, tmp_path: Path) -> None:
    server.reply = reply(
        models=("dozens", "well over a hundred of them"),
        build=("one_platform", "running on the group machine learning service"),
    ).model_dump_json()
    diagnoser = Diagnoser(use_embeddings=False, facts_reader=http_reader(server.base_url, tmp_path))
    diagnosis = diagnoser.diagnose(SCALE_MESSAGE)
    assert diagnosis.phase == Phase.PLATFORMIZING
    assert any(r.rule_id == "facts.scale.platform" for r in diagnosis.rules_fired)
    server.mode = "rate_limited"
    offline = Diagnoser(use_embeddings=False, facts_reader=http_reader(server.base_url, tmp_path / "other"))
    assert offline.diagnose(SCALE_MESSAGE).phase == Phase.PROVING_CONCEPT  # a failed read: the words alone


# ------------------------------------------------------------------ the CLI
def test_cli_provider_reads_facts_in_batch(server: FactsServer, settings, tmp_path: Path, monkeypatch) -> None:
    server.reply = GOOD.model_dump_json()
    monkeypatch.setenv("ADVISOR_LLM_BASE_URL", server.base_url)
    monkeypatch.setenv("ADVISOR_LLM_MODEL", "test-model")
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    batch = tmp_path / "in.jsonl"
    batch.write_text(json.dumps({"id": "a", "message": MESSAGE}) + "\n", encoding="utf-8")
    args = ["diagnose", "--batch", str(batch), "--no-embeddings"]
    result = CliRunner().invoke(cli, [*args, "--provider", "openai"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    diagnosis = json.loads(result.output.splitlines()[0])["diagnosis"]
    fired = {r["rule_id"]: r for r in diagnosis["rules_fired"]}
    assert fired["facts.obstacle.data"]["matched"][0]["text"] == "Our data is a mess"
    assert diagnosis["phase"] == Phase.PRODUCTIONIZING.value and "facts.models.several" in fired
    assert (settings.data_dir / CACHE_FILE_NAME).exists()
    offline = CliRunner().invoke(cli, args, catch_exceptions=False)  # default --provider none: words only
    assert not any(r["rule_id"].startswith("facts.") for r in json.loads(offline.output)["diagnosis"]["rules_fired"])
    assert len(server.requests) == 1


def test_cli_provider_without_a_model_name_says_what_to_set(settings, monkeypatch) -> None:
    monkeypatch.delenv("ADVISOR_LLM_MODEL", raising=False)
    result = CliRunner().invoke(cli, ["diagnose", MESSAGE, "--provider", "ollama", "--no-embeddings"])
    assert result.exit_code != 0 and "ADVISOR_LLM_MODEL" in result.output


# ------------------------------------------------------------------ the real bundled model
@pytest.mark.llm
@pytest.mark.parametrize(
    ("message", "phase"),
    [
        ("Nothing is live yet. A consultancy is helping us with a first pilot on invoice data.", Phase.PROVING_CONCEPT),
        (
            "We have about forty models in production, all on one shared platform that most teams use.",
            Phase.PLATFORMIZING,
        ),
    ],
)
def test_real_model_reads_facts_that_place_the_situation(local_backend, tmp_path: Path, message: str, phase) -> None:
    reader = SituationFactsReader.for_data_dir(local_backend, tmp_path)
    facts = reader.run(message)
    assert facts.reason is None, facts.reason
    assert facts.facts, facts.dropped
    for fact in facts.facts:
        assert message[fact.span.start : fact.span.end] == fact.span.text
    diagnoser = Diagnoser(use_embeddings=False, facts_reader=reader)
    assert diagnoser.diagnose(message).phase == phase
