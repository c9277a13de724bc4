"""Near duplicates: blocking + rapidfuzz + entity gate, then clusters led by representatives."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from abstain_data.dedupe.keys import exact_key, family, label_key
from abstain_data.dedupe.matcher import Match, NearDuplicateIndex, entities_consistent
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
    as in `NearDuplicateIndex`). A verified
    pair that passes the entity gate is merged when the labels agree, each member matched
    against its cluster's representative (the earliest item, never a chain); when the labels
    differ and the items come from different source datasets, the pair is a conflict. (Within one
    corpus, near-identical items with different labels are the corpus's own minimal pairs, e.g.
    SQuAD 2.0's edited unanswerable questions, not contradictions.) Positions in `protected`
    (members of minimal pairs) may lead a cluster but are never merged into one.
    """
    result = NearResult()
    pairs = _verified_pairs(items, survivors, token_set_ratio, token_sort_ratio, word_gate)
    result.counters["near:verified_pairs"] = len(pairs)
    involved = sorted({s for pair in pairs for s in pair})
    found = find_entities([items[survivors[s]].prompt for s in involved])
    entities = dict(zip(involved, found, strict=True))
    norms = {s: exact_key(items[survivors[s]])[0] for s in involved}
    neighbours: dict[int, list[tuple[int, Match]]] = defaultdict(list)
    for (s, t), match in sorted(pairs.items()):
        if not entities_consistent(norms[s], entities[s], norms[t], entities[t]):
            result.counters["near:entity_gate_rejected"] += 1
            continue
        first, second = items[survivors[s]], items[survivors[t]]
        if label_key(first) == label_key(second):
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
