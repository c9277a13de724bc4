"""Future shift (`unknown.future`): the event moved to a year after the build's "now".

Consumes open-domain seeds whose question names a year; produces the question with that year
moved to `ctx.reference_year` + 1..`max_years_ahead` (the recipe's year, never the clock) and a
past-tense main verb turned future ("Who won ..." -> "Who will win ...", "When did ..." ->
"When will ...", "was elected" -> "will be elected"). A past-tense question whose verb could not
be turned future goes to review ("tense"). So does a question about a named person, a one-time
event, building, product or work, a "first ..." or a why-question ("Which company will Steve
Jobs co-found in 2036?", "the 2031 film Jaws", "the first World Cup"): moved into the future it
may rest on a false premise (the person has died, the event was unique) rather than be merely
unknown ("one_time_subject"). Recurring events (elections, the World Cup, prizes) stay auto.
"""

from __future__ import annotations

import re
from random import Random
from typing import Any

from abstain_data.builders.base import Candidate, VariantBuilder, apply_edits, is_open_domain
from abstain_data.builders.gates import GateResult
from abstain_data.items import Category, Item
from abstain_data.pipeline.step import BuildContext

_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_ONE_TIME_LABELS = ("PERSON", "EVENT", "WORK_OF_ART", "FAC", "PRODUCT")
_RECURRING = re.compile(
    r"\b(elections?|elected|world cup|olympics?|olympic games|nobel|oscars?|academy awards?|"
    r"super bowl|championships?|grand prix|tour de france|eurovision|census|budget)\b", re.I)


class FutureShift(VariantBuilder):
    name = "future_shift"
    requires = frozenset({"domain"})
    category = Category.UNKNOWN_FUTURE

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1,
                 max_years_ahead: int = 10) -> None:
        super().__init__(ctx, max_per_seed)
        if max_years_ahead < 1:
            raise ValueError(f"max_years_ahead must be at least 1, got {max_years_ahead}")
        self.max_years_ahead = max_years_ahead

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
        year = self.ctx.reference_year + rng.randint(1, self.max_years_ahead)
        edits = [(found.start(), found.end(), str(year))]
        tense = self._future_tense(doc)
        if tense is None:
            check = GateResult.unsure("tense", "the past-tense verb could not be turned future")
        else:
            edits.extend(tense)
            check = GateResult.passed("tense")
        checks = [check, self._recurring_check(doc)]
        prompt = apply_edits(seed.prompt, edits)
        return [Candidate(
            prompt=prompt,
            rationale=(f"The question is about {year}, after the build's reference year "
                       f"{self.ctx.reference_year}; what happens then is not yet known."),
            confidence=0.85 if tense is not None else 0.6,
            checks=checks,
            edit={"year_from": found.group(0), "year_to": year},
        )]

    @staticmethod
    def _recurring_check(doc: Any) -> GateResult:
        """Unsure when the question names a person, or a one-time event or work, and no
        recurring event: shifting it forward may state a false premise, not an unknown."""
        named = [ent.text for ent in doc.ents if ent.label_ in _ONE_TIME_LABELS]
        if doc.text.lower().startswith("why "):
            return GateResult.unsure(
                "one_time_subject", "a why-question presupposes the shifted event happens")
        if any(ent.label_ == "ORDINAL" and ent.text.lower() == "first" for ent in doc.ents):
            return GateResult.unsure("one_time_subject", "a 'first' happened once, in the past")
        if named and not _RECURRING.search(doc.text):
            return GateResult.unsure(
                "one_time_subject",
                f"{named[0]!r} may not exist in that year: false premise rather than unknown")
        return GateResult.passed("one_time_subject")

    def _future_tense(self, doc: Any) -> list[tuple[int, int, str]] | None:
        """Character edits that turn every simple past of the question future ("did" ->
        "will", "was"/"were" -> "will be", "won" -> "will win"); None when a past form is one
        these rules cannot change ("had won")."""
        edits = []
        for tok in doc:
            if tok.tag_ != "VBD":
                continue
            if tok.lower_ == "did":
                if tok.dep_ != "aux":
                    return None  # "did" as a main verb or misparsed: no safe rewrite
                new = "will"
            elif tok.lower_ in ("was", "were"):
                new = "will be"
            elif tok.dep_ in ("aux", "auxpass") or not self._lemma(tok):
                return None
            else:
                new = f"will {self._lemma(tok)}"
            edits.append((tok.idx, tok.idx + len(tok.text), new))
        return edits

    def _lemma(self, token: Any) -> str:
        """The verb's lemma from the shared pipeline's (disabled) lemmatizer, run on this doc."""
        if not token.lemma_:
            self.ctx.nlp.get_pipe("lemmatizer")(token.doc)
        return token.lemma_
