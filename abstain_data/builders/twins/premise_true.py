"""Premise twin (`answerable`, sibling `premise_corruption`): the same premise frame, but true.

Consumes the open-domain seeds that premise_corruption gave a false premise; produces the
sibling's prompt with its false statement replaced by the true one from lexicons/facts.json
("Given that Paris is in Japan, what is the capital of France?" -> "Given that Paris is in
Europe, what is the capital of France?"). The twin keeps the sibling's frame, which only grants
the statement ("Given that", "Knowing that", ...; premise_corruption.FRAMES): a frame that makes
the statement the reason for what is asked ("Because England is in Europe, what color are the
socks ...?") reads as a false premise even when the statement is true (a blind review said so),
which is why no premise builder writes one. Seeds whose question does not open
with a question word or an auxiliary ("Stonehenge is in which county?", "In Australia, on which
side ...?") get no twin: behind a frame they read as garbled. The twin has the seed's answers.
"""

from __future__ import annotations

from random import Random
from typing import Any

from abstain_data.builders.base import load_lexicon
from abstain_data.builders.premise_corruption import FRAMES, opens_as_question
from abstain_data.builders.seed_fluency import reads_garbled
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
        return (not seed.context and opens_as_question(seed.prompt)
                and not reads_garbled(seed.prompt))

    def make_twins(self, seed: Item, sibling: Item, doc: Any,
                   rng: Random) -> list[TwinCandidate]:
        params = sibling.transform.params if sibling.transform else {}
        false, frame = params.get("premise") or "", params.get("frame")
        true = self.truth.get(false)
        if true is None or frame not in FRAMES:
            return []
        question = _question_of(sibling.prompt, frame, false)
        if question is None:
            return []
        prompt = frame.format(false=true, question=question)
        return [TwinCandidate(
            prompt=prompt[:1].upper() + prompt[1:],
            rationale=(f"The premise {true!r} is true, so the question stands as asked; the "
                       f"premise frame alone does not make a question unanswerable."),
            confidence=0.9,
            edit={"premise": true, "sibling_premise": false, "frame": frame},
            answers=list(seed.reference_answers),
        )]


def _question_of(prompt: str, frame: str, false: str) -> str | None:
    """The question part of a sibling `prompt` written with `frame` around `false` (the seed
    question as the frame holds it, first letter lower-cased unless it opens with a name);
    None when the prompt does not have that shape."""
    head, tail = frame.split("{question}")
    head = head.format(false=false)
    if prompt[:len(head)].lower() != head.lower() or tail:
        return None
    return prompt[len(head):]
