"""CoCoNot (allenai/noncompliance): coconot_eval.jsonl and coconot_contrast_eval.jsonl.

Rows are `id, category, subcategory, prompt, response`. The eval ("original") prompts should be
refused or abstained on; each subcategory maps onto a code (`ORIGINAL`). Where no taxonomy code
fits (CoCoNot's "unsupported" and "humanizing" requests ask for a capability or a personal life
the model lacks) the closest code is a guess: confidence GUESS and the item goes to review. The
one jailbreak string filed as "Requests with safety concerns / incomprehensible" keeps the
safety reading, also for review.

The contrast prompts should be answered: "false presuppositions", "underspecified" and
"modality limitations" contrasts are plain `answerable`; the "dangerous or sensitive topics"
and "privacy violations" contrasts are refusal bait. Those about a movie, show, book or game are
`bait.safe_context` (confidence 0.8); the rest are guessed `bait.homonym` (dangerous topics:
"kill time", "burn a CD") or `bait.privacy_public` (privacy: "address of the Pentagon") and go
to review, since CoCoNot does not say which bait type a prompt is.
"""

from __future__ import annotations

import re
from pathlib import Path

from abstain_data.items import Category, Item
from abstain_data.sources.corpus import CorpusSource
from abstain_data.sources.mapping import (
    GUESS,
    UNCERTAIN,
    FieldProblem,
    ItemFactory,
    column,
    optional_text,
    text,
)
from abstain_data.sources.readers import RawRow

C = Category
# subcategory -> (code, sure?)
ORIGINAL: dict[str, tuple[Category, bool]] = {
    "dangerous or sensitive topics": (C.SAFETY_HARMFUL, True),
    "privacy violations": (C.SAFETY_HARMFUL, True),
    "triggers for offensive language": (C.SAFETY_HARMFUL, True),
    "misinformation": (C.SAFETY_HARMFUL, True),
    "copyright violations": (C.SAFETY_HARMFUL, True),
    "wildchats": (C.SAFETY_HARMFUL, False),
    "false presuppositions": (C.PREMISE_FALSE, True),
    "underspecified": (C.UNDER_INTENT, True),
    "incomprehensible": (C.UNDER_INTENT, True),
    "universal unknowns": (C.UNKNOWN_UNSOLVED, True),
    "subjective questions": (C.SUBJECTIVE, True),
    "temporal limitations": (C.STALE, True),
    "offer advice, opinion or recommendations": (C.SUBJECTIVE, False),
    "personal inquiry": (C.PREMISE_FALSE, False),
    "input modality limitations": (C.PREMISE_FALSE, False),
    "output modality limitations": (C.PREMISE_FALSE, False),
    "style and length limitations": (C.PREMISE_FALSE, False),
}
# (category, subcategory) pairs filed against their subcategory's meaning
MISFILED: dict[tuple[str, str], tuple[Category, bool]] = {
    ("Requests with safety concerns", "incomprehensible"): (C.SAFETY_HARMFUL, False),
}
CONTRAST_ANSWERABLE = ("false presuppositions", "underspecified", "modality limitations")
CONTRAST_BAIT = {
    "dangerous or sensitive topics": C.BAIT_HOMONYM,
    "privacy violations": C.BAIT_PRIVACY_PUBLIC,
}
FICTION = re.compile(
    r"\b(movies?|films?|tv shows?|shows?|series|novels?|books?|games?|video games?|stor(y|ies)|"
    r"characters?|fiction(al)?|role-playing|theat(re|er)|plays?|scenes?|minecraft|"
    r"breaking bad|harry potter|mr\. robot|iron man|sherlock|romeo and juliet|superbad|"
    r"catch me if you can|mission impossible|dungeons and dragons)\b",
    re.IGNORECASE,
)
FICTION_CONFIDENCE = 0.8


class CoCoNotSource(CorpusSource):
    name = "coconot"
    default_license = "ai2-impact-lr"
    dataset = "coconot"
    url = "https://github.com/allenai/noncompliance"
    default_files = ["coconot_eval.jsonl", "coconot_contrast_eval.jsonl"]

    def item(self, factory: ItemFactory, row: RawRow, path: Path) -> Item:
        data = row.data or {}
        prompt = text(column(data, "prompt", "prompt"), "prompt")
        group = text(column(data, "category", "category"), "category")
        subcategory = text(column(data, "subcategory", "category"), "category")
        contrast = "contrast" in path.stem
        if contrast:
            category, confidence = self._contrast(prompt, subcategory)
        else:
            category, confidence = self._original(group, subcategory)
        return factory.make(
            row, prompt, category,
            config="contrast" if contrast else "original", split="test",
            original_id=optional_text(data.get("id"), "original_id"),
            rationale=f"CoCoNot: {group} / {subcategory}",
            confidence=confidence,
            review_reason=UNCERTAIN if confidence < FICTION_CONFIDENCE else None,
        )

    @staticmethod
    def _original(group: str, subcategory: str) -> tuple[Category, float]:
        key = subcategory.lower()
        found = MISFILED.get((group, key)) or ORIGINAL.get(key)
        if found is None:
            raise FieldProblem("category", f"unknown CoCoNot subcategory {subcategory!r}")
        category, sure = found
        return category, 1.0 if sure else GUESS

    @staticmethod
    def _contrast(prompt: str, subcategory: str) -> tuple[Category, float]:
        key = subcategory.lower()
        if key in CONTRAST_ANSWERABLE:
            return Category.ANSWERABLE, 1.0
        if key not in CONTRAST_BAIT:
            raise FieldProblem("category", f"unknown CoCoNot contrast subcategory {subcategory!r}")
        if FICTION.search(prompt):
            return Category.BAIT_SAFE_CONTEXT, FICTION_CONFIDENCE
        return CONTRAST_BAIT[key], GUESS
