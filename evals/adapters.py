"""Convert lines of the other teams' development sets into eval cases, leaving their files untouched.

Each adapter takes one decoded JSON line and returns a case dict in this package's format; the loader
validates the result, so a format drift in a dev set fails with the file and line named.
"""

from __future__ import annotations

from collections.abc import Callable


def _tags(raw: dict, *keys: str) -> list[str]:
    return [f"{key}:{raw[key]}" for key in keys if raw.get(key) not in (None, "")]


def from_diagnosis_dev(raw: dict) -> dict:
    """Turn a labelled situation into a situation case; null fields are left unjudged."""
    expected = {key: value for key, value in raw["expected"].items() if value is not None}
    return {
        "id": f"diag-{raw['id']}",
        "type": "situation",
        "message": raw["message"],
        "expected": expected,
        "rationale": raw.get("rationale") or "diagnosis development set",
        "tags": ["source:diagnosis_dev", *_tags(raw, "split", "industry", "size")],
    }


def from_retrieval_dev(raw: dict) -> dict:
    """Turn a query with its relevant record IDs into a retrieval case."""
    relevant = raw.get("expected") or raw.get("relevant_ids")
    if not relevant:
        raise ValueError("no relevant_ids")
    return {
        "id": f"ret-{raw['id']}",
        "type": "retrieval",
        "message": raw.get("query") or raw["message"],
        "relevant_ids": list(relevant),
        "rationale": raw.get("rationale") or raw.get("note") or "retrieval development set",
        "tags": ["source:retrieval_dev", *_tags(raw, "style", "split")],
    }


def from_scope_dev(raw: dict) -> dict:
    """Turn a message with its expected scope into a scope case (in-scope lines carry no evidence)."""
    scope = raw.get("expected_scope") or raw["scope"]
    kind = {"out_of_scope": "out_of_scope", "unanswerable": "unanswerable"}.get(scope)
    case: dict = {
        "id": f"scope-{raw['id']}",
        "message": raw["message"],
        "rationale": raw.get("rationale") or raw.get("note") or "scope development set",
        "tags": ["source:scope_dev", *_tags(raw, "split")],
    }
    if raw.get("history"):
        case["history"] = raw["history"]
    if kind is None:
        if scope != "in_scope":
            raise ValueError(f"unknown scope {scope!r}")
        case["type"] = "in_scope"
    else:
        case["type"] = kind
    return case


ADAPTERS: dict[str, Callable[[dict], dict]] = {
    "diagnosis_dev": from_diagnosis_dev,
    "retrieval_dev": from_retrieval_dev,
    "scope_dev": from_scope_dev,
}
