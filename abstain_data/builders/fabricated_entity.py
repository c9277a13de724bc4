"""Fabricated entity (`entity.fabricated`): the key entity replaced by an invented one.

Consumes open-domain seeds (no passage) with a named entity whose type is solid: a confirmed
place or person (builders/kinds.py), or a name that the build's questions label the same way
nearly every time (never a lone one-word non-place, never a person spaCy is unsure of: "the movie
Jaws" is no person). Produces the question about an invented name of the same kind that keeps
the shape of the name it replaces (the distinctive words invented, the head words kept: "Harvard
University" -> "Cadwell University", "the Battle of Hastings" -> "the Battle of Wendarsh"; a
person gets a first name the build uses and an invented surname). Invented words come from a
character model of the build's own names of that kind (the syllable lexicon when the build has
too few), so they look like the real names around them rather than carry a fixed suffix, without
opening like one of them ("Japaca" reads as a misspelt Japan). A person keeps a title or a first
name of the build ("Mrs Lovatt" -> "Mrs Fieslou", "Donald Duck" -> "Donald Warnophen": a drawn
first name may not fit the person, and a title is never drawn as a first name). A one-word name
that opens the question is capitalized by its position only, so spaCy's label is a guess: it is
varied only when its kind is confirmed ("Photophobia is ..." is no name). The
builder check ("name_seen") fails when the name, or an invented word, is a word of any prompt
or passage in the build or of the gazetteer of real entities (lexicons/gazetteer.txt); it is
unsure when other names remain in the question (they may still identify the answer).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

from rapidfuzz import fuzz, process

from abstain_data.builders.base import (
    Candidate,
    SeedDocs,
    VariantBuilder,
    entity_bounds,
    is_open_domain,
    load_lexicon,
    splice,
)
from abstain_data.builders.gates import GateResult, remaining_names
from abstain_data.builders.kinds import (
    CONNECTORS,
    FirstNames,
    entity_text,
    name_shaped,
    places,
    verified_kind,
)
from abstain_data.items import Category, Item, normalize_key
from abstain_data.pipeline.step import BuildContext

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "ORG": "organization",
         "FAC": "building", "WORK_OF_ART": "work", "EVENT": "event", "PRODUCT": "product"}
TRIES = 8
# a date or an ordinal left in the question does not identify the answer; a count might
HARMLESS = frozenset({"DATE", "TIME", "ORDINAL"})
MAX_TOKENS = 25
MIN_TRAINING_WORDS = 30  # fewer name words of a kind: invent from the syllable lexicon
MIN_LABEL_SHARE = 0.8
MIN_LEN, MAX_LEN = 6, 10
SAMPLE_TRIES = 50
LOOKALIKE = 80  # rapidfuzz ratio from which an invented word looks like a real name
NOVEL_GRAM = 5  # an invented word shares no run of this many letters with a real name word
OPENING = 4  # ... and does not open with the same letters as one
# words before a name that say who someone is, not which one: kept, never drawn as first names
PERSON_TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir", "Dame", "Lady", "Lord",
                           "Prof", "Professor", "Saint", "St", "King", "Queen", "Prince",
                           "Princess", "President", "General", "Captain", "Pope", "Rev",
                           "Father", "Uncle", "Aunt"})
# the common noun just before a name says what it is: "the movie Jaws" is a work
TITLE_NOUNS = {"movie": "WORK_OF_ART", "film": "WORK_OF_ART", "song": "WORK_OF_ART",
               "album": "WORK_OF_ART", "book": "WORK_OF_ART", "novel": "WORK_OF_ART",
               "play": "WORK_OF_ART", "show": "WORK_OF_ART", "series": "WORK_OF_ART",
               "poem": "WORK_OF_ART", "opera": "WORK_OF_ART", "musical": "WORK_OF_ART",
               "painting": "WORK_OF_ART", "single": "WORK_OF_ART", "band": "ORG",
               "company": "ORG", "team": "ORG", "club": "ORG", "group": "ORG",
               "city": "GPE", "town": "GPE", "country": "GPE", "state": "GPE",
               "river": "LOC", "lake": "LOC", "mountain": "LOC", "island": "LOC"}


def grams(word: str) -> set[str]:
    """The runs of NOVEL_GRAM letters of the lower-cased `word`."""
    word = word.lower()
    return {word[i:i + NOVEL_GRAM] for i in range(len(word) - NOVEL_GRAM + 1)}


_VOWELS = "aeiouy"
ONSETS = frozenset({"bl", "br", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "kl", "kr", "ph",
                    "pl", "pr", "sc", "sh", "sk", "sl", "sm", "sn", "sp", "st", "sw", "th", "tr",
                    "tw", "wh", "wr"})
CODAS = frozenset({"ck", "ff", "ld", "ll", "lt", "mb", "nd", "ng", "nk", "ns", "nt", "rd", "rk",
                   "rm", "rn", "rs", "rt", "sh", "ss", "st", "th", "tt", "ch", "ks", "ms", "rg"})
_THREE_CONSONANTS = re.compile(r"[^aeiouy]{3}")


def pronounceable(word: str) -> bool:
    """Whether `word` reads as a name: no three consonants in a row, a vowel among its first
    and among its last two letters unless they are a common cluster ("Br...", "...nd"): not
    "Mdfongs" or "Forafc"."""
    word = word.lower()
    opens = word[0] in _VOWELS or word[1] in _VOWELS or word[:2] in ONSETS
    ends = word[-1] in _VOWELS or word[-2] in _VOWELS or word[-2:] in CODAS
    return opens and ends and not _THREE_CONSONANTS.search(word)


class NameModel:
    """A character model of name words (each letter drawn given the two before it), trained on
    the distinctive words of real names of one kind; `sample(rng)` produces a new capitalized
    word that shares no run of NOVEL_GRAM letters with any of them (not "Sengland") and does not
    open with the first OPENING letters of one (not "Japaca")."""

    def __init__(self, words: list[str]) -> None:
        self.next: dict[str, Counter[str]] = defaultdict(Counter)
        self.real_grams = set().union(*(grams(w) for w in words))
        self.openings = {w[:OPENING].lower() for w in words}
        for word in words:
            padded = f"^^{word.lower()}$"
            for i in range(2, len(padded)):
                self.next[padded[i - 2:i]][padded[i]] += 1

    def sample(self, rng: Random) -> str:
        """A word of MIN_LEN..MAX_LEN letters drawn from the model ("" when it fails)."""
        for _ in range(SAMPLE_TRIES):
            out, state = "", "^^"
            while len(out) <= MAX_LEN:
                options = self.next.get(state)
                if not options:
                    break
                chars, weights = zip(*sorted(options.items()), strict=True)
                char = rng.choices(chars, weights)[0]
                if char == "$":
                    break
                out, state = out + char, state[1] + char
            if (MIN_LEN <= len(out) <= MAX_LEN and out.isalpha() and pronounceable(out)
                    and not grams(out) & self.real_grams
                    and out[:OPENING] not in self.openings):
                return out.capitalize()
        return ""


def words(text: str) -> set[str]:
    """The casefolded alphabetic words of `text`."""
    return {w.casefold() for w in _WORD.findall(text)}


@dataclass
class NamesFound:
    """What fabricated_entity learns from a run of seed questions' parses: the comparison key
    of every entity (`keys`), each name's labels (`votes`), the name-shaped names of each kind
    (`named`) and the build's first names. Runs read apart merge by `update`."""

    keys: set[str] = field(default_factory=set)
    votes: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    named: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    first_names: FirstNames = field(default_factory=FirstNames)

    @classmethod
    def of(cls, run: list[tuple[str, Any]]) -> NamesFound:
        """What the parses of the (record, parse) pairs of `run` show."""
        found = cls()
        for _, doc in run:
            found.first_names.add(doc)
            for ent in doc.ents:
                found.keys.add(normalize_key(ent.text))
                name = entity_text(ent)
                found.votes[name][ent.label_] += 1
                if ent.label_ in KINDS and name_shaped(name):
                    found.named[ent.label_].add(name)
        return found

    def update(self, other: NamesFound) -> None:
        """Add what `other` found."""
        self.keys |= other.keys
        for name, labels in other.votes.items():
            self.votes[name].update(labels)
        for label, names in other.named.items():
            self.named[label] |= names
        self.first_names.update(other.first_names)


