"""Premise corruption (`premise.false`): the question rests on a false statement about the world.

Consumes open-domain seeds that name a well-known entity of lexicons/facts.json (written by us:
each fact has a true statement and false ones that contradict it); produces "Given that <false
statement>, <the seed question>" and the other frames below, each granting the statement as known
("Knowing that France is in Asia, what is the capital of France?"); never a frame that only
reports it ("I read that ..."), which a reader may answer around. The frames are exactly those
its answerable twin (`twin_premise_true`) can use with a true statement, so the frame never tells
the two apart: causal frames ("Since ...", "Because ...", "..., so ...") read as a false premise
even around a true statement (a blind review said so), and while only the false premises had them
a prompt-only classifier learned "because", "as" and "so" as abstain cues (AUC 0.76 against the
twins and seeds on the real corpora).

Which false statement a seed gets is weighted, so that a predicate says nothing about the label
either: each false predicate ("is in Europe") is drawn in proportion to how often the same
predicate is the true one of the seeds this build varies (`prepare` counts them). Seeds are
skewed (FalseQA asks mostly about China), and a uniform choice made "in Oceania" and "in South
America" abstain cues while the twins' "in Asia" became an answer cue; city facts list the
countries seeds are often about ("Paris is in China") so that those predicates can be drawn too.
The right response is to correct the premise. A false statement that contains the seed's own
answer is caught by the answer-leak gate.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from random import Random
from typing import Any

from abstain_data.builders.base import (
    Candidate,
    VariantBuilder,
    asks_a_question,
    is_open_domain,
    load_lexicon,
)
from abstain_data.items import Category, Item
from abstain_data.pipeline.step import BuildContext

# {false}: the false statement; {question}: the seed question, its first letter (a question word
# or an auxiliary) lower-cased (a prompt's first letter is upper-cased)
FRAMES = (
    "Given that {false}, {question}",
    "Knowing that {false}, {question}",
    "Considering that {false}, {question}",
    "Bearing in mind that {false}, {question}",
    "Keeping in mind that {false}, {question}",
)


OPENERS = frozenset({"what", "which", "who", "whom", "whose", "when", "where", "why", "how",
                     "is", "are", "was", "were", "do", "does", "did", "can", "could", "will",
                     "would", "has", "have", "had", "should"})
PREPOSITIONS = frozenset({"in", "on", "at", "from", "for", "to", "by", "of", "during", "until",
                          "since", "after", "before", "with"})


def opens_as_question(question: str) -> bool:
    """Whether `question` opens with a question word or an auxiliary, possibly after one
    preposition ("In which county ...")."""
    words = [w.strip(",").lower() for w in question.split()[:2]]
    if words and words[0] in OPENERS:
        return True
    return len(words) == 2 and words[0] in PREPOSITIONS and words[1] in OPENERS


class PremiseCorruption(VariantBuilder):
    name = "premise_corruption"
    data_files = ("builders/lexicons/facts.json",)
    requires = frozenset({"domain"})
    category = Category.PREMISE_FALSE

    def __init__(self, ctx: BuildContext, max_per_seed: int = 1) -> None:
        super().__init__(ctx, max_per_seed)
        facts = load_lexicon("facts.json")["facts"]
        # longest keys first, so "New York" wins over "York"
        self.facts = sorted(facts, key=lambda f: (-len(f["entity"].removeprefix("the ")),
                                                  f["entity"]))
        names = "|".join(re.escape(f["entity"].removeprefix("the ")) for f in self.facts)
        self.any_entity = re.compile(rf"(?<![\w-])(?:{names})(?![\w-])")
        self.seed_facts: dict[str, dict[str, Any]] = {}
        self.true_predicates: Counter[str] = Counter()

    def prepare(self, items: Iterable[Item], docs: Mapping[str, Any]) -> None:
        """Find the fact each seed this builder varies names (by record, read again by
        `make_variants`) and count their true predicates (the weights of the false statements,
        module docstring); consumes the stream, produces nothing."""
        varied = set(docs)  # the keys only: asking `docs` for a value would parse the seed
        found = ((item.record, self.find_fact(item.prompt)) for item in items
                 if item.record in varied)
        self.seed_facts = {record: fact for record, fact in found if fact is not None}
        self.true_predicates = Counter(predicate(fact, fact["true"])
                                       for fact in self.seed_facts.values())

    def accepts(self, seed: Item) -> bool:
        """Open-domain questions that open as questions (`opens_as_question`), the seeds its
        twin can serve: a statement or a first-person opening ("I will spend a day in Rome;
        what should I see?") behind a frame reads garbled, and got a false premise but no true
        one, which made the frame itself an abstain cue (default build, demo-advice: 16 false
        premises against 9 true)."""
        return (is_open_domain(seed) and asks_a_question(seed.prompt)
                and opens_as_question(seed.prompt))

    def find_fact(self, text: str) -> dict[str, Any] | None:
        """The first lexicon fact whose entity the question names, capitalized as a name
        ("China", never the "china" of "bone china")."""
        if self.any_entity.search(text) is None:
            return None
        for fact in self.facts:
            name = fact["entity"].removeprefix("the ")
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                return fact
        return None

    def false_statement(self, fact: dict[str, Any], rng: Random) -> str:
        """One of `fact`'s false statements, drawn in proportion to how often its predicate is
        the true predicate of the build's seeds; uniformly when none of them is."""
        options = fact["false"]
        weights = [self.true_predicates[predicate(fact, option)] for option in options]
        if not any(weights):
            return rng.choice(options)
        return rng.choices(options, weights=weights)[0]

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        fact = self.seed_facts.get(seed.record)
        if fact is None:
            return []
        false = self.false_statement(fact, rng)
        question = seed.prompt[:1].lower() + seed.prompt[1:]  # a question word or auxiliary
        frame = rng.choice(FRAMES)
        prompt = frame.format(false=false, question=question)
        return [Candidate(
            prompt=prompt[:1].upper() + prompt[1:],
            rationale=(f"The question presupposes that {false}, which is false ({fact['true']}); "
                       f"the premise has to be corrected rather than the question answered."),
            confidence=0.85,
            edit={"premise": false, "fact": fact["true"], "frame": frame},
        )]


def predicate(fact: dict[str, Any], statement: str) -> str:
    """What `statement` says of `fact`'s entity: "is in Europe" of "France is in Europe"."""
    return statement[len(fact["entity"]):].strip()
