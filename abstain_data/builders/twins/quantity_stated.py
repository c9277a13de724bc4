"""Quantity twin (`answerable`, sibling `missing_quantity`): "some" is there, but so is the count.

Consumes the math seeds that missing_quantity varied, with the sibling itself; produces the
sibling's own problem (the same sentence with its count written as "some", same words) in which
the count is stated again right after its noun ("Some passengers got off." -> "Some passengers,
19 in all, got off.", "Some passengers (19 of them) got off."), so the problem is complete and
has the seed's answer. After a unit of measure, in a rate ("each day"), after a comparison or
a short "of" phrase the count closes the sentence ("The frog jumped some inches, 13 to be
exact."); a "some" after a
determiner ("his some friends") gets no twin. The builder check "quantity_restored" fails
unless the twin holds exactly the seed's numbers, so nothing the answer needs is lost.
"""

from __future__ import annotations

import re
from collections import Counter
from random import Random
from typing import Any

from abstain_data.builders.gates import GateResult
from abstain_data.builders.missing_quantity import VAGUE, numbers
from abstain_data.builders.twins.base import TwinBuilder, TwinCandidate
from abstain_data.items import Domain, Item

# {n}: the count as the seed wrote it ("19", "twelve"). Many forms, so that no one word tells a
# twin from its sibling; units of measure and rates get the forms that fit a measurement ("some
# inches, 13 to be exact", "some eggs each day, exactly 24"), never "13 of them" or "24 in all"
INSIDE = ("({n} of them)", "({n})", ", {n} in all,", ", {n} to be exact,", ", {n} in total,",
          " — {n} altogether —", ", {n} all told,")
AT_END = (", {n} in all", ", {n} to be exact", ", {n} in total", " ({n})", ", {n} altogether",
          ", {n} all told")
MEASURE = (", {n} to be exact", ", exactly {n}", " ({n})", ", precisely {n}")
UNITS = frozenset({"inches", "feet", "yards", "miles", "meters", "metres", "kilometers",
                   "kilometres", "centimeters", "centimetres", "millimeters", "millimetres",
                   "pages", "dollars", "cents", "euros", "pounds", "minutes", "hours", "days",
                   "weeks", "months", "years", "seconds", "cups", "ounces", "grams",
                   "kilograms", "tonnes", "tons", "liters", "litres", "milliliters",
                   "millilitres", "gallons", "degrees", "percent"})
# "some eggs each day": a rate, where "in all" would misread as a total
_RATE = re.compile(r"\b(each|every|per|an? (?:hour|day|week|month|year|minute|second))\b",
                   re.IGNORECASE)
# "some apples more than Adam": a difference, stated after the comparison like a measurement
COMPARATIVES = frozenset({"more", "fewer", "less", "farther", "further", "than", "longer",
                          "shorter", "older", "younger", "taller", "heavier", "lighter"})
# "some times that much" is a factor, not a count of things
NOT_COUNTED = frozenset({"times"})
# "his some friends", "an additional some kids": the sibling's "some" stands where a count
# followed a determiner, which reads as garbled
DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "its", "my", "your", "our",
                         "additional", "each", "every", "these", "those", "first", "last"})
_VAGUE_NOUN = re.compile(rf"\b{VAGUE}\s+([A-Za-z]+s)\b", re.IGNORECASE)
_END = re.compile(r"[\s.!?]+$")


def restate(vague: str, count: str, rng: Random) -> str | None:
    """`vague` (a sentence with one "some <plural noun>") with `count` stated after the noun, or
    at the sentence's end for a unit of measure, a rate, a comparison, or a short "of" phrase
    after the noun; None when the noun is not a count of things, "some" follows a determiner,
    the noun is possessive, a comma or a long "of" phrase follows, or the sentence has no
    final . ! or ?."""
    found = list(_VAGUE_NOUN.finditer(vague))
    ending = _END.search(vague)
    if len(found) != 1 or ending is None or not ending.group(0).strip():
        return None
    noun = found[0].group(1).lower()
    before = vague[:found[0].start()].split()
    if noun in NOT_COUNTED or (before and before[-1].lower() in DETERMINERS):
        return None
    end, body, stop = found[0].end(), vague[:ending.start()], ending.group(0)
    after = vague[end:ending.start()]
    following = after.split()
    if after[:1] in ("'", "’"):
        return None  # "some dancers' hair": a count inside the possessive would break it
    if "," in after or (following and following[0] == "of" and len(following) > 3):
        return None  # "some sets of tables, each having ...": the count would land far away
    if noun in UNITS or (following and following[0].lower() in COMPARATIVES) \
            or _RATE.search(vague):
        return body.rstrip(" ,") + rng.choice(MEASURE).format(n=count) + stop
    if not following or following[0] == "of":
        return body.rstrip(" ,") + rng.choice(AT_END).format(n=count) + stop
    phrase = rng.choice(INSIDE).format(n=count)
    return vague[:end] + ("" if phrase[:1] in ", " else " ") + phrase + vague[end:]


def restored_check(seed_prompt: str, twin: str) -> GateResult:
    """Failed unless `twin` holds exactly the numbers of `seed_prompt` (as a multiset)."""
    seed, own = Counter(numbers(seed_prompt)), Counter(numbers(twin))
    return GateResult.failed_if(seed != own, "quantity_restored",
                                f"the twin's numbers {sorted(own.elements())} differ from the "
                                f"seed's {sorted(seed.elements())}")


class QuantityStated(TwinBuilder):
    name = "twin_quantity_stated"
    sibling = "missing_quantity"
    needs_doc = False  # the sentence is edited with regular expressions

    def accepts(self, seed: Item) -> bool:
        return seed.domain is Domain.MATH and not seed.context and bool(seed.reference_answers)

    def make_twins(self, seed: Item, sibling: Item, doc: Any,
                   rng: Random) -> list[TwinCandidate]:
        params = sibling.transform.params if sibling.transform else {}
        original, vague = params.get("vague_sentence"), params.get("with")
        if not original or not vague or vague not in sibling.prompt:
            return []
        count = _count_text(original, vague)
        stated = None if count is None else restate(vague, count, rng)
        if stated is None:
            return []
        prompt = sibling.prompt.replace(vague, stated, 1)
        return [TwinCandidate(
            prompt=prompt,
            rationale=(f"{stated!r} still says 'some' but gives the count ({count}), so the "
                       f"problem is complete and its answer is the original's."),
            confidence=0.9,
            checks=[restored_check(seed.prompt, prompt)],
            edit={"vague_sentence": vague, "stated": stated, "count": count},
            answers=list(seed.reference_answers),
        )]


def _count_text(original: str, vague: str) -> str | None:
    """The count as `original` wrote it where `vague` has its one "some <plural noun>" ("19",
    "twelve"); None when there is no such phrase or the two sentences differ elsewhere."""
    found = list(_VAGUE_NOUN.finditer(vague))
    if len(found) != 1:
        return None
    at, tail = found[0].start(), vague[found[0].start() + len(VAGUE):]
    if original[:at] != vague[:at] or not original.endswith(tail):
        return None
    return original[at:len(original) - len(tail)].strip() or None
