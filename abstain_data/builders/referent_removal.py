"""Referent removal (`under.intent`): the specifying entity replaced by a vague reference.

Consumes open-domain seeds; picks a named entity whose kind is confirmed (a listed country,
state, city or continent, or a person's name: builders/kinds.py) standing as a whole noun phrase
in an argument position, and replaces it (with a leading "the") the way people refer to
something without naming it, by its kind and position (lexicons/vague_nps.json): "What is the
capital of France?" -> "What is the capital of my country?", "What language do they speak in
Peru?" -> "What language do they speak there?", "When was Marie Curie born?" -> "When was she
born?". Entities in quotes, in a list or choice ("X or Y"), or glued to another name are never
replaced. When anything else in the question may still pin the referent down (another name or
capitalized word, a quoted title, a description attached to the entity) the variant goes to
review ("referent_remains"). A person becomes "he" or "that woman" only when the question itself
says which (another pronoun, a title: "Mrs Lovatt's pies"), else "this person". A phrase whose
noun the question already uses is never chosen ("Name a country of <our country>", "did <that
country> become an independent country"); with none left the entity is not replaced.
"""

from __future__ import annotations

from random import Random
from typing import Any

from abstain_data.builders.base import (
    Candidate,
    VariantBuilder,
    asks_a_question,
    entity_bounds,
    is_open_domain,
    load_lexicon,
    splice,
)
from abstain_data.builders.gates import Verdict, remaining_names
from abstain_data.builders.kinds import first_names, verified_kind
from abstain_data.items import Category, Item
from abstain_data.pipeline.step import BuildContext

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
OBJECT_DEPS = frozenset({"dobj", "pobj", "attr", "dative", "oprd"})
# a date or an ordinal left in the question does not say which one is meant; a count might
# ("... written by about 100 editors and 4,000 contributors")
HARMLESS = frozenset({"DATE", "TIME", "ORDINAL"})
GENDER_WORDS = {"man": frozenset({"he", "him", "his", "himself", "mr", "sir", "lord", "king",
                                  "prince", "father", "uncle"}),
                "woman": frozenset({"she", "her", "hers", "herself", "mrs", "ms", "miss",
                                    "lady", "dame", "queen", "princess", "aunt"})}


def gender(doc: Any) -> str | None:
    """"man" or "woman" when the words of `doc` (pronouns, titles) name one gender only."""
    found = {t.lower_.rstrip(".") for t in doc}
    said = [g for g, cues in GENDER_WORDS.items() if found & cues]
    return said[0] if len(said) == 1 else None


def position(doc: Any, ent: Any, end: int) -> str | None:
    """The entity's position: "possessive" (followed by 's), "there" (the object of "in" that
    a verb governs), "subject", "object", or None (a modifier, a list member, ...)."""
    if doc.text[end:end + 2] in ("'s", "’s"):
        return "possessive"
    root = ent.root
    if root.dep_ == "pobj" and root.head.lower_ == "in" and root.head.head.pos_ in ("VERB",
                                                                                    "AUX"):
        return "there"
    if root.dep_ in SUBJECT_DEPS:
        return "subject"
    if root.dep_ in OBJECT_DEPS:
        return "object"
    return None


class ReferentRemoval(VariantBuilder):
    name = "referent_removal"
    data_files = ("builders/lexicons/vague_nps.json", "builders/lexicons/place_kinds.json",
                  "builders/lexicons/gazetteer.txt")
    requires = frozenset({"domain"})
    category = Category.UNDER_INTENT

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1) -> None:
        super().__init__(ctx, max_per_seed)
        self.vague = {k: v for k, v in load_lexicon("vague_nps.json").items()
                      if not k.startswith("_")}
        self.first_names: set[str] = set()

    def accepts(self, seed: Item) -> bool:
        return is_open_domain(seed) and asks_a_question(seed.prompt)

    def prepare(self, items: list[Item], docs: dict[str, Any]) -> None:
        """Learn the build's first names (a person is confirmed by one)."""
        self.first_names = first_names(docs.values())

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        for ent in doc.ents:
            kind = verified_kind(ent, self.first_names)
            if kind is None or any(t.dep_ in ("cc", "conj") for t in ent.root.head.children
                                   if t.i not in range(ent.start, ent.end)) \
                    or ent.root.dep_ in ("conj", "compound", "appos"):
                continue
            start, end = entity_bounds(ent)
            where = position(doc, ent, end)
            phrases = self.phrases(doc, ent, kind, where)
            if not phrases:
                continue
            return [self._candidate(seed, doc, ent, kind, (where, rng.choice(phrases)),
                                    (start, end))]
        return []

    def phrases(self, doc: Any, ent: Any, kind: str, where: str | None) -> list[str]:
        """The vague phrases for `ent` of `kind` at position `where` (a person's by the
        gender the question states, see `gender`), minus those whose noun the rest of the
        question already uses."""
        table = self.vague[(kind == "person" and gender(doc)) or kind]
        if where is None or where not in table:
            return []
        inside = range(ent.start, ent.end)
        used = {w for t in doc if t.i not in inside for w in (t.lower_, t.lemma_.lower())}
        return [p for p in table[where] if p.split()[-1].removesuffix("'s") not in used]

    def _candidate(self, seed: Item, doc: Any, ent: Any, kind: str, choice: tuple[str, str],
                   bounds: tuple[int, int]) -> Candidate:
        start, end = bounds
        where, phrase = choice
        if ent.start > 0 and doc[ent.start - 1].lower_ == "the":
            start = doc[ent.start - 1].idx
        span = (start, end)
        if where == "possessive":
            end += 2
        elif where == "there":
            start = doc[ent.root.head.i].idx  # "in Peru" -> "there"
            span = (start, end)
        check = remaining_names(doc, ent, "referent_remains", HARMLESS)
        return Candidate(
            prompt=splice(seed.prompt, start, end, phrase),
            rationale=(f"{phrase!r} stands for {ent.text!r} but nothing in the question says "
                       f"which {kind} is meant, so it has no single answer."),
            confidence=0.85 if check.verdict is Verdict.PASS else 0.6,
            checks=[check],
            edit={"replaced": ent.text, "with": phrase, "kind": kind},
            span=None if where == "there" else span,
        )
