"""Entity/number swap (`ctx.entity_swap`): the question names something the passage never mentions.

Consumes reading-comprehension seeds; picks an entity of the question that the passage mentions
(the question's anchor) and replaces it: a year or number by a nearby value absent from the
passage, a name by another name of the same kind seen in the build's questions and absent from
the passage. The builder check fails if the new value does occur in the passage.
"""

from __future__ import annotations

import re
from collections import defaultdict
from random import Random
from typing import Any

from abstain_data.builders.base import Candidate, VariantBuilder, entity_bounds, splice
from abstain_data.builders.gates import GateResult
from abstain_data.items import Category, Item, normalize_key

NAMED = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT")
NUMERIC = ("DATE", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "TIME")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def mentions(text_key: str, phrase: str) -> bool:
    """Whether normalized `phrase` occurs as whole words in the normalized text `text_key`."""
    key = normalize_key(phrase)
    return bool(key) and f" {key} " in f" {text_key} "


def shift_number(text: str, passage_key: str, rng: Random) -> str | None:
    """`text` with its first number moved to a nearby value that the passage never mentions."""
    found = _NUMBER.search(text)
    if found is None:
        return None
    raw = found.group(0).replace(",", "")
    if "." in raw:
        return None
    value = int(raw)
    is_year = len(raw) == 4 and 1000 <= value <= 2100
    if text[found.end():found.end() + 1] == "s":  # a decade ("the 1940s") moves by decades
        steps = [10, 20, 30]
    elif is_year:
        steps = list(range(1, 10))
    else:
        steps = [1, 2, 3, value or 1, 2 * (value or 1)]
    rng.shuffle(steps)
    for step in steps:
        for sign in rng.sample((1, -1), 2):
            new = value + sign * step
            if new <= 0:
                continue
            new_text = f"{new:,}" if "," in found.group(0) else str(new)
            if not mentions(passage_key, new_text) and not mentions(passage_key, str(new)):
                return text[:found.start()] + new_text + text[found.end():]
    return None


class EntitySwap(VariantBuilder):
    name = "entity_swap"
    category = Category.CTX_ENTITY_SWAP

    def accepts(self, seed: Item) -> bool:
        return bool(seed.context)

    def prepare(self, items: list[Item], docs: dict[str, Any]) -> None:
        """Pool the named entities of every seed question by label, and by (topic, label) so
        that a swap prefers a name from the same topic (sorted, for determinism)."""
        pool: dict[tuple[str | None, str], set[str]] = defaultdict(set)
        for item in items:
            doc = docs.get(item.record)
            for ent in doc.ents if doc is not None else ():
                if ent.label_ in NAMED:
                    start, end = entity_bounds(ent)
                    name = re.sub(r"^[Tt]he ", "", doc.text[start:end])
                    pool[(None, ent.label_)].add(name)
                    if item.source.topic:
                        pool[(item.source.topic, ent.label_)].add(name)
        self.pool = {key: sorted(names) for key, names in pool.items()}

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        passage_key = normalize_key(seed.context or "")
        anchors = [e for e in doc.ents
                   if e.label_ in NAMED + NUMERIC and mentions(passage_key, e.text)]
        rng.shuffle(anchors)
        out = []
        question_key = normalize_key(seed.prompt)
        for ent in anchors:
            new = self._replacement(ent, seed.source.topic, passage_key, question_key, rng)
            if new is None:
                continue
            start, end = entity_bounds(ent)
            if ent.label_ in NAMED and seed.prompt[start:end].lower().startswith("the "):
                new = seed.prompt[start:start + 4] + new  # "the World Wide Web" -> "the X"
            prompt = splice(seed.prompt, start, end, new)
            check = GateResult.failed_if(mentions(passage_key, new), "swap_present",
                                         f"{new!r} occurs in the passage")
            out.append(Candidate(
                prompt=prompt,
                rationale=(f"The question asks about {new!r} where the passage only speaks of "
                           f"{ent.text!r}; the passage says nothing about {new!r}."),
                confidence=0.85 if ent.label_ in NAMED else 0.8,
                checks=[check],
                edit={"swapped": ent.text, "with": new, "label": ent.label_},
            ))
        return out

    def _replacement(self, ent: Any, topic: str | None, passage_key: str, question_key: str,
                     rng: Random) -> str | None:
        """A value for `ent` that neither the passage nor the question mentions (a name of the
        same label from the seed's topic if there is one, else from any question), or None."""
        if ent.label_ in NUMERIC:
            return shift_number(ent.text, passage_key, rng)
        for key in ((topic, ent.label_), (None, ent.label_)):
            options = [n for n in self.pool.get(key, []) if not mentions(passage_key, n)
                       and not mentions(question_key, n)]
            if options:
                return rng.choice(options)
        return None
