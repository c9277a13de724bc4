"""Verification gates shared by the builders: each check returns a `GateResult`.

A gate consumes the text of a candidate variant (and what it needs to judge it) and produces a
verdict: `pass`, `fail` (a hard failure: the variant is rejected with reason "gate:<slug>") or
`unsure` (inconclusive: the variant goes to human review with queue_reason "<slug>").
Gates never mutate items and never print.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz

from abstain_data.items import Category, Item, normalize_key


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNSURE = "unsure"


@dataclass(frozen=True)
class GateResult:
    """One gate's verdict on one candidate: `gate` is the slug used in reasons and review."""

    gate: str
    verdict: Verdict
    detail: str = ""

    @classmethod
    def passed(cls, gate: str, detail: str = "") -> GateResult:
        return cls(gate, Verdict.PASS, detail)

    @classmethod
    def failed(cls, gate: str, detail: str) -> GateResult:
        return cls(gate, Verdict.FAIL, detail)

    @classmethod
    def unsure(cls, gate: str, detail: str) -> GateResult:
        return cls(gate, Verdict.UNSURE, detail)

    @classmethod
    def unsure_if(cls, doubtful: bool, gate: str, detail: str) -> GateResult:
        """Unsure with `detail` when `doubtful`, else passed."""
        return cls(gate, Verdict.UNSURE, detail) if doubtful else cls(gate, Verdict.PASS)

    @classmethod
    def failed_if(cls, bad: bool, gate: str, detail: str) -> GateResult:
        """Failed with `detail` when `bad`, else passed."""
        return cls(gate, Verdict.FAIL, detail) if bad else cls(gate, Verdict.PASS)


def decide(results: Iterable[GateResult]) -> tuple[Verdict, GateResult | None]:
    """The overall verdict of a list of gate results and the result that decided it.

    The first failure wins; else the first unsure result; else PASS with None.
    """
    results = list(results)
    for wanted in (Verdict.FAIL, Verdict.UNSURE):
        for result in results:
            if result.verdict is wanted:
                return wanted, result
    return Verdict.PASS, None


# --- answer leak ----------------------------------------------------------------------------

FUZZY_MIN_CHARS = 12  # answers longer than this are also matched fuzzily
FUZZY_THRESHOLD = 90.0


def _contains(key: str, text_key: str) -> bool:
    return f" {key} " in f" {text_key} "


def find_leak(answers: Sequence[str], text: str) -> str | None:
    """The first answer that appears in `text` (normalized whole-word match, or rapidfuzz
    partial_ratio >= 90 for answers longer than 12 characters); None when none does."""
    text_key = normalize_key(text)
    for answer in answers:
        key = normalize_key(answer)
        if not key:
            continue
        if _contains(key, text_key):
            return answer
        if len(key) > FUZZY_MIN_CHARS and fuzz.partial_ratio(key, text_key) >= FUZZY_THRESHOLD:
            return answer
    return None


def answer_leak(answers: Sequence[str], prompt: str, context: str | None = None,
                parent_prompt: str | None = None) -> GateResult:
    """Fail if a reference answer appears in the new prompt or the new passage `context`.

    An answer that the parent's own prompt already contained (the builder did not put it there,
    e.g. "Which came first, X or Y?") makes the result `unsure` instead of a failure.
    """
    leaked = find_leak(answers, prompt)
    if leaked is not None:
        if parent_prompt is not None and find_leak([leaked], parent_prompt) is not None:
            return GateResult.unsure("answer_leak", f"answer {leaked!r} is in the parent too")
        return GateResult.failed("answer_leak", f"answer {leaked!r} appears in the prompt")
    if context is not None:
        leaked = find_leak(answers, context)
        if leaked is not None:
            return GateResult.failed("answer_leak", f"answer {leaked!r} appears in the passage")
    return GateResult.passed("answer_leak")


# --- well-formed question -------------------------------------------------------------------

_SLOT = re.compile(r"\{[^{}\s]*\}|\[[A-Z_]{2,}\]|<[A-Za-z_]{2,}>|\$\{|_{3,}|\bNONE\b|\bnull\b")
_DOUBLED = re.compile(r"\b([^\W\d_]+)\s+\1\b", re.IGNORECASE)
_DOUBLE_OK = frozenset({"had", "that", "bye", "no", "very", "so", "far", "many", "ha", "knock"})
_WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})
MIN_CHARS, MAX_CHARS = 3, 4000


def leftover_slot(text: str) -> GateResult:
    """Fail on a template slot left in the text: {slot}, [SLOT], <slot>, ${, ___, NONE/null."""
    found = _SLOT.search(text)
    if found:
        return GateResult.failed("leftover_slot", f"leftover slot {found.group(0)!r}")
    return GateResult.passed("leftover_slot")


