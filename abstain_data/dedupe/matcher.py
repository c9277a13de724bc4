"""Near-duplicate matching: blocking on rare tokens, rapidfuzz verification, entity gate.

All-pairs fuzzy matching is hopeless past ~100k texts and MinHash chains templated questions
into false clusters. `NearDuplicateIndex` instead:

1. blocks: every indexed text is filed under pairs of its rarest tokens (by document frequency
   in the index); a query is compared only with texts sharing such a pair, and blocks larger
   than `max_block` are skipped (unless they are all the query has);
2. verifies each candidate with rapidfuzz on the normalized texts: `token_set_ratio >= 90` or
   `token_sort_ratio >= 85` (thresholds are parameters);
3. gates on entities: the entities and numbers of each text must appear in the other, so
   "first president of France?" never matches "first president of Atlantis?";
4. optionally gates on content words (`word_gate`; off here, on in the dedupe step): a content
   word of one text that the other lacks must be a typo of one of the other's words. Token
   ratios alone pass one-word substitutions in short questions ("Who founded X Bank?" vs
   "Who sold X Bank?" = 91): without this gate ~28 % of merges on benchmarks/dedupe_bench.py's
   planted set were wrong.
   Checks that want recall more than precision (contamination, leakage) leave it off.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any, overload

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from abstain_data.items import normalize_key

RARE_TOKENS = 4
MAX_BLOCK = 64

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD_OR_STOP = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|[.?!;:]")
# capitalized words at a sentence start that are not names
_SENTENCE_OPENERS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "did", "do", "does",
    "for", "from", "had", "has", "have", "how", "i", "if", "in", "is", "it", "list", "may",
    "might", "must", "name", "of", "on", "or", "please", "should", "tell", "that", "the", "there",
    "these", "this", "those", "to", "was", "were", "what", "when", "where", "which", "who", "whom",
    "whose", "why", "will", "would", "you", "your",
))
_APOSTROPHE = re.compile("['’]")
# words the content-word gate ignores: function words and polite framing ("tell me", "please");
# question words are content ("when was X born" is not "where was X born")
_FUNCTION_WORDS = frozenset((
    "a", "about", "am", "an", "and", "are", "as", "at", "be", "been", "being", "by", "can",
    "could", "d", "describe", "did", "do", "does", "exactly", "explain", "for", "from", "give",
    "had", "has", "have", "hey", "hi", "i", "if", "in", "is", "it", "its", "just", "kindly",
    "know", "let", "ll", "m", "me", "my", "of", "on", "or", "our", "please", "re", "really", "s",
    "should", "show", "so", "t", "tell", "that", "the", "then", "there", "this", "to", "us", "ve",
    "want", "was", "we", "were", "will", "with", "would", "you", "your",
))
_UNNAMED_LABELS = frozenset(("DATE", "TIME"))  # spaCy entity labels the gate ignores
TYPO_RATIO = 80  # fuzz.ratio at or above which two words count as one word misspelt


@dataclass(frozen=True)
class Match:
    """One indexed text that matched a query: its index, the score and the scorer's name."""

    index: int
    score: float
    method: str


def entity_keys(doc_or_text: Any) -> frozenset[str]:
    """Normalized entity strings and numbers of a spaCy Doc or of a plain string.

    A Doc contributes its `ents` except dates and times (spaCy reads "what year" as a DATE, so
    "In what year was X born?" would lack an entity of "When was X born?"; years in digits still
    count); a string (no spaCy) contributes runs of capitalized words, skipping question words
    and other function words that open a sentence (or their typos). Both add every number
    written in digits.
    Keys are `normalize_key` forms ("New York" -> "new york").
    """
    text = doc_or_text.text if hasattr(doc_or_text, "ents") else str(doc_or_text)
    keys = {normalize_key(number) for number in _NUMBER.findall(text)}
    if hasattr(doc_or_text, "ents"):
        keys.update(normalize_key(ent.text) for ent in doc_or_text.ents
                    if ent.label_ not in _UNNAMED_LABELS)
    else:
        keys.update(_capitalized_runs(text))
    keys.discard("")
    return frozenset(keys)


def _capitalized_runs(text: str) -> list[str]:
    """Normalized runs of capitalized words that are not sentence-opening function words
    (none when the text is all capitals: its case says nothing about names)."""
    if text.isupper():
        return []
    runs: list[str] = []
    current: list[str] = []
    sentence_start = True
    for word in _WORD_OR_STOP.findall(text):
        if word in ".?!;:":
            sentence_start = True
        elif word[0].isupper() and not (
            sentence_start and _is_opener(_APOSTROPHE.split(word)[0].casefold())
        ):
            current.append(word)
            sentence_start = False
            continue
        else:
            sentence_start = False
        if current:
            runs.append(normalize_key(" ".join(current)))
            current = []
    if current:
        runs.append(normalize_key(" ".join(current)))
    return runs


