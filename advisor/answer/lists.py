"""Recognize a question asking for a list the frameworks hold as data, and collect the records behind it.

"What are the phases of implementing and scaling AI?" wants the three phases named, each with what
defines it; ranking retrieved sentences by similarity gives sentences *about* phases that never name
them. The element nouns, their synonyms, the words naming each framework and the answer's lead sentence
are data (``lists.yaml``, validated on load with errors naming file and line); the elements, their names
and the records defining them come from the frameworks data (``advisor/frameworks``). The offline
composer turns a :class:`ListEvidence` into the answer (``OfflineComposer.factual``).
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path
from typing import Annotated, NoReturn, Protocol

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from advisor.answer.text import STOPWORDS
from advisor.frameworks import default_frameworks
from advisor.frameworks.models import Frameworks
from knowledge.datafile import DataFileError, LineIndex, Strict, load_yaml, validate
from knowledge.index.codec import matches, to_hit
from knowledge.schema import Record, SearchFilters, SearchHit

LISTS_FILE = Path(__file__).with_name("lists.yaml")
_COUNTS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _lead_template(text: str) -> str:
    fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    if "items" not in fields or not fields <= {"count", "items"}:
        raise ValueError("a lead must hold {items} and may hold {count}, nothing else in braces")
    return text


Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"[A-Za-z0-9]")]
Lead = Annotated[str, StringConstraints(min_length=10), AfterValidator(_lead_template)]


class Asking(Strict):
    openers: list[Phrase] = Field(min_length=1, description="Words that start asking: what, which, list, ...")
    fillers: list[Phrase] = Field(description="Function words allowed between the opener and the noun.")
    joiners: list[Phrase] = Field(default_factory=list, description="Words that may link two modifiers.")
    max_modifiers: int = Field(default=4, ge=0, le=8)
    not_qualifiers: list[Phrase] = Field(default_factory=list, description="Phrases a selection must not read.")


class Selection(Strict):
    """A part of a list a question can ask for ("technical components"): elements whose fields match."""

    words: list[Phrase] = Field(min_length=1)
    where: dict[str, str] = Field(min_length=1)
    lead: Lead


class ListSpec(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    framework: str
    elements: str = Field(description="The framework's field holding the elements (phases, practices, ...).")
    nouns: list[Phrase] = Field(min_length=1, description="Singular nouns naming the elements.")
    lead: Lead
    needs_framework: bool = False
    overview: list[str] = Field(default_factory=list, description="Records naming the whole list.")
    names: dict[str, str] = Field(default_factory=dict)
    aliases: dict[str, list[Phrase]] = Field(default_factory=dict)
    name_spells: bool = Field(default=True, description="False when a name is too plain a word to spot it by.")
    select: list[Selection] = Field(default_factory=list)


class ListsFile(Strict):
    asking: Asking
    sources: dict[str, list[Phrase]] = Field(min_length=1, description="Phrases naming each source in a question.")
    lists: list[ListSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_sources(self) -> ListsFile:
        ids = [spec.id for spec in self.lists]
        if len(set(ids)) != len(ids):
            raise ValueError("list ids must be unique")
        for spec in self.lists:
            if not spec.name_spells and not spec.aliases:
                raise ValueError(f"list {spec.id}: with name_spells false, give every element aliases")
        return self


class ListItem(Strict):
    id: str
    name: str
    definition: str
    records: list[str]
    spellings: list[str] = Field(description="The name and its aliases, as they may appear in a record.")


class ListRequest(Strict):
    """The list a question asks for, resolved against the frameworks data."""

    list_id: str
    lead: str
    items: list[ListItem]
    overview: list[str]

    def record_ids(self) -> list[str]:
        return list(dict.fromkeys([*self.overview, *(rid for item in self.items for rid in item.records)]))


class ListEvidence(Strict):
    """A list request with the records it names, fetched by id (only those the user's filters allow)."""

    request: ListRequest
    hits: dict[str, SearchHit]

    def hits_of(self, item: ListItem) -> list[SearchHit]:
        return [self.hits[rid] for rid in item.records if rid in self.hits]

    def names(self, text: str, item: ListItem) -> bool:
        words = _words(text)
        return any(_contains(words, _words(spelling)) for spelling in item.spellings)

    def names_other(self, text: str, item: ListItem) -> bool:
        return any(self.names(text, other) for other in self.request.items if other.id != item.id)

    def only_defines(self, hit: SearchHit, item: ListItem) -> bool:
        """Tell whether the record defines this element and no other one of the list."""
        return all(hit.passage_id not in other.records for other in self.request.items if other.id != item.id)

    def may_define(self, sentence: str, hit: SearchHit, item: ListItem) -> bool:
        """Tell whether a sentence of the element's records may define it.

        It may when it names no other element of the list, and names this one or comes from a record
        defining this one alone.
        """
        if self.names_other(sentence, item) or _GLUED_RE.search(sentence):
            return False
        return self.names(sentence, item) or self.only_defines(hit, item)

    def covering(self) -> list[SearchHit]:
        """Pick the overview and few records that together name every element: the lead sentence's citations."""
        pool = [self.hits[rid] for rid in self.request.record_ids() if rid in self.hits]
        chosen = [self.hits[rid] for rid in self.request.overview if rid in self.hits]
        left = [item for item in self.request.items if not any(self.names(hit.text, item) for hit in chosen)]
        while left:
            best = max(pool, key=lambda hit: sum(self.names(hit.text, item) for item in left))
            named = [item for item in left if self.names(best.text, item)]
            if not named:
                break
            chosen.append(best)
            left = [item for item in left if item not in named]
        for item in left:  # named by none of its records: cite the records that define it
            chosen.extend(hit for hit in self.hits_of(item)[:1] if hit not in chosen)
        return chosen

    def lead_sentence(self) -> str:
        names = [item.name for item in self.request.items]
        if not any(_titled(name) for name in names):  # "Proving the concept" reads lower-case mid-sentence
            names = [_inline(name) for name in names]
        items = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        count = _COUNTS[len(names)] if len(names) < len(_COUNTS) else str(len(names))
        return self.request.lead.format(count=count, items=items)


class RecordSource(Protocol):
    def get_record(self, record_id: str) -> Record:
        """Fetch one record by id."""
        ...


class FrameworkLists:
    def __init__(self, spec: ListsFile, frameworks: Frameworks) -> None:
        self.spec = spec
        self.frameworks = frameworks
        asking = spec.asking
        self._openers = [_words(o) for o in asking.openers]
        self._fillers = {w for f in asking.fillers for w in _words(f)}
        self._joiners = {w for f in asking.joiners for w in _words(f)}
        self._sources = {source: [_words(p) for p in phrases] for source, phrases in spec.sources.items()}

    @classmethod
    def load(cls, path: Path = LISTS_FILE, frameworks: Frameworks | None = None) -> FrameworkLists:
        data, lines = load_yaml(path)
        spec = validate(ListsFile, data, path, lines, kind="list")
        frameworks = frameworks or default_frameworks()
        _check_against(spec, frameworks, path, lines)
        return cls(spec, frameworks)

    # -- asking -------------------------------------------------------------------------------------------
    def sources_named(self, question: str) -> set[str]:
        """Return the sources a question names ("according to the playbook" names ops_playbook)."""
        words = _words(question)
        return {source for source, phrases in self._sources.items() if any(_contains(words, p) for p in phrases)}

    def request(self, question: str) -> ListRequest | None:
        """Return the list the question asks for, or None when it asks something else."""
        words = _words(question)
        named = self.sources_named(question)
        for start in range(len(words)):
            candidates = [spec for spec in self.spec.lists if any(_plural_at(words, start, n) for n in spec.nouns)]
            if not candidates or not self._asked_before(words, start):
                continue
            if named:
                chosen = next((spec for spec in candidates if spec.framework in named), None)
            else:
                chosen = next((spec for spec in candidates if not spec.needs_framework), None)
            if chosen is not None:
                return self._resolve(chosen, words)
        return None

    def _asked_before(self, words: list[str], start: int) -> bool:
        """Read back from the noun: modifiers next to it, then fillers, then an opener."""
        modifiers, after_filler = 0, False
        for j in range(start - 1, -1, -1):
            if any(j + 1 >= len(o) and words[j + 1 - len(o) : j + 1] == o for o in self._openers):
                return True
            word = words[j]
            if word in self._joiners and modifiers and not after_filler:
                continue
            if word in self._fillers:
                after_filler = True
            elif after_filler or word in STOPWORDS or modifiers >= self.spec.asking.max_modifiers:
                return False
            else:
                modifiers += 1
        return False

    def _resolve(self, spec: ListSpec, words: list[str]) -> ListRequest:
        elements = list(getattr(getattr(self.frameworks, spec.framework), spec.elements))
        for phrase in self.spec.asking.not_qualifiers:
            words = _without(words, _words(phrase))
        chosen = [s for s in spec.select if any(_contains(words, _words(w)) for w in s.words)]
        lead = spec.lead
        if chosen:
            kept = [e for e in elements if any(_selects(s, e) for s in chosen)]
            if kept and len(kept) < len(elements):
                elements = kept
                lead = chosen[0].lead if len(chosen) == 1 else spec.lead
        items = [
            ListItem(
                id=str(e.id),
                name=spec.names.get(str(e.id)) or e.name,
                definition=e.definition,
                records=list(e.records),
                spellings=[
                    *([spec.names.get(str(e.id)) or e.name] if spec.name_spells else []),
                    *spec.aliases.get(str(e.id), []),
                ],
            )
            for e in elements
        ]
        return ListRequest(list_id=spec.id, lead=lead, items=items, overview=list(spec.overview))

    # -- records ------------------------------------------------------------------------------------------
    def evidence(
        self, question: str, records: RecordSource, filters: SearchFilters | None = None
    ) -> ListEvidence | None:
        """Fetch the records of the asked list by id; None when nothing is asked or an element cannot be cited."""
        request = self.request(question)
        get_record = getattr(records, "get_record", None)  # a stand-in retriever may only search
        if request is None or get_record is None:
            return None
        hits: dict[str, SearchHit] = {}
        for record_id in request.record_ids():
            try:
                record = get_record(record_id)
            except KeyError:
                continue
            if matches(record, filters):
                hits[record_id] = to_hit(record, 1.0)
        listed = ListEvidence(request=request, hits=hits)
        return listed if all(listed.hits_of(item) for item in request.items) else None


@lru_cache(maxsize=1)
def default_lists() -> FrameworkLists:
    return FrameworkLists.load()


# Words run together where a table's cells were joined ("Phases(Re)Initiating AlignmentA phase"): not prose.
_GLUED_RE = re.compile(r"[a-z]{2}[A-Z](?=\s)|[a-z]\([A-Z]")
_OPENER_RE = re.compile(
    r"^(?:First|Second|Third|Fourth|Fifth|Finally|Next|Then|Lastly|Moreover|Furthermore|Additionally|"
    r"In addition),\s+(?=[\w“\"])"
)


def without_opener(sentence: str) -> str:
    """Drop an enumerating opening ("Second, the technical infrastructure ..."): the list gives the order."""
    rest = _OPENER_RE.sub("", sentence, count=1)
    return rest if rest == sentence else rest[:1].upper() + rest[1:]


def named_line(name: str, line: str) -> str:
    """Start a list line with the element's name, unless its sentence already opens with it ("The ...")."""
    opening = re.sub(r"^the\s+", "", line.lstrip('“"').lower())
    return line if opening.startswith(name.lower()) else f"{name}: {line}"


def _selects(selection: Selection, element: object) -> bool:
    return all(str(getattr(element, key, None)) == value for key, value in selection.where.items())


def _check_against(spec: ListsFile, frameworks: Frameworks, path: Path, lines: LineIndex) -> None:
    """Check every list names real framework elements; errors point at the line to fix."""
    for i, item in enumerate(spec.lists):

        def fail(field: str, message: str, at: tuple = (), i: int = i, item: ListSpec = item) -> NoReturn:
            raise DataFileError(path, lines.line(("lists", i, field, *at)), f"list {item.id}", message)

        if item.framework not in spec.sources:
            fail("framework", f"framework {item.framework!r} has no entry under sources")
        framework = getattr(frameworks, item.framework, None)
        if framework is None:
            fail("framework", f"no framework {item.framework!r} in the frameworks data")
        elements = getattr(framework, item.elements, None)
        if not isinstance(elements, list) or not elements:
            fail("elements", f"framework {item.framework} has no list of elements {item.elements!r}")
        ids = {str(e.id) for e in elements}
        for key in (*item.names, *item.aliases):
            if key not in ids:
                field = "names" if key in item.names else "aliases"
                fail(field, f"{key!r} is not an element of {item.framework}.{item.elements}", (key,))
        for e in elements:
            if not (item.names.get(str(e.id)) or getattr(e, "name", None)):
                fail("names", f"element {e.id} has no name in the frameworks data: give one under names")
            if not item.name_spells and not item.aliases.get(str(e.id)):
                fail("aliases", f"element {e.id} needs aliases: its name does not spell it (name_spells)")
        for n, selection in enumerate(item.select):
            if not any(_selects(selection, e) for e in elements):
                fail("select", f"selection {selection.where} matches no element", (n, "where"))


_DASHES_RE = re.compile(r"[\u2010-\u2015\u2212\-/]")


def _words(text: str) -> list[str]:
    """Lower-case words, dashes read as spaces ("ISA-4" -> "isa 4"), apostrophes dropped."""
    text = _DASHES_RE.sub(" ", text.lower().replace("’", "'").replace("'", ""))
    return re.findall(r"[a-z0-9]+", text)


def _fold(word: str) -> str:
    """Fold a plural to its singular ("capabilities" -> "capability", "processes" -> "process")."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _contains(words: list[str], phrase: list[str]) -> bool:
    folded, wanted = [_fold(w) for w in words], [_fold(w) for w in phrase]
    width = len(wanted)
    return bool(wanted) and any(folded[i : i + width] == wanted for i in range(len(folded) - width + 1))


def _plural_at(words: list[str], start: int, noun: str) -> bool:
    """Tell whether the plural of ``noun`` starts at ``start`` ("coupling dimensions", "phases")."""
    wanted = _words(noun)
    found = words[start : start + len(wanted)]
    if len(found) != len(wanted):
        return False
    head, last = [_fold(w) for w in found[:-1]], found[-1]
    return head == [_fold(w) for w in wanted[:-1]] and last != wanted[-1] and _fold(last) == wanted[-1]


def _without(words: list[str], phrase: list[str]) -> list[str]:
    width, out, i = len(phrase), [], 0
    while i < len(words):
        if width and words[i : i + width] == phrase:
            i += width
            continue
        out.append(words[i])
        i += 1
    return out


def _titled(name: str) -> bool:
    """Tell a title ("Data Infrastructure", "ML User Cycle") from a sentence-case name ("Data pipeline")."""
    return any(part[:1].isupper() for part in name.split()[1:])


def _inline(name: str) -> str:
    """Lower-case the first letter of a sentence-case name, unless it opens with an acronym ("AI models")."""
    first = name.split()[0]
    return name if first.isupper() or first[1:2].isupper() else name[:1].lower() + name[1:]
