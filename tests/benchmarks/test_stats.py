import math

import numpy as np
import pytest

from benchmarks.stats import Latency, percentile, ratio


@pytest.mark.parametrize("q", [0, 5, 25, 50, 90, 95, 99, 100])
def test_percentile_matches_numpy_linear(q: float) -> None:
    samples = [0.3, 0.1, 0.7, 0.2, 1.9, 0.4, 0.25]
    assert percentile(samples, q) == pytest.approx(float(np.percentile(samples, q)))


def test_percentile_of_one_sample_is_that_sample() -> None:
    assert percentile([0.42], 95) == 0.42


def test_percentile_interpolates_between_two() -> None:
    assert percentile([1.0, 3.0], 50) == 2.0
    assert percentile([1.0, 3.0], 95) == pytest.approx(2.9)


def test_percentile_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 50)
    with pytest.raises(ValueError, match=r"within 0\.\.100"):
        percentile([1.0], 101)


def test_latency_summary() -> None:
    lat = Latency.of([0.4, 0.1, 0.2, 0.3])
    assert lat.n == 4
    assert lat.min == 0.1 and lat.max == 0.4
    assert lat.mean == pytest.approx(0.25)
    assert lat.p50 == pytest.approx(0.25)
    assert lat.p95 == pytest.approx(0.385)


def test_latency_rejects_empty_and_negative() -> None:
    with pytest.raises(ValueError):
        Latency.of([])
    with pytest.raises(ValueError):
        Latency.of([0.1, -0.2])
    with pytest.raises(ValueError):
        Latency.of([math.nan])


def test_ratio_handles_missing_and_zero() -> None:
    assert ratio(3.0, 1.5) == 2.0
    assert ratio(None, 1.0) is None
    assert ratio(1.0, None) is None
    assert ratio(1.0, 0.0) is None
