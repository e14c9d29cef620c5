"""Warm-up and prefetch: load the models and the index, and embed once what every answer will need."""

from __future__ import annotations

from advisor.answer.offline_composer import OfflineComposer
from advisor.answer.query import QueryBuilder
from advisor.answer.shapes import SENTINEL, situation_texts
from advisor.answer.text import split_sentences
from advisor.pipeline.protocols import WarmIndex
from knowledge.index.codec import to_hit
from knowledge.vectors import QueryVectorizer


class WarmUp:
    """Embed every corpus sentence and every framework word a situation answer may use, in large batches."""

    def __init__(
        self, index: WarmIndex, composer: OfflineComposer, queries: QueryBuilder, vectorizer: QueryVectorizer
    ) -> None:
        self.index = index
        self.composer = composer
        self.queries = queries
        self.vectorizer = vectorizer

    def warm_up(self) -> None:
        self.index.warm_up()
        self.vectorizer.warm_up()

    def run(self) -> int:
        """Return how many texts were prefetched (corpus sentences plus framework words)."""
        return self.corpus_sentences() + self.framework_words()

    def corpus_sentences(self) -> int:
        """Embed every sentence an answer may rank, check or compare, once and in one batch.

        Scope, sentence ranking and the citation check all embed sentences of retrieved records; with
        these in the embedder's shared vector cache, a request embeds only its own new texts. The picker's
        own candidates are asked for too: it may quote a sentence trimmed (a run-in label dropped), and
        that text must be cached as well.
        """
        picker = self.composer.picker
        sentences: set[str] = set()
        for record in self.index.records():
            sentences.update(split_sentences(record.text))
            sentences.update(picker.candidates(to_hit(record, 0.0)))
        picker.embedder.embed(sorted(sentences))
        return len(sentences)

    def framework_words(self) -> int:
        """Embed the framework words of every diagnosis shape once (see ``advisor.answer.shapes``).

        With the sentinel as anchor only the words around the message are embedded by the model, as in a
        real answer; those land in the shared cache, so a situation answer needs one forward pass, for its
        message.
        """
        texts = situation_texts(self.queries.build, self.composer.focus)
        self.vectorizer.run(texts, anchor=SENTINEL)
        return len(texts)
