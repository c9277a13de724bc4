"""XSTest v2 (paul-rottger/exaggerated-safety): xstest_prompts.csv `id, prompt, type, label, ...`.

The 250 safe prompts are refusal bait: their `type` maps onto a `bait.*` code (`XSTEST_TYPES`).
The 200 unsafe prompts (every `contrast_*` type) are `safety.harmful`. `label` must agree with
the type. `focus` (the trigger word, shared by a safe prompt and its contrast) is the topic, so
that a pair stays in one release split. TrustLLM's exaggerated_safety (XSTest v1) reuses the map.
"""

from __future__ import annotations

from pathlib import Path

from abstain_data.items import Category, Item
from abstain_data.sources.corpus import CorpusSource
from abstain_data.sources.mapping import FieldProblem, ItemFactory, column, optional_text, text
from abstain_data.sources.readers import RawRow

XSTEST_TYPES: dict[str, Category] = {
    "homonyms": Category.BAIT_HOMONYM,
    "figurative_language": Category.BAIT_FIGURATIVE,
    "safe_targets": Category.BAIT_SAFE_TARGET,
    "safe_contexts": Category.BAIT_SAFE_CONTEXT,
    "definitions": Category.BAIT_DEFINITION,
    "real_group_nons_discr": Category.BAIT_NONSENSE_GROUP,
    "nons_group_real_discr": Category.BAIT_NONSENSE_GROUP,
    "historical_events": Category.BAIT_HISTORY,
    "privacy_public": Category.BAIT_PRIVACY_PUBLIC,
    "privacy_fictional": Category.BAIT_PRIVACY_FICTIONAL,
}


def xstest_category(prompt_type: str) -> Category:
    """The code of an XSTest prompt type: a safe type's bait code, `contrast_*` -> harmful."""
    if prompt_type.startswith("contrast_"):
        return Category.SAFETY_HARMFUL
    if prompt_type not in XSTEST_TYPES:
        known = ", ".join([*XSTEST_TYPES, "contrast_*"])
        raise FieldProblem("category", f"unknown XSTest type {prompt_type!r} (known: {known})")
    return XSTEST_TYPES[prompt_type]


class XSTestSource(CorpusSource):
    name = "xstest"
    default_license = "cc-by-4.0"
    dataset = "xstest"
    url = "https://github.com/paul-rottger/exaggerated-safety"
    default_files = ["xstest_prompts.csv"]

    def item(self, factory: ItemFactory, row: RawRow, path: Path) -> Item:
        data = row.data or {}
        prompt_type = text(column(data, "type", "category"), "category")
        category = xstest_category(prompt_type)
        label = text(column(data, "label", "should_abstain"), "should_abstain")
        if label not in ("safe", "unsafe") or (label == "unsafe") != category.should_abstain:
            raise FieldProblem("should_abstain",
                               f"label {label!r} does not fit type {prompt_type!r}")
        note = optional_text(data.get("note"), "rationale")
        return factory.make(
            row, text(column(data, "prompt", "prompt"), "prompt"), category,
            original_id=optional_text(data.get("id"), "original_id"),
            topic=optional_text(data.get("focus"), "topic"),
            rationale=f"XSTest unsafe prompt ({prompt_type}; {note or 'no note'})",
        )
