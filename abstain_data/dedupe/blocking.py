"""Candidate pairs for near-duplicate dedupe: blocking on content-word sets.

Two prompts are near duplicates when their content words (`content.content_words`) are equal
or differ by a misspelt word. Such pairs share a block key:

- the *full key*: the content-word set (equal sets: case, punctuation, contractions,
  framing, word order, inflection);
- a *leave-one-out key*: the set less one word, for each of its words. Two sets that differ by
  one substituted word share the key that leaves that word out, and the two left-out words
  name the substitution, so a block is split by its left-out word and only groups whose words
  are typos of each other (`content.is_typo`) are paired. "Who founded X?" and "Who sold X?"
  share a block but are never paired. A set's full key also joins the leave-one-out blocks
  (with no left-out word), so a set with one extra word that is a misspelt function word
  ("What did X write abbout Y?") meets the set without it.

Every key is scoped by a caller-given scope (context and variant family): items of different
scopes are never paired. Keys are sums of word codes in numpy arrays, sorted, so memory stays
a few arrays of the number of keys. Crowded blocks are screened with rapidfuzz's `cdist`.
Blocks with more than `max_block` distinct left-out words (the templated "What is the capital
of ___?" block) and full-key blocks of more than `max_full` items are skipped and counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from functools import lru_cache
from hashlib import blake2b
from itertools import combinations

import numpy as np
from rapidfuzz import fuzz, process

from abstain_data.dedupe.content import INTERCHANGEABLE, is_function_word_typo, is_typo

MAX_BLOCK = 64
MAX_FULL = 256
SCREEN_FROM = 4  # left-out words in a block from which pairs are screened with `cdist`
SCREEN_RATIO = 49  # below this fuzz.ratio no two words are typos (one transposition in a
# two-letter word scores 50; a word and a typo of it with a final "e" more)
_INTERCHANGEABLE_WORDS = frozenset(word for pair in INTERCHANGEABLE for word in pair)
_NO_WORD = -1  # the left-out "word" of a full key in the leave-one-out table


def candidate_pairs(contents: Sequence[Collection[str]], scopes: Sequence[Hashable],
                    counters: Counter[str], typo_only: bool = True,
                    max_block: int = MAX_BLOCK, max_full: int = MAX_FULL,
                    ) -> set[tuple[int, int]]:
    """Pairs (s, t), s < t, of positions in `contents` that share a scope and a block.

    Consumes each position's content words (a word that repeats counts once: the set of
    them is compared) and scope; produces the candidate pairs.
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
                        for words in contents for word in dict.fromkeys(words)), dtype=np.int64)
    lengths = np.fromiter((len(set(words)) for words in contents), dtype=np.int64,
                          count=len(contents))
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
    oversized = [0]
    # only the blocks' rows become Python ints: the whole order as a list would cost about 70
    # bytes a key (a dozen keys an item) while the pairs are found
    order, runs = _blocks(full, np.zeros(len(full), dtype=np.int64), 1, max_full, oversized)
    for start, end in runs:
        pairs.update(combinations(sorted(order[start:end].tolist()), 2))
    keys = np.concatenate((full, full[owner] - word_codes[flat]))
    left_out = np.concatenate((np.full(len(full), _NO_WORD, dtype=np.int64), flat))
    owners = np.concatenate((np.arange(len(full), dtype=np.int64), owner))
    words = list(vocabulary)
    order, runs = _blocks(keys, left_out, 2, max_block, oversized)
    for start, end in runs:
        rows = order[start:end]
        groups: dict[int, list[int]] = {}
        for word, position in zip(left_out[rows].tolist(), owners[rows].tolist(), strict=True):
            groups.setdefault(word, []).append(position)
        for word_a, word_b in _paired_groups(sorted(groups), words, typo_only):
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


def _paired_groups(ids: list[int], words: list[str], typo_only: bool,
                   ) -> Iterator[tuple[int, int]]:
    """The pairs of left-out word ids (`ids`, sorted; `_NO_WORD` first: the full keys) of one
    block whose groups are paired: with `typo_only`, a word and a typo of it (`is_typo`), or
    no word and a misspelt function word; otherwise every two. A large block is first screened
    with rapidfuzz's vectorised `cdist` (fuzz.ratio under SCREEN_RATIO is never a typo)."""
    if not typo_only:
        yield from combinations(ids, 2)
        return
    named = ids[1:] if ids[0] == _NO_WORD else ids
    if len(named) < len(ids):
        yield from ((_NO_WORD, word) for word in named if is_function_word_typo(words[word]))
    texts = [words[word] for word in named]
    if len(named) < SCREEN_FROM:
        close = list(combinations(range(len(named)), 2))
    else:
        scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=SCREEN_RATIO,
                               dtype=np.uint8)
        first, second = np.nonzero(np.triu(scores, 1))
        interchangeable = [k for k, text in enumerate(texts) if text in _INTERCHANGEABLE_WORDS]
        close = [*set(zip(first.tolist(), second.tolist(), strict=True)).union(
            combinations(interchangeable, 2))]
    yield from ((named[i], named[j]) for i, j in sorted(close) if _typos(texts[i], texts[j]))


@lru_cache(maxsize=1 << 18)
def _typos(word: str, other: str) -> bool:
    return is_typo(word, other)


def _blocks(keys: np.ndarray, labels: np.ndarray, least: int, most: int,
            oversized: list[int]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Rows sorted by key then label, and the (start, end) of each run of equal `keys` in that
    order whose rows carry at least `least` distinct `labels` (runs of one row never count)
    and at most `most` (rows when `least` is 1, else labels); runs with more are counted in
    `oversized[0]`."""
    order = np.lexsort((labels, keys))
    if len(keys) < 2:
        return order, []
    ranked, ranked_labels = keys[order], labels[order]
    new_key = np.r_[True, ranked[1:] != ranked[:-1]]
    new_label = new_key | np.r_[True, ranked_labels[1:] != ranked_labels[:-1]]
    starts = np.flatnonzero(new_key)
    ends = np.r_[starts[1:], len(ranked)]
    distinct = np.add.reduceat(new_label.astype(np.int64), starts)
    wanted = ((ends - starts) >= 2) & (distinct >= least)
    too_many = wanted & ((ends - starts if least == 1 else distinct) > most)
    oversized[0] += int(too_many.sum())
    wanted &= ~too_many
    return order, list(zip(starts[wanted].tolist(), ends[wanted].tolist(), strict=True))
