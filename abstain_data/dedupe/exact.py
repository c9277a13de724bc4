"""Exact duplicates: equal normalized prompt and context."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from abstain_data.dedupe.keys import exact_key, label_key
from abstain_data.items import Item


@dataclass
class ExactResult:
    """`duplicate_of` maps a removed position to the position it duplicates; `conflicts` lists
    pairs of kept positions with equal keys but different labels or categories."""

    duplicate_of: dict[int, int] = field(default_factory=dict)
    conflicts: list[tuple[int, int]] = field(default_factory=list)


def find_exact(items: Sequence[Item], order: Sequence[int],
               keys: Sequence[tuple[str, str]] | None = None) -> ExactResult:
    """Group the positions in `order` (deterministic order) by exact key (`keys[p]`: the
    precomputed `exact_key` of item p, computed here when absent).

    Within a group, items with the same label key collapse onto the first of them; when a group
    holds several label keys, the kept items of each are recorded as conflicting pairs.
    """
    first: dict[tuple[str, str], int] = {}
    shared: dict[tuple[str, str], list[int]] = {}  # keys held by two positions or more
    for position in order:
        key = keys[position] if keys is not None else exact_key(items[position])
        if key in first:
            shared.setdefault(key, [first[key]]).append(position)
        else:
            first[key] = position
    groups: list[dict[tuple[bool, str], list[int]]] = []
    for positions in shared.values():
        by_label: dict[tuple[bool, str], list[int]] = {}
        for position in positions:
            by_label.setdefault(label_key(items[position]), []).append(position)
        groups.append(by_label)
    result = ExactResult()
    for by_label in groups:
        kept = []
        for members in by_label.values():
            kept.append(members[0])
            for duplicate in members[1:]:
                result.duplicate_of[duplicate] = members[0]
        result.conflicts.extend(
            (a, b) for i, a in enumerate(kept) for b in kept[i + 1:]
        )
    return result
