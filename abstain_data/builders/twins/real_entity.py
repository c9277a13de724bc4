"""Real-entity twin (`answerable`, sibling `fabricated_entity`): a real name of the same shape.

Consumes the open-domain seeds that fabricated_entity gave an invented name; produces a question
about a real, little-known entity of the same kind (the sibling's entity label) taken from a
passage of the build, with that passage attached: from a passage sentence "<name> <verb group>
... in <date>" it asks "When <verb group> <name> ...?" and the date is the answer ("The Magna
Carta was reissued in 1216." -> "When was the Magna Carta reissued?", answer "1216"). The name
is verified to be an entity of that label in the passage, and the whole statement is the
passage's own sentence. Among the matches, names with the invented name's last word (its
suffix: "Society", "Port") come first, then names with as many words. Each passage sentence is
used for one twin at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import Any

from abstain_data.builders.twins.base import TwinBuilder, TwinCandidate
from abstain_data.builders.twins.clauses import Clause, clauses
from abstain_data.items import Item
from abstain_data.parsing.store import iter_docs

DATE_PREPOSITIONS = frozenset({"in", "on", "during"})
DO_SUPPORT = {"VBD": "did", "VBZ": "does", "VBP": "do"}


@dataclass(frozen=True)
class DatedFact:
    """A passage sentence about a named entity, as a when-question and its date answer."""

    passage: str
    name: str
    label: str
    question: str
    answer: str
    sentence: str


def dated_fact(clause: Clause, passage: str) -> DatedFact | None:
    """The when-question of a clause whose subject is one named entity and whose rest holds
    "<in|on|during> <DATE>"; None when the clause is not of that shape."""
    doc = clause.subject.doc
    ents = [e for e in doc.ents if e.start == clause.subject.start and e.end == clause.subject.end]
    if len(ents) != 1 or not clause.verb:
        return None
    dates = [e for e in doc.ents if e.label_ == "DATE" and e.start > clause.subject.end
             and e.end <= clause.rest[-1].i + 1 and doc[e.start - 1].lower_ in DATE_PREPOSITIONS]
    if len(dates) != 1:
        return None
    date = dates[0]
    kept = [t for t in clause.rest if not date.start - 1 <= t.i < date.end]
    if any(t.ent_type_ == "DATE" for t in kept):
        return None
    rest = "".join(t.text_with_ws for t in kept).strip()
    name = ents[0].text
    if name.startswith("The "):  # "The United States Constitution" opened the sentence
        name = "the" + name[3:]
    if clause.aux is not None:
        question = f"When {clause.aux.lower()} {name} {clause.verb} {rest}".rstrip()
    else:
        question = f"When {DO_SUPPORT[clause.tag]} {name} {clause.lemma} {rest}".rstrip()
    return DatedFact(passage, name, ents[0].label_, question + "?", date.text, clause.sentence)


class RealEntity(TwinBuilder):
    name = "twin_real_entity"
    sibling = "fabricated_entity"
    in_seed_order = True  # each passage sentence serves one twin at most

    def accepts(self, seed: Item) -> bool:
        return not seed.context

    def prepare_twins(self, items: list[Item], docs: dict[str, Any]) -> None:
        """Collect the dated facts of every distinct passage in the stream."""
        passages = sorted({i.context for i in items if i.context})
        self.facts: list[DatedFact] = []
        for passage, doc in zip(passages, iter_docs(self.ctx, passages), strict=True):
            for clause in clauses(doc, self.ctx.nlp):
                fact = dated_fact(clause, passage)
                if fact is not None:
                    self.facts.append(fact)
        self.used: set[str] = set()

    def make_twins(self, seed: Item, sibling: Item, doc: Any,
                   rng: Random) -> list[TwinCandidate]:
        params = sibling.transform.params if sibling.transform else {}
        label, invented = params.get("label"), str(params.get("with") or "")
        free = [f for f in self.facts if f.label == label and f.sentence not in self.used]
        if not free:
            return []
        words = invented.split()
        best = max(self._shape(f.name, words) for f in free)
        fact = rng.choice([f for f in free if self._shape(f.name, words) == best])
        self.used.add(fact.sentence)
        return [TwinCandidate(
            prompt=fact.question,
            rationale=(f"{fact.name!r} is a real {label} named in the attached passage, which "
                       f"states {fact.sentence!r}: the answer is {fact.answer!r}."),
            confidence=0.85,
            context=fact.passage,
            edit={"name": fact.name, "label": label, "sibling_name": invented,
                  "statement": fact.sentence},
            answers=[fact.answer],
        )]

    @staticmethod
    def _shape(name: str, invented: list[str]) -> int:
        """How well a real name matches the invented name's shape: 2 for the same last word,
        1 for as many words, else 0."""
        words = name.split()
        if invented and words[-1].casefold() == invented[-1].casefold():
            return 2
        return 1 if len(words) == len(invented) else 0
