"""Adversarial filtering of one source (after AFLite): remove what a bag of words predicts best.

Consumes one source's `Record`s and its removal units (lists of record indices that must go
together: a variant with its twins, a seed with its whole pair); produces which records to
remove, round by round, until the source's grouped out-of-fold prompt-only AUC
(`cues/classifier.py`) is at or below `max_auc` and, with `max_builder_auc`, every builder's
AUC against its minimal pairs (`builder_contrasts`, as `audit artifacts` reports it) is at or
below that, or removing more would pass `max_share` of the source.

Each round scores the records still in. While the source is over `max_auc`, it ranks the units
by how predictable they are (the mean of their members' shares of the AUC, `rank_share`: ranks
rather than probabilities, so a source with few items of one label is ranked as fairly as a
balanced one) and removes the most predictable ones, about `step_share` of the source per
round. Once the source is at its target, a builder over `max_builder_auc` (the worst first) is
treated the same way within its own comparison, its items and their pairs: shares are taken
there, a unit counts by its members in that comparison, and about `step_share` of the
comparison goes per round; a builder's AUC falls only by losing whole pairs that the classifier
reads well, since a unit keeps a variant with its twins. Only units more predictable than the
current AUC go: the AUC is the mean share, so removing a less predictable unit would raise it (a
corpus whose own items carry the cue, with only its variants eligible, would lose its hard
variants and look more cue-ridden than before). When the rounds end short of the targets, the
removals are cut back to the round with the smallest excess over them (the largest of the
source's and the builders' AUC above their targets), so the filter never leaves a source further
from its targets than it found it (the refitted model may read what is left better).
Deterministic for a seed (ties are broken by the first member's id).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from abstain_data.cues.classifier import (
    Record,
    auc,
    builder_contrasts,
    fold_count,
    out_of_fold,
    pair_groups,
)


@dataclass
class SourceFilter:
    """What filtering one source did. `removed` maps record index -> the predictability of its
    unit when it was removed (`rank_share`, in removal order); `builders_before` and
    `builders_after` give each builder's AUC against its pairs (builders with both labels in
    their comparison); `stopped` says why the rounds ended: "at_target", "share_cap" (the next
    unit would pass max_share), "no_candidate" (no unit left more predictable than the AUC it
    should lower) or "unscorable" (fewer than two groups of a label); short of the targets,
    `removed` and the figures after are those of the round with the smallest excess."""

    auc_before: float | None = None
    auc_after: float | None = None
    builders_before: dict[str, float] = field(default_factory=dict)
    builders_after: dict[str, float] = field(default_factory=dict)
    rounds: int = 0
    stopped: str = ""
    removed: dict[int, float] = field(default_factory=dict)


@dataclass
class _Round:
    """One round's figures: the live record indices, their scores, the source's AUC, and each
    builder's AUC with its comparison (live record indices)."""

    live: list[int]
    scores: np.ndarray
    auc: float
    builders: dict[str, tuple[float, list[int]]]

    def excess(self, max_auc: float, max_builder_auc: float | None) -> float:
        """How far the round is from the targets: the largest AUC above its target, or 0."""
        over = [self.auc - max_auc]
        if max_builder_auc is not None:
            over += [value - max_builder_auc for value, _ in self.builders.values()]
        return max(0.0, *over)


def score_records(records: Sequence[Record], seed: int) -> np.ndarray | None:
    """Out-of-fold P(abstain) of `records` (grouped as `audit artifacts` groups them), or None
    when a label has fewer than two groups."""
    groups = pair_groups(records)
    folds = fold_count(records, groups)
    return None if folds < 2 else out_of_fold(records, groups, False, seed, folds)


def rank_share(labels: Sequence[bool], scores: np.ndarray) -> list[float]:
    """Each record's share of the AUC: for an abstain record, the share of answer records
    scored below it; for an answer record, the share of abstain records scored above it (ties
    count half). The AUC is the mean of either label's shares; 0.5 is a coin flip."""
    labels = np.asarray(labels, dtype=bool)
    answer = np.sort(scores[~labels])
    abstain = np.sort(scores[labels])

    def below(sorted_scores: np.ndarray, value: float) -> float:
        low = np.searchsorted(sorted_scores, value, "left")
        high = np.searchsorted(sorted_scores, value, "right")
        return (low + (high - low) / 2) / len(sorted_scores)

    return [below(answer, s) if label else 1 - below(abstain, s)
            for label, s in zip(labels.tolist(), scores.tolist(), strict=True)]