def _prompts_and_new_passages(items: Iterable[Item], seen: set[str]) -> Iterator[str]:
    """Each item's prompt, then its passage unless `seen` holds it (it is added)."""
    for item in items:
        yield item.prompt
        if item.context and item.context not in seen:
            seen.add(item.context)
            yield item.context


class FabricatedEntity(VariantBuilder):
    name = "fabricated_entity"
    data_files = ("builders/lexicons/syllables.json", "builders/lexicons/gazetteer.txt",
                  "builders/lexicons/place_kinds.json")
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

    def prepare(self, items: Iterable[Item], docs: SeedDocs) -> None:
        """Remember every word and entity of every prompt and passage in the stream; learn
        the build's first names, each name's labels, the common head words of names and a
        model of the name words of each kind."""
        self.seen_words = set(self.known_words)
        self.seen_names = set(self.gazetteer)
        self.common_words: set[str] = set()  # written lower-case somewhere: "university"
        capitalized = set(self.known_words)  # words of names, which an invented one must not echo
        # each distinct passage once (one is shared by every question asked about it); a
        # prompt read twice adds nothing new, so prompts are not remembered
        passages: set[str] = set()
        for text in _prompts_and_new_passages(items, passages):
            found = _WORD.findall(text)
            self.seen_words.update(w.casefold() for w in found)
            self.common_words.update(w for w in found if w.islower())
            capitalized.update(w.casefold() for w in found if w[:1].isupper())
        self.name_words = sorted(capitalized)
        found = NamesFound()
        for part in docs.gather(NamesFound.of):  # each run of seeds' parses read in a worker
            found.update(part)
        self.seen_names |= found.keys
        self.votes, named = found.votes, found.named
        self.first_names = found.first_names.names()
        heads = Counter(n.split()[-1] for names in named.values() for n in names
                        if len(n.split()) > 1)
        self.heads = {w for w, k in heads.items() if k >= 2 and w not in self.first_names}
        self.models = {}
        for label, names in named.items():
            parts = sorted({w for n in names for w in self.distinctive(n)})
            if len(parts) >= MIN_TRAINING_WORDS:
                self.models[label] = NameModel(parts)

    def distinctive(self, name: str) -> list[str]:
        """The words of `name` that make it this name: not connectors, not the common head
        words of the build's names, not words the build also writes lower-case ("University",
        "Mall", "Island" stay; "Chicago" is invented)."""
        return [w for w in name.split() if w not in CONNECTORS and w not in self.heads
                and w.isalpha() and w.lower() not in self.common_words]

    def name_seen(self, name: str, invented: str) -> str | None:
        """Why `name` is not new (a known name or word, or an invented word that looks like a
        real name: "Jambia" for Gambia), or None when it is unseen."""
        if normalize_key(name) in self.seen_names:
            return f"{name!r} is a known entity"
        clash = sorted(words(invented) & self.seen_words)
        if clash:
            return f"{clash[0]!r} occurs in the build or the gazetteer"
        for word in sorted(words(invented)):
            near = process.extractOne(word, self.name_words, scorer=fuzz.ratio,
                                      score_cutoff=LOOKALIKE)
            if near is not None:
                return f"{word!r} looks like the real name {near[0]!r}"
        return None

    def core(self, label: str, rng: Random) -> str:
        """One invented word for a name of kind `label`: from the build's model of that kind,
        else from the syllable lexicon."""
        model = self.models.get(label)
        word = model.sample(rng) if model is not None else ""
        if word:
            return word
        lex = self.lexicon
        return rng.choice(lex["onsets"]) + rng.choice(lex["middles"]) + rng.choice(lex["codas"])

    def invent(self, name: str, label: str, rng: Random) -> tuple[str, str]:
        """An invented (full name, its invented words) in the shape of the real `name` of kind
        `label`: a person keeps the shape "<first name> <surname>", keeping the name's own title
        or first name of the build, else drawing a first name of the build (or the lexicon)
        that is no title; any other name has its distinctive words invented."""
        if label == "PERSON":
            core = self.core(label, rng)
            first = name.split()[0]
            if len(name.split()) > 1 and (first.rstrip(".") in PERSON_TITLES
                                          or first in self.first_names):
                return f"{first} {core}", core
            firsts = (sorted(f for f in self.first_names if f.rstrip(".") not in PERSON_TITLES)
                      or self.lexicon.get("first_names") or [""])
            return f"{rng.choice(firsts)} {core}".strip(), core
        cores = []
        out = []
        for word in name.split():
            if word in self.distinctive(name):
                cores.append(self.core(label, rng))
                out.append(cores[-1])
            else:
                out.append(word)
        return " ".join(out), " ".join(cores)

    def solid_label(self, ent: Any) -> str | None:
        """The entity's label when its type is solid (see the module docstring) and it is no
        member of a list or choice ("Club or Pro Football Weekly") and has a word to invent,
        else None; a title noun before it ("the movie ...") decides over spaCy's label."""
        name = entity_text(ent)
        before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        label = TITLE_NOUNS.get(before, ent.label_)
        listed = ent.root.dep_ == "conj" or any(c.dep_ in ("cc", "conj") for c in ent.root.children)
        if (label not in KINDS or not name_shaped(name) or listed
                or (label != "PERSON" and not self.distinctive(name))):
            return None
        kind = verified_kind(ent, self.first_names)
        if kind is not None:
            return "PERSON" if kind == "person" else ent.label_
        if ent.start == 0 and len(ent) == 1:
            return None  # capitalized by its position: "Photophobia is ..."
        votes = self.votes.get(name) or Counter({ent.label_: 1})
        if label == "PERSON" or name in places() or votes[ent.label_] < MIN_LABEL_SHARE * sum(
                votes.values()):
            return None
        if len(name.split()) == 1 and label not in ("GPE", "LOC") and label == ent.label_:
            return None  # a lone word: spaCy's label is a guess
        return label

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        found = next(((e, label) for e in doc.ents
                      if (label := self.solid_label(e)) is not None), None)
        if found is None:
            return []
        ent, label = found
        start, end = entity_bounds(ent)
        name, problem = "", None
        for _ in range(TRIES):
            name, invented = self.invent(entity_text(ent), label, rng)
            problem = self.name_seen(name, invented) if invented else "nothing to invent"
            if problem is None:
                break
        check = GateResult.failed_if(problem is not None, "name_seen", problem or "")
        kind = KINDS[label]
        if seed.prompt[start:end].lower().startswith("the ") and not name.startswith("the "):
            start += 4  # the seed's own "the" stays
        return [Candidate(
            prompt=splice(seed.prompt, start, end, name),
            rationale=(f"{name!r} is an invented {kind} (it replaces {ent.text!r}) that matches no "
                       f"entity in the build or the gazetteer, so no true answer exists."),
            confidence=0.9,
            checks=[check, remaining_names(doc, ent, "other_names", HARMLESS),
                    GateResult.unsure_if(len(doc) > MAX_TOKENS, "other_names",
                                         f"{len(doc)} tokens: the rest of a long question may "
                                         "answer it whatever the name")],
            edit={"replaced": ent.text, "with": name, "label": label},
            span=(start, end),
        )]
