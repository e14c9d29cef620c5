"""At most N generations at once: a request beyond that is told at once, never queued into a timeout."""

from __future__ import annotations

import threading


class GenerationSlots:
    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)

    def try_acquire(self) -> bool:
        """Take a slot if one is free, without waiting."""
        return self._slots.acquire(blocking=False)

    def release(self) -> None:
        self._slots.release()
