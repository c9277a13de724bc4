"""Missing quantity (`under.variables`): a word problem with a needed number made vague.

Consumes math seeds (domain math, a numeric reference answer, no passage); in one sentence that
carries exactly one count of a plural noun ("19 passengers got off"), never the question
sentence, leaves the count vague. The problem still mentions the quantity, so a reader sees it
is missing; deleting the sentence instead leaves a different but complete problem that a
careful reader simply answers (a blind review found exactly that).

The vague form varies (`vague_forms`), because a single word gave the label away: with every
count written "some", a bag-of-words classifier told the variants from their seeds and twins at
AUC 0.87 on UMWP ("some" weighing 8.3). Now "some" is kept for counts of 10 or more in digits,
the ones twin_quantity_stated can state again ("some 32 students"), so the word is about as
common in answerable twins as in variants; elsewhere the count is simply dropped ("Nina buys
apples."), which adds no word at all, where English allows a bare plural (`bare_allowed`: not
units, subjects, capacities, rates); only where neither fits, "a few" or "several". The builder
check "quantity_needed" compares the answer with what one or two steps of +, -, *, / can reach:
one step from the remaining numbers alone -> the quantity was not needed (hard failure);
reachable only with a removed number -> it was needed (pass); anything else -> unsure (review).
Candidates are ordered so that a seed's needed count, and a form without "a few"/"several", come
first.
"""

from __future__ import annotations

import re
from itertools import permutations
from random import Random
from typing import Any

from abstain_data.builders.base import Candidate, VariantBuilder
from abstain_data.builders.gates import GateResult, Verdict, decide
from abstain_data.items import Category, Domain, Item

# a sentence ends at . ! ? before a space, or right before a capital ("initially.How"), never
# inside a decimal ("1.5 yards" once became "1. Some yards")
_SENTENCE = re.compile(r"(?<=[.!?])(?:\s+(?=[A-Z0-9])|(?=[A-Z]))")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?")
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
         "dozen": 12, "twice": 2, "half": 0.5, "thrice": 3}
_WORD = re.compile(r"\b(" + "|".join(WORDS) + r")\b", re.IGNORECASE)
_COUNT_WORDS = "|".join(list(WORDS)[:12])  # one .. twelve
# a count of a plural noun; "3 times as much" is a multiplier and "three fifths" a fraction, not
# counts ("some times as much", "some fifths of the girls" are not English)
# and "5 less raspberries than" a difference ("some less raspberries" once came out of it)
_NOT_COUNTED = (r"times|halves|thirds|quarters|fourths|fifths|sixths|sevenths|eighths|ninths|"
                r"tenths|less")
# not inside a hyphenated number ("ninety-three cloves" once became "ninety-some cloves")
_COUNT = re.compile(rf"(?<![\w.$-])(\d+(?:,\d{{3}})*|{_COUNT_WORDS})"
                    rf"(?= (?!(?:{_NOT_COUNTED})\b)[A-Za-z]+s\b)", re.IGNORECASE)
VAGUE = "some"
# "some 32 students" reads as English from about ten on: the sibling writes "some" only for
# counts the twin (twin_quantity_stated) can state again
MIN_COUNT = 10
# the vague words no answerable twin holds
MARKED = ("a few", "several")
# a count after one of these cannot become "some" ("his 4 friends" -> "his some friends",
# "exactly 12 books" -> "exactly some books", "the remaining 9 letters" -> "the remaining some
# letters")
DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "its", "my", "your", "our",
                         "additional", "each", "every", "these", "those", "first", "last",
                         "another", "exactly", "only", "just", "about", "nearly", "almost",
                         "approximately", "least", "most", "over", "under", "remaining",
                         "other", "extra", "same", "next", "previous", "final", "further",
                         "initial", "original"})


# a unit counted inside a larger unit ("12 inches in a foot", "7 days in a week") is a fact every
# reader knows, not a missing variable (a blind review answered "there are some inches in a foot")
_CONVERSION = re.compile(r"\s*(?:inches|feet|yards|miles|millimeters|centimeters|meters|"
                         r"minutes|seconds|hours|days|weeks|months|ounces|cups|pints|quarts|"
                         r"gallons|grams|pounds|cents|nickels|dimes|quarters)\s+"
                         r"(?:in|per)\s+(?:a|an|one|each|every)\s+\w+", re.IGNORECASE)


# nouns that measure rather than count: "He runs miles a day", "Her son is years old", "costs
# dollars" and "rode the bus blocks" are not English, so these never go bare
UNITS = frozenset({
    "seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades", "centuries",
    "inches", "feet", "yards", "miles", "millimeters", "millimetres", "centimeters",
    "centimetres", "meters", "metres", "kilometers", "kilometres", "ounces", "pounds", "grams",
    "kilograms", "tons", "tonnes", "cups", "pints", "quarts", "gallons", "liters", "litres",
    "milliliters", "millilitres", "dollars", "cents", "euros", "rupees", "degrees", "calories",
    "acres", "laps", "points", "blocks"})
