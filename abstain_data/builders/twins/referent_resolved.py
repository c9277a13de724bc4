"""Referent twin (`answerable`, sibling `referent_removal`): a vague phrase the prompt resolves.

Consumes the open-domain seeds that referent_removal made vague, with the sibling itself;
produces the sibling's own question (same vague phrase, same words) after a heading that names
the entity it replaced ("France: what is the capital of that country?"). The phrase refers back
to the only name the prompt gives, so the question has the seed's answers. The heading adds no
words of its own, so it is not a cue for the label. The builder check is unsure when the question
still names something else (the phrase might then be read as pointing there).
"""

from __future__ import annotations

from random import Random
from typing import Any

from abstain_data.builders.gates import remaining_names
from abstain_data.builders.twins.base import TwinBuilder, TwinCandidate
from abstain_data.items import Item


class ReferentResolved(TwinBuilder):
    name = "twin_referent_resolved"
    sibling = "referent_removal"

    def accepts(self, seed: Item) -> bool:
        return not seed.context

    def make_twins(self, seed: Item, sibling: Item, doc: Any,
                   rng: Random) -> list[TwinCandidate]:
        params = sibling.transform.params if sibling.transform else {}
        name, phrase = params.get("replaced"), params.get("with")
        ents = [e for e in doc.ents if e.text == name]
        if not name or not phrase or not ents:
            return []
        question = sibling.prompt
        first = question.split(" ", 1)[0]
        if not (doc[0].pos_ == "PROPN" and doc[0].text == first) and first != "I":
            question = question[:1].lower() + question[1:]
        return [TwinCandidate(
            prompt=f"{name[:1].upper()}{name[1:]}: {question}",
            rationale=(f"{phrase!r} refers back to {name!r}, named in the heading, so the "
                       f"question asks what the original does and has its answer."),
            confidence=0.9,
            checks=[remaining_names(doc, ents[0], "other_names")],
            edit={"named": name, "with": phrase},
            answers=list(seed.reference_answers),
        )]
