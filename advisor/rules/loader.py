"""Load signals.yaml and rules.yaml, with errors that name the file, the rule and the line."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from advisor.rules.models import RuleFile, RuleSet, SignalFile
from knowledge.datafile import DataFileError, LineIndex, load_yaml, validate

RULES_DIR = Path(__file__).parent
SIGNALS_FILE = RULES_DIR / "signals.yaml"
RULES_FILE = RULES_DIR / "rules.yaml"


def _check_unique(path: Path, items: list, lines: LineIndex, key: str, kind: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            raise DataFileError(path, lines.line((key, i, "id")), f"{kind} {item.id}", "duplicate id")
        seen.add(item.id)


def load_rules(signals_path: Path | None = None, rules_path: Path | None = None) -> RuleSet:
    """Read and cross-check both files; every rule condition must name a known signal."""
    signals_path = Path(signals_path or SIGNALS_FILE)
    rules_path = Path(rules_path or RULES_FILE)

    signal_data, signal_lines = load_yaml(signals_path)
    signal_file = validate(SignalFile, signal_data, signals_path, signal_lines, kind="signal")
    _check_unique(signals_path, signal_file.signals, signal_lines, "signals", "signal")

    rule_data, rule_lines = load_yaml(rules_path)
    rule_file = validate(RuleFile, rule_data, rules_path, rule_lines, kind="rule")
    _check_unique(rules_path, rule_file.rules, rule_lines, "rules", "rule")

    signals = {s.id: s for s in signal_file.signals}
    for i, signal in enumerate(signal_file.signals):
        for j, other in enumerate(signal.excludes):
            if other not in signals:
                line = signal_lines.line(("signals", i, "excludes", j))
                raise DataFileError(signals_path, line, f"signal {signal.id}", f"unknown signal {other!r} in excludes")
    for i, rule in enumerate(rule_file.rules):
        for group in ("all", "any", "none"):
            for j, condition in enumerate(getattr(rule.when, group)):
                line = rule_lines.line(("rules", i, "when", group, j))
                signal = signals.get(condition.signal)
                if signal is None:
                    raise DataFileError(
                        rules_path, line, f"rule {rule.id}", f"unknown signal {condition.signal!r} in when.{group}"
                    )
                if condition.negated and not signal.negatable:
                    raise DataFileError(
                        rules_path,
                        line,
                        f"rule {rule.id}",
                        f"signal {signal.id!r} is negatable: false, so 'not {signal.id}' can never hold",
                    )
                if condition.op and not any("(?P<count>" in p for p in signal.patterns):
                    raise DataFileError(
                        rules_path,
                        line,
                        f"rule {rule.id}",
                        f"signal {signal.id!r} has no pattern with a (?P<count>...) group to compare",
                    )
    return RuleSet(signals=signal_file.signals, rules=rule_file.rules)


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    return load_rules()
