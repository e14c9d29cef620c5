"""The loaded diagnoser and the lexical-only detector, shared by the diagnosis tests of one module each."""

from __future__ import annotations

import pytest

from advisor.diagnosis import Diagnoser
from advisor.diagnosis.signals import SignalDetector
from advisor.rules import default_rules


@pytest.fixture(scope="module")
def diagnoser() -> Diagnoser:
    d = Diagnoser()
    d.warm_up()
    return d


@pytest.fixture(scope="module")
def lexical() -> SignalDetector:
    return SignalDetector(default_rules(), use_embeddings=False)
