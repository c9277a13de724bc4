"""Negation twin (`answerable`, sibling `negation`): a superlative question a passage answers.

Consumes the reading-comprehension seeds whose negation sibling asks for a superlative the
passage does not support ("Which is the largest planet?" -> "Which is the smallest planet?");
produces a question in the same frame whose answer a passage of the build states: from a
passage sentence "<Name> is|was the <superlative> ..." it asks "What is|was the
<superlative> ...?" and the name is the answer ("The Nile is the longest river in Africa." ->
"What is the longest river in Africa?", answer "the Nile"), with that passage attached; "Which"
instead only when the sibling opens with it, so the opening is the sibling's: while every twin
opened "Which", "which" was the answer cue that set the twins apart (AUC 0.95 against their
siblings and seeds on the real corpora, whose questions mostly open "What"). Facts
with the sibling's own superlative ("smallest") come first, so the word that made the sibling
unanswerable appears in answerable twins too; then any other.
Each passage sentence is used for one twin at most. The check is unsure when the passage says
"the <superlative>" more than once (it may name a second thing). Every sibling that swapped a
superlative adjective gets a twin, the ones its checks trust and the others ("the four smallest
moons", "the smallest in the Solar System"): the twin's answer comes from its own passage fact,
not from the sibling, and with trusted ones only the default build had one twin for five
siblings. Siblings of the other kinds (verbs, ordinals, comparatives) get no twin: this frame
would not match.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from random import Random
from typing import Any

from abstain_data.builders.gates import GateResult
from abstain_data.builders.twins.base import TwinBuilder, TwinCandidate
from abstain_data.builders.twins.clauses import Clause, clauses
from abstain_data.items import Item
from abstain_data.parsing.store import iter_docs

BE = frozenset({"is", "was", "are", "were"})
MAX_REST = 14


@dataclass(frozen=True)
class SuperlativeFact:
    """A passage sentence "<Name> is|was the <superlative> ..." as a question and its answer."""

    passage: str
    superlative: str
    question: str
    answer: str
    sentence: str


def superlative_fact(clause: Clause, passage: str) -> SuperlativeFact | None:
    """The fact of a clause "<Name> is|was the <superlative> <noun or of-phrase> ..." whose
    subject holds a proper noun and whose rest has no pronoun ("The Nile is the longest river
    in Africa." -> "What is the longest river in Africa?", answer "the Nile"); None when the
    clause is not of that shape."""
    if (clause.verb or (clause.aux or "").lower() not in BE
            or not 3 <= len(clause.rest) <= MAX_REST):
        return None
    the, sup, *after = clause.rest
    if the.lower_ != "the" or sup.tag_ != "JJS":
        return None
    if not (after[0].lower_ == "of" or sup.dep_ == "amod" and sup.head.pos_ in ("NOUN", "PROPN")):
        return None
    subject = clause.subject
    if (not any(t.pos_ == "PROPN" for t in subject) or any(t.is_punct for t in subject)
            or any(t.pos_ == "PRON" or t.tag_ == "PRP$" for t in clause.rest)):
        return None
    plural = sup.head.tag_ in ("NNS", "NNPS") and after[0].lower_ != "of"
    past = clause.aux.lower() in ("was", "were")
    verb = {(False, False): "is", (False, True): "was", (True, False): "are",
            (True, True): "were"}[plural, past]
    closing = "".join(t.text_with_ws for t in after).strip()
    return SuperlativeFact(passage, sup.lower_, f"What {verb} the {sup.lower_} {closing}?",
                           clause.subject_text, clause.sentence)


def superlative_facts(ctx: Any, passages: list[str]) -> list[SuperlativeFact]:
    """Every superlative fact of `passages` (parsed through the build's parse store), in
    passage order."""
    facts = []
    for passage, doc in zip(passages, iter_docs(ctx, passages), strict=True):
        for clause in clauses(doc, ctx.nlp):
            fact = superlative_fact(clause, passage)
            if fact is not None:
                facts.append(fact)
    return facts


def swapped_superlative(doc: Any, swapped: str) -> bool:
    """Whether the seed question `doc` holds `swapped` (the word its sibling replaced) as a
    superlative adjective ("largest" in "the four largest moons"; not "ended", "first")."""
    return any(tok.text == swapped and tok.tag_ == "JJS" for tok in doc)


class NegationAnswered(TwinBuilder):
    name = "twin_negation_answered"
    sibling = "negation"
    in_seed_order = True  # each passage sentence serves one twin at most

    def accepts(self, seed: Item) -> bool:
        return bool(seed.context)

    def prepare_twins(self, items: Iterable[Item], docs: dict[str, Any]) -> None:
        """Collect the superlative facts of every distinct passage in the stream; none used."""
        self.facts = superlative_facts(self.ctx, sorted({i.context for i in items if i.context}))
        self.used: set[tuple[str, str]] = set()

    def pick(self, word: str, rng: Random) -> SuperlativeFact | None:
        """An unused fact: one saying `word` if any, else any; None when every fact is used."""
        free = [f for f in self.facts if (f.passage, f.sentence) not in self.used]
        pool = [f for f in free if f.superlative == word] or free
        return pool[rng.randrange(len(pool))] if pool else None

    def make_twins(self, seed: Item, sibling: Item, doc: Any,
                   rng: Random) -> list[TwinCandidate]:
        params = sibling.transform.params if sibling.transform else {}
        if not swapped_superlative(doc, str(params.get("swapped", ""))):
            return []
        fact = self.pick(str(params["with"]).lower(), rng)
        if fact is None:
            return []
        self.used.add((fact.passage, fact.sentence))
        repeated = fact.passage.lower().count(f"the {fact.superlative}") > 1
        check = GateResult.unsure_if(repeated, "superlative_repeated",
                                     f"the passage says 'the {fact.superlative}' more than "
                                     "once; it may name a second thing")
        question = fact.question
        if sibling.prompt.startswith("Which "):
            question = "Which " + question.removeprefix("What ")
        return [TwinCandidate(
            prompt=question,
            rationale=(f"The passage states {fact.sentence!r}, so the answer is "
                       f"{fact.answer!r}."),
            confidence=0.85,
            context=fact.passage,
            checks=[check],
            edit={"statement": fact.sentence, "superlative": fact.superlative},
            answers=[fact.answer],
        )]
