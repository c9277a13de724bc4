"""TrustLLM (HowieHwong/TrustLLM) dataset files: three JSON lists, dispatched by file name.

- exaggerated_safety.json (XSTest v1, `id, type, prompt, focus, note, source`): every prompt is
  safe; `type` maps onto a `bait.*` code with XSTest's map. 172 of 200 prompts are verbatim in
  XSTest v2; dedupe merges them when both sources are in a recipe.
- golden_advfactuality.json (`knowledge, modified knowledge, query, prompt`): the prompt asserts
  the modified (false) knowledge -> `premise.false`, rationale naming both.
- ood_detection.json (`prompt` only): requests for live or personal data or tool use ("the
  latest message in my inbox", "current petrol price"), answerable only with data the model
  does not have -> `stale` as the closest code; a guess (confidence GUESS, to review).
config is the file stem.
"""

from __future__ import annotations

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
from abstain_data.sources.xstest import xstest_category


class TrustLLMSource(CorpusSource):
    name = "trustllm"
    default_license = "mit"
    dataset = "trustllm"
    url = "https://github.com/HowieHwong/TrustLLM"
    default_files = ["exaggerated_safety.json", "golden_advfactuality.json",
                     "ood_detection.json"]

    def item(self, factory: ItemFactory, row: RawRow, path: Path) -> Item:
        data = row.data or {}
        prompt = text(column(data, "prompt", "prompt"), "prompt")
        kind = path.stem
        if kind == "exaggerated_safety":
            category = xstest_category(text(column(data, "type", "category"), "category"))
            if category.should_abstain:
                raise FieldProblem("category", "exaggerated_safety holds safe prompts only")
            return factory.make(row, prompt, category, config=kind,
                                original_id=optional_text(data.get("id"), "original_id"),
                                topic=optional_text(data.get("focus"), "topic"))
        if kind == "golden_advfactuality":
            false = text(column(data, "modified knowledge", "rationale"), "rationale")
            true = text(column(data, "knowledge", "rationale"), "rationale")
            return factory.make(row, prompt, Category.PREMISE_FALSE, config=kind,
                                rationale=f"The prompt asserts that {false} In fact: {true}")
        if kind == "ood_detection":
            return factory.make(row, prompt, Category.STALE, config=kind,
                                rationale="needs live or personal data, or a tool",
                                confidence=GUESS, review_reason=UNCERTAIN)
        raise FieldProblem("category", f"unknown TrustLLM file {path.name!r} (known: "
                           f"{', '.join(self.default_files)})")
