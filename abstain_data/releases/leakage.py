"""The release-time leakage check: near-duplicate prompts that ended up in different splits.

Dedupe runs within a build; this check runs across the finished splits and fails the release,
naming every leaking pair, instead of silently shipping a test item a model trained on.
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
class Leak:
    """Two items in different splits whose prompts (and passages) are near-duplicates."""

    first: str
    first_split: Split
    second: str
    second_split: Split
    score: float
    method: str

    def describe(self) -> str:
        return (f"{self.first} ({self.first_split.value}) ~ {self.second} "
                f"({self.second_split.value}): {self.method} {self.score:.1f}")


def _same_passage(a: Item, b: Item) -> bool:
    if not a.context and not b.context:
        return True
    if not a.context or not b.context:
        return False
    return fuzz.token_set_ratio(normalize_key(a.context), normalize_key(b.context)) >= CONTEXT_RATIO


def find_leaks(items: Sequence[Item], splits: Mapping[str, Split]) -> list[Leak]:
    """Every cross-split near-duplicate pair among `items` (given their `splits`), sorted.

    Each split's prompts are indexed once; the items of every later split are queried
    against it, so each unordered pair is checked once.
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
                        leaks.append(Leak(hit.id, indexed_split, query.id, query_split,
                                          float(match.score), match.method))
    return sorted(leaks, key=lambda leak: (leak.first, leak.second))
