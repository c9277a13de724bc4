"""Optional LLM-assisted tagging: a chat model re-tags the prompts the classifier only guessed.

Off by default; a recipe turns it on with

    [tagging.llm]
    url = "http://127.0.0.1:8000/v1"   # an OpenAI-compatible endpoint (the LLM judge's client)
    model = "qwen2.5-7b-instruct"

Consumes batches of items; yields the tag step's output (`step.TagStep`) in which every field the
classifier tagged as a guess (confidence below `classify.GUESS_BELOW`) is re-tagged by the model,
which gets the same domain and complexity guideline people follow
(`annotation/DOMAIN_GUIDELINE.md`) and the prompt alone, at temperature 0, and replies with a
domain and a complexity. Such a field's `tag_origin` becomes `{"method": "llm", "model":
"llm:<model>"}`; a reply naming no valid value keeps the classifier's guess (counted as
"llm_unclear:<field>"). Counters: "llm:<field>" for every field the model set. An unreachable
endpoint stops the build with one line naming the URL.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path

from abstain_data.chat import ChatClient
from abstain_data.items import Complexity, Domain, Item
from abstain_data.pipeline.step import Batch, BuildContext
from abstain_data.tagging.step import TAGGED_FIELDS, TagStep

GUIDELINE = Path(__file__).resolve().parents[1] / "annotation" / "DOMAIN_GUIDELINE.md"
REPLY_FORMAT = ("Follow the guideline below. Reply with exactly two words: the prompt's domain "
                "(one of: {domains}), then its complexity (templated or open_ended).")
VALUES = {"domain": tuple(d.value for d in Domain),
          "complexity": tuple(c.value for c in Complexity)}


@functools.cache
def instructions() -> str:
    """The system text: the reply format and the whole domain and complexity guideline."""
    head = REPLY_FORMAT.format(domains=", ".join(VALUES["domain"]))
    return f"{head}\n\n{GUIDELINE.read_text(encoding='utf-8')}"


def parse_tags(reply: str) -> dict[str, str]:
    """The first valid domain and complexity named in `reply` (a field absent when none is)."""
    words = re.findall(r"[a-z_]+", reply.lower().replace("open-ended", "open_ended"))
    found: dict[str, str] = {}
    for name, values in VALUES.items():
        hit = next((w for w in words if w in values), None)
        if hit is not None:
            found[name] = hit
    return found


class LLMTagStep(TagStep):
    """The tag step, with the classifier's guesses re-tagged by a chat model (module doc)."""

    data_files = ("annotation/DOMAIN_GUIDELINE.md",)
    repeatable = False  # the endpoint's replies decide the tags, and they are not in the signature

    def __init__(self, ctx: BuildContext, url: str, model: str, timeout: float = 60.0,
                 pipe_batch_size: int = 256) -> None:
        super().__init__(ctx, pipe_batch_size)
        self.url = url
        self.model = model
        self.timeout = timeout
        self.client = ChatClient(url, model, timeout, what="tagging endpoint")

    def _refine(self, item: Item, batch: Batch) -> Item:
        """`item` with the fields the classifier guessed asked of the model."""
        guessed = [n for n in TAGGED_FIELDS
                   if n not in item.known and item.tag_origin[n].get("guessed")]
        if not guessed:
            return item
        tags = parse_tags(self.client.complete(instructions(), f"Prompt:\n{item.prompt}\n\nTags:",
                                          max_tokens=16))
        origin = dict(item.tag_origin)
        changes: dict[str, Domain | Complexity] = {}
        for name in guessed:
            if name not in tags:
                batch.count(f"llm_unclear:{name}")
                continue
            changes[name] = Domain(tags[name]) if name == "domain" else Complexity(tags[name])
            origin[name] = {"method": "llm", "model": f"llm:{self.model}"}
            batch.count(f"llm:{name}")
        return replace(item, tag_origin=origin, **changes)
