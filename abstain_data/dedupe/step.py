"""The dedupe step: exact then near duplicates, never across labels; conflicts go to review.

Consumes the whole stream (dedupe needs every item) and produces it again without duplicates:
- exact duplicates (same normalized prompt and context, same label and category) collapse onto
  the first item by `keys.order_key` (source items before variants, sources in recipe order,
  then id); the others get Fate(duplicate_of <kept id>, method "exact");
- near duplicates (same context and variant family, same label and category: content words
  equal or one misspelt, see `near.find_near`), with spaCy entities in the gate where a typo
  may hide a name, collapse onto their cluster's representative; method
  "near:token_set_ratio" / "near:token_sort_ratio" (rapidfuzz on the content words), score
  recorded;
- duplicates whose labels or categories conflict all stay, as needs_review with
  review = {"queue_reason": "conflicting_duplicate", "conflict_with": [ids]};
- minimal pairs stay whole: an item with a pair_id or named as a parent is never merged as a
  near duplicate, and a pair left with one member by exact merging loses its pair_id.
The result depends only on the set of items, not on batch size, order or the build's workers
(`ctx.workers` > 1 reads the prompts in forked processes, see `reading.read_prompts`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace

from abstain_data.dedupe.exact import find_exact
from abstain_data.dedupe.keys import order_key
from abstain_data.dedupe.matcher import Match, entity_keys
from abstain_data.dedupe.near import find_near
from abstain_data.dedupe.reading import read_prompts
from abstain_data.items import Item, LabelStatus, normalize_key
from abstain_data.parsing.store import parse
from abstain_data.pipeline.step import Batch, BuildContext, Fate, FateKind, Step

QUEUE_REASON = "conflicting_duplicate"


class DedupeStep(Step):
    """Removes exact and near duplicates; sends conflicting duplicates to review."""

    name = "dedupe"

    def __init__(self, ctx: BuildContext, token_set_ratio: float = 90,
                 token_sort_ratio: float = 85, word_gate: bool = True,
                 source_order: tuple[str, ...] = ()) -> None:
        super().__init__(ctx)
        self.source_order = tuple(source_order)
        self.source_rank = {name: rank for rank, name in enumerate(source_order)}
        self.token_set_ratio = token_set_ratio
        self.token_sort_ratio = token_sort_ratio
        self.word_gate = word_gate

    def run(self, batches: Iterable[Batch]) -> Iterator[Batch]:
        """Materialize the stream, dedupe it, yield it again in input order and batch size."""
        items: list[Item] = []
        carried = Batch()
        size = 0
        for batch in batches:
            items.extend(batch.items)
            carried.fates.extend(batch.fates)
            for key, n in batch.counters.items():
                carried.count(key, n)
            size = max(size, len(batch.items))
        kept, fates, counters = self.dedupe(items)
        carried.fates.extend(fates)
        for key, n in sorted(counters.items()):
            carried.count(key, n)
        size = size or 1
        chunks = [kept[i:i + size] for i in range(0, len(kept), size)] or [[]]
        carried.items = chunks[0]
        yield carried
        for chunk in chunks[1:]:
            yield Batch(chunk)

    def dedupe(self, items: list[Item]) -> tuple[list[Item], list[Fate], Counter[str]]:
        """The items that stay (input order, conflicts marked), the fates of the removed ones,
        and counters: duplicates by method, clusters, conflicting items, near-pair checks."""
        order = sorted(range(len(items)), key=lambda p: order_key(items[p], self.source_rank))
        rank = [0] * len(items)  # position -> its place in `order`
        for place, position in enumerate(order):
            rank[position] = place
        readings = read_prompts([item.prompt for item in items], self.ctx.workers)
        keys = [(reading.key, normalize_key(item.context) if item.context else "")
                for reading, item in zip(readings, items, strict=True)]
        exact = find_exact(items, order, keys)
        survivors = [p for p in order if p not in exact.duplicate_of]
        parents = {item.parent_id for item in items if item.parent_id}
        protected = frozenset(p for p in survivors
                              if items[p].pair_id or items[p].id in parents)
        near = find_near(items, survivors, self._entities, self.token_set_ratio,
                         self.token_sort_ratio, protected, self.word_gate,
                         [readings[p] for p in survivors])
        removed: dict[int, Match] = dict(near.duplicate_of)
        for duplicate, kept in exact.duplicate_of.items():
            # an exact duplicate of an item merged as a near duplicate shares its match
            removed[duplicate] = near.duplicate_of.get(kept, Match(kept, 100.0, "exact"))

        def final(position: int) -> int:
            return removed[position].index if position in removed else position

        conflicts: dict[int, set[int]] = defaultdict(set)
        for a, b in [*exact.conflicts, *near.conflicts]:
            conflicts[final(a)].add(final(b))
            conflicts[final(b)].add(final(a))
        fates = [
            Fate(items[p].record, FateKind.DUPLICATE_OF, self.name, items[m.index].id,
                 items[p].id, m.method if m.method == "exact" else f"near:{m.method}", m.score)
            for p, m in sorted(removed.items(), key=lambda pm: rank[pm[0]])
        ]
        kept = [
            _flag(items[p], sorted({items[c].id for c in conflicts[p]})) if p in conflicts
            else items[p]
            for p in range(len(items)) if p not in removed
        ]
        kept, unpaired = _unpair_orphans(items, kept)
        counters = Counter(near.counters)
        counters["pairs_unpaired"] = unpaired
        counters["duplicates:exact"] = sum(m.method == "exact" for m in removed.values())
        counters["duplicates:near"] = len(removed) - counters["duplicates:exact"]
        counters["clusters"] = len({m.index for m in removed.values()})
        counters["conflicting_duplicates"] = len(conflicts)
        return kept, fates, counters

    def _entities(self, texts: list[str]) -> list[frozenset[str]]:
        return [entity_keys(doc) for doc in parse(self.ctx, texts)]  # the build's one parse


def _unpair_orphans(before: list[Item], after: list[Item]) -> tuple[list[Item], int]:
    """`after` with pair_id cleared on items whose pair had other members in `before` and has
    none left (their partner was merged into another pair's identical variant); and how many."""
    count_before = Counter(item.pair_id for item in before if item.pair_id)
    count_after = Counter(item.pair_id for item in after if item.pair_id)
    orphaned = {pair for pair, n in count_after.items() if n == 1 and count_before[pair] > 1}
    return ([replace(item, pair_id=None) if item.pair_id in orphaned else item
             for item in after], len(orphaned))


def _flag(item: Item, conflict_with: list[str]) -> Item:
    """`item` as needs_review, its review naming the ids it conflicts with."""
    review = {**(item.review or {}), "queue_reason": QUEUE_REASON, "conflict_with": conflict_with}
    return replace(item, label_status=LabelStatus.NEEDS_REVIEW, review=review)
