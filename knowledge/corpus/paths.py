"""Where the corpus reads its sources and writes its data (inside the package: no ../shared)."""

from __future__ import annotations

from pathlib import Path

KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent
SOURCES_DIR = KNOWLEDGE_DIR / "sources"
DATA_DIR = KNOWLEDGE_DIR / "data"
SOURCES_FILE = DATA_DIR / "sources.yaml"
RECORDS_FILE = DATA_DIR / "records.jsonl"
SCALING_TABLE_FILE = DATA_DIR / "scaling_table.yaml"
TAG_RULES_FILE = DATA_DIR / "tag_rules.yaml"
INTERVIEWEES_FILE = DATA_DIR / "impl_scaling_interviewees.yaml"
