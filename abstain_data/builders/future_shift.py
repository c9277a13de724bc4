"""Future shift (`unknown.future`): the event moved to a year after the build's "now".

Consumes open-domain seeds whose question names a year; produces the question with that year
moved after `ctx.reference_year` (the recipe's year, never the clock) and every simple past turned
future with the word order a question needs ("Who won ..." -> "Who will win ...", "When did ..."
-> "When will ...", "Where was the 2019 Cup held?" -> "Where will the 2031 Cup be held?"). A
recurring event moves only to a year its cadence includes (lexicons/recurring_events.json: no
Olympics in 2029, that would be a false premise, not an unknown future). A question naming no
known recurring event (a one-time happening moved ahead may be a false premise), a past form the
rules cannot rewrite, or a word that pins the time to the past or the present ("last year",
"ago", "born", "currently") sends the variant to review ("cadence", "tense"). So does a question
about a named person, a one-time event, building, product or work, a "first ..." or a
why-question: moved into the future it may rest on a false premise rather than be merely unknown
("one_time_subject"). A question about who hosts an event or where it is held never moves to a
year whose host was announced by the reference year (lexicons/scheduled_events.json: "Which
city will host the 2028 Summer Olympics?" is answered, Los Angeles, and was once labelled
unanswerable while its twin asked the same thing as answerable).
"""

from __future__ import annotations

import re
from functools import cache
from random import Random
from typing import Any

from abstain_data.builders.base import (
    Candidate,
    VariantBuilder,
    apply_edits,
    is_open_domain,
    load_lexicon,
)
from abstain_data.builders.gates import GateResult
from abstain_data.items import Category, Item
from abstain_data.nlp import lemma
from abstain_data.pipeline.step import BuildContext

_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_ONE_TIME_LABELS = ("PERSON", "EVENT", "WORK_OF_ART", "FAC", "PRODUCT")
_PAST_BOUND = re.compile(r"\b(last|ago|previous(ly)?|recent(ly)?|ever|already|so far|yet|"
                         r"since|used to|former(ly)?|once|until|currently|now|today|still|"
                         r"born|died|founded)\b", re.I)
# a past verb heading a clause can be turned future; one modifying a noun cannot
CLAUSE_DEPS = frozenset({"ROOT", "conj", "relcl", "ccomp", "advcl", "xcomp"})


@cache
def cadences() -> tuple[list[tuple[re.Pattern[str], int, int]], re.Pattern[str]]:
    """The recurring events (pattern, every, anchor) and the event-word pattern of
    lexicons/recurring_events.json."""
    lexicon = load_lexicon("recurring_events.json")
    events = [(re.compile(rf"\b(?:{e['pattern']})\b", re.I), e["every"], e["anchor"])
              for e in lexicon["events"]]
    return events, re.compile(rf"\b(?:{lexicon['event_words']})\b", re.I)


def event_years(text: str, first: int, last: int) -> list[int] | None:
    """The years in [first, last] in which the recurring event named in `text` happens; None
    when `text` names no known recurring event."""
    for pattern, every, anchor in cadences()[0]:
        if pattern.search(text):
            return [y for y in range(first, last + 1) if (y - anchor) % every == 0]
    return None


# a question about an event's host or venue ("Which city will host ...", "Where was ... held")
_HOSTING = re.compile(r"\b(host|hosts|hosted|hosting|held|venue|where)\b", re.IGNORECASE)


def announced_events(reference_year: int) -> list[dict[str, Any]]:
    """The entries of lexicons/scheduled_events.json (keyword, event, year, host, announced)
    whose host was announced by `reference_year`."""
    return [e for e in load_lexicon("scheduled_events.json")["events"]
            if e["announced"] <= reference_year]


# "Where will ... be held?", "What will the place where ... be?": the venue may be fixed
_WHERE = re.compile(r"^\s*(where\b|(what|which) (will|is|was) (the )?(place|venue|city|country|"
                    r"location|stadium)\b)", re.IGNORECASE)