@lru_cache(maxsize=1 << 12)
def _is_opener(word: str) -> bool:
    """A sentence-opening function word, or one misspelt ("Whho", "Wihch")."""
    return word in _SENTENCE_OPENERS or (
        len(word) >= 3 and any(_typo(word, opener) for opener in _SENTENCE_OPENERS
                               if len(opener) >= 3))


def entities_consistent(
    norm_a: str, entities_a: frozenset[str], norm_b: str, entities_b: frozenset[str]
) -> bool:
    """True when every entity key of each normalized text occurs (as whole words) in the other."""
    padded_a, padded_b = f" {norm_a} ", f" {norm_b} "
    return all(f" {key} " in padded_b for key in entities_a) and all(
        f" {key} " in padded_a for key in entities_b
    )


def words_consistent(norm_a: str, norm_b: str) -> bool:
    """True when the normalized texts differ in content words only by typos: every content
    word of one that the other lacks is close (fuzz.ratio >= TYPO_RATIO, or one transposition)
    to a word the other has and the first lacks."""
    words_a, words_b = set(norm_a.split()), set(norm_b.split())
    only_a, only_b = words_a - words_b, words_b - words_a
    return all(
        any(_typo(word, other) for other in others)
        for mine, others in ((only_a, only_b), (only_b, only_a))
        for word in mine if word not in _FUNCTION_WORDS
    )


def same_content_words(norm_a: str, norm_b: str) -> bool:
    """True when two normalized texts have the same words once function words are set aside."""
    words_a, words_b = set(norm_a.split()), set(norm_b.split())
    return (words_a ^ words_b) <= _FUNCTION_WORDS


def _typo(word: str, other: str) -> bool:
    if fuzz.ratio(word, other) >= TYPO_RATIO:
        return True
    return sorted(word) == sorted(other) and DamerauLevenshtein.distance(word, other) == 1


class PackedStrings(Sequence[str]):
    """Strings held as one UTF-8 buffer and their end offsets: a million prompts cost their
    bytes and 8 bytes each, not a million str objects (about 50 bytes of header each, and
    two to four bytes a character once one character is outside Latin-1). Reading one decodes
    its slice (lone surrogates, which JSON can carry, pass through)."""

    def __init__(self, strings: Iterable[str]) -> None:
        self._buffer = bytearray()
        self._ends = array("q")
        for string in strings:
            self._buffer += string.encode("utf-8", "surrogatepass")
            self._ends.append(len(self._buffer))

    def __len__(self) -> int:
        return len(self._ends)

    def __iter__(self) -> Iterator[str]:
        start = 0
        for end in self._ends:
            yield self._buffer[start:end].decode("utf-8", "surrogatepass")
            start = end

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        end = self._ends[index]
        start = self._ends[index - 1] if index % len(self._ends) else 0
        return self._buffer[start:end].decode("utf-8", "surrogatepass")


