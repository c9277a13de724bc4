"""Future twin (`answerable`, sibling `future_shift`): a future question whose answer is fixed.

Consumes the open-domain seeds that future_shift moved into a year after the build's
reference year; produces a question about that same future year ("will", the year) whose answer
is already settled as of the reference year, verified in one of three ways:
- by rule, computed with the standard calendar: the date of the US presidential election in a
  year divisible by four (by federal law, the Tuesday after the first Monday in November), the
  date of US Thanksgiving (by law, the fourth Thursday in November), the weekday of Christmas
  Day, whether the year is a leap year;
- by announcement: the host of an Olympic Games or FIFA World Cup already awarded, from
  lexicons/scheduled_events.json, used only when the reference year is not before the
  year of the decision;
- by the event's standing rules, statutes or owner (lexicons/event_rules.json, each fact naming
  what fixes it): who chooses the winner of a Nobel Prize (Alfred Nobel's will), how many
  electoral votes win a US presidential election, which jersey the winner of the Tour de France
  wears, how many games win the NBA Finals. Most of these are about the winner, so the twin
  can say "win" as its sibling does: with only calendar and host facts, "will win" and
  "who will" told the siblings from their twins (prompt-only AUC 0.82-0.89 between the two).
A seed about a known event gets one of that event's facts; any other seed, or one whose event is
not held in that year, gets a calendar rule picked by the seed's random stream. Each fact can be
asked in a few wordings, and the twin takes a fact with a wording that opens like its sibling
("Who will ...?" -> "Who will decide who will win the 2031 Nobel Prize in Physics?", "Which
...?" -> "Which trophy will the country that will win the 2034 FIFA World Cup lift?", "When
...?", "How many ...?"), preferring the one that shares the most words with the sibling; with
one fixed wording per fact, the openings alone told twins from siblings. Wordings say "will
win" as the siblings do: a wording only twins used ("wins", "goes on to win") became the cue
that told them apart.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from random import Random
from typing import Any

from abstain_data.builders.base import load_lexicon
from abstain_data.builders.future_shift import announced_events
from abstain_data.builders.twins.base import (
    TwinBuilder,
    TwinCandidate,
    matching_openings,
    mirror_opening,
)
from abstain_data.items import Item
from abstain_data.pipeline.step import BuildContext

_YEAR = re.compile(r"\b(2\d\d\d)\b")


def _date(day: dt.date) -> str:
    return f"{calendar.month_name[day.month]} {day.day}, {day.year}"


def presidential_election(year: int) -> dt.date:
    """The Tuesday after the first Monday in November of `year`."""
    first = dt.date(year, 11, 1)
    monday = first + dt.timedelta(days=(calendar.MONDAY - first.weekday()) % 7)
    return monday + dt.timedelta(days=1)


def thanksgiving(year: int) -> dt.date:
    """The fourth Thursday in November of `year`."""
    first = dt.date(year, 11, 1)
    thursday = first + dt.timedelta(days=(calendar.THURSDAY - first.weekday()) % 7)
    return thursday + dt.timedelta(weeks=3)


@dataclass(frozen=True)
class FixedFact:
    """A fact of a future year settled as of the reference year: `questions` maps an opening
    ("default", "who", "which", "when", "how many") to the wording that opens so."""

    kind: str
    questions: dict[str, str]
    answer: str
    verified: str


# the sibling's opening -> the wording of the twin that opens the same way
OPENINGS = ((re.compile(r"^who\b", re.IGNORECASE), "who"),
            (re.compile(r"^(which|what)\b", re.IGNORECASE), "which"),
            (re.compile(r"^when\b", re.IGNORECASE), "when"),
            (re.compile(r"^how many\b", re.IGNORECASE), "how many"))


def calendar_facts(year: int) -> list[FixedFact]:
    """The rule-fixed facts of `year`."""
    christmas = calendar.day_name[dt.date(year, 12, 25).weekday()]
    return [
        FixedFact("thanksgiving", {
            "default": f"On what date will Thanksgiving fall in the United States in {year}?",
            "which": f"What date will Thanksgiving fall on in the United States in {year}?",
            "when": f"When will Thanksgiving fall in the United States in {year}?"},
            _date(thanksgiving(year)), "US law: the fourth Thursday in November"),
        FixedFact("christmas", {
            "default": f"On which day of the week will Christmas Day fall in {year}?",
            "which": f"Which day of the week will Christmas Day fall on in {year}?"},
            christmas, "the Gregorian calendar"),
        FixedFact("leap_year", {
            "default": f"Will {year} be a leap year?",
            "how many": f"How many days will {year} have?"},
            "Yes" if calendar.isleap(year) else "No", "the Gregorian leap-year rule"),
    ]


def worded(fact: FixedFact, sibling_prompt: str, rng: Random) -> tuple[str, str, str]:
    """(opening, question, answer): the fact asked the way the sibling opens if it has such
    a wording, else in a wording drawn from its own. A leap year asked "How many days" is
    answered in days."""
    opening = mirror_opening(sibling_prompt, OPENINGS, sorted(fact.questions), rng)
    answer = fact.answer
    if fact.kind == "leap_year" and opening == "how many":
        answer = "366" if answer == "Yes" else "365"
    return opening, fact.questions[opening], answer


@dataclass(frozen=True)
class EventRule:
    """One event of lexicons/event_rules.json: the `pattern` that names it, its `edition` name
    (with {year}), its fact templates (a family's first), the `values` they may use, and the
    cadence of the years it is held in (every `every` years from `anchor`; every year when
    `every` is 1)."""

    pattern: re.Pattern[str]
    edition: str
    templates: tuple[dict[str, Any], ...]
    values: dict[str, str]
    every: int = 1
    anchor: int = 0

    def held_in(self, year: int) -> bool:
        return (year - self.anchor) % self.every == 0

    def names(self, year: int) -> dict[str, Any]:
        """What the wordings and answers of the edition of `year` may name."""
        names = {**self.values, "year": year, "last_year": year - 1, "next_year": year + 1,
                 "election_day": _date(presidential_election(year))}
        return {**names, "edition": self.edition.format(**names)}

    def facts(self, year: int, rng: Random) -> list[FixedFact]:
        """The facts of the edition of `year`, each wording drawn by `rng` from its equivalent
        wordings."""
        names = self.names(year)
        return [FixedFact(t["kind"],
                          {opening: _one(wording, rng).format(**names)
                           for opening, wording in t["questions"].items()},
                          t["answer"].format(**names), t["verified"].format(**names))
                for t in self.templates]


def event_rules() -> tuple[EventRule, ...]:
    """The events of lexicons/event_rules.json, in order."""
    lexicon = load_lexicon("event_rules.json")
    return tuple(
        EventRule(re.compile(event["pattern"], re.IGNORECASE), event["edition"],
                  (*lexicon["families"].get(event.get("family"), ()), *event.get("facts", ())),
                  event.get("values", {}), event.get("every", 1), event.get("anchor", 0))
        for event in lexicon["events"])


def find_rule(rules: tuple[EventRule, ...], question: str, year: int) -> EventRule | None:
    """The first of `rules` whose pattern `question` matches, if that event is held in `year`
    (no "2031 US presidential election"); None otherwise."""
    rule = next((rule for rule in rules if rule.pattern.search(question)), None)
    return rule if rule is not None and rule.held_in(year) else None


def _one(wording: str | list[str], rng: Random) -> str:
    """`wording`, or one of a list of equivalent wordings drawn by `rng`."""
    return wording if isinstance(wording, str) else rng.choice(wording)


_WORD = re.compile(r"[a-z]+")
_SUFFIX = re.compile(r"(?<=\w{3})(ners?|ning|s)$")
_FUNCTION_WORDS = frozenset({
    "a", "an", "and", "at", "be", "by", "for", "how", "in", "is", "many", "of", "on", "that",
    "the", "to", "what", "when", "which", "who", "will"})


def content_stems(text: str) -> set[str]:
    """The lowercased content words of `text`, crudely stemmed ("winner", "wins" -> "win")."""
    return {_SUFFIX.sub("", word) for word in _WORD.findall(text.lower())
            if word not in _FUNCTION_WORDS}


def pick_fact(facts: list[FixedFact], sibling_prompt: str, rng: Random) -> FixedFact:
    """One of `facts` (non-empty) for the twin of `sibling_prompt`: among the facts with a
    wording that opens as the sibling does (all of them if none has), one whose wordings
    share the most content words with the sibling, drawn by `rng` among ties."""
    names = matching_openings(sibling_prompt, OPENINGS)
    fitting = [fact for fact in facts if any(n in fact.questions for n in names)] or facts
    words = content_stems(sibling_prompt)

    def shared(fact: FixedFact) -> int:
        name = next((n for n in names if n in fact.questions), None)
        wordings = [fact.questions[name]] if name else fact.questions.values()
        return max(len(content_stems(question) & words) for question in wordings)

    scores = [shared(fact) for fact in fitting]
    return rng.choice([fact for fact, score in zip(fitting, scores, strict=True)
                       if score == max(scores)])


class FutureFixed(TwinBuilder):
    name = "twin_future_fixed"
    data_files = ("builders/lexicons/scheduled_events.json",
                  "builders/lexicons/event_rules.json")
    sibling = "future_shift"

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1) -> None:
        super().__init__(ctx, max_per_seed)
        self.events = announced_events(ctx.reference_year)
        self.rules = event_rules()

    def accepts(self, seed: Item) -> bool:
        return not seed.context

    def event_facts(self, question: str, year: int, rng: Random) -> list[FixedFact]:
        """The facts of `year` fixed for the event `question` names (`find_rule`): an announced
        host, then the event's rule facts (wordings drawn by `rng`); empty for no known event
        or a year it is not held in."""
        rule = find_rule(self.rules, question, year)
        if rule is None:
            return []
        hosts = []
        for event in self.events:
            if rule.edition == f"the {{year}} {event['event']}" and event["year"] == year:
                edition = f"the {year} {event['event']}"
                questions = {"default": f"Where will {edition} be held?",
                             "who": f"Who will host {edition}?"}
                if event["host_kind"] in ("city", "country", "countries"):
                    questions["which"] = f"Which {event['host_kind']} will host {edition}?"
                hosts.append(FixedFact("host", questions, event["host"],
                                       f"announced in {event['announced']}"))
        return hosts + rule.facts(year, rng)

    def make_twins(self, seed: Item, sibling: Item, doc: Any,
                   rng: Random) -> list[TwinCandidate]:
        params = sibling.transform.params if sibling.transform else {}
        year = params.get("year_to")
        if year is None:
            found = _YEAR.findall(sibling.prompt)
            year = next((y for y in found if int(y) > self.ctx.reference_year), None)
        if year is None or int(year) <= self.ctx.reference_year:
            return []
        year = int(year)
        facts = self.event_facts(seed.prompt, year, rng)
        fact = pick_fact(facts, sibling.prompt, rng) if facts else rng.choice(calendar_facts(year))
        opening, question, answer = worded(fact, sibling.prompt, rng)
        return [TwinCandidate(
            prompt=question,
            rationale=(f"{year} is after the build's reference year {self.ctx.reference_year}, "
                       f"but the answer is already fixed ({fact.verified}): {answer}."),
            confidence=0.9,
            edit={"year": year, "kind": fact.kind, "verified_by": fact.verified,
                  "opening": opening},
            answers=[answer],
        )]
