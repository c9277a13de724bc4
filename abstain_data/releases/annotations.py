"""The annotation record of a build, as a release reports it (card and release.json).

Consumes `<build>/annotations/rounds.json`, which `abstain-data annotate pull` writes (one
summary per round: votes, items verified / relabelled / rejected / still open, Krippendorff's
alpha, and per builder the items judged, `precision` and `code_precision`), plus the released
items. Produces an `AnnotationReport`: the rounds, each builder's precision over all rounds,
the share of human-verified items and their mean per-item agreement.

The round summaries are the only place a human rejection is still visible: a rejected item
leaves items.parquet, so precision can never be counted from the items themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from abstain_data.annotation.state import BuilderScore, read_rounds, rounds_path
from abstain_data.errors import UserError
from abstain_data.items import Item, LabelStatus
from abstain_data.releases.features import review_agreement

_ROUND_COUNTS = ("votes", "verified", "relabelled", "rejected", "still_open")


@dataclass(frozen=True)
class RoundSummary:
    """One annotation round as rounds.json records it; `alpha` is None when undefined."""

    round: int
    votes: int
    verified: int
    relabelled: int
    rejected: int
    still_open: int
    alpha: float | None


@dataclass(frozen=True)
class AnnotationRounds:
    """What rounds.json records: the rounds in order, each builder's precision over all."""

    rounds: list[RoundSummary] = field(default_factory=list)
    builders: dict[str, BuilderScore] = field(default_factory=dict)


@dataclass(frozen=True)
class AnnotationReport:
    """What the release says about human review: the recorded rounds, and of the released
    items how many are human-verified and their per-item agreements."""

    recorded: AnnotationRounds
    items: int
    human_verified: int
    agreements: list[float]

    @property
    def mean_agreement(self) -> float | None:
        return sum(self.agreements) / len(self.agreements) if self.agreements else None

    def to_json(self) -> dict[str, Any]:
        """The `annotation` entry of release.json (rounded like rounds.json)."""
        mean = self.mean_agreement
        return {
            "rounds": [{"round": r.round, "votes": r.votes, "verified": r.verified,
                        "relabelled": r.relabelled, "rejected": r.rejected,
                        "still_open": r.still_open, "krippendorff_alpha": r.alpha}
                       for r in self.recorded.rounds],
            "builders": {name: {"judged": b.judged, "precision": round(b.precision, 4),
                                "code_precision": round(b.code_precision, 4)}
                         for name, b in self.recorded.builders.items()},
            "items": self.items,
            "human_verified": self.human_verified,
            "items_with_agreement": len(self.agreements),
            "mean_agreement": None if mean is None else round(mean, 4),
        }


def recorded_rounds(build_dir: Path) -> AnnotationRounds:
    """The build's annotations/rounds.json as `AnnotationRounds` (empty when no round was
    pulled). UserError naming the file (and round, builder, field) when it is malformed.
    """
    path = rounds_path(build_dir)
    rounds = read_rounds(build_dir)
    return AnnotationRounds([_round(entry, str(path)) for entry in rounds],
                            _builders(rounds, str(path)))


def _round(entry: dict[str, Any], path: str) -> RoundSummary:
    """One rounds.json entry as a RoundSummary; UserError naming the round and field."""
    try:
        alpha = entry.get("krippendorff_alpha")
        return RoundSummary(int(entry["round"]), *(int(entry[key]) for key in _ROUND_COUNTS),
                            None if alpha is None else float(alpha))
    except KeyError as exc:
        raise UserError(f"{path}: round {entry.get('round', '?')}: missing field {exc}") \
            from None
    except (TypeError, ValueError) as exc:
        raise UserError(f"{path}: round {entry.get('round', '?')}: {exc}") from None


def _builders(rounds: Sequence[dict[str, Any]], path: str) -> dict[str, BuilderScore]:
    """Per builder, judged items and kept labels summed over all rounds.

    rounds.json stores precisions rounded to 4 decimals; the kept counts are recovered as
    round(precision * judged), exact while a builder has fewer than 5,000 items in a round.
    """
    totals: dict[str, BuilderScore] = {}
    for entry in rounds:
        for name, score in (entry.get("builders") or {}).items():
            try:
                judged = int(score["judged"])
                kept = (round(float(score["precision"]) * judged),
                        round(float(score["code_precision"]) * judged))
            except (KeyError, TypeError, ValueError) as exc:
                raise UserError(f"{path}: round {entry.get('round', '?')}: builder {name}: "
                                f"bad or missing field {exc}") from None
            total = totals.setdefault(name, BuilderScore())
            total.judged += judged
            total.label_kept += kept[0]
            total.code_kept += kept[1]
    return dict(sorted(totals.items()))


def annotation_report(recorded: AnnotationRounds, items: Sequence[Item]) -> AnnotationReport:
    """The report of the `recorded` rounds and the released `items`."""
    return AnnotationReport(
        recorded=recorded,
        items=len(items),
        human_verified=sum(it.label_status is LabelStatus.HUMAN_VERIFIED for it in items),
        agreements=[a for a in map(review_agreement, items) if a is not None],
    )
