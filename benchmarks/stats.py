"""Latency summaries: percentiles of repeated timings, and ratios between them.

Percentiles use linear interpolation between closest ranks (numpy's default), so p50 of two samples
is their mean and small sample counts give stable, explainable figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field


def percentile(samples: Sequence[float], q: float) -> float:
    """Return the ``q``-th percentile (0-100) of ``samples`` by linear interpolation."""
    if not samples:
        raise ValueError("percentile of no samples")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be within 0..100, got {q}")
    ordered = sorted(samples)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return float(ordered[low])
    return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))


class Latency(BaseModel):
    """Summary of repeated timings, in seconds."""

    model_config = ConfigDict(frozen=True)

    n: int = Field(ge=1)
    p50: float
    p95: float
    mean: float
    min: float
    max: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Latency:
        if not samples:
            raise ValueError("no samples to summarise")
        if any(s < 0 or math.isnan(s) for s in samples):
            raise ValueError("timings must be non-negative numbers")
        return cls(
            n=len(samples),
            p50=percentile(samples, 50),
            p95=percentile(samples, 95),
            mean=sum(samples) / len(samples),
            min=min(samples),
            max=max(samples),
        )


def ratio(value: float | None, reference: float | None) -> float | None:
    """``value / reference``, or ``None`` when either is missing or the reference is zero."""
    if value is None or reference is None or reference <= 0:
        return None
    return value / reference
