"""What kind of thing a named entity is, checked with more than spaCy's label.

spaCy's small model often labels names wrongly ("Sauce Bigarade" a person, "Earth" a country,
"Teddy Bears" a person). A builder that rewrites a question around an entity's kind (a vague
"that country", a swapped name, an invented name) first asks `verified_kind`, which consumes a
spaCy entity and produces a kind only when it is confirmed: a place listed in
lexicons/place_kinds.json (country, state, city, continent), or a person whose name has the
shape of one (two to four capitalized words, the first a first name that the build's own
questions use with several surnames, or a person in the gazetteer). Anything else is None.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import Any

from abstain_data.builders.base import entity_bounds, load_lexicon

PLACE_KINDS = ("country", "state", "city", "continent")
_NAME_WORD = re.compile(r"^(?:[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?|[A-Z]\.|[A-Z][a-z]*\.)$")
_TITLE_WORD = re.compile(r"^(?:[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*\.?|[A-Z]{2,5}|[A-Z]\.)$")
CONNECTORS = frozenset({"of", "the", "and", "de", "du", "von", "van", "la", "le", "del", "&"})
MAX_NAME_WORDS = 5
PARTICLES = frozenset({"van", "von", "de", "da", "del", "der", "di", "le", "la", "bin", "al"})
MIN_SURNAMES = 2  # a first name must come with this many different surnames in the build


# the country of each listed state that is not in the US (Bavaria: its own law is no specific,
# see missing_specifics); the Canadian ones are provinces ("my province", never "my state")
STATE_COUNTRY = {"Alberta": "Canada", "British Columbia": "Canada", "Ontario": "Canada",
                 "Quebec": "Canada", "Queensland": "Australia", "Tasmania": "Australia",
                 "Victoria": "Australia", "Bavaria": ""}
PROVINCES = frozenset(state for state, country in STATE_COUNTRY.items() if country == "Canada")


@cache
def places() -> dict[str, str]:
    """Place name (without a leading "the") -> its kind, from lexicons/place_kinds.json (read
    when first needed, so that a step's identity sees the file it reads)."""
    lexicon = load_lexicon("place_kinds.json")
    return {name.removeprefix("the "): kind for kind in PLACE_KINDS for name in lexicon[kind]}


@cache
def articled_places() -> frozenset[str]:
    """The places written with "the" ("the Netherlands"), as listed, without it."""
    return frozenset(name.removeprefix("the ") for kind in PLACE_KINDS
                     for name in load_lexicon("place_kinds.json")[kind]
                     if name.startswith("the "))


def entity_text(ent: Any) -> str:
    """The entity's name as written, without quotes, a possessive 's or a leading "the"."""
    start, end = entity_bounds(ent)
    return re.sub(r"^[Tt]he ", "", ent.doc.text[start:end])


def name_shaped(name: str) -> bool:
    """Written as a name: at most five words, each capitalized (or an acronym, or a connector
    like "of"), no digits: not "Raouliii" or "the 1990s"."""
    words = name.split()
    return (0 < len(words) <= MAX_NAME_WORDS and bool(_TITLE_WORD.match(words[0]))
            and all(_TITLE_WORD.match(w) or w in CONNECTORS for w in words))


def person_shaped(name: str) -> bool:
    """Two to four capitalized words (particles like "van" allowed), no digits."""
    words = name.split()
    return (2 <= len(words) <= 4 and all(_NAME_WORD.match(w) or w in PARTICLES for w in words)
            and bool(_NAME_WORD.match(words[0])) and bool(_NAME_WORD.match(words[-1])))


class FirstNames:
    """The first names of the build, learnt a Doc at a time (`add`), so that a builder walking
    its seeds' parses once for other reasons learns them in the same walk: the first word of
    person-shaped PERSON entities that comes with at least MIN_SURNAMES different last words."""

    def __init__(self) -> None:
        self.surnames: dict[str, set[str]] = defaultdict(set)

    def add(self, doc: Any) -> None:
        """Count the person names of `doc` (a spaCy Doc)."""
        for ent in doc.ents:
            name = entity_text(ent)
            if ent.label_ == "PERSON" and person_shaped(name):
                words = name.split()
                self.surnames[words[0]].add(words[-1])

    def update(self, other: FirstNames) -> None:
        """Count the person names that `other` counted too (a run of Docs learnt elsewhere)."""
        for first, lasts in other.surnames.items():
            self.surnames[first] |= lasts

    def names(self) -> set[str]:
        """The first names of the Docs added so far."""
        return {first for first, lasts in self.surnames.items() if len(lasts) >= MIN_SURNAMES}


def learn_first_names(docs: Iterable[Any]) -> FirstNames:
    """The person names counted across `docs` (see `FirstNames`)."""
    learnt = FirstNames()
    for doc in docs:
        learnt.add(doc)
    return learnt


@cache
def gazetteer_people() -> frozenset[str]:
    """The person-shaped names of lexicons/gazetteer.txt that are not places."""
    return frozenset(name for name in load_lexicon("gazetteer.txt")
                     if person_shaped(name) and name not in places())


def verified_kind(ent: Any, known_first_names: set[str]) -> str | None:
    """"country", "state", "city", "continent" or "person" when `ent` is confirmed to be one
    (see the module docstring); None when its kind is not confirmed."""
    name = entity_text(ent)
    if ent.label_ in ("GPE", "LOC") and name in places():
        return places()[name]
    before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
    person = ent.label_ == "PERSON" and before != "the" and person_shaped(name)
    if person and (name in gazetteer_people() or name.split()[0] in known_first_names):
        return "person"
    return None
