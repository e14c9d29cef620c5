"""IDs are local: editing one section renumbers nothing outside it."""

from __future__ import annotations

import shutil
from pathlib import Path

from knowledge.corpus.build import RecordBuilder
from knowledge.corpus.paths import SOURCES_DIR


def _edit(path: Path, anchor: str, insert: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) == 1
    path.write_text(text.replace(anchor, anchor + insert), encoding="utf-8")


def test_an_edit_in_one_section_leaves_other_ids_and_texts_alone(tmp_path: Path, corpus_records):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, sources)
    _edit(
        sources / "implementing_scaling_ai.txt",
        "2.1. Understanding Al adoption\n\n",
        "An inserted remark. It is short.\n\n",
    )
    _edit(
        sources / "scaling_ops_playbook.txt", "   - Gradually increase capacity and load\n", "   - An inserted step\n"
    )
    _edit(sources / "mlbc_alignment.txt", "4.1.3 ML user cycle\n\n", "An inserted finding. ∼Data Scientist\n\n")
    rebuilt = {r.id: r.text for r in RecordBuilder(sources_dir=sources).build()}
    before = {r.id: r.text for r in corpus_records}

    changed = {i for i in before if rebuilt.get(i) != before[i]}
    touched_keys = ("2-1-understanding-ai-adoption", "systematic-scaling", "4-1-3-ml-user-cycle", "data-scientist")
    assert changed, "the edits must show up somewhere"
    assert all(any(f":{key}:" in i for key in touched_keys) for i in changed), sorted(changed)
    assert "ops_playbook:step:systematic-scaling:05" in set(rebuilt) - set(before)
