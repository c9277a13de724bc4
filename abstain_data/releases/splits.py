"""Deterministic, grouped, stratified train/validation/test assignment.

Items that must never straddle splits form one group: the members of a minimal pair (`pair_id`,
`parent_id`), all items over one source passage (normalized context), one source topic, and one
dedupe cluster (ledger `duplicate_of` links between released items). Groups are assigned whole,
greedily, each to the split where it brings the counts per category (and, more lightly, per
category x domain and per split) closest to the target ratios. Items of an earlier release keep
their split, so a model trained on an old train split never meets them in a newer test split;
their new group mates join them (the most held-out split when they disagree, in which case the
group straddles and the release's leakage check names it).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from abstain_data.errors import UserError
from abstain_data.items import Item, Split, normalize_key

DEFAULT_RATIOS = {Split.TRAIN: 0.7, Split.VALIDATION: 0.1, Split.TEST: 0.2}
# when an item's earlier splits disagree, the most held-out one wins
_HELD_OUT_FIRST = (Split.TEST, Split.VALIDATION, Split.TRAIN)


def split_ratios(release_table: Mapping[str, object] | None) -> dict[Split, float]:
    """Normalized ratios from a recipe `[release]` table (train/validation/test); 70/10/20 default.

    Raises UserError when a ratio is negative or they sum to zero.
    """
    table = release_table or {}
    raw = {s: float(table.get(s.value, DEFAULT_RATIOS[s])) for s in Split}  # type: ignore[arg-type]
    total = sum(raw.values())
    if any(v < 0 for v in raw.values()) or total <= 0:
        shown = {s.value: v for s, v in raw.items()}
        raise UserError(f"recipe [release]: bad split ratios {shown}")
    return {s: v / total for s, v in raw.items()}


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_keys(item: Item) -> list[str]:
    """The keys that tie an item to others in its group (pair, parent, passage, topic)."""
    keys = [f"item:{item.id}"]
    if item.pair_id:
        keys.append(f"pair:{item.pair_id}")
    if item.parent_id:
        keys.append(f"item:{item.parent_id}")
    if item.context:
        keys.append("passage:" + normalize_key(item.context))
    if item.source.topic:
        keys.append(f"topic:{item.source.dataset}:{normalize_key(item.source.topic)}")
    return keys


def group_items(items: Sequence[Item], links: Iterable[tuple[str, str]] = ()) -> list[list[Item]]:
    """Items partitioned into groups that must share a split, each group sorted by id.

    `links` are extra (id, id) pairs to keep together, e.g. dedupe clusters from the ledger;
    links naming ids that are not among `items` are ignored.
    """
    uf = _UnionFind(len(items))
    owner: dict[str, int] = {}
    for index, item in enumerate(items):
        for key in group_keys(item):
            if key in owner:
                uf.union(owner[key], index)
            else:
                owner[key] = index
    for a, b in links:
        if f"item:{a}" in owner and f"item:{b}" in owner:
            uf.union(owner[f"item:{a}"], owner[f"item:{b}"])
    members: dict[int, list[Item]] = defaultdict(list)
    for index, item in enumerate(items):
        members[uf.find(index)].append(item)
    return [sorted(group, key=lambda it: it.id) for group in members.values()]


@dataclass
class _Tally:
    """Item counts per split overall, per category and per category x domain, plus (for the
    wanted tally) in how many groups each category occurs."""

    total: Counter
    by_category: Counter
    by_stratum: Counter
    groups_with: Counter

    @classmethod
    def empty(cls) -> _Tally:
        return cls(Counter(), Counter(), Counter(), Counter())

    def add(self, split: Split | None, group: Sequence[Item]) -> None:
        for item in group:
            self.total[split] += 1
            self.by_category[split, item.category] += 1
            self.by_stratum[split, item.category, item.domain] += 1
        self.groups_with.update({item.category for item in group})


def _squared_change(have: int, target: float, added: int) -> float:
    """Change of (have - target)^2 when `added` items join."""
    return (have + added - target) ** 2 - (have - target) ** 2


def assign_splits(
    items: Sequence[Item],
    ratios: Mapping[Split, float] = DEFAULT_RATIOS,
    seed: int = 0,
    links: Iterable[tuple[str, str]] = (),
    previous: Mapping[str, Split] | None = None,
) -> dict[str, Split]:
    """Item id -> split, assigned by group and stratified by category (x domain).

    Consumes the releasable items, normalized `ratios`, the release `seed`, extra `links` (id
    pairs to keep together) and `previous` (id -> split in the latest earlier release, kept
    even when it splits a group). Produces a split for every item; the same inputs always give
    the same answer.

    Groups holding the rarest categories (in fewest groups) are placed first, largest first,
    ties in an order drawn from (seed, group); each goes to the split where it brings the
    counts closest to the target ratios (`_cost`).
    """
    previous = previous or {}
    groups = group_items(items, links)
    wanted = _Tally.empty()
    for group in groups:
        wanted.add(None, group)

    def order(group: Sequence[Item]) -> tuple[int, int, str]:
        rarity = min(wanted.groups_with[it.category] for it in group)
        digest = hashlib.sha256(f"{seed}:{group[0].id}".encode()).hexdigest()
        return (rarity, -len(group), digest)

    have = _Tally.empty()
    result: dict[str, Split] = {}
    candidates = [s for s in Split if ratios[s] > 0]
    for group in sorted(groups, key=order):
        earlier = {previous[it.id] for it in group if it.id in previous}
        if earlier:
            fallback = next(s for s in _HELD_OUT_FIRST if s in earlier)
            chosen = {it.id: previous.get(it.id, fallback) for it in group}
        else:
            split = min(candidates, key=lambda s: _cost(s, group, ratios, wanted, have))
            chosen = {it.id: split for it in group}
        for it in group:
            have.add(chosen[it.id], [it])
        result.update(chosen)
    movable = [g for g in groups if not any(it.id in previous for it in g)]
    _fill_missing_splits(movable, result, candidates)
    return result


def _fill_missing_splits(groups: Sequence[Sequence[Item]], result: dict[str, Split],
                         splits: Sequence[Split]) -> None:
    """Repair pass after the greedy placement: a category held by at least as many groups as
    there are splits, yet absent from a split, gets its smallest group moved there from the
    split that holds most of its groups (which keeps at least one). Changes `result` in place;
    deterministic (groups in their given order, smallest first)."""
    def split_of(group: Sequence[Item]) -> Split:
        return result[group[0].id]

    categories = sorted({it.category for g in groups for it in g}, key=lambda c: c.value)
    for category in categories:
        holders = [g for g in groups if any(it.category is category for it in g)]
        if len(holders) < len(splits):
            continue
        for target in splits:
            by_split = Counter(split_of(g) for g in holders)
            if by_split[target]:
                continue
            donor = max(splits, key=lambda s: (by_split[s], -list(Split).index(s)))
            if by_split[donor] < 2:
                continue
            group = min((g for g in holders if split_of(g) is donor), key=len)
            for it in group:
                result[it.id] = target


STRATUM_WEIGHT = 0.1
TOTAL_WEIGHT = 0.1


def _cost(
    split: Split, group: Sequence[Item], ratios: Mapping[Split, float], wanted: _Tally, have: _Tally
) -> tuple[float, int]:
    """How far from the target ratios the counts move if `group` joins `split` (lower = better).

    Sums the squared-error change per category, divided by the number of groups holding that
    category (so a category spread over few big groups is not drowned out by a common one
    sharing those groups), plus lightly weighted changes per category x domain (relative to
    the stratum size) and of the split's size (relative to the release size).
    """
    r = ratios[split]
    categories = Counter(it.category for it in group)
    strata = Counter((it.category, it.domain) for it in group)
    cost = sum(_squared_change(have.by_category[split, c], r * wanted.by_category[None, c], n)
               / wanted.groups_with[c] for c, n in categories.items())
    cost += STRATUM_WEIGHT * sum(
        _squared_change(have.by_stratum[split, c, d], r * wanted.by_stratum[None, c, d], n)
        / wanted.by_stratum[None, c, d] for (c, d), n in strata.items())
    cost += TOTAL_WEIGHT * _squared_change(have.total[split], r * wanted.total[None],
                                           len(group)) / wanted.total[None]
    return (round(cost, 9), list(Split).index(split))
