"""Referent removal (`under.intent`): the specifying entity replaced by a vague phrase.

Consumes open-domain seeds with a named entity; produces the question with that entity (and a
leading "the") replaced by a pronoun or vague noun phrase of its kind from lexicons/vague_nps.json
("What is the capital of France?" -> "What is the capital of that country?"). When other names
remain in the question they may still pin the referent down: the builder check is then unsure.
"""

from __future__ import annotations

from random import Random
from typing import Any

from abstain_data.builders.base import (
    Candidate,
    VariantBuilder,
    entity_bounds,
    is_open_domain,
    load_lexicon,
    splice,
)
from abstain_data.builders.gates import Verdict, entity_label, remaining_names
from abstain_data.items import Category, Item
from abstain_data.pipeline.step import BuildContext

PRONOUNS = frozenset({"he", "she"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


class ReferentRemoval(VariantBuilder):
    name = "referent_removal"
    data_files = ("builders/lexicons/vague_nps.json",)
    requires = frozenset({"domain"})
    category = Category.UNDER_INTENT

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1) -> None:
        super().__init__(ctx, max_per_seed)
        self.vague = {k: v for k, v in load_lexicon("vague_nps.json").items()
                      if not k.startswith("_")}

    def accepts(self, seed: Item) -> bool:
        return is_open_domain(seed)

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        # not a name that only modifies a noun ("Which U.S. state ...")
        ents = [e for e in doc.ents if e.label_ in self.vague
                and e.root.dep_ not in ("compound", "amod", "nmod")]
        if not ents:
            return []
        ent = ents[0]  # the first specifying entity; any other name is checked below
        start, end = entity_bounds(ent)
        if ent.start > 0 and doc[ent.start - 1].lower_ == "the":
            start = doc[ent.start - 1].idx
        possessive = seed.prompt[end:end + 2] in ("'s", "’s")
        # "he"/"she" fit a named person ("Marie Curie", not a lone mis-tagged "Whales") as a
        # subject ("When was he born?") or, as "his"/"her", a possessive
        pronoun_fits = (ent.label_ == "PERSON" and len(ent) > 1
                        and (possessive or ent.root.dep_ in SUBJECT_DEPS))
        choices = [p for p in self.vague[ent.label_]
                   if (pronoun_fits or p not in PRONOUNS)
                   and not (possessive and p.endswith("in question"))]
        if not choices:
            return []
        phrase = rng.choice(choices)
        if possessive and phrase in PRONOUNS:
            phrase = "his" if phrase == "he" else "her"
            end += 2
        check = remaining_names(doc, ent, "referent_remains")
        return [Candidate(
            prompt=splice(seed.prompt, start, end, phrase),
            rationale=(f"{phrase!r} stands for {ent.text!r} but nothing in the question says "
                       f"which one is meant, so it has no single answer."),
            confidence=0.85 if check.verdict is Verdict.PASS else 0.6,
            checks=[check, entity_label(ent)],
            edit={"replaced": ent.text, "with": phrase, "label": ent.label_},
        )]
