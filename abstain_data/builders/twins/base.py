"""The base of the contrast twins: a `VariantBuilder` whose variants are answerable.

A `TwinBuilder` names its unanswerable `sibling` builder and runs after it in the recipe. It
reads the whole stream like every variant builder (it keeps the sibling variant of each seed),
and makes twins only for the seeds that
the sibling varied (a sibling variant with that seed as parent is in the stream), so each twin
shares its pair id (`pair_id_for(seed.id)`) with an unanswerable sibling. The twin is labelled
`answerable` with its own reference answers and goes through the shared gates: well-formed, its
answers not given away by the prompt, the builder's own checks, not a near-duplicate of another
answerable item. A twin is only as answerable as its seed: when the seed's own answerable label
is uncertain (its confidence is below 1: FalseQA's label-0 rows, whose label is a premise
judgement), or a seed without a passage reads as if it could not be answered as it stands (a
dangling pronoun, an opinion or evaluative superlative, a question about the future;
`wording.py`), the twin goes to review with queue_reason "seed_answerability" (blind reviews
found "Russia: when did it become the capital of the country?" from FalseQA's answerable "When
did it become the capital of Russia?", and "I'm asking about Africa. How many caracals live on
that continent?").
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from random import Random
from typing import Any, ClassVar

from abstain_data.builders.base import Candidate, VariantBuilder
from abstain_data.builders.gates import AnswerableIndex, GateResult, answer_leak, well_formed
from abstain_data.items import Category, Item, normalize_key
from abstain_data.wording import FUTURE, SUBJECTIVE, has_dangling_pronoun

YES_NO = frozenset({"yes", "no"})
SEED_ANSWERABILITY = "seed_answerability"


def seed_doubt(seed: Item) -> GateResult:
    """Unsure ("seed_answerability", naming the cue) when `seed`'s answerable label is uncertain
    (confidence below 1), or it has no passage and its wording casts doubt on the label; passed
    otherwise."""
    if seed.confidence < 1.0:
        return GateResult.unsure(SEED_ANSWERABILITY,
                                 f"seed: its source's label has confidence {seed.confidence}")
    if seed.context:
        return GateResult.passed(SEED_ANSWERABILITY)
    cues = [("dangling pronoun", has_dangling_pronoun(seed.prompt)),
            ("opinion or evaluative superlative", bool(SUBJECTIVE.search(seed.prompt))),
            ("asks about the future", bool(FUTURE.search(seed.prompt)))]
    found = [name for name, present in cues if present]
    return GateResult.unsure_if(bool(found), SEED_ANSWERABILITY, f"seed: {', '.join(found)}")


Openings = tuple[tuple[re.Pattern[str], str], ...]


def matching_openings(prompt: str, openings: Openings) -> list[str]:
    """The names of `openings` (pattern, name) whose pattern matches how `prompt` opens, in
    their order."""
    opening = prompt.strip()
    return [name for pattern, name in openings if pattern.match(opening)]


def mirror_opening(sibling_prompt: str, openings: Openings, available: list[str],
                   rng: Random) -> str:
    """The first of `available` (sorted) that `openings` (pattern, name) gives for the way
    `sibling_prompt` opens, else one of `available` drawn by `rng`: a twin that opens as its
    sibling does lets no opening word tell them apart."""
    return next((name for name in matching_openings(sibling_prompt, openings)
                 if name in available), None) or rng.choice(available)


@dataclass
class TwinCandidate(Candidate):
    """A proposed twin: a variant candidate plus the answers the twin has."""

    answers: list[str] = field(default_factory=list)


class TwinBuilder(VariantBuilder):
    """Turns seeds that `sibling` varied into answerable twins of that sibling.

    Subclasses set `name` and `sibling`, implement `make_twins` and may override
    `accepts` and `prepare_twins` (a look at the whole stream first).
    """

    sibling: ClassVar[str]
    category = Category.ANSWERABLE

    def prepare(self, items: Iterable[Item], docs: dict[str, Any]) -> None:
        """Remember the sibling variant of every seed (the first one in stream order), then let
        the subclass look at the stream."""
        self.siblings: dict[str, Item] = {}
        for item in items:
            if (item.transform is not None and item.transform.builder == self.sibling
                    and item.should_abstain and item.parent_id is not None):
                self.siblings.setdefault(item.parent_id, item)
        self.prepare_twins(items, docs)

    def prepare_twins(self, items: Iterable[Item], docs: dict[str, Any]) -> None:
        """See the whole stream before any twin is made; `docs` maps seed record -> Doc."""

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        sibling = self.siblings.get(seed.id)
        return [] if sibling is None else list(self.make_twins(seed, sibling, doc, rng))

    @abstractmethod
    def make_twins(self, seed: Item, sibling: Item, doc: Any,
                   rng: Random) -> list[TwinCandidate]:
        """Propose twins of `seed` (parsed as `doc`) mirroring its unanswerable `sibling`."""

    def _variant_item(self, seed: Item, cand: Candidate, k: int) -> Item:
        """The variant item of the base class, labelled answerable with the twin's answers."""
        item = super()._variant_item(seed, cand, k)
        answers = cand.answers if isinstance(cand, TwinCandidate) else []
        return item.derive(should_abstain=False, reference_answers=list(answers))

    def gates(self, seed: Item, variant: Item, cand: Candidate, docs: tuple[Any, Any],
              index: AnswerableIndex) -> list[GateResult]:
        """Well-formed; the twin's own answers (yes/no aside) not in its prompt; its seed not
        doubtful (`seed_doubt`); the builder's checks; not a near-duplicate of an answerable item
        other than its parent. (`docs`: the seed's and the twin's parses; a twin's wording is
        its own, so there is no edited span for the fluency gate.)"""
        _, doc = docs
        answers = [a for a in variant.reference_answers if normalize_key(a) not in YES_NO]
        return [
            well_formed(variant.prompt, doc),
            answer_leak(answers, variant.prompt, None, seed.prompt),
            seed_doubt(seed),
            *cand.checks,
            index.clash(variant),
        ]
