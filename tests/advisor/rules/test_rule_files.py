"""The diagnosis rules and signals load to exactly the rule set they were before the files were split.

The digest pins every field of every signal and rule, in order. It was taken from the single
rules.yaml / signals.yaml just before they were split into directories (issue 17), so the split
provably changed nothing. When you change a rule or a signal on purpose, the failure prints the
new digest: paste it here in the same commit.
"""

from __future__ import annotations

import hashlib

from advisor.rules import load_rules

SIGNAL_COUNT = 51
RULE_COUNT = 65
RULE_SET_DIGEST = "a5308f1a59698052e014516cb398508c5fc01314a383ff59f1b66cfe72ed7580"


def test_the_rule_set_is_unchanged() -> None:
    rules = load_rules()
    assert (len(rules.signals), len(rules.rules)) == (SIGNAL_COUNT, RULE_COUNT)
    assert len({s.id for s in rules.signals}) == SIGNAL_COUNT and len({r.id for r in rules.rules}) == RULE_COUNT
    digest = hashlib.sha256(rules.model_dump_json().encode("utf-8")).hexdigest()
    assert digest == RULE_SET_DIGEST, f"the loaded rule set changed; if on purpose, set RULE_SET_DIGEST = {digest!r}"