def score_round(records: Sequence[Record], live: list[int], seed: int) -> _Round | None:
    """Score the `live` records; None when a label has fewer than two groups."""
    scores = score_records([records[i] for i in live], seed)
    if scores is None:
        return None
    position = {i: n for n, i in enumerate(live)}
    builders = {}
    for builder, (own, contrast) in builder_contrasts([records[i] for i in live]).items():
        members = [live[n] for n in own + contrast]
        value = auc([records[i].abstain for i in members],
                    scores[[position[i] for i in members]])
        if value is not None:
            builders[builder] = (value, members)
    return _Round(live, scores, auc([records[i].abstain for i in live], scores), builders)


def filter_source(records: Sequence[Record], units: Sequence[Sequence[int]], *,
                  max_auc: float, max_share: float, step_share: float, seed: int,
                  max_builder_auc: float | None = None) -> SourceFilter:
    """Run the rounds on one source (module docstring)."""
    result = SourceFilter()
    budget = math.floor(max_share * len(records))
    best: tuple[float, dict[int, float], int, _Round] | None = None  # see module docstring
    while True:
        live = [i for i in range(len(records)) if i not in result.removed]
        current = score_round(records, live, seed)
        if current is None:
            result.stopped = "unscorable"
            break
        excess = current.excess(max_auc, max_builder_auc)
        if result.rounds == 0:
            result.auc_before = current.auc
            result.builders_before = {b: v for b, (v, _) in current.builders.items()}
        if best is None or excess < best[0]:
            best = (excess, dict(result.removed), result.rounds, current)
        if excess == 0:
            result.stopped = "at_target"
            break
        taken, result.stopped = _next_round(records, units, current, result.removed, budget,
                                            (max_auc, max_builder_auc, step_share))
        if not taken:
            break
        result.rounds += 1
    if best is not None:  # at the target, this is the last round; short of it, the closest
        _, result.removed, result.rounds, kept = best
        result.auc_after = kept.auc
        result.builders_after = {b: v for b, (v, _) in kept.builders.items()}
    return result


def _next_round(records: Sequence[Record], units: Sequence[Sequence[int]], current: _Round,
                removed: dict[int, float], budget: int,
                targets: tuple[float, float | None, float]) -> tuple[int, str]:
    """Remove this round's units: the source's most predictable while it is over `max_auc`,
    else those of the worst builder over `max_builder_auc` that has a candidate (`targets`:
    max_auc, max_builder_auc, step_share). Returns how many records went and, if none, why."""
    max_auc, max_builder_auc, step_share = targets
    labels = [records[i].abstain for i in current.live]
    if current.auc > max_auc:
        shares = dict(zip(current.live, rank_share(labels, current.scores), strict=True))
        per_round = max(1, math.ceil(step_share * len(records)))
        return _take(units, shares, removed, (current.auc, per_round), budget, records)
    position = {i: n for n, i in enumerate(current.live)}
    why = "no_candidate"
    for value, members in sorted(current.builders.values(), key=lambda entry: -entry[0]):
        if max_builder_auc is None or value <= max_builder_auc:
            break
        shares = dict(zip(members, rank_share(
            [records[i].abstain for i in members],
            current.scores[[position[i] for i in members]]), strict=True))
        per_round = max(1, math.ceil(step_share * len(members)))
        taken, why = _take(units, shares, removed, (value, per_round), budget, records)
        if taken:
            return taken, ""
    return 0, why


def _take(units: Sequence[Sequence[int]], shares: dict[int, float], removed: dict[int, float],
          round_: tuple[float, int], budget: int, records: Sequence[Record]) -> tuple[int, str]:
    """Move the most predictable units into `removed` (a unit counts by the mean share of its
    members in `shares`, and goes whole: every member not yet removed) while more predictable
    than the AUC they should lower (the first of `round_`), until `per_round` (its second)
    records went or the budget is spent; returns how many went and, if none did, why
    ("share_cap" or "no_candidate")."""
    current, per_round = round_
    ranked = []
    for unit in units:
        scored = [i for i in unit if i in shares]
        if scored:
            mean = sum(shares[i] for i in scored) / len(scored)
            ranked.append((-mean, records[scored[0]].id, unit))
    ranked.sort(key=lambda entry: entry[:2])
    taken, capped = 0, False
    for negative, _, unit in ranked:
        if -negative <= current or taken >= per_round:
            break
        members = [i for i in unit if i not in removed]  # units may share a member
        if len(removed) + len(members) > budget:
            capped = True
            continue
        removed.update(dict.fromkeys(members, -negative))
        taken += len(members)
    return taken, "" if taken else ("share_cap" if capped else "no_candidate")
