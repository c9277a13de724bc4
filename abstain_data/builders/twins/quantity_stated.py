"""Quantity twin (`answerable`, sibling `missing_quantity`): "some" is there, but so is the count.

Consumes the math seeds that missing_quantity varied, with the sibling itself; produces the
sibling's own problem (the same sentence with its count written as "some", same words) with the
count put back after "some", as English writes an approximate figure ("There are some students
in a class." -> "There are some 32 students in a class."), so the problem is complete and has
the seed's answer. Only counts of 10 or more written in digits get a twin ("some 3 apples" is
not English), and no "some" after a determiner ("his some friends") or before an age ("some 11
years old"). The sibling writes "some" only where this twin can follow (its other vague forms,
the bare plural, "a few", "several", get no twin), so "some" is about as common here as there.
The builder check "quantity_restored" fails unless the twin holds exactly the seed's numbers,
so nothing the answer needs is lost. A blind review found the earlier forms ("some inches, 13
to be exact", "some kilograms (27)") unnatural in 4 of 26 twins.
"""

from __future__ import annotations

import re
from collections import Counter
from random import Random
from typing import Any

from abstain_data.builders.gates import GateResult
from abstain_data.builders.missing_quantity import DETERMINERS, MIN_COUNT, VAGUE, numbers
from abstain_data.builders.twins.base import TwinBuilder, TwinCandidate
from abstain_data.items import Domain, Item

# "some times that much" is a factor, not a count of things
NOT_COUNTED = frozenset({"times"})
# "some 11 years old" is not how anyone gives an age
_AGE = re.compile(r"\s+old\b")
_VAGUE_NOUN = re.compile(rf"\b{VAGUE}\s+([A-Za-z]+s)\b", re.IGNORECASE)


def restate(vague: str, count: str) -> str | None:
    """`vague` (a sentence with one "some <plural noun>") with `count` after "some" ("some 32
    students"); None when the noun is not a count of things, "some" follows a determiner, or
    the count is not a number of at least MIN_COUNT written in digits."""
    found = list(_VAGUE_NOUN.finditer(vague))
    if len(found) != 1 or not count.replace(",", "").isdigit():
        return None
    noun = found[0].group(1)
    before = vague[:found[0].start()].split()
    if noun.lower() in NOT_COUNTED or (before and before[-1].lower() in DETERMINERS) \
            or int(count.replace(",", "")) < MIN_COUNT or _AGE.match(vague, found[0].end()):
        return None
    start = found[0].start()
    some = vague[start:start + len(VAGUE)]
    return f"{vague[:start]}{some} {count} {noun}{vague[found[0].end():]}"


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
        stated = None if count is None else restate(vague, count)
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
