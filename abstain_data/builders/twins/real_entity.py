"""Real-entity twin (`answerable`, sibling `fabricated_entity`): a real name of the same shape.

Consumes the open-domain seeds that fabricated_entity gave an invented name; produces a question
about a real, little-known entity of the same kind (the sibling's entity label) taken from a
passage of the build, with that passage attached. From a passage sentence "<name> <verb group>
... in <date>" it asks one of three questions ("The Rideau Canal was completed in 1832."):
- "when": "When was the Rideau Canal completed?", the date is the answer;
- "year": "In what year was the Rideau Canal completed?", the date's year is the answer (when the
  date ends in a year);
- "subject": "Which canal was completed in 1832?", the name is the answer: "Who" for a person,
  "Which <kind>" for a confirmed country, state or city (builders/kinds.py) or for a name whose
  last word is a noun the build's passages use in lower case ("canal", "society").
The frame follows the sibling's opening where the fact allows it ("Who ..." and "Which ..." get
the subject question, "In what year ..." the year question, "When ..." the when question), and
is drawn from the fact's frames otherwise: while every twin asked "When ...?", "when" was the
answer cue that told the twins from their siblings (prompt-only AUC 0.94 on the default build).
The name is verified to be an entity of that label in the passage, and the whole statement is
the passage's own sentence. Among the matches, names with the invented name's last word (its
suffix: "Society", "Port") come first, then names with as many words; among those, the facts
that share the most words with the sibling's question ("painted", "founded"), so that the twins'
words are not theirs alone. Each passage sentence is used for one twin at most.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from random import Random
from typing import Any

from abstain_data.builders.base import FIRST_PERSON
from abstain_data.builders.kinds import places
from abstain_data.builders.twins.base import TwinBuilder, TwinCandidate, mirror_opening
from abstain_data.builders.twins.clauses import Clause, clauses
from abstain_data.items import Item
from abstain_data.parsing.store import iter_docs

DATE_PREPOSITIONS = frozenset({"in", "on", "during"})
DO_SUPPORT = {"VBD": "did", "VBZ": "does", "VBP": "do"}
# a date that ends in its year: "1832", "17 November 1869", "March 5, 1770"
YEAR_AT_END = re.compile(r"(?:^|\s)(\d{3,4})$")
# a subject question needs a singular verb group: "Which canal was ...", not "... were"
PLURAL_VERBS = frozenset({"are", "were", "have", "do"})
# the sibling's opening -> the frame that mirrors it
OPENING_FRAMES = (
    (re.compile(r"^(in )?(what|which) year\b", re.IGNORECASE), "year"),
    (re.compile(r"^when\b", re.IGNORECASE), "when"),
    (re.compile(r"^(who|which|what)\b", re.IGNORECASE), "subject"),
)


@dataclass(frozen=True)
class DatedFact:
    """A passage sentence about a named entity: `asked` is its verb group and rest turned into
    a question after the opening ("was the Rideau Canal completed"), `date` the date it states,
    `subject_tail` its verb group and rest as written ("was completed in 1832"; "" when the verb
    is plural), `words` the content words of both (`content_words`)."""

    passage: str
    name: str
    label: str
    sentence: str
    asked: str
    date: str
    subject_tail: str
    words: frozenset[str]

    def questions(self, nouns: frozenset[str]) -> dict[str, tuple[str, str]]:
        """Frame ("when", "year", "subject") -> (question, answer), for the frames this fact
        allows; `nouns`: the lower-case nouns of the build's passages."""
        out = {"when": (f"When {self.asked}?", self.date)}
        year = YEAR_AT_END.search(self.date)
        if year:
            out["year"] = (f"In what year {self.asked}?", year.group(1))
        wh = subject_word(self.label, self.name, nouns)
        if wh and self.subject_tail:
            out["subject"] = (f"{wh} {self.subject_tail}?", self.name.removeprefix("the "))
        return out


