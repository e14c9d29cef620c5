"""One writer at a time on one machine: the file lock every change to the index and the register takes.

It sits below both writers (:mod:`knowledge.index.ingest` for the index, :mod:`knowledge.index.user_doc_registry`
for the register), so neither has to import the other for it.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from knowledge.index.config import IndexConfig


@contextmanager
def index_lock(config: IndexConfig) -> Iterator[None]:
    """Serialise writers on one machine; a Chroma server orders concurrent writes itself.

    ``flock`` is per open file, so taking the lock again while holding it waits forever: callers never nest it.
    """
    if config.chroma_url:
        yield
        return
    config.data_dir.mkdir(parents=True, exist_ok=True)
    with (config.data_dir / ".index.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
