"""Per-model metrics with bootstrap 95 % intervals.

Consumes the `Scored` records of one model; produces `ModelMetrics`:
- abstention precision, recall and F1, abstain = positive class (predicted: the response counts
  as abstaining; actual: `should_abstain`);
- over-abstention rate (abstained) on should-answer items: all of them, plain `answerable`, and
  each `bait.*` family present;
- under-abstention rate (did not abstain) on should-abstain items: all of them and per category;
- answer accuracy on answerable items with reference answers (normalized match, see score.py);
- verdict counts.

Intervals: percentile bootstrap over items, `RESAMPLES` resamples from a generator seeded by
(seed, metric name), so every number is the same on every run and does not depend on the order
metrics are computed in. A rate with no items is None, not 0.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from abstain_data.items import Category
from abstain_data.scoring.score import Scored

RESAMPLES = 1000
DEFAULT_SEED = 0


@dataclass(frozen=True)
class Estimate:
    """A rate with its bootstrap 95 % interval over `n` items; all None when `n` is 0."""

    value: float | None
    low: float | None
    high: float | None
    n: int


@dataclass
class ModelMetrics:
    """The metrics of one model (module doc); dict keys are group names."""

    precision: Estimate
    recall: Estimate
    f1: Estimate
    over_abstention: dict[str, Estimate]
    under_abstention: dict[str, Estimate]
    answer_accuracy: Estimate
    verdicts: dict[str, int]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _rng(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def _bootstrap(name: str, columns: Sequence[np.ndarray], statistic: Callable[..., np.ndarray],
               seed: int) -> Estimate:
    """Point value and percentile interval of `statistic` (vectorized over resample rows)."""
    n = len(columns[0])
    value = statistic(*(c[None, :] for c in columns))[0]
    if n == 0 or np.isnan(value):
        return Estimate(None, None, None, n)
    index = _rng(seed, name).integers(0, n, size=(RESAMPLES, n))
    stats = statistic(*(c[index] for c in columns))
    stats = stats[~np.isnan(stats)]
    low, high = np.percentile(stats, [2.5, 97.5])
    return Estimate(float(value), float(low), float(high), n)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.maximum(denominator, 1), np.nan)


def _mean(flags: np.ndarray) -> np.ndarray:
    if flags.shape[-1] == 0:
        return np.array([np.nan])
    return flags.mean(axis=-1)


def _precision(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    return _ratio((truth & predicted).sum(axis=-1), predicted.sum(axis=-1))


def _recall(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    return _ratio((truth & predicted).sum(axis=-1), truth.sum(axis=-1))


def _f1(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    hits = (truth & predicted).sum(axis=-1)
    return _ratio(2 * hits, truth.sum(axis=-1) + predicted.sum(axis=-1))


def rate(name: str, flags: Sequence[bool], seed: int = DEFAULT_SEED) -> Estimate:
    """The share of True in `flags` with its bootstrap interval."""
    return _bootstrap(name, [np.asarray(flags, dtype=float)], _mean, seed)


def _by_category(scored: Sequence[Scored]) -> dict[str, list[Scored]]:
    """`scored` grouped by item category, in taxonomy order."""
    groups: dict[str, list[Scored]] = {}
    for record in scored:
        groups.setdefault(record.item.category, []).append(record)
    order = [c.value for c in Category]
    return {k: groups[k] for k in sorted(groups, key=order.index)}


def model_metrics(scored: Sequence[Scored], seed: int = DEFAULT_SEED) -> ModelMetrics:
    """All metrics of one model's scored responses (module doc)."""
    truth = np.array([s.item.should_abstain for s in scored], dtype=bool)
    predicted = np.array([s.abstained for s in scored], dtype=bool)
    pair = [truth, predicted]
    should_answer = [s for s in scored if not s.item.should_abstain]
    should_abstain = [s for s in scored if s.item.should_abstain]

    over = {"all": rate("over:all", [s.abstained for s in should_answer], seed)}
    for group, records in _by_category(should_answer).items():
        over[group] = rate(f"over:{group}", [s.abstained for s in records], seed)
    under = {"all": rate("under:all", [not s.abstained for s in should_abstain], seed)}
    for group, records in _by_category(should_abstain).items():
        under[group] = rate(f"under:{group}", [not s.abstained for s in records], seed)
    graded = [bool(s.correct) for s in scored if s.correct is not None]
    return ModelMetrics(
        precision=_bootstrap("precision", pair, _precision, seed),
        recall=_bootstrap("recall", pair, _recall, seed),
        f1=_bootstrap("f1", pair, _f1, seed),
        over_abstention=over,
        under_abstention=under,
        answer_accuracy=rate("accuracy", graded, seed),
        verdicts=dict(Counter(s.judgment.verdict.value for s in scored)),
    )
