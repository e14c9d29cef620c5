"""A shorter, bounded run of `advisor bench load`: concurrent conversations against a real `advisor serve`.

Asserts zero errors only; the timings and memory figures are printed (timing targets belong to the
benchmark command, not to tests).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.load import ConversationLoad
from benchmarks.processes import Server

from .faults import advisor_env

pytestmark = pytest.mark.slow


def test_concurrent_conversations_see_zero_errors(built_index, tmp_path: Path) -> None:
    config, _ = built_index
    env = advisor_env(config, ADVISOR_API_RATE_PER_MINUTE="0")
    with Server(env, tmp_path) as server:
        report = ConversationLoad(server.url, conversations=8, duration_s=20, timeout_s=300).run(server.pid)
    print("\n" + report.table())
    assert report.errors == 0, report.error_kinds
    assert report.completed >= 8
    assert report.answered_by == {"offline": report.completed} and report.busy == 0  # advisor_env serves offline
    assert report.rss_before and report.rss_after
