"""The release row of an item: the column contract the scoring area reads."""

from __future__ import annotations

from abstain_data.items import (
    Category,
    Complexity,
    Domain,
    Item,
    LabelStatus,
    Source,
    Transform,
)
from abstain_data.releases.features import RELEASE_FEATURES, release_row


def test_a_variant_row_flattens_source_transform_and_review() -> None:
    item = Item(prompt="Who funded the survey?", should_abstain=True,
                category=Category.CTX_MISSING, context="The valley was surveyed in 1708.",
                domain=Domain.HISTORY, complexity=Complexity.OPEN_ENDED,
                parent_id="ad-1", pair_id="pair-1", rationale="not in the passage",
                source=Source("squad", "cc-by-sa-4.0", original_id="q1", topic="Valleys"),
                transform=Transform("ctx_missing", "1.2"), label_status=LabelStatus.HUMAN_VERIFIED,
                confidence=0.8, review={"agreement": 0.9})
    row = release_row(item)
    assert set(row) == set(RELEASE_FEATURES)
    assert row["should_abstain"] == 1 and row["target"] == "abstain"
    assert RELEASE_FEATURES["category"].int2str(row["category"]) == "ctx.missing"
    assert RELEASE_FEATURES["domain"].int2str(row["domain"]) == "history"
    assert RELEASE_FEATURES["complexity"].int2str(row["complexity"]) == "open_ended"
    assert (row["builder"], row["builder_version"]) == ("ctx_missing", "1.2")
    assert (row["source_dataset"], row["source_license"], row["source_original_id"],
            row["source_topic"]) == ("squad", "cc-by-sa-4.0", "q1", "Valleys")
    assert row["review_agreement"] == 0.9 and row["label_status"] == "human_verified"


def test_absent_values_become_empty_strings_and_no_agreement() -> None:
    item = Item(prompt="What is the capital of Peru?", should_abstain=False,
                category=Category.ANSWERABLE, reference_answers=["Lima"],
                source=Source("trivia", "mit"))
    row = release_row(item)
    assert row["should_abstain"] == 0 and row["target"] == "answer"
    for key in ("context", "rationale", "pair_id", "parent_id", "source_original_id",
                "source_topic", "builder", "builder_version"):
        assert row[key] == "", key
    assert row["review_agreement"] is None
    assert row["reference_answers"] == ["Lima"]
