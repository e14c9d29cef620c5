"""Load the signal and rule files, with errors that name the file, the rule and the line.

Signals live in ``advisor/rules/signals/*.yaml`` and rules in ``advisor/rules/rules/*.yaml``; each
folder's files are read in name order and their lists joined, so the order is fixed by the file
names (``10_...``, ``20_...``). Nothing else in ``advisor/rules/`` is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

from advisor.rules.models import Rule, RuleFile, RuleSet, SignalDef, SignalFile
from knowledge.datafile import DataFileError, LineIndex, load_yaml, validate

RULES_DIR = Path(__file__).parent
SIGNALS_DIR = RULES_DIR / "signals"
RULE_FILES_DIR = RULES_DIR / "rules"

T = TypeVar("T", SignalDef, Rule)
Source = Path | str | Sequence[Path | str]


@dataclass(frozen=True)
class _Placed(Generic[T]):
    """One entry with the file it came from, its place in that file's list and the file's line index."""

    item: T
    path: Path
    at: tuple[str, int]
    lines: LineIndex

    def line(self, *inner: str | int) -> int | None:
        return self.lines.line((*self.at, *inner))


def data_files(source: Source) -> list[Path]:
    """Return the YAML files a source names: a folder's ``*.yaml`` in name order, one file, or files in order."""
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_dir():
            return [path]
        files = sorted(path.glob("*.yaml"))
        if not files:
            raise DataFileError(path, None, None, "no *.yaml files in this folder")
        return files
    return [Path(p) for p in source]


def _load_signals(source: Source) -> list[_Placed[SignalDef]]:
    placed = []
    for path in data_files(source):
        data, lines = load_yaml(path)
        parsed = validate(SignalFile, data, path, lines, kind="signal")
        placed += [_Placed(s, path, ("signals", i), lines) for i, s in enumerate(parsed.signals)]
    return placed


def _load_rule_files(source: Source) -> list[_Placed[Rule]]:
    placed = []
    for path in data_files(source):
        data, lines = load_yaml(path)
        parsed = validate(RuleFile, data, path, lines, kind="rule")
        placed += [_Placed(r, path, ("rules", i), lines) for i, r in enumerate(parsed.rules)]
    return placed


def _check_unique(entries: Sequence[_Placed[SignalDef]] | Sequence[_Placed[Rule]], kind: str) -> None:
    first: dict[str, _Placed] = {}
    for entry in entries:
        earlier = first.setdefault(entry.item.id, entry)
        if earlier is not entry:
            message = f"duplicate id (first in {earlier.path.name}:{earlier.line('id')})"
            raise DataFileError(entry.path, entry.line("id"), f"{kind} {entry.item.id}", message)


def _cross_check(signal_entries: list[_Placed[SignalDef]], rule_entries: list[_Placed[Rule]]) -> None:
    """Every ``excludes`` and every rule condition must name a known signal it can be used with."""
    signals = {e.item.id: e.item for e in signal_entries}
    for entry in signal_entries:
        signal = entry.item
        for j, other in enumerate(signal.excludes):
            if other not in signals:
                line = entry.line("excludes", j)
                raise DataFileError(entry.path, line, f"signal {signal.id}", f"unknown signal {other!r} in excludes")
    for rule_entry in rule_entries:
        rule, item = rule_entry.item, f"rule {rule_entry.item.id}"
        for group in ("all", "any", "none"):
            for j, condition in enumerate(getattr(rule.when, group)):
                line = rule_entry.line("when", group, j)
                known = signals.get(condition.signal)
                if known is None:
                    message = f"unknown signal {condition.signal!r} in when.{group}"
                    raise DataFileError(rule_entry.path, line, item, message)
                if condition.negated and not known.negatable:
                    message = f"signal {known.id!r} is negatable: false, so 'not {known.id}' can never hold"
                    raise DataFileError(rule_entry.path, line, item, message)
                if condition.op and not any("(?P<count>" in p for p in known.patterns):
                    message = f"signal {known.id!r} has no pattern with a (?P<count>...) group to compare"
                    raise DataFileError(rule_entry.path, line, item, message)


def load_rules(signals: Source | None = None, rules: Source | None = None) -> RuleSet:
    """Read and cross-check the signal and rule files; every rule condition must name a known signal.

    ``signals`` and ``rules`` are each a folder (its ``*.yaml`` files in name order), one file or a
    list of files; by default the shipped folders.
    """
    signal_entries = _load_signals(SIGNALS_DIR if signals is None else signals)
    _check_unique(signal_entries, "signal")
    rule_entries = _load_rule_files(RULE_FILES_DIR if rules is None else rules)
    _check_unique(rule_entries, "rule")
    _cross_check(signal_entries, rule_entries)
    return RuleSet(signals=[e.item for e in signal_entries], rules=[e.item for e in rule_entries])


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    return load_rules()