# kinds of things are not things: "She has kinds of apples" is not English
NOT_BARE = frozenset({"kinds", "types", "sorts", "varieties", "ways"})
# after these a bare plural reads as a complete statement, not a missing number
CAPACITY = frozenset({"hold", "holds", "held", "fit", "fits", "contain", "contains",
                      "contained", "carry", "carries", "store", "stores", "seat", "seats"})
# after these the count is a clause's subject or a state ("There are now roses")
CLAUSE_OPENERS = frozenset({"if", "when", "while", "and", "but", "or", "then", "that", "after",
                            "before", "because", "since", "so", "until", "now"})
_RATE = re.compile(r"/|\b(?:each|per|every|apiece|an? (?:day|week|month|year|hour|minute))\b",
                   re.IGNORECASE)


def vague_forms(value: float, digits: bool, bare: bool) -> list[str]:
    """The ways to leave a count of `value` vague ("" is the bare plural: "Nina buys apples."),
    each chosen so that a bag-of-words classifier cannot learn it as "unanswerable": "some" only
    for counts of 10 or more written in digits, the ones twin_quantity_stated states again
    ("some 32 students"), so the word is as common in answerable twins; else the bare plural,
    which adds no word at all, where `bare` says English allows it (`bare_allowed`); only where
    neither fits, "a few" (2-4) or "several" (5 and up), as English uses them."""
    if digits and value >= MIN_COUNT:
        return [VAGUE, ""] if bare else [VAGUE]
    if bare:
        return [""]
    return ["a few"] if value <= 4 else ["several"]


NEVER_BARE = UNITS | NOT_BARE  # nouns whose count is never simply dropped
BEFORE_NO_BARE = CAPACITY | CLAUSE_OPENERS  # words after which a dropped count reads wrong


def bare_allowed(before: str, noun: str, after: str) -> bool:
    """Whether a count can simply be dropped before `noun` (`before`/`after`: the sentence
    around "<count> <noun>"): not for units ("He runs miles a day", "costs dollars"), nor a
    clause's subject ("Seats are empty.", "If customers left", "In the first week, bags were
    sold"), nor a capacity ("A vase can hold flowers."), a rate ("He uses pages per day.",
    "holds pencils each", "sews stitches/minute") or what there is or is left ("In all, there
    were dogs.", "There are now roses in the vase", "pages left"): these read as complete
    statements or broken English, not as a problem missing its number (blind-read outputs)."""
    words = before.split()
    if noun.lower() in NEVER_BARE or not words or words[-1].endswith(","):
        return False
    if words[-1].lower() in BEFORE_NO_BARE:
        return False
    clause = re.split(r"[,;:.!?]", after, maxsplit=1)[0]
    if "there" in map(str.lower, words[-3:]) and not clause.strip():
        return False
    return not _RATE.search(clause) and not re.match(r"\s*left\b", after)


def blur_count(sentence: str, rng: Random | None = None) -> tuple[str, float] | None:
    """`sentence` with its one count of a plural noun made vague (one of `vague_forms`, picked
    with `rng`; "some" without one), and the count's value; None when the sentence holds no
    such count or other numbers too."""
    counts = list(_COUNT.finditer(sentence))
    if len(counts) != 1 or len(numbers(sentence)) != 1:
        return None
    found = counts[0]
    before = sentence[:found.start()].split()
    if before and (before[-1].endswith("$") or before[-1].lower() in DETERMINERS):
        return None  # "$ some dollars", "his some friends" are not English
    if _CONVERSION.match(sentence, found.end()):
        return None  # "12 inches in a foot"
    rest = sentence[found.end():]
    noun = re.match(r"\s*([A-Za-z]+)", rest).group(1)
    after = rest.lstrip()[len(noun):]
    if re.match(r"\s*exactly\b", after):
        return None  # "weighs some pounds exactly" says two things at once
    raw = found.group(1).lower().replace(",", "")
    value = float(WORDS[raw]) if raw in WORDS else float(raw)
    if value < 2:
        return None
    bare = bare_allowed(sentence[:found.start()], noun, after)
    forms = vague_forms(value, raw not in WORDS, bare)
    vague = VAGUE if rng is None else rng.choice(forms)
    if not vague:
        rest = rest.lstrip()
    if found.start() == 0:
        vague = vague[:1].upper() + vague[1:]
    return sentence[:found.start()] + vague + rest, value


def numbers(text: str) -> list[float]:
    """The numbers written in `text`, in digits or as common number words."""
    found = [float(m.group(0).replace(",", "")) for m in _NUMBER.finditer(text)]
    return found + [float(WORDS[m.group(1).lower()]) for m in _WORD.finditer(text)]


def one_step(values: list[float]) -> set[float]:
    """Every value reachable in one step: each number, +,-,*,/ of an ordered pair, the sum."""
    out = set(values)
    for a, b in permutations(values, 2):
        out.update(combine(a, b))
    if values:
        out.add(sum(values))
    return {round(v, 6) for v in out}


