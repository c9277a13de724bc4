"""Future twin (`answerable`, sibling `future_shift`): a future question whose answer is fixed.

Consumes the open-domain seeds that future_shift moved into a year after the build's
reference year; produces a question about that same future year ("will", the year) whose answer
is already settled as of the reference year, verified in one of two ways:
- by rule, computed with the standard calendar: the date of the US presidential election in a
  year divisible by four (by federal law, the Tuesday after the first Monday in November), the
  date of US Thanksgiving (by law, the fourth Thursday in November), the weekday of Christmas
  Day, whether the year is a leap year;
- by announcement: the host of an Olympic Games or FIFA World Cup already awarded, from
  lexicons/scheduled_events.json, used only when the reference year is not before the
  year of the decision;
- by statute: the institution that awards a Nobel Prize, named by Alfred Nobel's will (1895)
  for every year the prize is given (`NOBEL_AWARDERS`).
A seed about elections, the Olympics, the World Cup or a Nobel Prize gets that event's fixed
fact when the year has one; any other seed gets a calendar rule picked by the seed's random stream.
Each fact can be asked in a few wordings, and the twin takes the one that opens like its sibling
("Who will ...?" -> "Who will host the 2032 Summer Olympics?", "Which ...?" -> "Which day of
the week will Christmas Day fall on in 2031?", "When ...?", "How many ...?"), else one drawn from
the fact's wordings: with one fixed wording per fact, the twins opened "On which day", "Will" and
"Where" while their siblings opened "Who will" and "Which ... will", and the openings alone told
them apart.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from random import Random
from typing import Any

from abstain_data.builders.future_shift import announced_events
from abstain_data.builders.twins.base import TwinBuilder, TwinCandidate, mirror_opening
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


# the Nobel Prize a question names -> the institution Alfred Nobel's will charges with awarding it
NOBEL_AWARDERS = (
    (re.compile(r"nobel prize in (physics|chemistry)", re.IGNORECASE),
     "the Royal Swedish Academy of Sciences"),
    (re.compile(r"nobel prize in (physiology|medicine)", re.IGNORECASE),
     "the Nobel Assembly at the Karolinska Institute"),
    (re.compile(r"nobel prize in literature", re.IGNORECASE), "the Swedish Academy"),
    (re.compile(r"nobel peace prize", re.IGNORECASE), "the Norwegian Nobel Committee"),
)

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


class FutureFixed(TwinBuilder):
    name = "twin_future_fixed"
    data_files = ("builders/lexicons/scheduled_events.json",)
    sibling = "future_shift"

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1) -> None:
        super().__init__(ctx, max_per_seed)
        self.events = announced_events(ctx.reference_year)

    def accepts(self, seed: Item) -> bool:
        return not seed.context

    def event_fact(self, question: str, year: int) -> FixedFact | None:
        """The announced or legal fact of `year` for the event the question is about."""
        text = question.lower()
        if re.search(r"\b(elections?|elected|president)\b", text) and year % 4 == 0:
            election = f"the {year} US presidential election"
            return FixedFact("presidential_election", {
                "default": f"On what date will {election} be held?",
                "which": f"What date will {election} be held on?",
                "when": f"When will {election} be held?"},
                _date(presidential_election(year)),
                "US law: the Tuesday after the first Monday in November")
        for event in self.events:
            if event["keyword"] in text and event["year"] == year:
                edition = f"the {year} {event['event']}"
                questions = {"default": f"Where will {edition} be held?",
                             "who": f"Who will host {edition}?"}
                if event["host_kind"] in ("city", "country", "countries"):
                    questions["which"] = f"Which {event['host_kind']} will host {edition}?"
                return FixedFact("host", questions, event["host"],
                                 f"announced in {event['announced']}")
        for pattern, awarder in NOBEL_AWARDERS:
            prize = pattern.search(question)
            if prize:
                name = prize.group(0)
                name = name[:1].upper() + name[1:]
                return FixedFact("nobel_awarder", {
                    "default": f"Which institution will award the {year} {name}?",
                    "who": f"Who will award the {year} {name}?"},
                    awarder, "Alfred Nobel's will (1895) names the awarding institutions")
        return None

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
        fact = self.event_fact(seed.prompt, year) or rng.choice(calendar_facts(year))
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
