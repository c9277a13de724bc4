"""Negation twin (`answerable`, sibling `negation`): a negated question the passage answers.

Consumes the reading-comprehension seeds that the negation builder varied; produces a negated
yes/no question about a statement of the seed's own passage ("Gaius Julius Caesar was born in
100 BC." -> "Is it true that Gaius Julius Caesar was not born in 100 BC?"), answered "No": the
passage states the opposite. Only sentences that split cleanly into subject, verb group and rest
(twins/clauses.py) are used, never one with a negation, and each sentence for one twin at
most. The builder check is unsure when
the passage negates anything anywhere (it might qualify the statement).
"""

from __future__ import annotations

import re
from random import Random
from typing import Any

from abstain_data.builders.base import parse
from abstain_data.builders.gates import GateResult
from abstain_data.builders.twins.base import TwinBuilder, TwinCandidate
from abstain_data.builders.twins.clauses import Clause, clauses
from abstain_data.items import Item

FRAMES = ("Is it true that {clause}?", "Is it correct that {clause}?",
          "Am I right that {clause}?")
DO_SUPPORT = {"VBD": "did", "VBZ": "does", "VBP": "do"}
_NEGATION = re.compile(r"\b(not|never|no|n't|neither|nor|without)\b", re.IGNORECASE)


def negated(clause: Clause) -> str:
    """The clause with its verb group negated ("was not born", "did not cross")."""
    if clause.aux is not None:
        group = f"{clause.aux} not {clause.verb}".rstrip()
    else:
        group = f"{DO_SUPPORT[clause.tag]} not {clause.lemma}"
    return f"{clause.subject_text} {group} {clause.rest_text}"


class NegationAnswered(TwinBuilder):
    name = "twin_negation_answered"
    sibling = "negation"
    in_seed_order = True  # each passage sentence serves one twin at most

    def accepts(self, seed: Item) -> bool:
        return bool(seed.context)

    def prepare_twins(self, items: list[Item], docs: dict[str, Any]) -> None:
        """Start with no passage sentence used: each is negated for one twin at most."""
        self.used: set[tuple[str, str]] = set()

    def make_twins(self, seed: Item, sibling: Item, doc: Any,
                   rng: Random) -> list[TwinCandidate]:
        passage = seed.context or ""
        found = [c for c in clauses(parse(self.ctx, [passage])[0], self.ctx.nlp)
                 if (passage, c.sentence) not in self.used]
        if not found:
            return []
        clause = found[rng.randrange(len(found))]
        self.used.add((passage, clause.sentence))
        text = negated(clause)
        check = GateResult.unsure_if(bool(_NEGATION.search(passage)), "negation_in_passage",
                                     "the passage negates something; it may qualify the "
                                     "statement")
        return [TwinCandidate(
            prompt=rng.choice(FRAMES).format(clause=text),
            rationale=(f"The passage states {clause.sentence!r}, so the negated claim is false "
                       f"and the answer is no."),
            confidence=0.85,
            checks=[check],
            edit={"statement": clause.sentence, "negated": text},
            answers=["No"],
        )]
