"""Specifics twin (`answerable`, sibling `missing_specifics`): the sibling's wide words, with
the specifics.

Consumes the advice seeds that missing_specifics varied, with the sibling itself; produces the
seed's own question (so every specific its answer depends on is there) with the wording the
sibling widened it to kept beside the specific: a state the sibling widened to its country
keeps the country ("In California, ..." -> "In the US state of California, ...", "in Ontario"
-> "in Ontario, Canada"), a salary the sibling kept as "a salary" keeps the word ("I earn
$80,000 a year" -> "I earn a salary of $80,000 a year") and so do savings ("have $400,000
saved" -> "have savings of $400,000"). So "the US", "Canada", "salary" and "savings" appear on
both sides of the pair and do not decide the label (in the default build "us how", "the us" and
"earn salary" were top abstain cues of the sibling). A seed whose sibling used none of these
wordings gets no twin: the seed itself is the only honest answerable form. The builder
check "specifics_kept" fails unless the twin holds every number and named place of the seed.
"""

from __future__ import annotations

import re
from collections import Counter
from random import Random
from typing import Any

from abstain_data.builders.gates import GateResult
from abstain_data.builders.missing_specifics import DOMAINS, MONEY, country_of
from abstain_data.builders.twins.base import TwinBuilder, TwinCandidate
from abstain_data.items import Item

_EARN = re.compile(rf"\b(earn|earns|make|makes) ({MONEY}(?:\s+(?:a|per) (?:year|month)))")
_NUMBER = re.compile(r"\d[\d,.]*")


def widened_state(text: str, ent: Any, country: str) -> tuple[int, int, str]:
    """The replacement (start, end, new) of the state `ent` that names its `country` beside it:
    "the US state of California" after "in", "Ontario, Canada" elsewhere."""
    name = ent.text.removesuffix(" State")
    if country == "the US":
        return ent.start_char, ent.end_char, f"the US state of {name}"
    return ent.start_char, ent.end_char, f"{ent.text}, {country}"


def state_edits(doc: Any, sibling_prompt: str) -> list[tuple[int, int, str]]:
    """The edits naming the country beside each state of `doc` that the sibling widened (its
    country is in `sibling_prompt`)."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "GPE" or ent.start == 0 or doc[ent.start - 1].lower_ != "in":
            continue
        country = country_of(ent.text)
        if country and country in sibling_prompt:
            out.append(widened_state(doc.text, ent, country))
    return out


def salary_edits(text: str, sibling_prompt: str) -> list[tuple[int, int, str]]:
    """The edits turning "earn $80,000 a year" into "earn a salary of $80,000 a year" when the
    sibling says "a salary" and `text` does not already say "salary"."""
    if "a salary" not in sibling_prompt or "salary" in text:
        return []
    return [(m.start(), m.end(), f"{m.group(1)} a salary of {m.group(2)}")
            for m in _EARN.finditer(text)]


def savings_edits(text: str, sibling_prompt: str) -> list[tuple[int, int, str]]:
    """The edits turning "have $400,000 saved" and "$5,000 in savings" into "have savings of
    $400,000" and "savings of $5,000" when the sibling speaks of "savings" there."""
    if not re.search(r"\b(?:some|have) savings\b", sibling_prompt):
        return []
    return ([(m.start(), m.end(), f"have savings of {m.group(1)}")
             for m in re.finditer(rf"\bhave ({MONEY}) saved\b", text)]
            + [(m.start(), m.end(), f"savings of {m.group(1)}")
               for m in re.finditer(rf"(?<=\band )({MONEY}) in savings\b", text)])


def kept_check(seed_prompt: str, twin: str, places: list[str]) -> GateResult:
    """Failed unless `twin` holds every number of `seed_prompt` and every place in `places`."""
    seed_numbers, own = Counter(_NUMBER.findall(seed_prompt)), Counter(_NUMBER.findall(twin))
    lost = [n for n in seed_numbers if own[n] < seed_numbers[n]]
    lost += [p for p in places if p.removesuffix(" State") not in twin]
    return GateResult.failed_if(bool(lost), "specifics_kept",
                                f"the twin lost {', '.join(lost)}")


def apply_in_order(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with the non-overlapping (start, end, new) `edits` applied."""
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


class SpecificsStated(TwinBuilder):
    name = "twin_specifics_stated"
    sibling = "missing_specifics"

    def accepts(self, seed: Item) -> bool:
        return seed.domain in DOMAINS and not seed.context

    def make_twins(self, seed: Item, sibling: Item, doc: Any,
                   rng: Random) -> list[TwinCandidate]:
        edits = (state_edits(doc, sibling.prompt) + salary_edits(seed.prompt, sibling.prompt)
                 + savings_edits(seed.prompt, sibling.prompt))
        if not edits:
            return []
        prompt = apply_in_order(seed.prompt, edits)
        places = [e.text for e in doc.ents if e.label_ == "GPE"]
        return [TwinCandidate(
            prompt=prompt,
            rationale=("The question states every specific its answer depends on, with the "
                       "wider wording its unanswerable sibling uses beside them."),
            confidence=0.9,
            checks=[kept_check(seed.prompt, prompt, places)],
            edit={"stated": [new for _, _, new in sorted(edits)]},
            answers=list(seed.reference_answers),
        )]
