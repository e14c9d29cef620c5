"""Diagnosis rules and the signals they read, as consultant-editable data files."""

from advisor.rules.loader import default_rules, load_rules
from advisor.rules.models import Condition, Rule, RuleSet, SignalDef

__all__ = ["Condition", "Rule", "RuleSet", "SignalDef", "default_rules", "load_rules"]
