"""Missing specifics (`under.domain_specifics`): advice stripped of the facts it depends on.

Consumes medical, legal and finance advice seeds without a passage (open-ended, first-person or
about a named jurisdiction); removes the asker's age and weight, the jurisdiction ("In
California, ..."), amounts of money and tax years, by the patterns below and the question's
spaCy entities (GPE, MONEY). A seed with none of these makes no variant. The builder check
"specifics_remain" is unsure when a place or an amount is still in the question, and
"general_question" when only the place was removed from a what-is, why or who question that
is not about the asker's own case (it may still be answerable in general).
"""

from __future__ import annotations

import re
from random import Random
from typing import Any

from abstain_data.builders.base import Candidate, VariantBuilder, apply_edits
from abstain_data.builders.gates import GateResult
from abstain_data.items import Category, Complexity, Domain, Item

DOMAINS = frozenset({Domain.MEDICAL, Domain.LEGAL, Domain.FINANCE})
_PERSON = r"(?:I am|I'm|my \w+ is|she is|he is|a)"
_MONEY = r"[$£€]\d[\d,]*(?:\.\d+)?(?: ?(?:thousand|million|billion|[kmb])\b)?"
# advice asks about the asker's own case, or a case in a named jurisdiction
FIRST_PERSON = re.compile(r"\b(I|I'm|I've|my|me|we|our)\b", re.IGNORECASE)
IN_PLACE = re.compile(r"^\s*(In|Under|Within) (the )?[A-Z]")
# what a thing is, does or why: answerable in general once the place is gone, unlike a rule or
# figure ("how many days", "can a landlord") that differs from place to place
DEFINITION = re.compile(r"^\s*(what (is|are|does|do)\b|why\b|who\b)", re.IGNORECASE)
# (kind, pattern, replacement): removed (or replaced) wherever they match
PATTERNS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("age", re.compile(rf"\b{_PERSON} an? \d+[- ]year[- ]old\b[^,;.?]*[,;]?\s*", re.I), ""),
    ("age", re.compile(r",?\s*(?:aged?|who is) \d+(?: years old)?\b", re.I), ""),
    ("age", re.compile(r"\b(?:I am|I'm) \d+ years old with\b", re.I), "I have"),
    ("age", re.compile(r"\b(?:I am|I'm) \d+ years old(?: and)?,?\s*", re.I), ""),
    ("age", re.compile(r",?\s*\d+ years old\b", re.I), ""),
    ("weight", re.compile(r",?\s*(?:weighing|who weighs|at) \d+(?:\.\d+)? ?"
                          r"(?:kg|kilograms|lbs?|pounds)\b", re.I), ""),
    ("amount", re.compile(rf"(?<=\ba ){_MONEY}\s*"), ""),
    ("amount", re.compile(rf"(?<=\bthe ){_MONEY}", re.I), "money"),
    ("amount", re.compile(rf"(?<!\ba )(?<!\bthe ){_MONEY}(?:\s*(?:a|per) (?:year|month))?", re.I),
     "a certain amount"),
    ("year", re.compile(r"\s*\b(?:for|in) (?:the )?(?:tax year )?(?:19|20)\d\d\b", re.I), ""),
)
JURISDICTION_LABELS = frozenset({"GPE"})
# "I live in X" -> "I live here": the place stays unnamed and the sentence stays whole
RESIDE = frozenset({"live", "lives", "living", "reside", "resides", "based", "located", "work",
                    "works"})


def pattern_spans(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, replacement, kind) of every pattern match in `text`."""
    return [(m.start(), m.end(), new, kind) for kind, pattern, new in PATTERNS
            for m in pattern.finditer(text)]


def jurisdiction_spans(doc: Any) -> list[tuple[int, int, str, str]]:
    """Spans of "in/under <place>" (with a leading "the" and a following comma) to remove."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in JURISDICTION_LABELS or ent.start == 0:
            continue
        first = ent.start - 1
        if doc[first].lower_ == "the" and first > 0:
            first -= 1
        if doc[first].lower_ not in ("in", "under", "within"):
            continue
        last = ent.end
        joined = {e.start: e for e in doc.ents if e.label_ in JURISDICTION_LABELS}
        while last + 1 < len(doc) and doc[last].lower_ in ("and", "or") and last + 1 in joined:
            last = joined[last + 1].end  # "in England and Wales"
        end = doc[last - 1].idx + len(doc[last - 1].text)
        if last < len(doc) and doc[last].text == ",":
            end = doc[last].idx + 1
        lives = first > 0 and doc[first - 1].lower_ in RESIDE
        out.append((doc[first].idx, end, "here" if lives else "", "jurisdiction"))
    return out


def without_overlaps(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """The spans left after dropping any that overlaps an earlier-starting (or longer) one."""
    kept: list[tuple[int, int, str, str]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


class MissingSpecifics(VariantBuilder):
    name = "missing_specifics"
    requires = frozenset({"domain", "complexity"})
    category = Category.UNDER_DOMAIN_SPECIFICS

    def accepts(self, seed: Item) -> bool:
        """Medical, legal or finance advice without a passage: open-ended, or asking about the
        asker's own case, or a case in a named jurisdiction (not factoids like "Which digital
        currency debuted in 2009?", whose year is no personal specific)."""
        return (seed.domain in DOMAINS and not seed.context
                and (seed.complexity is Complexity.OPEN_ENDED or FIRST_PERSON.search(seed.prompt)
                     is not None or IN_PLACE.match(seed.prompt) is not None))

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        spans = without_overlaps(pattern_spans(seed.prompt) + jurisdiction_spans(doc))
        if not spans:
            return []
        prompt = apply_edits(seed.prompt, [(s, e, new) for s, e, new, _ in spans])
        kinds = sorted({kind for *_, kind in spans})
        removed = [seed.prompt[s:e].strip(" ,;") for s, e, _, _ in spans]
        covered = [(s, e) for s, e, _, _ in spans]
        remaining = [e.text for e in doc.ents if e.label_ in ("GPE", "MONEY")
                     and not any(s <= e.start_char < end for s, end in covered)]
        check = GateResult.unsure_if(bool(remaining), "specifics_remain",
                                     f"still names {', '.join(remaining)}")
        # without the asker's own case, a question that only loses its place is usually still
        # answerable in general ("What is the corporation tax?"): a blind review found 4 of 6
        # such variants answerable
        general = (kinds == ["jurisdiction"] and FIRST_PERSON.search(prompt) is None
                   and DEFINITION.match(prompt) is not None)
        scope = GateResult.unsure_if(general, "general_question",
                                     "only the place was removed and the question is not about "
                                     "the asker's own case: it may be answerable in general")
        return [Candidate(
            prompt=prompt,
            rationale=(f"The question no longer states the {', '.join(kinds)} "
                       f"({'; '.join(removed)}) that the right {seed.domain.value} answer "
                       f"depends on."),
            confidence=0.8 if not remaining else 0.6,
            checks=[check, scope],
            edit={"removed": removed, "kinds": kinds},
        )]