class FutureShift(VariantBuilder):
    name = "future_shift"
    data_files = ("builders/lexicons/recurring_events.json",
                  "builders/lexicons/scheduled_events.json")
    requires = frozenset({"domain"})
    category = Category.UNKNOWN_FUTURE

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1,
                 max_years_ahead: int = 10) -> None:
        super().__init__(ctx, max_per_seed)
        if max_years_ahead < 1:
            raise ValueError(f"max_years_ahead must be at least 1, got {max_years_ahead}")
        self.max_years_ahead = max_years_ahead
        self.announced = announced_events(ctx.reference_year)

    def accepts(self, seed: Item) -> bool:
        """Open-domain seeds naming exactly one year, not after the reference year (a question
        about 2060 already looks ahead) and not quoted as a title ("How much did '1941' earn?")."""
        if not is_open_domain(seed):
            return False
        years = list(_YEAR.finditer(seed.prompt))
        if len(years) != 1 or int(years[0].group(0)) > self.ctx.reference_year:
            return False
        start, end = years[0].span()
        around = seed.prompt[start - 1:start] + seed.prompt[end:end + 1]
        return not any(q in around for q in "'\"‘’“”")

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        found = _YEAR.search(seed.prompt)
        first = self.ctx.reference_year + 1
        years = event_years(seed.prompt, first, self.ctx.reference_year + self.max_years_ahead)
        if years and _HOSTING.search(seed.prompt):
            years = [y for y in years if not self.host_known(seed.prompt, y)]
        if years == []:
            return []  # the event does not happen within max_years_ahead, or its hosts are known
        year = rng.choice(years) if years else rng.randint(first, first + self.max_years_ahead - 1)
        if years is not None:
            cadence = GateResult.passed("cadence")
        elif cadences()[1].search(seed.prompt) is not None:
            cadence = GateResult.unsure(
                "cadence", "an event whose cadence is unknown: it may not take place then")
        else:
            cadence = GateResult.unsure(
                "cadence", "no recurring event: moved ahead, the question may rest on a false "
                "premise (a thing that happened once) rather than ask about an unknown")
        edits = [(found.start(), found.end(), str(year))]
        tense = self._future_tense(doc)
        past = _PAST_BOUND.search(seed.prompt)
        if tense is None:
            check = GateResult.unsure("tense", "the past-tense verb could not be turned future")
        elif past is not None:
            check = GateResult.unsure("tense", f"{past.group(0)!r} ties the question to the past")
        else:
            edits.extend(tense)
            check = GateResult.passed("tense")
        checks = [check, self._recurring_check(doc, years is not None), cadence]
        prompt = apply_edits(seed.prompt, edits)
        return [Candidate(
            prompt=prompt,
            rationale=(f"The question is about {year}, after the build's reference year "
                       f"{self.ctx.reference_year}; what happens then is not yet known."),
            confidence=0.85 if tense is not None else 0.6,
            checks=checks,
            edit={"year_from": found.group(0), "year_to": year},
        )]

    def host_known(self, question: str, year: int) -> bool:
        """Whether the host of `year`'s edition of the event `question` names was announced by
        the reference year."""
        text = question.lower()
        return any(e["keyword"] in text and e["year"] == year for e in self.announced)

    @staticmethod
    def _recurring_check(doc: Any, recurring: bool) -> GateResult:
        """Unsure when the question names a person, or a one-time event or work, and no
        recurring event: shifting it forward may state a false premise, not an unknown."""
        named = [ent.text for ent in doc.ents if ent.label_ in _ONE_TIME_LABELS]
        if _WHERE.match(doc.text):
            return GateResult.unsure(
                "fixed_venue", "many recurring events keep their venue (the French Open is "
                "always at Roland-Garros): where it will be held may be known")
        if doc.text.lower().startswith("why "):
            return GateResult.unsure(
                "one_time_subject", "a why-question presupposes the shifted event happens")
        if any(ent.label_ == "ORDINAL" and ent.text.lower() == "first" for ent in doc.ents):
            return GateResult.unsure("one_time_subject", "a 'first' happened once, in the past")
        if named and not recurring:
            return GateResult.unsure(
                "one_time_subject",
                f"{named[0]!r} may not exist in that year: false premise rather than unknown")
        return GateResult.passed("one_time_subject")

    def _future_tense(self, doc: Any) -> list[tuple[int, int, str]] | None:
        """Character edits that turn every simple past of the question future ("did" ->
        "will", "was"/"were" -> "will be", "won" -> "will win"), moving "be" behind an
        inverted subject ("Where was the Cup held?" -> "Where will the Cup be held?"); None
        when a past form is one these rules cannot change ("had won")."""
        edits = []
        for tok in doc:
            if tok.tag_ != "VBD" or any(c.dep_ in ("aux", "auxpass") for c in tok.children):
                continue  # a participle after its auxiliary ("was held"), tagged past
            if tok.lower_ == "did":
                if tok.dep_ != "aux":
                    return None  # "did" as a main verb or misparsed: no safe rewrite
                new = "will"
            elif tok.lower_ in ("was", "were"):
                if any(c.dep_ == "ccomp" and c.tag_ == "VBD" for c in tok.children):
                    # "In which city was the Contest held?" misparsed as "was" + a clause
                    # "the Contest held": rewritten, "... will be the Contest will hold?"
                    return None
                subject = self._inverted_subject(tok)
                if subject is None:
                    new = "will be"
                else:
                    new = "will"
                    edits.append(self._be_after(tok, subject))
            elif tok.dep_ not in CLAUSE_DEPS or not lemma(tok, self.ctx.nlp):
                return None  # an auxiliary, or a participle tagged past ("codenamed X")
            else:
                new = f"will {lemma(tok, self.ctx.nlp)}"
            edits.append((tok.idx, tok.idx + len(tok.text), new))
        return edits

    @staticmethod
    def _inverted_subject(be: Any) -> Any | None:
        """The subject that follows `be` in a question ("Where was <the Cup> held?"), or None
        when the subject comes first ("Who was elected?", "The Cup was held where?")."""
        verb = be if be.dep_ == "ROOT" else be.head
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.i < be.i or subject.tag_ in ("WP", "WDT"):
            return None
        return subject

    @staticmethod
    def _be_after(be: Any, subject: Any) -> tuple[int, int, str]:
        """The edit that puts "be" where the future needs it: before the participle of a
        passive ("will the Cup be held"), else after the subject ("will the final be in ...")."""
        verb = be.head
        if be.dep_ in ("aux", "auxpass") and verb.i > subject.right_edge.i:
            return verb.idx, verb.idx, "be "
        end = subject.right_edge
        return end.idx + len(end.text), end.idx + len(end.text), " be"