def doubled_word(text: str) -> GateResult:
    """Fail on a word written twice in a row ("the the"), except idioms like "had had"."""
    for found in _DOUBLED.finditer(text):
        if found.group(1).lower() not in _DOUBLE_OK:
            return GateResult.failed("doubled_word", f"doubled word {found.group(0)!r}")
    return GateResult.passed("doubled_word")


def length(text: str, lo: int = MIN_CHARS, hi: int = MAX_CHARS) -> GateResult:
    """Fail unless lo <= len(text) <= hi characters."""
    if not lo <= len(text) <= hi:
        return GateResult.failed("length", f"{len(text)} characters, allowed {lo}..{hi}")
    return GateResult.passed("length")


def question_shape(doc: Any) -> GateResult:
    """Fail unless the spaCy `doc` has a verb/auxiliary root, a wh-word, or starts with an aux."""
    tokens = list(doc)
    if not tokens:
        return GateResult.failed("not_a_question", "empty text")
    if any(t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX") for t in tokens):
        return GateResult.passed("not_a_question")
    if any(t.tag_ in _WH_TAGS for t in tokens) or tokens[0].pos_ == "AUX":
        return GateResult.passed("not_a_question")
    return GateResult.failed("not_a_question", "no root verb, wh-word or leading auxiliary")


def well_formed(text: str, doc: Any | None = None) -> GateResult:
    """The first failing well-formedness check of `text` (length, slots, doubled words and,
    when a spaCy `doc` of the text is given, question shape); a pass named "well_formed"."""
    checks = [length(text), leftover_slot(text), doubled_word(text)]
    if doc is not None:
        checks.append(question_shape(doc))
    _, decider = decide(checks)
    return decider if decider is not None else GateResult.passed("well_formed")


# --- entity labels ---------------------------------------------------------------------------

SOLID_SINGLE_TOKEN_LABELS = frozenset({"GPE", "LOC"})


def entity_label(ent: Any) -> GateResult:
    """Unsure ("weak_entity") for a one-token spaCy entity of a label other than GPE/LOC: the
    small model often tags such words wrongly ("Glow" a person, "Future" an organization), so
    a variant built on it needs a human look."""
    weak = len(ent) == 1 and ent.label_ not in SOLID_SINGLE_TOKEN_LABELS
    return GateResult.unsure_if(weak, "weak_entity",
                                f"one-word {ent.label_} {ent.text!r}: spaCy's label may be wrong")


# labels whose leftover mentions do not identify a referent by themselves
NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT",
                            "MONEY"})


def remaining_names(doc: Any, ent: Any, gate: str) -> GateResult:
    """Unsure when the question still names something besides the replaced entity `ent`: those
    names may pin the answer down anyway ("... on Wall Street in <invented city>?")."""
    others = [e.text for e in doc.ents if e.start != ent.start and e.label_ not in NUMERIC_LABELS]
    return GateResult.unsure_if(bool(others), gate,
                                f"other names remain ({', '.join(others)}); they may still "
                                f"identify the answer")


# --- not a near-duplicate of an answerable item ---------------------------------------------

class AnswerableIndex:
    """The answerable items of a build, indexed for the near-duplicate gate.

    Consumes every item of the stream; keeps the plain answerable ones (category `answerable`,
    should_abstain False). `clash(variant)` fails when the variant's prompt is a near-duplicate
    (abstain_data.dedupe.matcher.NearDuplicateIndex) of an answerable item other than its parent
    and, for a variant with a passage, that item is about the same passage: then the variant
    would be answerable after all.
    """

    def __init__(self, items: Iterable[Item], token_set_ratio: float = 90,
                 token_sort_ratio: float = 85) -> None:
        from abstain_data.dedupe.matcher import NearDuplicateIndex

        self.items = [it for it in items
                      if it.category is Category.ANSWERABLE and not it.should_abstain]
        self.index = NearDuplicateIndex([it.prompt for it in self.items],
                                        token_set_ratio=token_set_ratio,
                                        token_sort_ratio=token_sort_ratio)

    def clash(self, variant: Item) -> GateResult:
        """Fail with the matched id if `variant` is a near-duplicate of an answerable item."""
        context_key = None if variant.context is None else normalize_key(variant.context)
        for match in self.index.matches(variant.prompt):
            other = self.items[match.index]
            if other.id == variant.parent_id:
                continue
            if context_key is not None and normalize_key(other.context or "") != context_key:
                continue
            return GateResult.failed(
                "near_duplicate",
                f"near-duplicate of answerable {other.id} ({match.method} {match.score:.1f})",
            )
        return GateResult.passed("near_duplicate")
