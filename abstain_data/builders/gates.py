"""Verification gates shared by the builders: each check returns a `GateResult`.

A gate consumes the text of a candidate variant (and what it needs to judge it) and produces a
verdict: `pass`, `fail` (a hard failure: the variant is rejected with reason "gate:<slug>") or
`unsure` (inconclusive: the variant goes to human review with queue_reason "<slug>").
Gates never mutate items and never print.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
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


@lru_cache(maxsize=1_024)
def _searched_key(text: str) -> str:
    """normalize_key of a text searched for answers, remembered for the 1,024 most recent (a
    few MiB of passages): context_swap searches each sibling passage of a topic once for every
    seed of that topic, and the seeds of a topic come together."""
    return normalize_key(text)


def find_leak(answers: Sequence[str], text: str) -> str | None:
    """The first answer that appears in `text` (normalized whole-word match, or rapidfuzz
    partial_ratio >= 90 for answers longer than 12 characters); None when none does."""
    text_key = _searched_key(text)
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


# --- names left in the question ---------------------------------------------------------------

# labels whose leftover mentions do not identify a referent by themselves
NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT",
                            "MONEY"})


DESCRIBING_DEPS = frozenset({"relcl", "acl", "appos", "prep", "amod", "compound", "nmod"})
_QUOTED = re.compile(r"[\"“”‘]|(?:^|\s)'")


def remaining_names(doc: Any, ent: Any, gate: str,
                    harmless: frozenset[str] = NUMERIC_LABELS) -> GateResult:
    """Unsure when the question still says something besides the replaced entity `ent` that
    may pin the answer down anyway ("... on Wall Street in <invented city>?"): another entity
    (of a label not in `harmless`), a capitalized word past the first, a quoted title, or
    words describing the entity itself."""
    inside = range(ent.start, ent.end)
    found = [e.text for e in doc.ents if e.start != ent.start and e.label_ not in harmless]
    found += [t.text for t in doc if t.i not in inside and t.i > 0 and t.pos_ == "PROPN"]
    found += [t.text for t in doc if t.i not in inside and t.head.i in inside
              and t.dep_ in DESCRIBING_DEPS]
    if _QUOTED.search(doc.text):
        found.append("a quoted title")
    found = sorted(set(found))
    return GateResult.unsure_if(bool(found), gate,
                                f"{', '.join(found)} may still identify the answer")


# --- not a near-duplicate of an answerable item ---------------------------------------------

class AnswerableIndex:
    """The answerable items of a build, indexed for the near-duplicate gate.

    Consumes, of the plain answerable items of the stream (`answerable_rows`), only each one's
    id, prompt and normalized passage. `clash(variant)` fails when the variant's prompt is a
    near-duplicate (abstain_data.dedupe.matcher.NearDuplicateIndex) of an answerable item other
    than its parent and, for a variant with a passage, that item is about the same passage:
    then the variant would be answerable after all.
    """

    def __init__(self, rows: AnswerableRows, token_set_ratio: float = 90,
                 token_sort_ratio: float = 85) -> None:
        from abstain_data.dedupe.matcher import NearDuplicateIndex

        self.ids = rows.ids
        self.contexts = rows.contexts
        self.index = NearDuplicateIndex(rows.prompts, token_set_ratio=token_set_ratio,
                                        token_sort_ratio=token_sort_ratio)

    def clash(self, variant: Item) -> GateResult:
        """Fail with the matched id if `variant` is a near-duplicate of an answerable item."""
        context_key = None if variant.context is None else normalize_key(variant.context)
        for match in self.index.matches(variant.prompt):
            other = self.ids[match.index]
            if other == variant.parent_id:
                continue
            if context_key is not None and self.contexts[match.index] != context_key:
                continue
            return GateResult.failed(
                "near_duplicate",
                f"near-duplicate of answerable {other} ({match.method} {match.score:.1f})",
            )
        return GateResult.passed("near_duplicate")


class AnswerableRows:
    """What the near-duplicate gate reads of the plain answerable items (category
    `answerable`, should_abstain False) of a stream: ids, prompts, normalized passages ("" for
    none; equal ones one string), and a digest of the ids, prompts and passages in order.
    `reading(items)` collects them from items on their way to another reader (a builder's first
    pass over the stream reads its seeds and these at once)."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.prompts: list[str] = []
        self.contexts: list[str] = []
        self._digest = hashlib.sha256()
        self._shared: dict[str, str] = {}

    @property
    def digest(self) -> str:
        return self._digest.hexdigest()

    def reading(self, items: Iterable[Item]) -> Iterator[Item]:
        """`items`, each added (if plain answerable) as it passes."""
        for it in items:
            if it.category is Category.ANSWERABLE and not it.should_abstain:
                self.ids.append(it.id)
                self.prompts.append(it.prompt)
                key = normalize_key(it.context or "")
                self.contexts.append(self._shared.setdefault(key, key))
                self._digest.update(json.dumps([it.id, it.prompt, it.context]).encode("utf-8")
                                    + b"\n")
            yield it


def answerable_rows(items: Iterable[Item]) -> AnswerableRows:
    """The `AnswerableRows` of `items`, read in one pass."""
    rows = AnswerableRows()
    for _ in rows.reading(items):
        pass
    return rows


