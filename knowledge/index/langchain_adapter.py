"""The hybrid retriever as a LangChain ``BaseRetriever``, so it composes as a Runnable in chains."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from knowledge.schema import SearchFilters, SearchHit


def hit_to_document(hit: SearchHit) -> Document:
    """Put the text in ``page_content`` and every other hit field in metadata, for citations downstream."""
    return Document(page_content=hit.text, metadata=hit.model_dump(mode="json", exclude={"text"}), id=hit.passage_id)


class AdvisorLangChainRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any = Field(description="A knowledge.index.HybridRetriever")
    k: int = Field(default=5, ge=1)
    filters: SearchFilters | None = None
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid"

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result = self.retriever.search(query, k=self.k, filters=self.filters, mode=self.mode)
        return [hit_to_document(hit) for hit in result.hits]
