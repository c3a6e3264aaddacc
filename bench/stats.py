"""Pure helpers: medians, ratios, and alternating a subject with its baseline."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

Measure = Callable[[], float]  # runs the thing once, returns the seconds it took
MIN_RUNS = 7  # timed pairs per ratio, at the least


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of no values")
    return statistics.median(values)


def ratio(subject: float, baseline: float) -> float:
    if baseline <= 0:
        raise ValueError(f"baseline must be positive, got {baseline!r}")
    return subject / baseline


def paired_ratios(subjects: Sequence[float], baselines: Sequence[float]) -> list[float]:
    """subject[i] / baseline[i]: each pair ran back to back, so it shares the machine's mood."""
    if len(subjects) != len(baselines):
        raise ValueError("subjects and baselines must pair up")
    return [ratio(s, b) for s, b in zip(subjects, baselines, strict=True)]


def median_ratio(subjects: Sequence[float], baselines: Sequence[float]) -> float:
    return median(paired_ratios(subjects, baselines))


def spread(subjects: Sequence[float], baselines: Sequence[float]) -> str:
    """The range of the paired ratios, e.g. "3.91-5.02x": how noisy the run was."""
    ratios = paired_ratios(subjects, baselines)
    return f"{min(ratios):.2f}-{max(ratios):.2f}x"


def quartiles(subjects: Sequence[float], baselines: Sequence[float]) -> str:
    """The middle half of the paired ratios (first to third quartile), e.g. "1.62-1.71x"."""
    ratios = paired_ratios(subjects, baselines)
    if len(ratios) < 4:
        return spread(subjects, baselines)
    q1, _, q3 = statistics.quantiles(ratios, n=4)
    return f"{q1:.2f}-{q3:.2f}x"


def alternate(subject: Measure, baseline: Measure, runs: int, warmup: int = 1) -> tuple[list[float], list[float]]:
    """Run subject, baseline, subject, baseline, ... (`warmup` untimed pairs first)."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    for _ in range(warmup):
        subject()
        baseline()
    subjects, baselines = [], []
    for _ in range(runs):
        subjects.append(subject())
        baselines.append(baseline())
    return subjects, baselines


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start
