"""Referent twin (`answerable`, sibling `referent_removal`): a vague phrase the prompt resolves.

Consumes the open-domain seeds that referent_removal made vague; produces the sibling's vague
phrase (else one from lexicons/vague_nps.json, by entity label) in place of the seed's entity,
after a heading that names the entity ("France: what is the capital of that country?"). The
phrase refers back to the only name the prompt gives, so the question has the seed's answers.
The heading adds no words of its own, so it is not a cue for the label. The builder check is
unsure when the question still names something else (the phrase might then be read as pointing
there) or when the entity is a one-word non-place (spaCy's label, and so the kind of phrase, is
often wrong there).
"""

from __future__ import annotations

from random import Random
from typing import Any

from abstain_data.builders.base import entity_bounds, load_lexicon, splice
from abstain_data.builders.gates import entity_label, remaining_names
from abstain_data.builders.twins.base import TwinBuilder, TwinCandidate
from abstain_data.items import Item
from abstain_data.pipeline.step import BuildContext

PRONOUNS = frozenset({"he", "she"})


class ReferentResolved(TwinBuilder):
    name = "twin_referent_resolved"
    data_files = ("builders/lexicons/vague_nps.json",)
    sibling = "referent_removal"

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1) -> None:
        super().__init__(ctx, max_per_seed)
        self.vague = {k: [p for p in v if p not in PRONOUNS]
                      for k, v in load_lexicon("vague_nps.json").items() if not k.startswith("_")}

    def accepts(self, seed: Item) -> bool:
        return not seed.context

    def make_twins(self, seed: Item, sibling: Item, doc: Any,
                   rng: Random) -> list[TwinCandidate]:
        ents = [e for e in doc.ents if self.vague.get(e.label_)
                and e.root.dep_ not in ("compound", "amod", "nmod")]
        if not ents:
            return []
        ent = ents[0]
        start, end = entity_bounds(ent)
        name = seed.prompt[start:end]
        if ent.start > 0 and doc[ent.start - 1].lower_ == "the":
            start = doc[ent.start - 1].idx
            name = f"the {name}"
        possessive = seed.prompt[end:end + 2] in ("'s", "’s")
        choices = [p for p in self.vague[ent.label_]
                   if not (possessive and p.endswith("in question"))]
        if not choices:
            return []
        used = sibling.transform.params.get("with") if sibling.transform else None
        phrase = used if used in choices else rng.choice(choices)
        question = splice(seed.prompt, start, end, phrase)
        if doc[0].pos_ != "PROPN" and doc[0].text != "I":
            question = question[:1].lower() + question[1:]
        return [TwinCandidate(
            prompt=f"{name[:1].upper()}{name[1:]}: {question}",
            rationale=(f"{phrase!r} refers back to {name!r}, named in the heading, so the "
                       f"question asks what the original does and has its answer."),
            confidence=0.9,
            checks=[remaining_names(doc, ent, "other_names"), entity_label(ent)],
            edit={"named": name, "with": phrase, "label": ent.label_},
            answers=list(seed.reference_answers),
        )]