_LAST_INDEX: list[tuple[str, AnswerableIndex]] = []


def release_answerable_index() -> None:
    """Forget the index `answerable_index` keeps for the next builder (the last builder of a
    build calls this: at a million seeds the index holds hundreds of MiB)."""
    _LAST_INDEX.clear()


def answerable_index(items: Iterable[Item] | AnswerableRows) -> AnswerableIndex:
    """The AnswerableIndex of `items` (or of the rows read from them): the one made last when
    its answerable items have the same ids, prompts and passages in the same order (the
    unanswerable builders of a build add no answerable item, so they share one index instead
    of each indexing the stream again), else a new one, which replaces it. Only the last index
    is held."""
    rows = items if isinstance(items, AnswerableRows) else answerable_rows(items)
    if _LAST_INDEX and _LAST_INDEX[0][0] == rows.digest:
        return _LAST_INDEX[0][1]
    _LAST_INDEX.clear()  # the old index is freed before the new one is made
    index = AnswerableIndex(rows)
    _LAST_INDEX[:] = [(rows.digest, index)]
    return index


# --- fluency of an edited question ------------------------------------------------------------

FLUENCY = "not_fluent"
# a determiner (or wh-determiner) followed, at most one ordinal/number later, by another one:
# "Which that country", "the 19th the person" (not "that the ...": "that" joins clauses)
_DOUBLE_DET = re.compile(
    r"\b(?:which|what|whose|the|a|an|my|our|his|her|its|their)\s+"
    r"(?:(?:\d+(?:st|nd|rd|th)?|first|second|third|last|next)\s+)?"
    r"(?:the|a|an|this|that|these|those|my|our)\s", re.IGNORECASE)
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "poss", "dative",
                           "oprd", "conj", "appos", "ROOT", "npadvmod", "csubj"})
_NAME_GLUE = frozenset({"compound", "flat", "nmod", "amod", "nummod", "case"})


def _wh_words(doc: Any) -> list[str]:
    return sorted(t.lower_ for t in doc if t.tag_ in _WH_TAGS)


def _has_verb(doc: Any) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in doc)


def edited_span(seed_doc: Any, start: int, end: int) -> GateResult:
    """Whether characters [start, end) of the seed question are a whole noun phrase in an
    argument position: token-aligned, headed by a subject, object, prepositional object,
    attribute or possessor (not a modifier of a noun: "<Houston> astrodome"), not glued to a
    proper name or title around it ("Tower of <London>", "Mr. <Smith>"), and not holding the
    question's root verb."""
    inside = [t for t in seed_doc if start <= t.idx < end]
    if not inside or inside[0].idx != start or inside[-1].idx + len(inside[-1].text) < end:
        return GateResult.failed(FLUENCY, "the edit does not cover whole words")
    ids = {t.i for t in inside}
    heads = [t for t in inside if t.head.i not in ids or t.head.i == t.i]
    if len(heads) != 1:
        return GateResult.failed(FLUENCY, "the edited words are not one phrase")
    head = heads[0]
    if head.dep_ not in ARGUMENT_DEPS:
        return GateResult.failed(FLUENCY, f"the edited phrase is a {head.dep_}, not an argument")
    if any(t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX") for t in inside):
        return GateResult.failed(FLUENCY, "the edit removes the question's root verb")
    glued = [t for t in seed_doc if t.i not in ids and t.head.i in ids and t.dep_ in _NAME_GLUE
             and t.dep_ != "case"]
    if glued:
        return GateResult.failed(FLUENCY, f"{glued[0].text!r} modifies the edited name")
    before = seed_doc[inside[0].i - 1] if inside[0].i > 0 else None
    after = seed_doc[inside[-1].i + 1] if inside[-1].i + 1 < len(seed_doc) else None
    if after is not None and after.pos_ == "PROPN":
        return GateResult.failed(FLUENCY, f"the edit is part of the name ending {after.text!r}")
    if before is not None and before.pos_ == "PROPN" and before.i > 0:
        return GateResult.failed(FLUENCY, f"the edit is part of the name {before.text!r} ...")
    if before is not None and before.lower_ == "of" and before.head.pos_ == "PROPN":
        return GateResult.failed(FLUENCY, f"the edit is inside the name {before.head.text!r} of")
    return GateResult.passed(FLUENCY)


def fluent(seed_doc: Any, variant_doc: Any, span: tuple[int, int] | None = None) -> GateResult:
    """Fail when an edit made the question less fluent than its seed: a determiner doubled
    ("Which that country"), a question word or every verb lost, or (when the seed's edited
    character `span` is given) an edit that is not a whole argument noun phrase."""
    if len(_DOUBLE_DET.findall(variant_doc.text)) > len(_DOUBLE_DET.findall(seed_doc.text)):
        return GateResult.failed(FLUENCY, "doubled determiner")
    lost = [w for w in _wh_words(seed_doc) if _wh_words(variant_doc).count(w)
            < _wh_words(seed_doc).count(w)]
    if lost:
        return GateResult.failed(FLUENCY, f"the question word {lost[0]!r} is gone")
    if _has_verb(seed_doc) and not _has_verb(variant_doc):
        return GateResult.failed(FLUENCY, "the question lost its verb")
    if span is not None:
        return edited_span(seed_doc, *span)
    return GateResult.passed(FLUENCY)
