"""Domain signals: keyword lexicons plus spaCy entity rules (features of the domain classifier).

`domain_scores` feeds the classifier (`features.py`), which learns how far to trust each
signal; `keyword_domain`, the rule alone, is kept as the baseline the classifier is measured
against (benchmarks/tagging_bench.py).

Rule (every signal adds to one domain's score; the highest score wins):
- each distinct lexicon word or phrase of a domain found in the text adds 1 (lexicons.toml);
- spaCy entities add 1 each kind: LAW -> legal, MONEY or PERCENT -> finance, WORK_OF_ART ->
  culture, EVENT -> history, NORP together with a DATE -> history, a GPE/LOC when the question
  asks where or which place -> geography, a LOC (river, mountain, sea) -> geography;
- asking for the year or date of a past event ("In what year did ...", "When was ...") or naming
  an era date ("49 BC", "AD 14") adds 1 to history;
- a word problem (two or more sentences and two or more numbers, not in the first person) adds
  10 to math: decisive, since a story about dollars or kilometres is still arithmetic; a bare
  arithmetic expression ("17 multiplied by 23", "25 percent of 80") adds 3 to math;
- ties go to the more specific domain, in the order of `PRIORITY`; no signal at all -> general.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from abstain_data.items import Domain

LEXICON_FILE = Path(__file__).with_name("lexicons.toml")

# Tie-break order: the more specific domain first; the optional sports and politics last.
PRIORITY: tuple[Domain, ...] = (
    Domain.MATH, Domain.MEDICAL, Domain.LEGAL, Domain.FINANCE, Domain.TECHNOLOGY, Domain.SCIENCE,
    Domain.CULTURE, Domain.HISTORY, Domain.GEOGRAPHY, Domain.SPORTS, Domain.POLITICS,
)

WORD_PROBLEM_WEIGHT = 10
ARITHMETIC_WEIGHT = 3
_PLACE_QUESTION = re.compile(r"\b(where|which (country|city|town|state|continent|region)|"
                             r"in which|what country|what city)\b", re.IGNORECASE)
# "150/95 mmHg" or "9-5" are not sums: "/" and "-" count only with spaces around them.
_ARITHMETIC = re.compile(
    r"\d\s*([+*×÷]|plus|minus|times|multiplied by|divided by)\s*\d|\d [-/] \d|"
    r"\b(square root|percent|per cent) of \d|\d+\s*%\s*of\s*\d",
    re.IGNORECASE,
)
_PAST_DATE_QUESTION = re.compile(
    r"\b(in (what|which) year|what year|when (did|was|were)|on what date)\b", re.IGNORECASE)
_ERA_DATE = re.compile(r"\b\d+ BC\b|\bAD \d+\b")


@lru_cache(maxsize=1)
def lexicon_patterns() -> dict[Domain, re.Pattern[str]]:
    """Compile lexicons.toml into one whole-word, case-insensitive alternation per domain.

    Longer entries come first, so a phrase ("blood pressure") is matched as itself rather than
    as its first word ("blood").
    """
    data = tomllib.loads(LEXICON_FILE.read_text(encoding="utf-8"))["domains"]
    return {Domain(name): re.compile(rf"(?<![\w-])(?:{alternation(entries)})(?![\w-])",
                                     re.IGNORECASE)
            for name, entries in data.items()}


def alternation(entries: list[str]) -> str:
    """The regex alternation of lexicon `entries` (each starting with an ASCII character),
    longest first, grouped by first character: "b(?:lood\\ pressure(?:s|es)?|lood(?:s|es)?)|
    c(?:...)". It matches exactly what the flat alternation of the entries in that order
    matches: at a position only the group of that character can match (case aside), and
    inside it the entries keep their order. Python's regex engine tries every alternative of
    a case-insensitive alternation in turn, so the groups make the search about three times
    faster (it was the tagger's largest cost after the parse)."""
    groups: dict[str, list[str]] = {}
    for entry in sorted(entries, key=len, reverse=True):
        if not entry[:1].isascii():
            raise ValueError(f"lexicon entry {entry!r} does not start with an ASCII character")
        groups.setdefault(entry[:1].lower(), []).append(entry)
    return "|".join(f"{re.escape(first)}(?:{'|'.join(_entry_body(e[1:]) for e in group)})"
                    for first, group in groups.items())


def _entry_body(entry: str) -> str:
    """`"vaccin*"` -> prefix match; anything else -> the phrase with an optional plural ending."""
    if entry.endswith("*"):
        return re.escape(entry[:-1]) + r"\w*"
    return re.escape(entry) + r"(?:s|es)?"


def domain_scores(text: str, doc: Doc) -> Counter[Domain]:
    """Score every domain for `text` (its spaCy `doc` gives entities, numbers and sentences)."""
    scores: Counter[Domain] = Counter()
    for domain, pattern in lexicon_patterns().items():
        hits = {match.group(0).lower() for match in pattern.finditer(text)}
        if hits:
            scores[domain] += len(hits)
    labels = {ent.label_ for ent in doc.ents}
    if "LAW" in labels:
        scores[Domain.LEGAL] += 1
    if labels & {"MONEY", "PERCENT"}:
        scores[Domain.FINANCE] += 1
    if "WORK_OF_ART" in labels:
        scores[Domain.CULTURE] += 1
    if "EVENT" in labels or {"NORP", "DATE"} <= labels:
        scores[Domain.HISTORY] += 1
    if labels & {"GPE", "LOC"} and _PLACE_QUESTION.search(text):
        scores[Domain.GEOGRAPHY] += 1
    if "LOC" in labels:
        scores[Domain.GEOGRAPHY] += 1
    if _ERA_DATE.search(text) or (_PAST_DATE_QUESTION.search(text) and _is_past(doc)):
        scores[Domain.HISTORY] += 1
    if is_word_problem(doc):
        scores[Domain.MATH] += WORD_PROBLEM_WEIGHT
    elif _ARITHMETIC.search(text):
        scores[Domain.MATH] += ARITHMETIC_WEIGHT
    return scores


def is_word_problem(doc: Doc) -> bool:
    """Two or more sentences carrying two or more numbers, not told in the first person."""
    numbers = sum(1 for token in doc if token.like_num)
    sentences = sum(1 for _ in doc.sents)
    first_person = len(doc) > 0 and doc[0].lower_ in {"i", "my", "we", "our"}
    return sentences >= 2 and numbers >= 2 and not first_person


def _is_past(doc: Doc) -> bool:
    """The question is in the past tense (a past-tense verb or auxiliary: "did", "was")."""
    return any(token.tag_ in {"VBD", "VBN"} for token in doc)


def keyword_domain(text: str, doc: Doc) -> Domain:
    """The keyword baseline: the best-scoring domain (see the module rule), else general."""
    scores = domain_scores(text, doc)
    if not scores:
        return Domain.GENERAL
    best = max(scores.values())
    return next(domain for domain in PRIORITY if scores.get(domain) == best)
