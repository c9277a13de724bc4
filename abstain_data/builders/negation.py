"""Negation/antonym (`ctx.negation_antonym`): a superlative the passage does not support.

Consumes reading-comprehension seeds; produces the seed's question with one word swapped for its
antonym from the lexicon ("Which is the largest planet?" -> "Which is the smallest planet?"): the
passage says which thing is the largest and nothing about the smallest.

The pattern the checks trust is a superlative adjective after "the" or a possessive that
modifies a noun or opens an "of" phrase ("the largest hotel", "Japan's largest ship"), outside
chronology ("first", "oldest": a passage that lists events often names the last one) and
"greatest"/"least". Its checks are unsure when the passage uses any form of the antonym ("a
record low 23 %" answers "the lowest rating"), when a passage sentence lists figures for the
modified noun (the other end of the scale may be read off the list), or when the question
offers alternatives. Every other swap the lexicon allows (verbs: "won his father" for "lost his
father"; comparatives, directions, ordinals, prepositions) is proposed after the trusted one and
is unsure by kind. Negating a question's verb ("What was not invented in 132 CE?") is not done:
such a question has many answers, or none that reads as sense.

Blind reviews measured the unrestricted builder at 89 %, 74 % and 75 % right, and the real
corpora hold too few trusted swaps to verify the pattern on 60 or more: every variant keeps a
confidence below the routing threshold (0.7), so a person checks each one.
"""

from __future__ import annotations

import functools
import re
from random import Random
from typing import Any

from abstain_data.builders.base import Candidate, VariantBuilder, load_lexicon, splice
from abstain_data.builders.gates import GateResult
from abstain_data.items import Category, Item

# below the routing threshold (0.7): see the module docstring
AUDITED_CONFIDENCE = 0.6
CHRONOLOGY = frozenset({"first", "last", "earliest", "latest", "oldest", "newest"})
# "the greatest city" -> "the least city": "least" needs an adjective after it
UNPAIRED = frozenset({"greatest", "least"})
NEGATIONS = frozenset({"not", "n't", "never", "no"})
GROUP_POS = {"adjectives": frozenset({"ADJ", "ADV"}), "verbs": frozenset({"VERB"}),
             "prepositions": frozenset({"ADP", "SCONJ"})}


@functools.cache
def antonym_table() -> dict[str, tuple[str, frozenset[str]]]:
    """Word -> (antonym, the parts of speech it may be swapped in), both directions, from
    lexicons/antonyms.json ("last" the adjective, never "last" the verb; first pair wins)."""
    table: dict[str, tuple[str, frozenset[str]]] = {}
    lexicon = load_lexicon("antonyms.json")
    for group, pos in GROUP_POS.items():
        for left, right in lexicon[group]:
            table.setdefault(left, (right, pos))
            table.setdefault(right, (left, pos))
    return table


def ends_clause(tok: Any) -> bool:
    """Whether `tok` is the last word of its question ("How long did the war last?"): spaCy's
    small model often tags a final verb as an adjective, and swapping it breaks the sentence."""
    following = [t for t in tok.doc[tok.i + 1:] if not t.is_punct]
    return not following


def trusted_superlative(tok: Any) -> bool:
    """Whether `tok` is a superlative adjective after "the" or a possessive that modifies a
    noun or opens an "of" phrase, outside chronology and "greatest"/"least", not in "one of
    the ..." ("the largest planet", "Japan's largest ship", "the highest of the peaks"; not
    "second largest", "the first", "one of the largest")."""
    doc = tok.doc
    if tok.tag_ != "JJS" or tok.lower_ in CHRONOLOGY | UNPAIRED or tok.i == 0:
        return False
    before = doc[tok.i - 1]
    if not (before.lower_ == "the" or before.tag_ in ("PRP$", "POS")):
        return False
    if " ".join(t.lower_ for t in doc[max(0, tok.i - 3): tok.i - 1]) == "one of":
        return False
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    modifies_noun = tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i > tok.i
    return modifies_noun or (nxt is not None and nxt.lower_ == "of")


