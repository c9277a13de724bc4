"""Candidate pairs for near-duplicate dedupe: blocking on content-word sets.

Two prompts are near duplicates when their content words (`content.content_words`) are equal
or differ by a misspelt word. Such pairs share a block key:

- the *full key*: the sorted content-word set (equal sets: case, punctuation, contractions,
  framing, word order, inflection);
- a *leave-one-out key*: the set less one word, for each of its words. Two sets that differ by
  one substituted word share the key that leaves that word out, and the two left-out words
  name the substitution, so a block is split by its left-out word and only groups whose words
  are typos of each other (`content.is_typo`) are paired. "Who founded X?" and "Who sold X?"
  share a block but are never paired. A set's full key also joins the leave-one-out blocks
  (with no left-out word), so a set with one extra word that is a misspelt function word
  ("What did X write abbout Y?") meets the set without it.

Every key is scoped by a caller-given scope (context and variant family): items of different
scopes are never paired. Keys are hashed into numpy arrays and sorted, so memory stays a few
arrays of the number of keys. Blocks with more than `max_block` distinct left-out words (the
templated "What is the capital of ___?" block) and full-key blocks of more than `max_full`
items are skipped and counted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterator, Sequence
from itertools import combinations

import numpy as np

from abstain_data.dedupe.content import is_function_word_typo, is_typo

MAX_BLOCK = 64
MAX_FULL = 256


def candidate_pairs(contents: Sequence[frozenset[str]], scopes: Sequence[Hashable],
                    counters: Counter[str], typo_only: bool = True,
                    max_block: int = MAX_BLOCK, max_full: int = MAX_FULL,
                    ) -> set[tuple[int, int]]:
    """Pairs (s, t), s < t, of positions in `contents` that share a scope and a block.

    Consumes each position's content-word set and scope; produces the candidate pairs.
    `typo_only=False` pairs every two groups of a leave-one-out block (the left-out words need
    not be typos of each other). Counters: "near:candidate_pairs", "near:oversized_blocks".
    """
    full_hashes = np.empty(len(contents), dtype=np.int64)
    loo_hashes: list[int] = []
    loo_owner: list[int] = []
    loo_word: list[str] = []
    for position, (words, scope) in enumerate(zip(contents, scopes, strict=True)):
        ordered = sorted(words)
        full_hashes[position] = hash((scope, *ordered))
        loo_hashes.append(full_hashes[position])  # meets the sets with one word more
        loo_owner.append(position)
        loo_word.append("")
        for k, word in enumerate(ordered):
            loo_hashes.append(hash((scope, *ordered[:k], *ordered[k + 1:])))
            loo_owner.append(position)
            loo_word.append(word)
    pairs: set[tuple[int, int]] = set()
    for block in _blocks(full_hashes):
        if len(block) > max_full:
            counters["near:oversized_blocks"] += 1
            continue
        pairs.update(combinations(sorted(block.tolist()), 2))
    owners = np.asarray(loo_owner, dtype=np.int64)
    for block in _blocks(np.asarray(loo_hashes, dtype=np.int64)):
        groups: dict[str, list[int]] = defaultdict(list)
        for row in block.tolist():
            groups[loo_word[row]].append(int(owners[row]))
        if len(groups) < 2:
            continue  # one left-out word: equal sets, paired by their full key
        if len(groups) > max_block:
            counters["near:oversized_blocks"] += 1
            continue
        for word_a, word_b in combinations(sorted(groups), 2):
            if typo_only and not (is_function_word_typo(word_b) if word_a == ""
                                  else is_typo(word_a, word_b)):
                continue
            pairs.update((min(s, t), max(s, t))
                         for s in groups[word_a] for t in groups[word_b] if s != t)
    counters["near:candidate_pairs"] = len(pairs)
    return pairs


def _blocks(hashes: np.ndarray) -> Iterator[np.ndarray]:
    """The row indices of each run of two or more equal hashes (runs in hash order)."""
    if len(hashes) < 2:
        return
    order = np.argsort(hashes, kind="stable")
    ranked = hashes[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    ends = np.r_[starts[1:], len(ranked)]
    for start, end in zip(starts[(ends - starts) >= 2].tolist(),
                          ends[(ends - starts) >= 2].tolist(), strict=True):
        yield order[start:end]
