"""The Label Studio task of an item, and the votes read back from exported annotations.

A task's `data` holds every variable of config.xml (`prompt`, `context`, `proposed`,
`rationale`; empty strings where the item has none) plus `item_id`, which is how push and pull
recognise an item, and `builder`. The builder's own label travels as a prediction with
`model_version` = "builder@version" ("source:<dataset>" for items taken from a corpus) and
`score` = the item's confidence.
"""

from __future__ import annotations

from typing import Any

from abstain_data.annotation.aggregate import Judgement, Vote, family_of
from abstain_data.items import Category, Item

JUDGEMENT = "judgement"
NOTE = "note"
# The config.xml tag that holds the code of each family that asks for one.
CODE_TAGS = {Judgement.UNANSWERABLE: "reason", Judgement.REFUSAL_BAIT: "bait"}
TO_NAME = "prompt"
_JUDGEMENTS = {judgement.value for judgement in Judgement}
_CODES = {category.value for category in Category}


def builder_of(item: Item) -> str:
    """Who proposed the item's label: "builder@version", or "source:<dataset>"."""
    if item.transform is None:
        return f"source:{item.source.dataset}"
    return f"{item.transform.builder}@{item.transform.builder_version}"


def task_for(item: Item) -> dict[str, Any]:
    """The import payload of one queued item: task data and the builder's prediction."""
    queue_reason = (item.review or {}).get("queue_reason") or "not given"
    proposed = (f"{family_of(item.category).value}: {item.category.value} "
                f"(queued because: {queue_reason}; proposed by {builder_of(item)} "
                f"with confidence {item.confidence:.2f})")
    return {
        "data": {
            "item_id": item.id,
            "prompt": item.prompt,
            "context": item.context or "",
            "proposed": proposed,
            "rationale": item.rationale or "",
            "builder": builder_of(item),
        },
        "predictions": [{
            "model_version": builder_of(item),
            "score": float(item.confidence),
            "result": result_for(family_of(item.category), item.category),
        }],
    }


def result_for(judgement: Judgement, code: Category | None = None,
               note: str = "") -> list[dict[str, Any]]:
    """The Label Studio result list for one judgement (with its code and an optional note)."""
    result = [_choice(JUDGEMENT, judgement.value)]
    if code is not None and judgement in CODE_TAGS:
        result.append(_choice(CODE_TAGS[judgement], code.value))
    if note:
        result.append({"from_name": NOTE, "to_name": TO_NAME, "type": "textarea",
                       "value": {"text": [note]}})
    return result


def _choice(tag: str, value: str) -> dict[str, Any]:
    return {"from_name": tag, "to_name": TO_NAME, "type": "choices",
            "value": {"choices": [value]}}


def votes_of(task: dict[str, Any]) -> list[Vote]:
    """The votes in one exported task (JSON export format); skipped and empty annotations
    are not votes."""
    item_id = task["data"].get("item_id")
    votes = []
    for annotation in task.get("annotations", []):
        if annotation.get("was_cancelled"):
            continue
        values = _values(annotation.get("result", []))
        judgement = values.get(JUDGEMENT)
        if judgement not in _JUDGEMENTS:
            continue
        judgement = Judgement(judgement)
        code = values.get(CODE_TAGS.get(judgement, ""))
        votes.append(Vote(
            item_id=item_id, task_id=task["id"], annotation_id=annotation["id"],
            annotator=_user_id(annotation.get("completed_by")),
            judgement=judgement,
            code=Category(code) if code in _CODES else None,
            note=values.get(NOTE, ""),
            created_at=annotation.get("created_at") or "",
            updated_at=annotation.get("updated_at") or "",
        ))
    return votes


def _values(result: list[dict[str, Any]]) -> dict[str, str]:
    """from_name -> first chosen value (choices) or text (textarea) of a result list."""
    values = {}
    for region in result:
        value = region.get("value", {})
        chosen = value.get("choices") or value.get("text") or []
        if chosen:
            values[region.get("from_name", "")] = str(chosen[0])
    return values


def _user_id(completed_by: Any) -> int:
    """The annotator id of `completed_by`, which exports give as an id or a user object."""
    if isinstance(completed_by, dict):
        return int(completed_by["id"])
    return int(completed_by)
