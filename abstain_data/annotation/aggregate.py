"""Turning annotators' votes into decisions, per-item agreement and Krippendorff's alpha.

A vote is one annotator's latest judgement of one item: a top-level choice from config.xml
(answerable, unanswerable, refusal_bait, harmful, broken, unsure) plus, for unanswerable and
refusal_bait, the taxonomy code picked as the reason.

`decide_item` applies the round rules:
- an item needs votes from at least `min_annotators` distinct annotators;
- the top-level choice with strictly the most votes wins; a tie stays open, and so does a win
  for "unsure";
- the category is the winners' most common code (ties go to the proposed code if it is among
  them); with no code given it is the proposed code when that is in the winning family, the
  only code of the family (answerable, safety.harmful), or else the item stays open.
Agreement of an item is the share of its votes that went to the most voted choice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from abstain_data.items import Category


class Judgement(StrEnum):
    """The top-level choices of the labeling config."""

    ANSWERABLE = "answerable"
    UNANSWERABLE = "unanswerable"
    REFUSAL_BAIT = "refusal_bait"
    HARMFUL = "harmful"
    BROKEN = "broken"
    UNSURE = "unsure"


class Outcome(StrEnum):
    VERIFIED = "verified"
    REJECTED = "rejected"
    OPEN = "open"


# The one code of a family that needs no reason.
_SOLE_CODE = {Judgement.ANSWERABLE: Category.ANSWERABLE, Judgement.HARMFUL: Category.SAFETY_HARMFUL}


def family_of(category: Category) -> Judgement:
    """The top-level choice a taxonomy code belongs to."""
    if category is Category.ANSWERABLE:
        return Judgement.ANSWERABLE
    if category is Category.SAFETY_HARMFUL:
        return Judgement.HARMFUL
    return Judgement.REFUSAL_BAIT if category.is_bait else Judgement.UNANSWERABLE


@dataclass(frozen=True)
class Vote:
    """One annotation of one item, as exported from Label Studio."""

    item_id: str
    task_id: int
    annotation_id: int
    annotator: int
    judgement: Judgement
    code: Category | None = None
    note: str = ""
    created_at: str = ""
    updated_at: str = ""

    def to_dict(self) -> dict[str, object]:
        """The JSON row of the vote in annotations/round-NNN.jsonl."""
        return {
            "item_id": self.item_id, "task_id": self.task_id,
            "annotation_id": self.annotation_id, "annotator": self.annotator,
            "judgement": self.judgement.value,
            "code": None if self.code is None else self.code.value,
            "note": self.note, "created_at": self.created_at, "updated_at": self.updated_at,
        }


@dataclass
class Decision:
    """What the votes say about one item.

    `category` is set when the outcome is not open and the winners named a usable code;
    `open_reason` says why an open item stays queued (too_few_annotators, tie, unsure,
    no_agreed_reason).
    """

    item_id: str
    outcome: Outcome
    judgement: Judgement | None
    category: Category | None
    votes: dict[str, int]
    annotators: list[int]
    agreement: float | None
    open_reason: str | None = None
    notes: list[str] = field(default_factory=list)


def latest_per_annotator(votes: Iterable[Vote]) -> list[Vote]:
    """One vote per (item, annotator): the most recently updated; ordered by item then annotator."""
    latest: dict[tuple[str, int], Vote] = {}
    for vote in votes:
        key = (vote.item_id, vote.annotator)
        if key not in latest or (vote.updated_at, vote.annotation_id) > (
                latest[key].updated_at, latest[key].annotation_id):
            latest[key] = vote
    return [latest[key] for key in sorted(latest)]


def decide_item(item_id: str, votes: Sequence[Vote], proposed: Category,
           min_annotators: int) -> Decision:
    """The decision for one item from its votes (one per annotator), under the rules above."""
    counts = Counter(vote.judgement for vote in votes)
    annotators = sorted(vote.annotator for vote in votes)
    notes = [vote.note for vote in votes if vote.note]
    tally = {judgement.value: n for judgement, n in sorted(counts.items())}
    ranked = counts.most_common()
    agreement = round(ranked[0][1] / len(votes), 4) if votes else None

    def still_open(reason: str, winner: Judgement | None = None) -> Decision:
        return Decision(item_id, Outcome.OPEN, winner, None, tally, annotators, agreement,
                        reason, notes)

    if len(annotators) < min_annotators:
        return still_open("too_few_annotators")
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return still_open("tie")
    winner = ranked[0][0]
    if winner is Judgement.UNSURE:
        return still_open("unsure", winner)
    if winner is Judgement.BROKEN:
        return Decision(item_id, Outcome.REJECTED, winner, None, tally, annotators, agreement,
                        notes=notes)
    category = _winning_code(winner, [v.code for v in votes if v.judgement is winner], proposed)
    if category is None:
        return still_open("no_agreed_reason", winner)
    return Decision(item_id, Outcome.VERIFIED, winner, category, tally, annotators, agreement,
                    notes=notes)


def _winning_code(winner: Judgement, codes: list[Category | None],
                  proposed: Category) -> Category | None:
    """The code the winning voters chose (see module docstring), or None if they did not agree."""
    if winner in _SOLE_CODE:
        return _SOLE_CODE[winner]
    counts = Counter(code for code in codes if code is not None and family_of(code) is winner)
    if not counts:
        return proposed if family_of(proposed) is winner else None
    best = max(counts.values())
    top = [code for code, n in counts.items() if n == best]
    if len(top) == 1:
        return top[0]
    return proposed if proposed in top else None


def krippendorff_alpha_nominal(units: Iterable[Sequence[str]]) -> float | None:
    """Krippendorff's alpha for nominal data; each unit is the list of values its coders gave.

    Units with fewer than two values are not pairable and are left out (Krippendorff 2011).
    Returns None when fewer than two pairable values exist or all values are the same class
    (expected disagreement is zero, so alpha is undefined).
    """
    coincidences: Counter[tuple[str, str]] = Counter()
    for values in units:
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                coincidences[(c, k)] += pairs / (m - 1)
    marginals: Counter[str] = Counter()
    for (c, _), value in coincidences.items():
        marginals[c] += value
    n = sum(marginals.values())
    if n < 2:
        return None
    observed = sum(v for (c, k), v in coincidences.items() if c != k)
    expected_pairs = n * n - sum(v * v for v in marginals.values())
    if expected_pairs == 0:
        return None
    return 1.0 - (n - 1) * observed / expected_pairs