def word_forms(word: str) -> re.Pattern[str]:
    """A pattern for the words that start with the base of `word` ("lowest" -> low, lower,
    lowest; "driest" -> dry, drier; "wettest" -> wet; "most expensive" -> expensive): a
    passage that says "a record low 23%" answers a question about the lowest rating."""
    last = word.lower().split()[-1]
    bases = {last}
    if last.endswith("est") and len(last) > 5:
        stem = last[:-3]
        bases |= {stem, stem[:-1] + "y" if stem.endswith("i") else stem}
        if len(stem) > 2 and stem[-1] == stem[-2]:
            bases.add(stem[:-1])
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, bases))) + ")", re.IGNORECASE)


_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_FIGURE = r"\$?\d[\d,.]*(?:\s?%)?"
# three figures in a comma list: "$1, $2, $5", "10, 20 and 30"
FIGURE_LIST = re.compile(rf"{_FIGURE},\s+{_FIGURE},?\s+(?:and\s+)?{_FIGURE}")


def ranked_in_passage(tok: Any, passage: str) -> bool:
    """Whether a sentence of `passage` names the noun `tok` modifies (by its first five
    letters) next to a list of three or more figures ("Currently printed denominations are
    $1, $2, $5 ..."): the other end of the scale may be read off the list."""
    stem = (tok.head.lemma_ or tok.head.lower_).lower()[:5] if tok.head.i != tok.i else tok.lower_
    return any(stem in sentence.lower() and FIGURE_LIST.search(sentence)
               for sentence in _SENTENCE.split(passage))


class Negation(VariantBuilder):
    name = "negation"
    data_files = ("builders/lexicons/antonyms.json",)
    category = Category.CTX_NEGATION_ANTONYM

    def accepts(self, seed: Item) -> bool:
        return bool(seed.context)

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        """One candidate per swappable word of the question, trusted superlatives first;
        none for a question that is negated already."""
        if any(t.lower_ in NEGATIONS for t in doc):
            return []
        table = antonym_table()
        words = [tok for tok in doc if tok.lower_ in table and tok.ent_type_ == ""
                 and tok.pos_ in table[tok.lower_][1] and not ends_clause(tok)]
        words.sort(key=lambda tok: not trusted_superlative(tok))
        return [self._antonym(seed, tok) for tok in words]

    def _antonym(self, seed: Item, tok: Any) -> Candidate:
        new = antonym_table()[tok.lower_][0]
        new = new[:1].upper() + new[1:] if tok.text[:1].isupper() else new
        prompt = splice(seed.prompt, tok.idx, tok.idx + len(tok.text), new)
        trusted = trusted_superlative(tok)
        passage = seed.context or ""
        checks = [
            GateResult.unsure_if(bool(word_forms(new).search(passage)), "antonym_in_passage",
                                 f"the passage uses a form of {new!r}; it may support the new "
                                 "question"),
            GateResult.unsure_if(ranked_in_passage(tok, passage), "ranked_in_passage",
                                 f"a passage sentence gives figures for {tok.head.text!r}; the "
                                 f"{new!r} one may follow from them"),
            GateResult.unsure_if(" or " in f" {tok.doc.text.lower()} ", "alternative_question",
                                 "the question offers alternatives; the swap may repeat one"),
            GateResult.unsure_if(not trusted, "antonym_kind",
                                 f"{tok.text!r} is not a superlative after 'the' (verbs, "
                                 "ordinals, comparatives and directions often keep an answer "
                                 "or lose their sense)"),
        ]
        return Candidate(
            prompt=prompt,
            rationale=(f"The question asks for {new!r} where the passage only supports "
                       f"{tok.text!r}; the passage does not say what is {new!r}."),
            confidence=AUDITED_CONFIDENCE,
            checks=checks,
            edit={"swapped": tok.text, "with": new,
                  "kind": "superlative" if trusted else "antonym"},
        )
