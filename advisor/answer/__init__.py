"""Cited answers: scope, follow-ups, retrieval queries, offline and LLM composition, citation checks."""
