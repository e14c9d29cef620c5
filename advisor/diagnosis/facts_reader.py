"""The step that asks a model for a message's situation facts, checks them, and caches what it read.

``SituationFactsReader.run`` never raises to its caller: a backend that fails, times out or is busy (the
typed errors of ``advisor.llm.backend``) or a reply that is not the facts shape gives an empty
``SituationFacts`` whose ``reason`` says why, and the Diagnoser places the situation from the words alone.
Readings are cached per message text in a JSONL file keyed by sha256 of (prompt version, model, message),
so re-running a cross-validation does not ask the model again. The cache holds the model's reply, not the
verified facts: verification runs on every read, so a change to it needs no new model call.
"""

from __future__ import annotations

import hashlib
import logging
import string
import threading
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from advisor.diagnosis.facts import FACT_NAMES, FactsReply, SituationFacts, reply_schema, verify
from advisor.llm.backend import ChatBackend, ChatMessage, ChatRequest, LLMError
from knowledge.datafile import load_yaml_model

DEFAULT_PROMPT_FILE = Path(__file__).with_name("facts_prompt.yaml")
CACHE_FILE_NAME = "situation_facts_cache.jsonl"
log = logging.getLogger(__name__)


class FactsReader(Protocol):
    """What the Diagnoser needs from a facts reader (``SituationFactsReader`` or a test double)."""

    def warm_up(self) -> None: ...

    def run(self, message: str) -> SituationFacts: ...


class FactsPrompts(BaseModel):
    """The facts prompt file: a constant system prompt, a user template with ``{message}``, a token budget."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    max_tokens: int = Field(ge=60, le=1000)
    system: str = Field(min_length=40)
    user: str = Field(min_length=9)

    @field_validator("user")
    @classmethod
    def _one_placeholder(cls, value: str) -> str:
        fields = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        if fields != {"message"}:
            raise ValueError(f"the user template must use exactly the placeholder {{message}}, got {sorted(fields)}")
        return value

    @field_validator("system")
    @classmethod
    def _names_every_fact(cls, value: str) -> str:
        missing = [name for name in FACT_NAMES if f"{name}:" not in value]
        if missing:
            raise ValueError(f"the system prompt must define every fact as 'name:'; missing {missing}")
        return value

    @property
    def key(self) -> str:
        """The prompt's identity in the cache: its version and a hash of its text (an edit is a new prompt)."""
        digest = hashlib.sha256(f"{self.max_tokens}\n{self.system}\n{self.user}".encode()).hexdigest()[:10]
        return f"v{self.version}-{digest}"


def load_facts_prompts(path: Path = DEFAULT_PROMPT_FILE) -> FactsPrompts:
    return load_yaml_model(Path(path), FactsPrompts)


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    prompt: str
    model: str
    reply: FactsReply
    seconds: float = Field(ge=0)


class FactsCache:
    """Model replies per (prompt, model, message) in one JSONL file; unreadable lines are skipped."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._entries: dict[str, _Entry] | None = None
        self._lock = threading.Lock()

    @staticmethod
    def key(prompt: str, model: str, message: str) -> str:
        return hashlib.sha256(f"{prompt}\n{model}\n{message}".encode()).hexdigest()

    def _load(self) -> dict[str, _Entry]:
        if self._entries is None:
            self._entries = {}
            try:
                lines = self.path.read_text(encoding="utf-8").splitlines()
            except OSError:
                lines = []
            for line in lines:
                try:
                    entry = _Entry.model_validate_json(line)
                except ValidationError:
                    continue
                self._entries[entry.key] = entry
        return self._entries

    def get(self, key: str) -> _Entry | None:
        with self._lock:
            return self._load().get(key)

    def put(self, entry: _Entry) -> None:
        with self._lock:
            self._load()[entry.key] = entry
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as out:
                    out.write(entry.model_dump_json() + "\n")
            except OSError as exc:  # a read-only data dir costs a re-ask next time, nothing else
                log.warning("cannot write the facts cache %s: %s", self.path, exc)


def _json_object(text: str) -> str:
    """Return the outermost ``{...}`` of a reply (a free-text endpoint may wrap the JSON in words or fences)."""
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if 0 <= start < end else text


class SituationFactsReader:
    """Cheap to construct; ``warm_up()`` loads the backend; ``run`` reads one message's facts."""

    def __init__(self, backend: ChatBackend, prompts: FactsPrompts | None = None, cache: FactsCache | None = None):
        if not callable(getattr(backend, "complete", None)):
            raise TypeError(f"backend must be a ChatBackend (with complete()), got {type(backend).__name__}")
        if prompts is not None and not isinstance(prompts, FactsPrompts):
            raise TypeError(f"prompts must be FactsPrompts, got {type(prompts).__name__}")
        self.backend = backend
        self.prompts = prompts or load_facts_prompts()
        self.cache = cache
        self.schema = reply_schema()

    @classmethod
    def for_data_dir(cls, backend: ChatBackend, data_dir: Path, prompts: FactsPrompts | None = None):
        """Build a reader whose cache lives in ``data_dir`` (the CLI's and the evals' set-up)."""
        return cls(backend, prompts, FactsCache(Path(data_dir) / CACHE_FILE_NAME))

    def warm_up(self) -> None:
        """Load the backend now; a failure is logged and left for ``run`` to report (it retries)."""
        try:
            self.backend.warm_up()
        except LLMError as exc:
            log.warning("facts reader: %s", exc)

    def request(self, message: str) -> ChatRequest:
        return ChatRequest(
            messages=[
                ChatMessage(role="system", content=self.prompts.system),
                ChatMessage(role="user", content=self.prompts.user.format(message=message)),
            ],
            json_schema=self.schema,
            max_tokens=self.prompts.max_tokens,
        )

    def run(self, message: str) -> SituationFacts:
        """Read, verify and (on success) cache the facts of ``message``; an empty result says why on failure."""
        name = self.backend.name
        key = FactsCache.key(self.prompts.key, name, message)
        entry = self.cache.get(key) if self.cache else None
        if entry is not None:
            return verify(message, entry.reply, source=f"cache:{name}")
        try:
            reply = self.backend.complete(self.request(message))
        except LLMError as exc:
            return SituationFacts.empty(str(exc), source=name)
        try:
            parsed = FactsReply.model_validate_json(_json_object(reply.text))
        except ValidationError as exc:
            where = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "(top level)"
            return SituationFacts.empty(f"the model's reply is not the facts shape ({where})", source=name)
        if self.cache is not None:
            self.cache.put(_Entry(key=key, prompt=self.prompts.key, model=name, reply=parsed, seconds=reply.seconds))
        return verify(message, parsed, source=name, seconds=reply.seconds)
