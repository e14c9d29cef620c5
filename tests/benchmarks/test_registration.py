from pathlib import Path

import click
import pytest

from benchmarks import cmd_bench_load
from benchmarks.processes import BenchProcessError, Server


def test_load_creates_the_bench_group_when_none_is_registered() -> None:
    group = click.Group("advisor")
    cmd_bench_load.register(group)
    bench = group.commands["bench"]
    assert isinstance(bench, click.Group)
    assert "load" in bench.commands


def test_load_joins_a_bench_group_registered_before_it() -> None:
    group = click.Group("advisor")
    existing = click.Group("bench")
    group.add_command(existing)
    cmd_bench_load.register(group)
    assert group.commands["bench"] is existing
    assert "load" in existing.commands


def test_a_server_not_started_has_no_pid(tmp_path: Path) -> None:
    with pytest.raises(BenchProcessError, match="not been started"):
        _ = Server({}, tmp_path).pid


def test_the_llm_bench_takes_the_kinds_in_turn() -> None:
    from benchmarks.questions import BenchQuestion
    from benchmarks.runner import llm_prompts

    qs = [BenchQuestion(id=f"s{i}", kind="situation", message=f"situation {i}") for i in range(3)]
    qs.append(BenchQuestion(id="f0", kind="factual", message="a fact"))
    qs.append(BenchQuestion(id="q0", kind="quote", message="a quote"))
    assert [q.id for q in llm_prompts(qs, 4)] == ["s0", "f0", "q0", "s1"]
    assert [q.id for q in llm_prompts(qs, 9)] == ["s0", "f0", "q0", "s1", "s2"]
