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

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from functools import lru_cache
from hashlib import blake2b
from itertools import combinations

import numpy as np

from abstain_data.dedupe.content import is_function_word_typo, is_typo

MAX_BLOCK = 64
MAX_FULL = 256
_NO_WORD = -1  # the left-out "word" of a full key in the leave-one-out table


def candidate_pairs(contents: Sequence[frozenset[str]], scopes: Sequence[Hashable],
                    counters: Counter[str], typo_only: bool = True,
                    max_block: int = MAX_BLOCK, max_full: int = MAX_FULL,
                    ) -> set[tuple[int, int]]:
    """Pairs (s, t), s < t, of positions in `contents` that share a scope and a block.

    Consumes each position's content-word set and scope; produces the candidate pairs.
    `typo_only=False` pairs every two groups of a leave-one-out block (the left-out words need
    not be typos of each other). Counters: "near:candidate_pairs", "near:oversized_blocks".

    A set's key is the sum (mod 2**64) of 64-bit codes of its scope and words, so every
    leave-one-out key is the full key less one word's code: all keys are computed, sorted and
    cut into blocks with numpy, and Python only visits blocks that hold two sets or more.
    Two different sets sharing a key by chance only add a candidate pair, which the caller
    verifies on the words themselves.
    """
    vocabulary: dict[str, int] = {}
    flat = np.fromiter((vocabulary.setdefault(word, len(vocabulary))
                        for words in contents for word in words), dtype=np.int64)
    lengths = np.fromiter((len(words) for words in contents), dtype=np.int64, count=len(contents))
    scope_ids: dict[Hashable, int] = {}
    scope_of = np.fromiter((scope_ids.setdefault(scope, len(scope_ids)) for scope in scopes),
                           dtype=np.int64, count=len(contents))
    word_codes = _codes(vocabulary)
    scope_codes = _codes(repr(scope) for scope in scope_ids)
    sums = np.concatenate(([np.uint64(0)], np.cumsum(word_codes[flat], dtype=np.uint64)))
    ends = np.cumsum(lengths)
    full = scope_codes[scope_of] + (sums[ends] - sums[ends - lengths])
    owner = np.repeat(np.arange(len(contents), dtype=np.int64), lengths)
    pairs: set[tuple[int, int]] = set()
    for block in _blocks(full, np.zeros(len(full), dtype=np.int64), 1):
        if len(block) > max_full:
            counters["near:oversized_blocks"] += 1
            continue
        pairs.update(combinations(sorted(block.tolist()), 2))
    keys = np.concatenate((full, full[owner] - word_codes[flat]))
    left_out = np.concatenate((np.full(len(full), _NO_WORD, dtype=np.int64), flat))
    owners = np.concatenate((np.arange(len(full), dtype=np.int64), owner))
    words = list(vocabulary)
    oversized = [0]
    for block in _blocks(keys, left_out, 2, max_block, oversized):
        groups: dict[int, list[int]] = {}
        for row in block.tolist():
            groups.setdefault(int(left_out[row]), []).append(int(owners[row]))
        for word_a, word_b in combinations(sorted(groups), 2):
            if typo_only and not (is_function_word_typo(words[word_b]) if word_a == _NO_WORD
                                  else _typos(words[word_a], words[word_b])):
                continue
            pairs.update((min(s, t), max(s, t))
                         for s in groups[word_a] for t in groups[word_b] if s != t)
    counters["near:oversized_blocks"] += oversized[0]
    counters["near:candidate_pairs"] = len(pairs)
    return pairs


def _codes(texts: Iterable[str]) -> np.ndarray:
    """A 64-bit code per text, from its blake2b digest: the same text has the same code in
    every process and run, whatever order the texts come in."""
    return np.frombuffer(b"".join(blake2b(text.encode(), digest_size=8).digest()
                                  for text in texts), dtype=np.uint64).copy()


@lru_cache(maxsize=1 << 18)
def _typos(word: str, other: str) -> bool:
    return is_typo(word, other)


def _blocks(keys: np.ndarray, labels: np.ndarray, least: int, most: int | None = None,
            oversized: list[int] | None = None) -> list[np.ndarray]:
    """The row indices (sorted by label) of each run of equal `keys` whose rows carry at least
    `least` distinct `labels` (runs of one row never count) and, when `most` is given, at most
    `most`; runs with more are counted in `oversized[0]`."""
    if len(keys) < 2:
        return []
    order = np.lexsort((labels, keys))
    ranked, ranked_labels = keys[order], labels[order]
    new_key = np.r_[True, ranked[1:] != ranked[:-1]]
    new_label = new_key | np.r_[True, ranked_labels[1:] != ranked_labels[:-1]]
    starts = np.flatnonzero(new_key)
    ends = np.r_[starts[1:], len(ranked)]
    distinct = np.add.reduceat(new_label.astype(np.int64), starts)
    wanted = ((ends - starts) >= 2) & (distinct >= least)
    if most is not None:
        too_many = wanted & (distinct > most)
        if oversized is not None:
            oversized[0] += int(too_many.sum())
        wanted &= ~too_many
    return [order[start:end] for start, end in zip(starts[wanted].tolist(),
                                                     ends[wanted].tolist(), strict=True)]
