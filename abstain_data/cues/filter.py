"""Adversarial filtering of one source (after AFLite): remove what a bag of words predicts best.

Consumes one source's `Record`s and its removal units (lists of record indices that must go
together: a variant with its twins, a seed with its whole pair); produces which records to
remove, round by round, until the source's grouped out-of-fold prompt-only AUC
(`cues/classifier.py`) is at or below `max_auc`, or removing more would pass `max_share` of the
source. Each round scores the records still in, ranks the units by how predictable they are
(the mean of their members' shares of the AUC, `rank_share`: ranks rather than probabilities,
so a source with few items of one label is ranked as fairly as a balanced one) and removes the
most predictable ones, about `step_share` of the source per round. Only units more predictable
than the current AUC go: the AUC is the mean share, so removing a less predictable unit would
raise it (a corpus whose own items carry the cue, with only its variants eligible, would lose
its hard variants and look more cue-ridden than before). When the rounds end short of the
target, the removals are cut back to the round with the lowest AUC, so the filter never leaves
a source more predictable than it found it (the refitted model may read what is left better).
Deterministic for a seed (ties are broken by the first member's id).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from abstain_data.cues.classifier import Record, auc, fold_count, out_of_fold, pair_groups


@dataclass
class SourceFilter:
    """What filtering one source did. `removed` maps record index -> the predictability of its
    unit when it was removed (`rank_share`, in removal order); `stopped` says why the rounds
    ended: "at_target", "share_cap" (the next unit would pass max_share), "no_candidate" (no
    unit left more predictable than the AUC) or "unscorable" (fewer than two groups of a
    label); short of the target, `removed` and `auc_after` are those of the lowest AUC seen."""

    auc_before: float | None = None
    auc_after: float | None = None
    rounds: int = 0
    stopped: str = ""
    removed: dict[int, float] = field(default_factory=dict)


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


def filter_source(records: Sequence[Record], units: Sequence[Sequence[int]], *,
                  max_auc: float, max_share: float, step_share: float,
                  seed: int) -> SourceFilter:
    """Run the rounds on one source (module docstring)."""
    result = SourceFilter()
    budget = math.floor(max_share * len(records))
    per_round = max(1, math.ceil(step_share * len(records)))
    best: tuple[float, dict[int, float], int] | None = None  # lowest AUC, its removals, rounds
    while True:
        live = [i for i in range(len(records)) if i not in result.removed]
        scores = score_records([records[i] for i in live], seed)
        current = None if scores is None else auc([records[i].abstain for i in live], scores)
        if result.rounds == 0:
            result.auc_before = current
        if current is not None and (best is None or current < best[0]):
            best = (current, dict(result.removed), result.rounds)
        if current is not None and current <= max_auc:
            result.auc_after, result.stopped = current, "at_target"
            return result
        taken, result.stopped = ((0, "unscorable") if current is None else
                                 _take(units, dict(zip(live, rank_share(
                                     [records[i].abstain for i in live], scores), strict=True)),
                                     result.removed, (current, per_round), budget, records))
        if not taken:
            if best is not None:  # short of the target: keep the rounds up to the lowest AUC
                result.auc_after, result.removed, result.rounds = best
            return result
        result.rounds += 1


def _take(units: Sequence[Sequence[int]], right: dict[int, float], removed: dict[int, float],
          round_: tuple[float, int], budget: int, records: Sequence[Record]) -> tuple[int, str]:
    """Move the most predictable units (still in, more predictable than the current AUC, the
    first of `round_`) into `removed` until `per_round` (its second) records went or the budget
    is spent; returns how many went and, if none did, why ("share_cap" or "no_candidate")."""
    current, per_round = round_
    ranked = []
    for unit in units:
        members = [i for i in unit if i in right]
        if members:
            mean = sum(right[i] for i in members) / len(members)
            ranked.append((-mean, records[members[0]].id, members))
    ranked.sort(key=lambda entry: entry[:2])
    taken, capped = 0, False
    for negative, _, members in ranked:
        if -negative <= current or taken >= per_round:
            break
        members = [i for i in members if i not in removed]  # units may share a member
        if len(removed) + len(members) > budget:
            capped = True
            continue
        removed.update(dict.fromkeys(members, -negative))
        taken += len(members)
    return taken, "" if taken else ("share_cap" if capped else "no_candidate")
