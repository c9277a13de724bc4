"""Near duplicates: blocking + rapidfuzz + entity gate, then clusters led by representatives."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from abstain_data.dedupe.keys import exact_key, family, label_key
from abstain_data.dedupe.matcher import (
    Match,
    NearDuplicateIndex,
    entities_consistent,
    entity_keys,
    same_content_words,
)
from abstain_data.items import Item

# texts -> their entity keys (the step passes spaCy NER; tests may pass the string heuristic)
EntityFinder = Callable[[list[str]], list[frozenset[str]]]


@dataclass
class NearResult:
    """`duplicate_of` maps a removed position to its match against the kept item (whose
    position is the match's `index`); `conflicts` lists pairs of positions that are
    near-duplicates with different labels."""

    duplicate_of: dict[int, Match] = field(default_factory=dict)
    conflicts: list[tuple[int, int]] = field(default_factory=list)
    counters: Counter[str] = field(default_factory=Counter)


def find_near(items: Sequence[Item], survivors: Sequence[int], find_entities: EntityFinder,
              token_set_ratio: float, token_sort_ratio: float,
              protected: frozenset[int] = frozenset(), word_gate: bool = True) -> NearResult:
    """Near-duplicates among the positions `survivors` (given in the deterministic order).

    Two items are compared only when they have the same context and variant family (`word_gate`
    as in `NearDuplicateIndex`). A verified pair that passes the entity gate (see `_gate`) is
    merged when the labels agree, each member matched against its cluster's representative (the
    earliest item, never a chain); when the labels differ and the items come from different
    source datasets, the pair is a conflict. (Within one corpus, near-identical items with
    different labels are the corpus's own minimal pairs, e.g. SQuAD 2.0's edited unanswerable
    questions, not contradictions.) Positions in `protected` (members of minimal pairs) may lead
    a cluster but are never merged into one.
    """
    result = NearResult()
    pairs = _verified_pairs(items, survivors, token_set_ratio, token_sort_ratio, word_gate)
    result.counters["near:verified_pairs"] = len(pairs)
    neighbours: dict[int, list[tuple[int, Match]]] = defaultdict(list)
    chosen = [items[p] for p in survivors]
    for s, t, match in _gate(chosen, pairs, find_entities, result.counters):
        if label_key(chosen[s]) == label_key(chosen[t]):
            neighbours[s].append((t, match))
        else:
            result.conflicts.append((survivors[s], survivors[t]))
    for s in range(len(survivors)):
        if survivors[s] in result.duplicate_of:
            continue
        for t, match in neighbours[s]:
            if survivors[t] in protected:
                result.counters["near:protected_kept"] += 1
            elif survivors[t] not in result.duplicate_of:
                result.duplicate_of[survivors[t]] = Match(survivors[s], match.score, match.method)
    return result


def _gate(chosen: Sequence[Item], pairs: dict[tuple[int, int], Match],
          find_entities: EntityFinder, counters: Counter[str]) -> list[tuple[int, int, Match]]:
    """The verified pairs whose entities agree, in order.

    Every pair must pass the gate on the string heuristic's entities (cheap); a pair whose
    content words differ (a typo may hide a changed name, an ordinal or a lowercase entity) must
    also pass it on `find_entities` (spaCy), which therefore runs on those pairs' prompts only.
    """
    norms = [exact_key(item)[0] for item in chosen]
    cheap: dict[int, frozenset[str]] = {}
    passed, doubtful = [], []
    for (s, t), match in sorted(pairs.items()):
        for k in (s, t):
            if k not in cheap:
                cheap[k] = entity_keys(chosen[k].prompt)
        if not entities_consistent(norms[s], cheap[s], norms[t], cheap[t]):
            counters["near:entity_gate_rejected"] += 1
        elif same_content_words(norms[s], norms[t]):
            passed.append((s, t, match))
        else:
            doubtful.append((s, t, match))
    involved = sorted({k for s, t, _ in doubtful for k in (s, t)})
    found = find_entities([chosen[k].prompt for k in involved])
    entities = dict(zip(involved, found, strict=True))
    counters["near:spacy_checked_pairs"] = len(doubtful)
    for s, t, match in doubtful:
        if entities_consistent(norms[s], entities[s], norms[t], entities[t]):
            passed.append((s, t, match))
        else:
            counters["near:entity_gate_rejected"] += 1
    return sorted(passed, key=lambda pair: pair[:2])


def _verified_pairs(items: Sequence[Item], survivors: Sequence[int], token_set_ratio: float,
                    token_sort_ratio: float, word_gate: bool) -> dict[tuple[int, int], Match]:
    """Pairs (s, t), s < t indices into `survivors`, that pass rapidfuzz and may interact:
    same context and family, and either the same label or different source datasets."""
    chosen = [items[p] for p in survivors]
    index = NearDuplicateIndex([item.prompt for item in chosen], token_set_ratio=token_set_ratio,
                               token_sort_ratio=token_sort_ratio, word_gate=word_gate)
    contexts = [exact_key(item)[1] for item in chosen]
    pairs: dict[tuple[int, int], Match] = {}
    for s, item in enumerate(chosen):
        for match in index.verified(item.prompt):
            t = match.index
            other = chosen[t]
            if t == s or contexts[t] != contexts[s] or family(other) != family(item):
                continue
            if label_key(other) != label_key(item) and (
                other.source.dataset == item.source.dataset
            ):
                continue
            pairs.setdefault((min(s, t), max(s, t)), match)
    return pairs
