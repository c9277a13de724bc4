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

Every answerable twin (twin_referent_resolved) opens with a lead-in naming the referent ("I live
in France.", "We're planning a trip to Peru."), so a bag-of-words classifier read the lead-in
words and the names as "answerable" (real-corpora build: AUC 0.71-0.75 against the contrasts,
twins 0.77-0.78; top cues "about", "asking about", "live in", "we", "take"). LEAD_IN_SHARE of
the variants therefore open with the same lead-ins (`FRAMES`, shared with the twin) filled so
that they name no single referent (lexicons/referent_lead_ins.json): the speaker's own place by
a region holding many of its kind ("I live in Europe. What is the capital of my country?", for a
city mostly its own country: "I'm from China. Which part of my city gets snow in winter?"), a
topic by such a region or a subject of it ("We're planning a trip to Asia. How long is the
coastline of that country?", "I'm reading a book about the history of Europe."), or by a subject
that is no place ("I'm doing a school project on geography. Why do emperors love the number
nine there?", "I just watched a documentary about the 1960s. When was this person born?"); a
question about the speaker's own affairs, which a trip or a book would not fit (the demo's
"I was injured at work in the state ..."), gets "This is about a state in the US." or "I'm
asking about a country in Europe." A
region is never used where it could settle the question: not for "there" (it would point at the
region) nor "here" (no lead-in), not when the question names another place ("I'm from Europe.
Which city is in my country, London or Cleveland?") or asks what the region decides ("I live in
China. What language do they speak in my city?", lexicon "fixed_by_region").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from random import Random
from typing import Any

from abstain_data.builders.base import (
    ADVICE_DOMAINS,
    Candidate,
    SeedDocs,
    VariantBuilder,
    asks_a_question,
    entity_bounds,
    is_open_domain,
    load_lexicon,
    splice,
)
from abstain_data.builders.gates import Verdict, remaining_names
from abstain_data.builders.kinds import PROVINCES, FirstNames, learn_first_names, verified_kind
from abstain_data.items import Category, Item
from abstain_data.pipeline.step import BuildContext

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
OBJECT_DEPS = frozenset({"dobj", "pobj", "attr", "dative", "oprd"})
# a date or an ordinal left in the question does not say which one is meant; a count might
# ("... written by about 100 editors and 4,000 contributors")
HARMLESS = frozenset({"DATE", "TIME", "ORDINAL"})
# verbs of living somewhere; with kinds.PROVINCES: a blind review (round r22) flagged "I'm from
# Ontario. My landlord in my state ..." as unclear and "I live in England. I live in my country
# and ..." as not English
RESIDE = frozenset({"live", "lives", "lived", "living", "reside", "resides", "resided",
                    "residing", "stay", "stays", "stayed", "work", "works", "worked"})
# Lead-ins, shared with twin_referent_resolved: a speaker's own place (for "my ...", "here"),
# a shared one (for "our ..."), a topic (for "that ...", "this ...", "the ...", "there"), a
# person; {x} is the name in the twin, in the variant a place or a subject that names no single
# referent. TRIP takes a place only.
TRIP = "We're planning a trip to {x}."
FRAMES = {"mine": ("I live in {x}.", "I'm from {x}.", "I grew up in {x}."),
          "ours": ("We live in {x}.", "We're from {x}."),
          "topic": (TRIP, "I'm reading a book about {x}.", "I'm doing a school project on {x}.",
                    "I'm reading about {x}."),
          "person": ("I'm reading about {x}.", "I just watched a documentary about {x}.",
                     "I'm doing a school project on {x}."),
          # for a question about the speaker's own affairs, which a trip or a book would not
          # fit ("We're planning a trip to Florida. I was injured at work in the state ...")
          "plain": ("This is about {x}.", "I'm asking about {x}.")}
SPEAKER = frozenset({"i", "i'm", "i've", "i'd", "me", "my", "mine", "we", "we're", "us", "our"})
LEAD_IN_SHARE = 0.7  # of the variants that can take one
HOME_COUNTRY_SHARE = 0.7  # of the cities whose country the lexicon knows
# a topic lead-in may name a subject of the place ("I'm reading a book about the history of
# Peru."), as it does without a place ("I'm reading a book about the history of the world.")
ASPECTS = ("history", "geography", "culture")
ASPECT_SHARE = 0.4
ALIASES = {"US": ("U.S", "USA", "America", "United")}
CONTINENTS = frozenset({"Europe", "Asia", "Africa"})  # too wide for "a city in ..."
GENDER_WORDS = {"man": frozenset({"he", "him", "his", "himself", "mr", "sir", "lord", "king",
                                  "prince", "father", "uncle"}),
                "woman": frozenset({"she", "her", "hers", "herself", "mrs", "ms", "miss",
                                    "lady", "dame", "queen", "princess", "aunt"})}


def speaks_of_self(question: str, phrase: str) -> bool:
    """Whether `question` tells of the speaker (I, my, we, ...) outside its vague `phrase`."""
    rest = question.replace(phrase, " ")
    return any(w.lower() in SPEAKER for w in re.findall(r"[A-Za-z']+", rest) if w != "US")


def frame_group(kind: str, phrase: str, question: str = "") -> str:
    """Which of `FRAMES` fits a vague `phrase` standing for an entity of `kind` in
    `question`: "person", "ours" (an "our ..." phrase), "mine" ("my ...", "here"), "plain"
    (any other, in a question that tells of the speaker: `speaks_of_self`) or "topic"."""
    words = phrase.lower().split()
    if kind == "person":
        return "person"
    if "our" in words:
        return "ours"
    if "my" in words or words == ["here"]:
        return "mine"
    return "plain" if speaks_of_self(question, phrase) else "topic"


def names_in(filler: str) -> list[str]:
    """The capitalized words of a lead-in `filler` ("a city in New York" -> New, York) and
    the other ways to write them ("the US" -> US, U.S., USA, America, United)."""
    words = [w for w in filler.split() if w[:1].isupper()]
    return words + [alias for w in words for alias in ALIASES.get(w, ())]


def names_one(question: str, filler: str) -> bool:
    """Whether `question` already names a place of `filler` (see `names_in`)."""
    return any(re.search(rf"\b{re.escape(name)}", question) for name in names_in(filler))


def fixed_by_region(fillers: dict[str, Any], kind: str, phrase: str, question: str) -> bool:
    """Whether `question` asks what a region would settle ("I live in China. What is the
    national holiday in my city?", "I live in Europe. Which continent is my country on?"):
    it uses a word the lexicon lists for `kind` outside the vague `phrase`."""
    words = set(re.findall(r"[a-z]+", question.lower())) - set(phrase.lower().split())
    return not words.isdisjoint(fillers["fixed_by_region"].get(kind, ()))


def aspect_of(place: str, rng: Random) -> str:
    """`place`, or (ASPECT_SHARE of the time) a subject of it: "the history of Peru"."""
    return f"the {rng.choice(ASPECTS)} of {place}" if rng.random() < ASPECT_SHARE else place


def lead_in(fillers: dict[str, Any], kind: str, phrase: str, question: str,
            rng: Random, name: str = "", regions: bool = True) -> str | None:
    """A lead-in for the vague `question` that opens like its twin's but names no single
    entity of `kind`: a frame of `phrase`'s group (`frame_group`) filled from `fillers`: for a
    speaker's own place one of the lexicon's "home" regions holding many of the kind (for a
    city mostly the country of `name`, the city replaced, when "country_of" knows it), for a
    topic one of its "topic" regions (in a question that tells of the speaker "a <kind> in
    <region>", after a "plain" frame), or a subject ("general") when the phrase is "there"
    (which would point at the region), the kind has no region or `regions` is false (the
    question names another place, which a region might settle: "I'm from Europe. Which city
    is in my country, London or Cleveland?"; but None when the question tells of the speaker,
    whom a book or a project would not fit), for a person a "person" subject. None for "here"
    and "someone I know" (the speaker's own), for a question about what the region settles
    (`fixed_by_region`), and when no filler is left that the question does not name."""
    group = frame_group(kind, phrase, question)
    if phrase.lower() in ("here", "someone i know") \
            or fixed_by_region(fillers, kind, phrase, question):
        return None
    frames = FRAMES[group]
    if group == "person":
        if speaks_of_self(question, phrase):
            return None
        table = fillers["person"]
    elif group == "plain":
        table = [f"a {kind} in {region}" for region in fillers["topic"].get(kind, [])
                 if region not in CONTINENTS or kind == "country"] if regions else []
    elif not regions or "there" in phrase.lower() or not fillers["topic"].get(kind):
        if speaks_of_self(question, phrase):  # "I'm reading about economics. I earn ..."
            return None
        table = fillers["general"]
        frames = tuple(f for f in FRAMES["topic"] if f != TRIP)
    else:
        table = fillers["home" if group in ("mine", "ours") else "topic"].get(kind, [])
        home = fillers["country_of"].get(name) if kind == "city" else None
        if home and rng.random() < HOME_COUNTRY_SHARE:
            table = [home]
    options = [f for f in table if not names_one(question, f)]
    if not options:
        return None
    frame, filler = rng.choice(frames), rng.choice(options)
    if group == "topic" and frame != TRIP and regions and table is not fillers["general"]:
        filler = aspect_of(filler, rng)
    return frame.format(x=filler)


def takes_lead_in(seed: Item, phrase: str) -> bool:
    """Whether a variant of `seed` may open with a lead-in: not for advice (medical, legal,
    finance), where a region narrows the rule enough to answer ("I'm asking about a state in
    the US. I am 17 years old and live there; can I sign a binding lease?": no state lets a
    minor) and a book or project reads wrong, and not for a "there" (which a subject cannot
    hold: "I'm doing a school project on the history of the world. There, how many days ...").
    Both from a blind review (round r21)."""
    return seed.domain not in ADVICE_DOMAINS and "there" not in phrase.lower().split()


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
                  "builders/lexicons/gazetteer.txt", "builders/lexicons/referent_lead_ins.json")
    requires = frozenset({"domain"})
    category = Category.UNDER_INTENT

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1) -> None:
        super().__init__(ctx, max_per_seed)
        self.vague = {k: v for k, v in load_lexicon("vague_nps.json").items()
                      if not k.startswith("_")}
        self.fillers = load_lexicon("referent_lead_ins.json")
        self.first_names: set[str] = set()

    def accepts(self, seed: Item) -> bool:
        return is_open_domain(seed) and asks_a_question(seed.prompt)

    def prepare(self, items: Iterable[Item], docs: SeedDocs) -> None:
        """Learn the build's first names (a person is confirmed by one), each run of seeds
        read in a worker."""
        learnt = FirstNames()
        for part in docs.gather(lambda run: learn_first_names(doc for _, doc in run)):
            learnt.update(part)
        self.first_names = learnt.names()

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
                                    (start, end), rng)]
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
        out = [p for p in table[where] if p.split()[-1].removesuffix("'s") not in used]
        if kind == "state" and ent.text in PROVINCES:  # "my province", never "my state"
            out = [p.replace("state", "province") for p in out]
        head = ent.root.head
        if head.lower_ == "in" and head.head.lower_ in RESIDE:  # never "I live in my country"
            out = [p for p in out if not re.match(r"(in )?(my|our) ", p)]
        return out

    def _candidate(self, seed: Item, doc: Any, ent: Any, kind: str, choice: tuple[str, str],
                   bounds: tuple[int, int], rng: Random) -> Candidate:
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
        question = splice(seed.prompt, start, end, phrase)
        opener = (lead_in(self.fillers, kind, phrase, question, rng,
                          re.sub(r"['’]s$", "", ent.text), check.verdict is Verdict.PASS)
                  if rng.random() < LEAD_IN_SHARE and takes_lead_in(seed, phrase) else None)
        return Candidate(
            prompt=f"{opener} {question}" if opener else question,
            rationale=(f"{phrase!r} stands for {ent.text!r} but nothing in the question"
                       f"{' or its lead-in' if opener else ''} says which {kind} is meant, so "
                       f"it has no single answer."),
            confidence=0.85 if check.verdict is Verdict.PASS else 0.6,
            checks=[check],
            edit={"replaced": ent.text, "with": phrase, "kind": kind, "lead_in": opener or ""},
            span=None if where == "there" else span,
        )
