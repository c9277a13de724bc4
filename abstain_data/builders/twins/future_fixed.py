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
  year of the decision.
A seed about elections, the Olympics or the World Cup gets that event's fixed fact when the year
has one; any other seed gets a calendar rule picked by the seed's random stream.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from random import Random
from typing import Any

from abstain_data.builders.future_shift import announced_events
from abstain_data.builders.twins.base import TwinBuilder, TwinCandidate
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


def calendar_facts(year: int) -> list[tuple[str, str, str, str]]:
    """(kind, question, answer, how verified) of the rule-fixed facts of `year`."""
    christmas = calendar.day_name[dt.date(year, 12, 25).weekday()]
    return [
        ("thanksgiving", f"On what date will Thanksgiving fall in the United States in {year}?",
         _date(thanksgiving(year)), "US law: the fourth Thursday in November"),
        ("christmas", f"On which day of the week will Christmas Day fall in {year}?",
         christmas, "the Gregorian calendar"),
        ("leap_year", f"Will {year} be a leap year?",
         "Yes" if calendar.isleap(year) else "No", "the Gregorian leap-year rule"),
    ]


class FutureFixed(TwinBuilder):
    name = "twin_future_fixed"
    data_files = ("builders/lexicons/scheduled_events.json",)
    sibling = "future_shift"

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1) -> None:
        super().__init__(ctx, max_per_seed)
        self.events = announced_events(ctx.reference_year)

    def accepts(self, seed: Item) -> bool:
        return not seed.context

    def event_fact(self, question: str, year: int) -> tuple[str, str, str, str] | None:
        """The announced or legal fact of `year` for the event the question is about."""
        text = question.lower()
        if re.search(r"\b(elections?|elected|president)\b", text) and year % 4 == 0:
            return ("presidential_election",
                    f"On what date will the {year} US presidential election be held?",
                    _date(presidential_election(year)),
                    "US law: the Tuesday after the first Monday in November")
        for event in self.events:
            if event["keyword"] in text and event["year"] == year:
                return ("host", f"Where will the {year} {event['event']} be held?",
                        event["host"], f"announced in {event['announced']}")
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
        kind, question, answer, verified = fact
        return [TwinCandidate(
            prompt=question,
            rationale=(f"{year} is after the build's reference year {self.ctx.reference_year}, "
                       f"but the answer is already fixed ({verified}): {answer}."),
            confidence=0.9,
            edit={"year": year, "kind": kind, "verified_by": verified},
            answers=[answer],
        )]
