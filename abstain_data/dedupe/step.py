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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from abstain_data.dedupe.exact import find_exact
from abstain_data.dedupe.keys import order_key
from abstain_data.dedupe.matcher import Match, entity_keys
from abstain_data.dedupe.near import find_near
from abstain_data.dedupe.reading import read_prompts
from abstain_data.items import Category, Item, LabelStatus, normalize_key
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
        """Two passes over `batches` (the runner's stream on disk): the first reads what dedupe
        compares of each item (`Compared`, not the item), the decisions are made on those, and
        the second yields each batch again without its removed items, conflicts and orphaned
        pairs marked; the fates of the removed items come with the first batch."""
        batches = batches if isinstance(batches, Sequence) else list(batches)
        compared = Compared.of_stream(item for batch in batches for item in batch.items)
        decisions = self.decide(compared)
        del compared
        position = 0
        for k, batch in enumerate(batches):
            if k == 0:
                batch.fates.extend(decisions.fates)
                for key, n in sorted(decisions.counters.items()):
                    batch.count(key, n)
            kept = []
            for item in batch.items:
                if position not in decisions.removed:
                    kept.append(decisions.apply(position, item))
                position += 1
            batch.items = kept
            yield batch
        if not batches:
            yield Batch(fates=decisions.fates, counters=dict(sorted(decisions.counters.items())))

    def dedupe(self, items: list[Item]) -> tuple[list[Item], list[Fate], Counter[str]]:
        """The items that stay (input order, conflicts marked), the fates of the removed ones,
        and counters: duplicates by method, clusters, conflicting items, near-pair checks."""
        decisions = self.decide(items)
        kept = [decisions.apply(p, item) for p, item in enumerate(items)
                if p not in decisions.removed]
        return kept, decisions.fates, decisions.counters

    def decide(self, items: Sequence[Item] | Sequence[Compared]) -> Decisions:
        """What becomes of each position of `items` (items, or what dedupe compares of them):
        which are removed (with their fates), which conflict, which pairs are orphaned."""
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
        del readings, keys
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
        orphaned = _orphaned_pairs(items, removed)
        counters = Counter(near.counters)
        counters["pairs_unpaired"] = len(orphaned)
        counters["duplicates:exact"] = sum(m.method == "exact" for m in removed.values())
        counters["duplicates:near"] = len(removed) - counters["duplicates:exact"]
        counters["clusters"] = len({m.index for m in removed.values()})
        counters["conflicting_duplicates"] = len(conflicts)
        return Decisions(
            removed=frozenset(removed), fates=fates, counters=counters, orphaned=orphaned,
            conflict_with={p: sorted({items[c].id for c in others})
                           for p, others in conflicts.items()})

    def _entities(self, texts: list[str]) -> list[frozenset[str]]:
        return [entity_keys(doc) for doc in parse(self.ctx, texts)]  # the build's one parse


def _orphaned_pairs(items: Sequence[Item] | Sequence[Compared],
                    removed: Mapping[int, Match]) -> frozenset[str]:
    """The pair ids that had several members in `items` and keep only one once the positions
    in `removed` are gone (the partner was merged into another pair's identical variant)."""
    before = Counter(item.pair_id for item in items if item.pair_id)
    after = Counter(item.pair_id for p, item in enumerate(items)
                    if item.pair_id and p not in removed)
    return frozenset(pair for pair, n in after.items() if n == 1 and before[pair] > 1)


@dataclass(frozen=True)
class Decisions:
    """Dedupe's decisions by stream position: `removed` positions (their `fates`), the ids
    each conflicting position conflicts with, the pair ids left with one member."""

    removed: frozenset[int]
    fates: list[Fate]
    counters: Counter[str]
    orphaned: frozenset[str]
    conflict_with: dict[int, list[str]]

    def apply(self, position: int, item: Item) -> Item:
        """The kept `item` at `position` as it leaves dedupe: flagged if it conflicts, its
        pair id cleared if its pair is orphaned."""
        if position in self.conflict_with:
            item = _flag(item, self.conflict_with[position])
        if item.pair_id in self.orphaned:
            item = replace(item, pair_id=None)
        return item


@dataclass(frozen=True, slots=True)
class Family:
    """What dedupe reads of a variant's transform: the builder that made it."""

    builder: str


@dataclass(frozen=True, slots=True)
class Dataset:
    """What dedupe reads of an item's source: its dataset."""

    dataset: str


@dataclass(frozen=True, slots=True)
class Compared:
    """What dedupe compares of one item, under the item's own attribute names (so the
    comparisons take either): about a fifth of the item's memory, equal passages, families and
    datasets shared."""

    record: str
    id: str
    prompt: str
    context: str | None
    should_abstain: bool
    category: Category
    transform: Family | None
    source: Dataset
    pair_id: str | None
    parent_id: str | None

    @classmethod
    def of_stream(cls, items: Iterable[Item]) -> list[Compared]:
        """What dedupe compares of each of `items`, in order."""
        shared: dict[Any, Any] = {}

        def one(value: Any) -> Any:
            return value if value is None else shared.setdefault(value, value)

        return [cls(item.record, item.id, item.prompt, one(item.context), item.should_abstain,
                    item.category,
                    one(Family(item.transform.builder)) if item.transform else None,
                    one(Dataset(item.source.dataset)), item.pair_id, item.parent_id)
                for item in items]


def _flag(item: Item, conflict_with: list[str]) -> Item:
    """`item` as needs_review, its review naming the ids it conflicts with."""
    review = {**(item.review or {}), "queue_reason": QUEUE_REASON, "conflict_with": conflict_with}
    return replace(item, label_status=LabelStatus.NEEDS_REVIEW, review=review)
