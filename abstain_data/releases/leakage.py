"""The release-time leakage check: near-duplicate prompts must not end up in different splits.

Dedupe runs within a build and never merges across labels or builders, so a release can still
hold the same question twice (a source question and a builder's rewording of it). Planning a
release links every pair this check finds and splits again, so such pairs end up together; a
pair that still straddles (an earlier release already put them apart) fails the release, named,
instead of silently shipping a test item a model trained on.
Two items leak when their prompts are near-duplicates (`NearDuplicateIndex`: blocking, rapidfuzz,
entity gate and content-word gate) and their passages are the same or near-identical (or both
have none). The content-word gate is on: a leak is the same question up to framing, word order,
punctuation and typos; siblings of one template that differ in a content word ("...bicycles
banned from the tax system" / "...toasters banned from voting") ask different things and are
not leaks (with the gate off, every templated family of the default build would "leak").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from abstain_data.dedupe.matcher import NearDuplicateIndex
from abstain_data.items import Item, Split, normalize_key

CONTEXT_RATIO = 90.0


@dataclass(frozen=True)
class NearPair:
    """Two items whose prompts (and passages) are near-duplicates: their ids, score, scorer."""

    first: str
    second: str
    score: float
    method: str


@dataclass(frozen=True)
class Leak:
    """A near-duplicate pair whose items sit in different splits."""

    pair: NearPair
    first_split: Split
    second_split: Split

    def describe(self) -> str:
        p = self.pair
        return (f"{p.first} ({self.first_split.value}) ~ {p.second} "
                f"({self.second_split.value}): {p.method} {p.score:.1f}")


def _same_passage(a: Item, b: Item) -> bool:
    if not a.context and not b.context:
        return True
    if not a.context or not b.context:
        return False
    return fuzz.token_set_ratio(normalize_key(a.context), normalize_key(b.context)) >= CONTEXT_RATIO


def find_leaks(items: Sequence[Item], splits: Mapping[str, Split]) -> list[Leak]:
    """Every cross-split near-duplicate pair among `items` (given their `splits`), sorted.

    Each split's prompts are indexed once and the items of every later split are queried
    against it (so each unordered pair is checked once, and blocking sees the query's words
    that the indexed split lacks).
    """
    by_split = {s: [it for it in items if splits[it.id] is s] for s in Split}
    leaks: list[Leak] = []
    order = list(Split)
    for position, indexed_split in enumerate(order):
        indexed = by_split[indexed_split]
        if not indexed:
            continue
        index = NearDuplicateIndex([it.prompt for it in indexed], word_gate=True)
        for query_split in order[position + 1:]:
            for query in by_split[query_split]:
                for match in index.matches(query.prompt):
                    hit = indexed[match.index]
                    if _same_passage(hit, query):
                        pair = NearPair(hit.id, query.id, float(match.score), match.method)
                        leaks.append(Leak(pair, indexed_split, query_split))
    return sorted(leaks, key=lambda leak: (leak.pair.first, leak.pair.second))