def block_hash(key: tuple[str, ...]) -> int:
    """The 64-bit name of a block key (a pair of tokens, or one): blake2b, the same in every
    process and run. Two keys share a name with odds of about one in 10^7 at a million texts'
    keys; they would then share a block, which adds candidates for the verification, or may
    make the block too large to search (`max_block`) and so lose some."""
    digest = hashlib.blake2b("\x1f".join(key).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


class NearDuplicateIndex:
    """Blocking on rare tokens/entities + rapidfuzz verification + entity-consistency gate.

    Consumes the texts to index (and optionally their entity keys, e.g. from spaCy via
    `entity_keys(doc)`; otherwise the cheap string heuristic of `entity_keys(text)` is used).
    `matches(text)` produces the indexed texts that are near-duplicates of `text`.
    `word_gate=True` adds the content-word gate (precision for dedupe; off by default).

    Compact at scale: the texts and their normalized forms are `PackedStrings`, and the blocks
    are arrays (each key's 64-bit `block_hash`, sorted, with where its texts' positions start
    in one int32 array), not a dict of lists of ints.
    """

    def __init__(
        self,
        texts: Iterable[str],
        entities: Sequence[frozenset[str]] | None = None,
        token_set_ratio: float = 90,
        token_sort_ratio: float = 85,
        max_block: int = MAX_BLOCK,
        word_gate: bool = False,
    ) -> None:
        self.token_set_ratio = token_set_ratio
        self.token_sort_ratio = token_sort_ratio
        self.max_block = max_block
        self.word_gate = word_gate
        self._texts = PackedStrings(texts)
        if entities is not None and len(entities) != len(self._texts):
            raise ValueError(f"{len(entities)} entity sets for {len(self._texts)} texts")
        self._norm = PackedStrings(normalize_key(text) for text in self._texts)
        self._entities: list[frozenset[str] | None] = (
            list(entities) if entities is not None else [None] * len(self._texts)
        )
        self._df: dict[str, int] = defaultdict(int)
        # each text's token set is made twice rather than held: at a million texts the sets
        # would hold GiBs for the moment of indexing
        for norm in self._norm:
            for token in frozenset(norm.split()):
                self._df[token] += 1
        hashes, positions = array("q"), array("i")
        for position, norm in enumerate(self._norm):
            for key in self._keys(frozenset(norm.split())):
                hashes.append(block_hash(key))
                positions.append(position)
        keys = np.frombuffer(hashes, dtype=np.int64)
        at = np.frombuffer(positions, dtype=np.int32)
        order = np.lexsort((at, keys))
        sorted_keys = keys[order]
        self._block_keys, starts = np.unique(sorted_keys, return_index=True)
        self._block_starts = np.append(starts, len(sorted_keys))
        self._postings = at[order]

    def __len__(self) -> int:
        return len(self._texts)

    def normalized(self, index: int) -> str:
        """The normalized form (`normalize_key`) of indexed text `index`."""
        return self._norm[index]

    def entities(self, index: int) -> frozenset[str]:
        """Entity keys of indexed text `index` (given at construction or from the heuristic)."""
        known = self._entities[index]
        if known is None:
            known = self._entities[index] = entity_keys(self._texts[index])
        return known

    def _keys(self, tokens: frozenset[str]) -> list[tuple[str, ...]]:
        """Blocking keys of a token set: pairs of its RARE_TOKENS rarest indexed tokens."""
        known = [token for token in tokens if self._df.get(token, 0) > 0]
        rare = sorted(known, key=lambda token: (self._df[token], token))[:RARE_TOKENS]
        if len(rare) < 2:
            return [tuple(rare)] if rare else []
        return list(combinations(sorted(rare), 2))

    def _block(self, key: tuple[str, ...]) -> np.ndarray:
        """The positions of the texts filed under `key`, ascending (empty if none)."""
        name = block_hash(key)
        at = int(np.searchsorted(self._block_keys, name))
        if at == len(self._block_keys) or self._block_keys[at] != name:
            return self._postings[:0]
        return self._postings[self._block_starts[at]:self._block_starts[at + 1]]

    def _candidates(self, norm: str) -> list[int]:
        """Indices sharing a usable block with the normalized query, ascending."""
        blocks = [self._block(key) for key in self._keys(frozenset(norm.split()))]
        blocks = [block for block in blocks if len(block)]
        usable = [block for block in blocks if len(block) <= self.max_block]
        if not usable and blocks:
            usable = [min(blocks, key=len)]
        if not usable:
            return []
        return np.unique(np.concatenate(usable)).tolist()

    def verified(self, text: str) -> list[Match]:
        """Candidates of `text` that pass the rapidfuzz thresholds and the content-word gate
        (not the entity gate), best first."""
        norm = normalize_key(text)
        candidates = self._candidates(norm)
        choices = [self._norm[index] for index in candidates]
        scored: dict[int, tuple[float, str]] = {}
        for scorer, cutoff in ((fuzz.token_sort_ratio, self.token_sort_ratio),
                               (fuzz.token_set_ratio, self.token_set_ratio)):
            for _, score, position in process.extract(norm, choices, scorer=scorer,
                                                      score_cutoff=cutoff, limit=None):
                scored[position] = (score, scorer.__name__)  # token_set_ratio wins a tie
        found = [
            Match(candidates[position], score, method)
            for position, (score, method) in scored.items()
            if not self.word_gate or words_consistent(norm, choices[position])
        ]
        found.sort(key=lambda match: (-match.score, match.index))
        return found

    def matches(self, text: str, entities: frozenset[str] | None = None) -> list[Match]:
        """Indices of indexed texts that are near-duplicates of `text` (best first).

        `entities` are the query's entity keys; when absent the string heuristic is used.
        """
        norm = normalize_key(text)
        query_entities = entity_keys(text) if entities is None else entities
        return [
            match for match in self.verified(text)
            if entities_consistent(
                norm, query_entities, self._norm[match.index], self.entities(match.index)
            )
        ]

