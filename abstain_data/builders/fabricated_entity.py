"""Fabricated entity (`entity.fabricated`): the key entity replaced by an invented one.

Consumes open-domain seeds (no passage) with a named entity; produces the question about an
invented name of the same kind, built from the syllable lexicon. The builder check ("name_seen")
fails when the name, or its invented word, is a word of any prompt or passage in the build or of
the gazetteer of real entities (lexicons/gazetteer.txt). It is unsure when the entity is a
one-word non-place (spaCy's label is often wrong there) or when other names remain in the
question (they may still identify the answer).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
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
from abstain_data.builders.gates import GateResult, entity_label, remaining_names
from abstain_data.items import Category, Item, normalize_key
from abstain_data.pipeline.step import BuildContext

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "ORG": "organization",
         "FAC": "building", "WORK_OF_ART": "work", "EVENT": "event", "PRODUCT": "product"}
TRIES = 8


def words(text: str) -> set[str]:
    """The casefolded alphabetic words of `text`."""
    return {w.casefold() for w in _WORD.findall(text)}


class FabricatedEntity(VariantBuilder):
    name = "fabricated_entity"
    data_files = ("builders/lexicons/syllables.json", "builders/lexicons/gazetteer.txt")
    requires = frozenset({"domain"})
    category = Category.ENTITY_FABRICATED

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1,
                 syllables: str | None = None) -> None:
        super().__init__(ctx, max_per_seed)
        self.syllables = syllables
        self.lexicon = (load_lexicon("syllables.json") if syllables is None
                        else json.loads(Path(syllables).read_text(encoding="utf-8")))
        gazetteer = load_lexicon("gazetteer.txt")
        self.gazetteer = {normalize_key(name) for name in gazetteer}
        self.known_words = set().union(*(words(name) for name in gazetteer))

    def data_paths(self) -> list[Path]:
        """The packaged lexicons, and the syllables file the recipe names, if any."""
        own = [Path(self.syllables)] if self.syllables is not None else []
        return super().data_paths() + own

    def accepts(self, seed: Item) -> bool:
        return is_open_domain(seed)

    def prepare(self, items: list[Item], docs: dict[str, Any]) -> None:
        """Remember every word and entity of every prompt and passage in the stream."""
        self.seen_words = set(self.known_words)
        self.seen_names = set(self.gazetteer)
        for item in items:
            self.seen_words |= words(item.prompt) | words(item.context or "")
        for doc in docs.values():
            self.seen_names |= {normalize_key(e.text) for e in doc.ents}

    def name_seen(self, name: str, invented: str) -> str | None:
        """Why `name` is not new (a known name or word), or None when it is unseen."""
        if normalize_key(name) in self.seen_names:
            return f"{name!r} is a known entity"
        clash = sorted(words(invented) & self.seen_words)
        return f"{clash[0]!r} occurs in the build or the gazetteer" if clash else None

    def invent(self, label: str, rng: Random, drop_article: bool) -> tuple[str, str]:
        """An invented (full name, invented word) of the kind `label`."""
        lex = self.lexicon
        core = rng.choice(lex["onsets"]) + rng.choice(lex["middles"]) + rng.choice(lex["codas"])
        frame = rng.choice(lex["frames"][label])
        if drop_article and frame.lower().startswith("the "):
            frame = frame[4:]
        first = rng.choice(lex.get("first_names") or [""])
        return frame.format(name=core, first=first).strip(), core

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        ent = next((e for e in doc.ents if e.label_ in KINDS), None)
        if ent is None:
            return []
        before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        # "the Odyssey" tagged PERSON: a person is never "the X", so invent a work instead
        label = "WORK_OF_ART" if ent.label_ == "PERSON" and before == "the" else ent.label_
        name, problem = "", None
        for _ in range(TRIES):
            name, invented = self.invent(label, rng, before == "the")
            problem = self.name_seen(name, invented)
            if problem is None:
                break
        check = GateResult.failed_if(problem is not None, "name_seen", problem or "")
        kind = KINDS[label]
        return [Candidate(
            prompt=splice(seed.prompt, *entity_bounds(ent), name),
            rationale=(f"{name!r} is an invented {kind} (it replaces {ent.text!r}) that matches no "
                       f"entity in the build or the gazetteer, so no true answer exists."),
            confidence=0.9,
            checks=[check, entity_label(ent), remaining_names(doc, ent, "other_names")],
            edit={"replaced": ent.text, "with": name, "label": label},
        )]
