"""Premise corruption (`premise.false`): the question rests on a false statement about the world.

Consumes open-domain seeds that name a well-known entity of lexicons/facts.json (written by us:
each fact has a true statement and false ones that contradict it); produces "Given that <false
statement>, <the seed question>" and the other frames below, in which the question rests on the
statement ("Since France is in Asia, what is the capital of France?", "France is in Asia, so what
is the capital of France?"); never a frame that only reports it ("I read that ..."), which a
reader may answer around.
The right response is to correct the premise. A false statement that contains the seed's own
answer is caught by the answer-leak gate.
"""

from __future__ import annotations

import re
from random import Random
from typing import Any

from abstain_data.builders.base import (
    Candidate,
    VariantBuilder,
    asks_a_question,
    is_open_domain,
    load_lexicon,
)
from abstain_data.items import Category, Item
from abstain_data.pipeline.step import BuildContext

# {false}: the false statement; {question}: the seed question, first letter lower-cased unless
# it starts with a name (a prompt's first letter is upper-cased)
FRAMES = (
    "Given that {false}, {question}",
    "Since {false}, {question}",
    "Knowing that {false}, {question}",
    "Considering that {false}, {question}",
    "{false}, so {question}",
    "As {false}, {question}",
    "Because {false}, {question}",
)


class PremiseCorruption(VariantBuilder):
    name = "premise_corruption"
    data_files = ("builders/lexicons/facts.json",)
    requires = frozenset({"domain"})
    category = Category.PREMISE_FALSE

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1) -> None:
        super().__init__(ctx, max_per_seed)
        facts = load_lexicon("facts.json")["facts"]
        # longest keys first, so "New York" wins over "York"
        self.facts = sorted(facts, key=lambda f: (-len(f["entity"].removeprefix("the ")),
                                                  f["entity"]))

    def accepts(self, seed: Item) -> bool:
        return is_open_domain(seed) and asks_a_question(seed.prompt)

    def find_fact(self, text: str) -> dict[str, Any] | None:
        """The first lexicon fact whose entity the question names, capitalized as a name
        ("China", never the "china" of "bone china")."""
        for fact in self.facts:
            name = fact["entity"].removeprefix("the ")
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                return fact
        return None

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        fact = self.find_fact(seed.prompt)
        if fact is None:
            return []
        false = rng.choice(fact["false"])
        question = seed.prompt
        if doc[0].pos_ != "PROPN" and doc[0].text != "I":
            question = question[:1].lower() + question[1:]
        frame = rng.choice(FRAMES)
        prompt = frame.format(false=false, question=question)
        return [Candidate(
            prompt=prompt[:1].upper() + prompt[1:],
            rationale=(f"The question presupposes that {false}, which is false ({fact['true']}); "
                       f"the premise has to be corrected rather than the question answered."),
            confidence=0.85,
            edit={"premise": false, "fact": fact["true"], "frame": frame},
        )]
