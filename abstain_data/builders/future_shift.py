"""Future shift (`unknown.future`): the event moved to a year after the build's "now".

Consumes open-domain seeds whose question names a year; produces the question with that year
moved to `ctx.reference_year` + 1..`max_years_ahead` (the recipe's year, never the clock) and a
past-tense main verb turned future ("Who won ..." -> "Who will win ...", "When did ..." ->
"When will ...", "was elected" -> "will be elected"). A past-tense question whose verb could not
be turned future goes to review ("tense").
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


class FutureShift(VariantBuilder):
    name = "future_shift"
    version = "1"
    category = Category.UNKNOWN_FUTURE

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1,
                 max_years_ahead: int = 10) -> None:
        super().__init__(ctx, max_per_seed)
        self.max_years_ahead = max_years_ahead

    def params(self) -> dict[str, Any]:
        return {**super().params(), "max_years_ahead": self.max_years_ahead}

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
        prompt = apply_edits(seed.prompt, edits)
        return [Candidate(
            prompt=prompt,
            rationale=(f"The question is about {year}, after the build's reference year "
                       f"{self.ctx.reference_year}; what happens then is not yet known."),
            confidence=0.85 if tense is not None else 0.6,
            checks=[check, self._after_now(year)],
            edit={"year_from": found.group(0), "year_to": year},
        )]

    def _after_now(self, year: int) -> GateResult:
        if year <= self.ctx.reference_year:
            return GateResult.failed("not_future", f"{year} is not after {self.ctx.reference_year}")
        return GateResult.passed("not_future")

    def _future_tense(self, doc: Any) -> list[tuple[int, int, str]] | None:
        """Character edits that make the past-tense root verb future; [] when nothing is past
        tense, None when a past tense was found that these rules cannot change."""
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        if root is None:
            return []
        auxes = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
        past_aux = next((a for a in auxes if a.tag_ == "VBD"), None)
        if past_aux is not None:
            if past_aux.lower_ == "did":
                return [(past_aux.idx, past_aux.idx + len(past_aux.text), "will")]
            if past_aux.lower_ in ("was", "were"):
                return [(past_aux.idx, past_aux.idx + len(past_aux.text), "will be")]
            return None
        if auxes:
            return []
        if root.tag_ != "VBD":
            return []
        if root.lower_ in ("was", "were"):
            return [(root.idx, root.idx + len(root.text), "will be")]
        lemma = self._lemma(root)
        return None if not lemma else [(root.idx, root.idx + len(root.text), f"will {lemma}")]

    def _lemma(self, token: Any) -> str:
        """The verb's lemma from the shared pipeline's (disabled) lemmatizer, run on this doc."""
        if not token.lemma_:
            self.ctx.nlp.get_pipe("lemmatizer")(token.doc)
        return token.lemma_
