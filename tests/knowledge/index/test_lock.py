"""One writer at a time on one machine; a Chroma server needs no local lock."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest

from knowledge.index import IndexConfig
from knowledge.index.lock import index_lock


def test_a_second_writer_cannot_take_the_lock_while_it_is_held(index_config: IndexConfig) -> None:
    with index_lock(index_config):
        path = index_config.data_dir / ".index.lock"
        with path.open("w") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with path.open("w") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released on leaving the block
        fcntl.flock(other, fcntl.LOCK_UN)


def test_server_mode_takes_no_local_lock(tmp_path: Path) -> None:
    config = IndexConfig(data_dir=tmp_path / "data", chroma_url="http://127.0.0.1:1")
    with index_lock(config):
        pass
    assert not config.data_dir.exists()
