"""Entity/number swap (`ctx.entity_swap`): the question names something the passage never mentions.

Consumes reading-comprehension seeds; picks an entity of the question that the passage mentions
(the question's anchor) and replaces it: a year or number by a nearby value absent from the
passage, a name by another name of the same kind seen in the build's questions and absent from
the passage. The builder check fails if the new value does occur in the passage, and is unsure
("scalable_number") when a count, quantity or sum is swapped in a question that asks for an
amount: the passage may answer it by proportion. A number is not moved when it holds, opens or
closes a range written in words ("between 1914 and 1918"), nor when the passage writes it as part
of a name ("the Xbox 360").

A name swap keeps the entity's type, checked with more than spaCy's label (the small model calls
"Hastings" a person and "the Bayeux Tapestry" a nationality): a confirmed place or person
(builders/kinds.py) is swapped only for another of the same kind (a city for a city); any other
name only for a name that the build's questions label the same way nearly every time it occurs,
has the same shape (a leading "The", the number of words) and the same head noun, a common word
that says what both are ("University", "River"), and is written as a name. A named person whose
kind is not confirmed is never swapped.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from random import Random
from typing import Any

from abstain_data.builders.base import (
    Candidate,
    SeedDocs,
    VariantBuilder,
    entity_bounds,
    splice,
)
from abstain_data.builders.gates import GateResult
from abstain_data.builders.kinds import (
    FirstNames,
    articled_places,
    entity_text,
    name_shaped,
    places,
    verified_kind,
)
from abstain_data.items import Category, Item, normalize_key

NAMED = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT")
NUMERIC = ("DATE", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "TIME")
# commas only as thousands separators: "March 26, 2013" holds "26", not "26," (a blind review
# found "March 52 2013": the comma went with the number and the day escaped the day limit)
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
# a swapped count, quantity or sum in a question that asks for an amount may be answered by
# proportion from a rate the passage gives (a blind review: "how many per 80,000" from "1,200
# per 100,000", "a 7-watt LED ... how much CO2" from the 6-watt figure), and so may a rate's
# base whatever the question asks ("the mortality rate per 300,000 births" from a rate per
# 100,000, round r22): such variants go to review ("scalable_number")
SCALABLE = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")
ASKS_AMOUNT = re.compile(r"\bhow (much|many|long|far|big|large|heavy|high|old)\b|\bwhat "
                         r"(percentage|proportion|fraction|share|amount|number|portion)\b",
                         re.IGNORECASE)
CENSUS = re.compile(r"\bcensus\b", re.IGNORECASE)
MIN_LABEL_SHARE = 0.8  # a name's label must be this share of its labelled mentions
MIN_MENTIONS = 2  # ... and a replacement must have been labelled so at least this often


def shape(name: str, heads: set[str]) -> tuple[bool, int, str]:
    """What a swap must keep: a leading "The" of a title, the number of words, and the head
    noun when it is a common head of names ("University", "River"), else "" (a proper
    head)."""
    last = name.split()[-1]
    return name.startswith("The "), len(name.split()), last if last in heads else ""


def mentions(text_key: str, phrase: str, phrase_key: str | None = None) -> bool:
    """Whether normalized `phrase` occurs as whole words in the normalized text `text_key`
    (`phrase_key`: `phrase` already normalized)."""
    key = normalize_key(phrase) if phrase_key is None else phrase_key
    return bool(key) and f" {key} " in f" {text_key} "


# a number that opens or closes a range of years or seasons ("2014-15", "1941–1970", "2014/15")
_IN_RANGE = re.compile(r"\s?[-–/]\s?\d")
_RANGE_END = re.compile(r"\d\s?[-–/]\s?$")
# two years in a row in a normalized passage: a range ("from 1941 1970" was "1941-1970")
_YEAR_PAIR = re.compile(r"\b(1\d{3}|20\d{2}) (1\d{3}|20\d{2})\b")


def in_passage_range(passage_key: str, year: int) -> bool:
    """Whether a range of years in the passage ("1941-1970") contains `year`: the passage
    may still answer a question about it."""
    return any(int(a) <= year <= int(b) for a, b in _YEAR_PAIR.findall(passage_key))


# an end of a range written in words ("between the 1830s and 1860s", "between 1914 and 1918",
# "from 1990 to 1995"): moving one end may widen the range over the passage's value, which then
# still answers it (round r23: "deaths between the 1830s and 1880s" from "1860s")
_WORD_RANGE = re.compile(r"\b(?:between|from)\s+(?:the\s+)?(\S+)\s+(?:and|to|until|through)\s+"
                         r"(?:the\s+)?(\S+)", re.IGNORECASE)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
# capitalized words before a number inside a sentence that name no thing: months and eras
_NOT_A_NAME = frozenset({*MONTHS, "AD", "BC", "BCE", "CE"})
# a capitalized word and a number inside a sentence: after a character that neither ends a
# sentence nor opens a quote or bracket ("the Xbox 360"; not "In 1990 ..." or ". Nearly 300")
_NAMED_NUMBER = re.compile(r"(?<=[^\s.!?:;\"'(])\s*\b([A-Z][\w-]*)\s+(\d+)\b")


def in_word_range(question: str, start: int, end: int) -> bool:
    """Whether the number at `question[start:end]` overlaps an end of a range written in words
    ("between 1914 and 1918", "from 1990 to 1995")."""
    return any(found.start(k) < end and start < found.end(k)
               for found in _WORD_RANGE.finditer(question) for k in (1, 2))


def names_a_thing(number: str, passage: str) -> bool:
    """Whether the passage writes `number` as part of a name ("the Xbox 360", "Apollo 11"):
    a question about "the 360" asks about the console, and a moved number reads as a typo for
    it, not as a console that never existed (round r23: "When did the 260 surrender its
    lead ...?")."""
    digits = number.replace(",", "")
    return any(found.group(2) == digits and found.group(1) not in _NOT_A_NAME
               for found in _NAMED_NUMBER.finditer(passage))


SMALL_COUNT = 20


def _one_figure(value: float) -> int:
    """`value` rounded to one significant figure (at least 1): 11,200 -> 10,000, 5.6 -> 6."""
    if value < 1:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    return max(1, round(value / magnitude) * magnitude)


def shift_number(text: str, passage_key: str, rng: Random, limit: int | None = None,
                 every: int = 1) -> str | None:
    """`text` with its first number moved to a nearby value that the passage never mentions
    (nor, for a year, covers with a range), at most `limit` (a percentage stays <= 100) and,
    for a year, by multiples of `every` (a census year moves by whole census periods); None for
    a number that opens or closes a range. A count of SMALL_COUNT or more moves by a tenth or
    more of itself, rounded to one figure: "over 100,000 people" must not become "over 100,001"
    (a blind review found it still answered by the passage)."""
    found = _NUMBER.search(text)
    if found is None:
        return None
    raw = found.group(0).replace(",", "")
    if "." in raw or _IN_RANGE.match(text[found.end():]) or _RANGE_END.search(
            text[:found.start()]):
        return None  # "2014-15", "1941-1970": a moved end breaks the range ("2017-15")
    value = int(raw)
    is_year = len(raw) == 4 and 1000 <= value <= 2100
    if text[found.end():found.end() + 1] == "s":  # a decade ("the 1940s") moves by decades
        steps = [10, 20, 30]
    elif is_year:
        steps = [every * k for k in range(1, 10)]
    elif value >= SMALL_COUNT:
        steps = sorted({_one_figure(value * k / 10) for k in (1, 2, 3)} | {value, 2 * value})
    else:
        steps = [1, 2, 3, value or 1, 2 * (value or 1)]
    rng.shuffle(steps)
    for step in steps:
        for sign in rng.sample((1, -1), 2):
            new = value + sign * step
            if new <= 0 or (limit is not None and new > limit):
                continue
            new_text = f"{new:,}" if "," in found.group(0) else str(new)
            if not mentions(passage_key, new_text) and not mentions(passage_key, str(new)) \
                    and not (is_year and in_passage_range(passage_key, new)):
                return text[:found.start()] + new_text + text[found.end():]
    return None


# a day of the month beside its month ("January 25", "25 January"): a blind review found
# "January 75 1918"
_DAY_OF_MONTH = re.compile(rf"\b({'|'.join(MONTHS)})\b", re.IGNORECASE)
LAST_SAFE_DAY = 28


def _limit(ent: Any, latest_year: int) -> int | None:
    """The largest value a shifted number of `ent` may take: 100 for a percentage, 28 for a
    day beside its month (a valid day in every month), `latest_year` (the build's reference
    year, or the date's own year if later) for a year, else none. A past event moved after the
    reference year reads as a question about the future in the past tense ("Which country
    became the twentieth member of the euro area in 2030?", from the default build)."""
    if ent.label_ == "PERCENT":
        return 100
    first = _NUMBER.search(ent.text)
    if ent.label_ != "DATE" or first is None or not first.group(0).isdigit():
        return None
    value = int(first.group(0))
    if _DAY_OF_MONTH.search(ent.text) and value <= 31:
        return LAST_SAFE_DAY
    if len(first.group(0)) == 4:
        return max(latest_year, value)
    return None


@dataclass
class EntitiesFound:
    """What entity_swap learns from a run of seed questions' parses: each name's labels
    (`votes`), its mentions after "the" (`articled`), the swappable names by (topic, label) and
    by (None, label) (`pool`), the names ending in each head word (`heads`), and the build's
    first names. Runs read apart merge by `update`."""

    votes: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    articled: Counter[str] = field(default_factory=Counter)
    pool: defaultdict[tuple[str | None, str], set[str]] = field(
        default_factory=lambda: defaultdict(set))
    heads: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    first_names: FirstNames = field(default_factory=FirstNames)

    @classmethod
    def of(cls, run: list[tuple[str, Any]], topics: dict[str, str | None]) -> EntitiesFound:
        """What the (record, parse) pairs of `run` show; `topics` maps a record to its
        source topic (a record it lacks has none)."""
        found = cls()
        for record, doc in run:
            found.first_names.add(doc)
            topic = topics.get(record)
            for ent in doc.ents:
                name = entity_text(ent)
                found.votes[name][ent.label_] += 1
                start = entity_bounds(ent)[0]
                if (doc.text[start:start + 4].lower() == "the "
                        or (ent.start > 0 and doc[ent.start - 1].lower_ == "the")):
                    found.articled[name] += 1
                if ent.label_ in NAMED and name_shaped(name):
                    found.pool[(None, ent.label_)].add(name)
                    found.heads[name.split()[-1]].add(name)
                    if topic:
                        found.pool[(topic, ent.label_)].add(name)
        return found

    def update(self, other: EntitiesFound) -> None:
        """Add what `other` found."""
        for name, labels in other.votes.items():
            self.votes[name].update(labels)
        self.articled.update(other.articled)
        for key, names in other.pool.items():
            self.pool[key] |= names
        for word, names in other.heads.items():
            self.heads[word] |= names
        self.first_names.update(other.first_names)


class EntitySwap(VariantBuilder):
    name = "entity_swap"
    data_files = ("builders/lexicons/place_kinds.json", "builders/lexicons/gazetteer.txt")
    category = Category.CTX_ENTITY_SWAP

    def accepts(self, seed: Item) -> bool:
        return bool(seed.context)

    def prepare(self, items: Iterable[Item], docs: SeedDocs) -> None:
        """Pool the named entities of every seed question by label, and by (topic, label) so
        that a swap prefers a name from the same topic (sorted, for determinism); count each
        name's labels, learn the build's first names and the common head words of names. Each
        run of seeds' parses is read in a worker (`SeedDocs.gather`), and what the runs found
        is summed: it does not depend on the order."""
        varied = set(docs)  # the keys only: asking `docs` for a value would parse the seed
        topics = {item.record: item.source.topic for item in items
                  if item.source.topic is not None and item.record in varied}
        found = EntitiesFound()
        for part in docs.gather(lambda run: EntitiesFound.of(run, topics)):
            found.update(part)
        self.votes, self.articled = found.votes, found.articled
        self.first_names = found.first_names.names()
        self.pool = {key: sorted(names) for key, names in found.pool.items()}
        # each pool name normalized and padded once: it is looked up against every seed's
        # passage and question as whole words (what `mentions` does); "" for a name with no key
        self.pool_keys = {name: f" {key} " if (key := normalize_key(name)) else ""
                          for names in found.pool.values() for name in names}
        self.heads = {word for word, names in found.heads.items() if len(names) >= 2
                      and word not in places() and word not in self.first_names}

    def consistent(self, name: str, label: str, times: int = 1) -> bool:
        """Whether the build's questions give `name` the label `label` at least `times` times
        and nearly every time."""
        votes = self.votes.get(name)
        return (bool(votes) and votes[label] >= times
                and votes[label] >= MIN_LABEL_SHARE * sum(votes.values()))

    def name_kind(self, name: str) -> str | None:
        """A confirmed kind of a bare name: a listed place or a person's name."""
        if name in places():
            return places()[name]
        words = name.split()
        if len(words) >= 2 and words[0] in self.first_names and name_shaped(name):
            return "person"
        return None

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        passage_key = normalize_key(seed.context or "")
        anchors = [e for e in doc.ents
                   if e.label_ in NAMED + NUMERIC and mentions(passage_key, e.text)]
        rng.shuffle(anchors)
        out = []
        question_key = normalize_key(seed.prompt)
        for ent in anchors:
            if ent.label_ in NUMERIC and (
                    in_word_range(seed.prompt, ent.start_char, ent.end_char)
                    or names_a_thing(ent.text, seed.context or "")):
                continue
            new = self._replacement(ent, seed.source.topic, passage_key, question_key, rng)
            if new is None:
                continue
            start, end = entity_bounds(ent)
            span = (start, end)
            if ent.label_ in NAMED:
                start, new = self._with_article(doc, ent, start, new)
            prompt = splice(seed.prompt, start, end, new)
            rate_base = seed.prompt[:ent.start_char].rstrip().lower().endswith(" per")
            scalable = GateResult.unsure_if(
                ent.label_ in SCALABLE
                and (rate_base or ASKS_AMOUNT.search(seed.prompt) is not None),
                "scalable_number", f"the question asks for an amount of {new!r}; the passage "
                f"may give it per {ent.text!r} and so answer it by proportion")
            check = GateResult.failed_if(mentions(passage_key, new), "swap_present",
                                         f"{new!r} occurs in the passage")
            out.append(Candidate(
                prompt=prompt,
                rationale=(f"The question asks about {new!r} where the passage only speaks of "
                           f"{ent.text!r}; the passage says nothing about {new!r}."),
                confidence=0.85 if ent.label_ in NAMED else 0.8,
                checks=[check, scalable],
                edit={"swapped": ent.text, "with": new, "label": ent.label_},
                span=span if ent.label_ in NAMED else None,
            ))
        return out

    def _replacement(self, ent: Any, topic: str | None, passage_key: str, question_key: str,
                     rng: Random) -> str | None:
        """A value for `ent` that neither the passage nor the question mentions (a name of the
        same label from the seed's topic if there is one, else from any question), or None."""
        if ent.label_ in NUMERIC:
            census = CENSUS.search(ent.sent.text) is not None
            return shift_number(ent.text, passage_key, rng,
                                limit=_limit(ent, self.ctx.reference_year),
                                every=10 if census else 1)
        same_type = self._same_type(ent)
        passage, question = f" {passage_key} ", f" {question_key} "
        for key in ((topic, ent.label_), (None, ent.label_)):
            # `mentions` on padded keys; same_type first: it is cheaper and often False
            options = [n for n in self.pool.get(key, []) if same_type(n)
                       and (not (padded := self.pool_keys[n])
                            or padded not in passage and padded not in question)]
            if options:
                return rng.choice(options)
        return None

    def _with_article(self, doc: Any, ent: Any, start: int, new: str) -> tuple[int, str]:
        """Where the replacement starts and what it reads, with "the" when the build writes
        the new name with it ("the United States" -> "Tibet", "Peru" -> "the Netherlands")."""
        if doc.text[start:start + 4].lower() == "the ":
            old_article = doc.text[start:start + 4]
        elif ent.start > 0 and doc[ent.start - 1].lower_ == "the":
            start, old_article = doc[ent.start - 1].idx, doc[ent.start - 1].text + " "
        else:
            old_article = ""
        if new in places():
            articled = new in articled_places()
        else:
            mentions, with_the = sum(self.votes[new].values()), self.articled[new]
            articled = bool(mentions) and 2 * with_the >= mentions
        return start, ((old_article or "the ") + new) if articled else new

    def _same_type(self, ent: Any) -> Callable[[str], bool]:
        """Whether a name `new` is of the same type as the entity `ent`: the same confirmed
        kind, or (neither confirmed, `ent` not a person) the same consistent label and shape,
        with a common head noun that says what both are ("Oxford University" ->
        "Washington University"; never "Notre Dame" -> "the Black Death"). What depends on
        `ent` alone is computed once, not once per name of the pool."""
        kind = verified_kind(ent, self.first_names)
        if kind is not None:
            return lambda new: self.name_kind(new) == kind
        old = entity_text(ent)
        if ent.label_ == "PERSON" or not name_shaped(old):
            return lambda new: False
        old_shape = shape(old, self.heads)
        if not self.consistent(old, ent.label_) or not old_shape[2]:
            return lambda new: False
        return lambda new: (self.name_kind(new) is None
                            and self.consistent(new, ent.label_, MIN_MENTIONS)
                            and old_shape == shape(new, self.heads))