def two_steps(values: list[float]) -> set[float]:
    """Every value reachable in at most two steps: a one-step result combined with another of
    the numbers by +,-,*,/ (either order)."""
    out = one_step(values)
    for i, j in permutations(range(len(values)), 2):
        for first in combine(values[i], values[j]):
            for k, c in enumerate(values):
                if k not in (i, j):
                    out.update(round(v, 6) for v in combine(first, c) | combine(c, first))
    return out


def combine(a: float, b: float) -> set[float]:
    """a+b, a-b, a*b and a/b (when b is not 0)."""
    return {a + b, a - b, a * b} | ({a / b} if b else set())


def answer_value(answers: list[str]) -> float | None:
    """The first reference answer as a number ("$1,200" -> 1200.0), or None."""
    for answer in answers:
        found = _NUMBER.search(answer)
        if found:
            return float(found.group(0).replace(",", ""))
    return None


ORDINALS = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh",
            8: "eighth", 9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth"}


def ordinal_check(prompt: str, value: float) -> GateResult:
    """Unsure when `prompt` still counts the blurred things one by one up to its value ("Trevor
    buys bouquets. The first included 9 ..., the second 14 ... how many were in the third?":
    three bouquets; a blind review, round r21, answered it); passed otherwise."""
    word = ORDINALS.get(int(value)) if value == int(value) else None
    found = word is not None and re.search(rf"\b{word}\b", prompt, re.IGNORECASE) is not None
    return GateResult.unsure_if(found, "ordinal_count",
                                f"'{word}' may count the blurred {value:g} things one by one")


def needed_check(answer: float | None, kept: list[float], removed: list[float]) -> GateResult:
    """Whether the removed numbers were needed for `answer`: one step from the remaining numbers
    -> not needed (fail); two steps from the remaining numbers -> unsure (a coincidence or a
    redundant sentence); else at most two steps with the removed ones -> needed (pass); else
    unsure (a longer solution that this check cannot follow)."""
    if answer is None:
        return GateResult.unsure("quantity_needed", "the answer is not a number")
    target = round(answer, 6)
    if target in one_step(kept):
        return GateResult.failed("quantity_needed",
                                 f"{answer:g} follows from the remaining numbers {kept}")
    if target in two_steps(kept):
        return GateResult.unsure("quantity_needed",
                                 f"{answer:g} is two steps from the remaining numbers {kept}")
    if target in two_steps(kept + removed):
        return GateResult.passed("quantity_needed")
    return GateResult.unsure("quantity_needed",
                             f"{answer:g} is not within two steps of the numbers")


class MissingQuantity(VariantBuilder):
    name = "missing_quantity"
    requires = frozenset({"domain"})
    category = Category.UNDER_VARIABLES
    needs_doc = False  # sentences and numbers come from regular expressions

    def accepts(self, seed: Item) -> bool:
        return seed.domain is Domain.MATH and not seed.context and bool(seed.reference_answers)

    def make_variants(self, seed: Item, doc: Any, rng: Random) -> list[Candidate]:
        sentences = [s for s in _SENTENCE.split(seed.prompt) if s.strip()]
        if len(sentences) < 2:
            return []
        question = len(sentences) - 1
        removable = [i for i in range(question) if numbers(sentences[i])]
        rng.shuffle(removable)
        answer = answer_value(seed.reference_answers)
        out = []
        for i in removable:
            blurred = blur_count(sentences[i].strip(), rng)
            if blurred is None:
                continue
            vague_sentence, value = blurred
            rest = " ".join(vague_sentence if j == i else s.strip()
                            for j, s in enumerate(sentences))
            kept = [n for j, s in enumerate(sentences) if j != i for n in numbers(s)]
            out.append(Candidate(
                prompt=rest,
                rationale=(f"{sentences[i].strip()!r} now reads {vague_sentence!r}; without "
                           f"that quantity the answer cannot be computed."),
                confidence=0.85,
                checks=[needed_check(answer, kept, [value]), ordinal_check(rest, value)],
                edit={"vague_sentence": sentences[i].strip(), "with": vague_sentence},
            ))
        return sorted(out, key=preference)


def preference(candidate: Candidate) -> tuple[int, bool]:
    """Sort key of a candidate, best first: a count that was surely needed before an unsure one
    before one the answer did not need (the first max_per_seed are kept, so a seed is not lost to
    a redundant sentence when it has a needed one); then a count made vague without a word
    only variants hold ("some" or the bare plural before "a few" or "several")."""
    rank = (Verdict.PASS, Verdict.UNSURE, Verdict.FAIL).index(decide(candidate.checks)[0])
    made = candidate.edit["with"].lower()
    marked = any(re.search(rf"\b{word}\b", made) and not re.search(
        rf"\b{word}\b", candidate.edit["vague_sentence"].lower()) for word in MARKED)
    return rank, marked
