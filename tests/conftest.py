"""Shared test set-up: offline by construction, every index in a tmp dir."""

import os

# Fail fast instead of retrying a model hub for 80 s, and never phone home from Gradio/Chroma.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# The product's default writer is the bundled model; tests are offline unless they ask for a model (marker llm).
os.environ["ADVISOR_LLM_PROVIDER"] = "none"

pytest_plugins = ["tests.fixtures.settings", "tests.fixtures.index", "tests.fixtures.advisor", "tests.fixtures.llm"]
