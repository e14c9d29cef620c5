"""The curated, attributed corpus and its retrieval; knows nothing of the advisor, UI or evals."""