def dated_fact(clause: Clause, passage: str) -> DatedFact | None:
    """The fact of a clause whose subject is one named entity and whose rest holds
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
        asked = f"{clause.aux.lower()} {name} {clause.verb} {rest}".rstrip()
    else:
        asked = f"{DO_SUPPORT[clause.tag]} {name} {clause.lemma} {rest}".rstrip()
    verb_group = " ".join(w for w in (clause.aux, clause.verb) if w)
    plural = (clause.aux or clause.verb).lower() in PLURAL_VERBS
    tail = "" if plural else f"{verb_group} {clause.rest_text}"
    return DatedFact(passage, name, ents[0].label_, clause.sentence, asked, date.text, tail,
                     frozenset(content_words(f"{asked} {tail}")))


def subject_word(label: str, name: str, nouns: frozenset[str]) -> str:
    """How a subject question asks for the entity: "Who" for a person, "Which <kind>" for a
    confirmed place or a name whose last word is a common noun of the build; "" otherwise."""
    if label == "PERSON":
        return "Who"
    bare = name.removeprefix("the ")
    if label in ("GPE", "LOC") and bare in places():
        return f"Which {places()[bare]}"
    words = bare.split()
    last = words[-1].lower()
    return f"Which {last}" if len(words) > 1 and last in nouns else ""


def passage_nouns(doc: Any) -> set[str]:
    """The nouns a passage writes in lower case ("canal", "society")."""
    return {t.text for t in doc if t.pos_ == "NOUN" and t.text.isalpha() and t.text.islower()}


def content_words(text: str) -> set[str]:
    """The lower-case words of `text` longer than three letters ("painted", "founded")."""
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}


class RealEntity(TwinBuilder):
    name = "twin_real_entity"
    sibling = "fabricated_entity"
    in_seed_order = True  # each passage sentence serves one twin at most

    def accepts(self, seed: Item) -> bool:
        """Open-domain seeds that ask about the world, not about the asker's own case: a
        dated fact cannot take the shape of "I live in Ostunor and earn ...; how much tax ...?",
        and such twins stood out in their source as the only history questions."""
        return not seed.context and FIRST_PERSON.search(seed.prompt) is None

    def prepare_twins(self, items: Iterable[Item], docs: dict[str, Any]) -> None:
        """Collect the dated facts of every distinct passage in the stream."""
        passages = sorted({i.context for i in items if i.context})
        self.facts: list[DatedFact] = []
        nouns: set[str] = set()
        for passage, doc in zip(passages, iter_docs(self.ctx, passages), strict=True):
            nouns |= passage_nouns(doc)
            for clause in clauses(doc, self.ctx.nlp):
                fact = dated_fact(clause, passage)
                if fact is not None:
                    self.facts.append(fact)
        self.nouns = frozenset(nouns)
        self.used: set[str] = set()

    def make_twins(self, seed: Item, sibling: Item, doc: Any,
                   rng: Random) -> list[TwinCandidate]:
        params = sibling.transform.params if sibling.transform else {}
        label, invented = params.get("label"), str(params.get("with") or "")
        free = [f for f in self.facts if f.label == label and f.sentence not in self.used]
        if not free:
            return []
        words = invented.split()
        asked = content_words(sibling.prompt) - content_words(invented)
        matches = [((self._shape(f.name, words), len(asked & f.words)), f) for f in free]
        best = max(match for match, _ in matches)
        fact = rng.choice([f for match, f in matches if match == best])
        self.used.add(fact.sentence)
        questions = fact.questions(self.nouns)
        frame = mirror_opening(sibling.prompt, OPENING_FRAMES, sorted(questions), rng)
        question, answer = questions[frame]
        return [TwinCandidate(
            prompt=question,
            rationale=(f"{fact.name!r} is a real {label} named in the attached passage, which "
                       f"states {fact.sentence!r}: the answer is {answer!r}."),
            confidence=0.85,
            context=fact.passage,
            edit={"name": fact.name, "label": label, "sibling_name": invented,
                  "statement": fact.sentence, "frame": frame},
            answers=[answer],
        )]

    @staticmethod
    def _shape(name: str, invented: list[str]) -> int:
        """How well a real name matches the invented name's shape: 2 for the same last word,
        1 for as many words, else 0."""
        words = name.split()
        if invented and words[-1].casefold() == invented[-1].casefold():
            return 2
        return 1 if len(words) == len(invented) else 0
