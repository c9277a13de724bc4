"""Routing: decide which items go to human review before the build is written."""

from __future__ import annotations

from abstain_data.items import LabelStatus
from abstain_data.pipeline.step import Batch, BatchStep, BuildContext


class RouteStep(BatchStep):
    """Sends builder-labelled items whose confidence is below a threshold to review.

    Consumes items; produces the same items, those with label_status `auto` and confidence
    below `review_below_confidence` turned into `needs_review` (queue_reason "low_confidence").
    Items already queued keep their reason; source labels are left as the corpus gave them.
    """

    name = "route"
    spread = False  # a comparison per item: cheaper than sending the item to a worker

    def __init__(self, ctx: BuildContext, review_below_confidence: float = 0.7) -> None:
        super().__init__(ctx)
        self.review_below_confidence = review_below_confidence

    def process(self, batch: Batch) -> Batch:
        threshold = self.review_below_confidence
        for item in batch.items:
            if item.label_status == LabelStatus.AUTO and item.confidence < threshold:
                item.label_status = LabelStatus.NEEDS_REVIEW
                item.review = {**(item.review or {}), "queue_reason": "low_confidence"}
                batch.count("low_confidence")
            if item.label_status == LabelStatus.NEEDS_REVIEW:
                batch.count("needs_review")
        return batch
