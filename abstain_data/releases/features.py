"""The release columns: one flat row per item, and the `datasets.Features` that type them.

The scoring area reads releases with exactly these columns (do not rename them): the label as a
ClassLabel (`should_abstain`: 0 = answer, 1 = abstain) plus its string twin `target`, taxonomy
fields as ClassLabels, and flat string/float metadata (empty string when a value is absent).
"""

from __future__ import annotations

import math
from typing import Any

from datasets import ClassLabel, Features, List, Value

from abstain_data.items import Category, Complexity, Domain, Item

TARGET_NAMES = ["answer", "abstain"]

RELEASE_FEATURES = Features({
    "id": Value("string"),
    "prompt": Value("string"),
    "context": Value("string"),
    "should_abstain": ClassLabel(names=TARGET_NAMES),
    "target": Value("string"),
    "category": ClassLabel(names=[c.value for c in Category]),
    "domain": ClassLabel(names=[d.value for d in Domain]),
    "complexity": ClassLabel(names=[c.value for c in Complexity]),
    "reference_answers": List(Value("string")),
    "rationale": Value("string"),
    "label_status": Value("string"),
    "confidence": Value("float64"),
    "pair_id": Value("string"),
    "parent_id": Value("string"),
    "source_dataset": Value("string"),
    "source_license": Value("string"),
    "source_original_id": Value("string"),
    "source_topic": Value("string"),
    "builder": Value("string"),
    "builder_version": Value("string"),
    "review_agreement": Value("float64"),
})


def review_agreement(item: Item) -> float | None:
    """The annotators' agreement recorded in `item.review`, or None when it was not reviewed."""
    value = (item.review or {}).get("agreement")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def release_row(item: Item) -> dict[str, Any]:
    """The release row of an item, keyed and typed as RELEASE_FEATURES (ClassLabels as ints)."""
    target = TARGET_NAMES[int(item.should_abstain)]
    return {
        "id": item.id,
        "prompt": item.prompt,
        "context": item.context or "",
        "should_abstain": int(item.should_abstain),
        "target": target,
        "category": RELEASE_FEATURES["category"].str2int(item.category.value),
        "domain": RELEASE_FEATURES["domain"].str2int(item.domain.value),
        "complexity": RELEASE_FEATURES["complexity"].str2int(item.complexity.value),
        "reference_answers": list(item.reference_answers),
        "rationale": item.rationale or "",
        "label_status": item.label_status.value,
        "confidence": float(item.confidence),
        "pair_id": item.pair_id or "",
        "parent_id": item.parent_id or "",
        "source_dataset": item.source.dataset,
        "source_license": item.source.license,
        "source_original_id": item.source.original_id or "",
        "source_topic": item.source.topic or "",
        "builder": item.transform.builder if item.transform else "",
        "builder_version": item.transform.builder_version if item.transform else "",
        "review_agreement": review_agreement(item),
    }
