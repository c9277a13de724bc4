"""Context swap (`ctx.missing`): the seed's question over a related passage without the answer.

Consumes reading-comprehension seeds (items with a passage); produces the same question over
another passage of the same dataset that contains none of the reference answers: a sibling of the
same `source.topic` when there is one, else (corpora whose topic is one passage, like UnAnswGen)
a related passage that names the question's entities. The builder check "passage_overlap" is
unsure when the new passage holds most of the question's content words (inflections aside:
"launch" is in "launched"): it may answer the question in other words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from random import Random
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from abstain_data.builders.base import Candidate, VariantBuilder
from abstain_data.builders.gates import GateResult, find_leak
from abstain_data.items import Category, Item, normalize_key

CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
NUMERIC = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})
OVERLAP_UNSURE = 0.75
_NAME = re.compile(r"\b[A-Z][\w'’-]+")


_SUFFIX = re.compile(r"(?<=\w{3})(ing|ed|es|s|e|d)$")


def stem(word: str) -> str:
    """`word` without an inflection ending, so that "launch" and "launched" count as one."""
    return _SUFFIX.sub("", word)


@lru_cache(maxsize=1_024)
def passage_stems(passage: str) -> frozenset[str]:
    """The stems of the normalized words of `passage`, remembered for the 1,024 most recent
    passages (about 7 MiB): a passage is offered to every seed of its topic, and the seeds of
    a topic come together."""
    return frozenset(stem(w) for w in normalize_key(passage).split())


def name_words(text: str) -> set[str]:
    """The casefolded capitalized words of `text` (candidate name words)."""
    return {w.casefold() for w in _NAME.findall(text)} - STOP_WORDS


class ContextSwap(VariantBuilder):
    name = "context_swap"
    category = Category.CTX_MISSING

    def accepts(self, seed: Item) -> bool:
        return bool(seed.context)

    def prepare(self, items: Iterable[Item], docs: dict[str, Any]) -> None:
        """Index the distinct passages of the stream by (dataset, topic) and by name word."""
        # (dataset) -> passage key -> (passage, topic) of its first item
        distinct: dict[str, dict[str, tuple[str, str | None]]] = defaultdict(dict)
        for item in items:
            if item.context:
                distinct[item.source.dataset].setdefault(normalize_key(item.context),
                                                         (item.context, item.source.topic))
        self.topics: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        self.by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.text: dict[str, str] = {}
        for dataset, found in distinct.items():
            for key, (context, topic) in sorted(found.items()):
                self.text[key] = context
                self.topics[(dataset, topic)].append(key)
                for word in name_words(context):
                    self.by_name[(dataset, word)].append(key)

    def siblings(self, seed: Item, doc: Any) -> tuple[list[str], str]:
        """Passages other than the seed's: its topic's, else those sharing the most name words
        of the question's entities; with how they were found ("topic" / "related")."""
        own = normalize_key(seed.context or "")
        dataset = seed.source.dataset
        if seed.source.topic is not None:
            same = [self.text[k] for k in self.topics[(dataset, seed.source.topic)] if k != own]
            if same:
                return same, "topic"
        shared: dict[str, int] = defaultdict(int)
        for ent in doc.ents:
            if ent.label_ not in NUMERIC:
                for word in name_words(ent.text):
                    for key in self.by_name.get((dataset, word), []):
                        if key != own:
                            shared[key] += 1
        best = max(shared.values(), default=0)
        related = [self.text[k] for k, n in sorted(shared.items()) if n == best and best > 0]
        return related, "related"

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        found, how = self.siblings(seed, doc)
        passages = [p for p in found if find_leak(seed.reference_answers, p) is None]
        rng.shuffle(passages)
        content = {stem(t.lower_) for t in doc if t.pos_ in CONTENT_POS and not t.is_stop}
        # only the candidates the step keeps: a topic offers a dozen passages, and the stems of
        # each were a third of the builder's time (the shuffle above draws the same either way)
        return [self._candidate(seed, passage, how, content)
                for passage in passages[:self.max_per_seed]]

    def _candidate(self, seed: Item, passage: str, how: str, content: set[str]) -> Candidate:
        answer = seed.reference_answers[0] if seed.reference_answers else "the answer"
        words = passage_stems(passage)
        overlap = len(content & words) / len(content) if content else 1.0
        check = GateResult.unsure_if(overlap >= OVERLAP_UNSURE, "passage_overlap",
                                     f"{overlap:.0%} of the question's content words are in the "
                                     "new passage; it may answer the question in other words")
        about = (f"another paragraph about {seed.source.topic}" if how == "topic"
                 else "a related paragraph of the same corpus")
        return Candidate(
            prompt=seed.prompt,
            context=passage,
            rationale=(f"The passage is {about} that never mentions the answer ({answer!r}), so "
                       f"the question cannot be answered from it."),
            confidence=round(0.95 - 0.3 * overlap, 3),
            checks=[check],
            edit={"passage_from": how, "content_overlap": round(overlap, 3)},
        )
