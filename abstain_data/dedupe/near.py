"""Near duplicates: content-word blocking, rapidfuzz + word gate, entity gate, then clusters
led by representatives."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from rapidfuzz import fuzz

from abstain_data.dedupe.blocking import candidate_pairs
from abstain_data.dedupe.content import (
    FUNCTION_WORDS,
    LONG_WORD,
    QUESTION_WORDS,
    differ_by_typos,
    is_function_word_typo,
    is_typo,
    stem,
)
from abstain_data.dedupe.keys import family, label_key
from abstain_data.dedupe.matcher import Match, entities_consistent, entity_keys
from abstain_data.dedupe.reading import Reading, read_prompts
from abstain_data.items import Item, normalize_key

# texts -> their entity keys (the step passes spaCy NER; tests may pass the string heuristic)
_PLAIN = FUNCTION_WORDS | QUESTION_WORDS  # words that are never names
EntityFinder = Callable[[list[str]], list[frozenset[str]]]
MAX_COMPONENT = 32  # clusters of verified pairs up to this size are compared all-pairs


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
              protected: frozenset[int] = frozenset(), word_gate: bool = True,
              readings: Sequence[Reading] | None = None) -> NearResult:
    """Near-duplicates among the positions `survivors` (given in the deterministic order).

    Two items are compared only when they have the same context and variant family and share
    a content-word block (`blocking.candidate_pairs`). A pair is verified when rapidfuzz on
    their content words passes `token_set_ratio` or `token_sort_ratio` and (with `word_gate`)
    the content words differ only by typos; verified pairs that fall into one cluster are then
    compared all-pairs, so a member is never missed for lack of a shared block with its
    representative. A verified pair that passes the entity gate (see `_gate`) is merged when
    the labels agree, each member matched against its cluster's representative (the earliest
    item, never a chain); when the labels differ and the items come from different source
    datasets, the pair is a conflict. (Within one corpus, near-identical items with different
    labels are the corpus's own minimal pairs, e.g. SQuAD 2.0's edited unanswerable questions,
    not contradictions.) Positions in `protected` (members of minimal pairs) may lead a
    cluster but are never merged into one. `readings`, when given, are the survivors'
    readings (`reading.read_prompts`), in survivor order.
    """
    result = NearResult()
    chosen = [items[p] for p in survivors]
    if readings is None:
        readings = read_prompts([item.prompt for item in chosen])
    words = WordSets([reading.content for reading in readings])
    functions = [reading.functions for reading in readings]
    pairs = _verified_pairs(chosen, words, functions, token_set_ratio, token_sort_ratio,
                            word_gate, result.counters)
    result.counters["near:verified_pairs"] = len(pairs)
    neighbours: dict[int, list[tuple[int, Match]]] = defaultdict(list)
    norms = [reading.key for reading in readings]
    for s, t, match in _gate(chosen, norms, words, pairs, find_entities, result.counters):
        if label_key(chosen[s]) == label_key(chosen[t]):
            neighbours[s].append((t, match))
        else:
            result.conflicts.append((survivors[s], survivors[t]))
    for s in sorted(neighbours):
        if survivors[s] in result.duplicate_of:
            continue
        for t, match in neighbours[s]:
            if survivors[t] in protected:
                result.counters["near:protected_kept"] += 1
            elif survivors[t] not in result.duplicate_of:
                result.duplicate_of[survivors[t]] = Match(survivors[s], match.score, match.method)
    return result


class WordSets(Sequence[frozenset[str]]):
    """Position -> its content-word set, made when first asked for and then held (equal sets
    as one object). Blocking reads the words themselves (`contents`), so only the members of
    candidate pairs ever get a set: a set for every prompt cost about 0.9 KiB each while
    dedupe ran."""

    def __init__(self, contents: Sequence[tuple[str, ...]]) -> None:
        self.contents = contents
        self.made: dict[int, frozenset[str]] = {}
        self.distinct: dict[frozenset[str], frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self.contents)

    def __getitem__(self, position: int) -> frozenset[str]:  # type: ignore[override]
        made = self.made.get(position)
        if made is None:
            words = frozenset(self.contents[position])
            made = self.made[position] = self.distinct.setdefault(words, words)
        return made


def _verified_pairs(chosen: Sequence[Item], words: WordSets,
                    functions: Sequence[frozenset[str]], token_set_ratio: float,
                    token_sort_ratio: float, word_gate: bool,
                    counters: Counter[str]) -> dict[tuple[int, int], Match]:
    """Pairs (s, t), s < t indices into `chosen` (whose content-word sets are `words` and
    function-word sets `functions`), that pass rapidfuzz and the word gate and may interact:
    same context and family, and either the same label or different source datasets.
    """
    texts: dict[int, str] = {}  # position -> its sorted content words, for the pairs' members

    def text(k: int) -> str:
        if k not in texts:
            texts[k] = " ".join(sorted(words[k]))
        return texts[k]

    scopes = [(normalize_key(item.context) if item.context else "", family(item) or "")
              for item in chosen]
    candidates = candidate_pairs(words.contents, scopes, counters,
                                 typo_only=word_gate)

    def verify(s: int, t: int) -> Match | None:
        a, b = chosen[s], chosen[t]
        if label_key(a) != label_key(b) and a.source.dataset == b.source.dataset:
            return None
        if word_gate and not differ_by_typos(words[s], words[t], functions[s], functions[t]):
            return None
        score = fuzz.token_set_ratio(text(s), text(t))
        if score >= token_set_ratio:
            return Match(t, score, "token_set_ratio")
        score = fuzz.token_sort_ratio(text(s), text(t))
        if score >= token_sort_ratio:
            return Match(t, score, "token_sort_ratio")
        return None

    pairs: dict[tuple[int, int], Match] = {}
    for s, t in sorted(candidates):
        match = verify(s, t)
        if match is not None:
            pairs[(s, t)] = match
    for component in _components(pairs):
        if len(component) > MAX_COMPONENT:
            counters["near:oversized_clusters"] += 1
            continue
        for s, t in combinations(component, 2):
            if (s, t) not in pairs and scopes[s] == scopes[t]:
                match = verify(s, t)
                if match is not None:
                    pairs[(s, t)] = match
                    counters["near:cluster_pairs"] += 1
    return pairs


def _components(pairs: dict[tuple[int, int], Match]) -> list[list[int]]:
    """Connected components of three or more positions in the graph of `pairs`, sorted."""
    parent: dict[int, int] = {}

    def root(k: int) -> int:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for s, t in pairs:
        parent[root(t)] = root(s)
    members: dict[int, list[int]] = defaultdict(list)
    for k in sorted(parent):
        members[root(k)].append(k)
    return [group for group in members.values() if len(group) >= 3]


def _gate(chosen: Sequence[Item], norms: Sequence[str], words: WordSets,
          pairs: dict[tuple[int, int], Match],
          find_entities: EntityFinder, counters: Counter[str]) -> list[tuple[int, int, Match]]:
    """The verified pairs whose entities agree, in order.

    Every pair must pass the gate on the string heuristic's entities (cheap). A pair whose
    content-word sets (`words`; `norms`: the normalized prompts) differ must also pass it on
    `find_entities` (spaCy), which therefore runs on those pairs' prompts only, when the
    difference may hide an entity the heuristic cannot see (see `_needs_spacy`). In both checks
    the misspelt words of one prompt (not those of capitalized runs) are first written as the
    other writes them, so an entity span that a typo stretched or cut ("Burbur Bank best
    knwon") is compared as the same span.
    """
    cheap: dict[int, frozenset[str]] = {}
    passed, doubtful = [], []
    for (s, t), match in sorted(pairs.items()):
        for k in (s, t):
            if k not in cheap:
                cheap[k] = entity_keys(chosen[k].prompt)
        names = {word for key in cheap[s] | cheap[t] for word in key.split()}
        spelling = {} if words[s] == words[t] else _typo_fixes(norms[s], norms[t], names)
        if not _consistent(norms[s], cheap[s], norms[t], cheap[t], spelling):
            counters["near:entity_gate_rejected"] += 1
        elif words[s] == words[t] or not _needs_spacy(
                chosen[s].prompt, norms[s], words[s], chosen[t].prompt, norms[t], words[t],
                spelling):
            passed.append((s, t, match))
        else:
            doubtful.append((s, t, match, spelling))
    involved = sorted({k for s, t, _, _ in doubtful for k in (s, t)})
    found = find_entities([chosen[k].prompt for k in involved])
    entities = dict(zip(involved, found, strict=True))
    counters["near:spacy_checked_pairs"] = len(doubtful)
    for s, t, match, spelling in doubtful:
        if _consistent(norms[s], entities[s], norms[t], entities[t], spelling):
            passed.append((s, t, match))
        else:
            counters["near:entity_gate_rejected"] += 1
    return sorted(passed, key=lambda pair: pair[:2])


def _needs_spacy(prompt_a: str, norm_a: str, content_a: frozenset[str], prompt_b: str,
                 norm_b: str, content_b: frozenset[str], spelling: dict[str, str]) -> bool:
    """Whether the words two prompts do not share may hide an entity the capitalized-run
    heuristic cannot see: when a prompt has no case to read (all lower or upper case); when a
    differing content word (`content_a`, `content_b`: the prompts' content-word sets) is
    neither a respelled typo nor a long misspelt function word (a substitution, e.g. "first" /
    "second", which only the word gate's absence lets through); or when a differing word is
    capitalized and is not a function or question word, or one misspelt ("Pllease", "Wihch" /
    "Which"). Differing words that are not content, or whose content both prompts share
    (function words, framing, "in what year" / "when"), hide no entity."""
    if not (_mixed_case(prompt_a) and _mixed_case(prompt_b)):
        return True
    words_a, words_b = set(norm_a.split()), set(norm_b.split())
    only_a = {word for word in words_a - words_b
              if stem(word) in content_a - content_b and not _misspelt_function_word(word)}
    only_b = {word for word in words_b - words_a
              if stem(word) in content_b - content_a and not _misspelt_function_word(word)}
    if not (only_a <= set(spelling) and only_b <= set(spelling.values())):
        return True
    capitalized = {normalize_key(word) for prompt in (prompt_a, prompt_b)
                   for word in prompt.split() if word[:1].isupper()}
    differing = words_a ^ words_b
    plain = {word for word in differing if word in _PLAIN or _misspelt_function_word(word)}
    plain.update(word for pair in spelling.items() if not _PLAIN.isdisjoint(pair)
                 for word in pair)
    return bool(capitalized & differing - plain)


def _misspelt_function_word(word: str) -> bool:
    """A long misspelt function word ("pllease"; short ones may be words: "bus")."""
    return len(word) >= LONG_WORD and is_function_word_typo(word)


def _mixed_case(text: str) -> bool:
    return not (text.islower() or text.isupper())


def _consistent(norm_a: str, entities_a: frozenset[str], norm_b: str,
                entities_b: frozenset[str], spelling: dict[str, str]) -> bool:
    """`entities_consistent` once `norm_a` and its entities are respelled by `spelling`."""
    respelled = frozenset(_respell(key, spelling) for key in entities_a)
    return entities_consistent(_respell(norm_a, spelling), respelled, norm_b, entities_b)


def _typo_fixes(norm_a: str, norm_b: str, names: set[str]) -> dict[str, str]:
    """Each word of normalized text `norm_a` that `norm_b` lacks -> the first word of `norm_b`
    (absent from `norm_a`) it is a typo of; words with no such counterpart, and words of
    `names` (the capitalized runs of either text: a changed letter in a name is another name),
    are left out."""
    words_a, words_b = norm_a.split(), norm_b.split()
    only_b = [word for word in dict.fromkeys(words_b)
              if word not in set(words_a) and word not in names]
    fixes = {}
    for word in dict.fromkeys(words_a):
        if word not in set(words_b) and word not in names:
            counterpart = next((other for other in only_b if is_typo(word, other)), None)
            if counterpart is not None:
                fixes[word] = counterpart
    return fixes


def _respell(text: str, fixes: dict[str, str]) -> str:
    """`text` (normalized) with its words replaced by `fixes`."""
    return " ".join(fixes.get(word, word) for word in text.split()) if fixes else text
