"""Premise twin (`answerable`, sibling `premise_corruption`): the same premise frame, but true.

Consumes the open-domain seeds that premise_corruption gave a false premise; produces the
sibling's prompt with its false statement replaced by the true one from lexicons/facts.json
("Given that Paris is in Japan, what is the capital of France?" -> "Given that Paris is in
Europe, what is the capital of France?"). The frame is copied from the sibling's own prompt,
so whatever frames the sibling uses, its twin uses them too. The twin has the seed's answers.
"""

from __future__ import annotations

from random import Random
from typing import Any

from abstain_data.builders.base import load_lexicon
from abstain_data.builders.twins.base import TwinBuilder, TwinCandidate
from abstain_data.items import Item
from abstain_data.pipeline.step import BuildContext


class PremiseTrue(TwinBuilder):
    name = "twin_premise_true"
    data_files = ("builders/lexicons/facts.json",)
    sibling = "premise_corruption"

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1) -> None:
        super().__init__(ctx, max_per_seed)
        facts = load_lexicon("facts.json")["facts"]
        self.truth = {false: fact["true"] for fact in facts for false in fact["false"]}

    def accepts(self, seed: Item) -> bool:
        return not seed.context

    def make_twins(self, seed: Item, sibling: Item, doc: Any,
                   rng: Random) -> list[TwinCandidate]:
        false = (sibling.transform.params.get("premise") if sibling.transform else None) or ""
        true = self.truth.get(false)
        at = sibling.prompt.find(false) if false else -1
        if true is None or at < 0:
            return []
        prompt = sibling.prompt[:at] + true + sibling.prompt[at + len(false):]
        return [TwinCandidate(
            prompt=prompt,
            rationale=(f"The premise {true!r} is true, so the question stands as asked; the "
                       f"premise frame alone does not make a question unanswerable."),
            confidence=0.9,
            edit={"premise": true, "sibling_premise": false},
            answers=list(seed.reference_answers),
        )]
