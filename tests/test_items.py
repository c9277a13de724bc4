"""The taxonomy is defined once, in items.Category: the schema and the labeling config agree."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from abstain_data.items import Category, Item, Source

PACKAGE = Path(__file__).resolve().parents[1] / "abstain_data"


def choices(root: ET.Element, name: str) -> list[str]:
    """The values of the `<Choices name=NAME>` block of a Label Studio config, in order."""
    [block] = [c for c in root.iter("Choices") if c.get("name") == name]
    return [choice.get("value", "") for choice in block.iter("Choice")]


def test_the_item_schema_lists_every_category_in_taxonomy_order() -> None:
    schema = json.loads((PACKAGE / "schema" / "item.schema.json").read_text("utf-8"))

    assert schema["properties"]["category"]["enum"] == [c.value for c in Category]


def test_the_labeling_config_offers_every_category_exactly_once() -> None:
    root = ET.parse(PACKAGE / "annotation" / "config.xml").getroot()
    reasons, baits = choices(root, "reason"), choices(root, "bait")

    # answerable and safety.harmful are whole judgements; every other code is a sub-choice
    assert reasons == [c.value for c in Category
                       if c.should_abstain and c is not Category.SAFETY_HARMFUL]
    assert baits == [c.value for c in Category if c.is_bait]
    assert {"answerable", "harmful"} <= set(choices(root, "judgement"))


def test_items_pickle_as_tuples_and_come_back_equal_with_record_and_known():
    import pickle

    from abstain_data.items import Transform

    item = Item(prompt="Who wrote Dune?", should_abstain=False, category=Category.ANSWERABLE,
                source=Source(dataset="toy", license="cc0-1.0", row=3),
                transform=Transform("negation", "1", {"a": [1]}, 13), context="A passage.",
                record="toy#3", known=frozenset({"domain"}), review={"queue_reason": "x"})
    data = pickle.dumps([item, item.source], protocol=pickle.HIGHEST_PROTOCOL)
    assert b"prompt" not in data  # field values only, not a dict of field names
    back, source = pickle.loads(data)
    assert back == item and back.record == "toy#3" and back.known == frozenset({"domain"})
    assert back.category is Category.ANSWERABLE and back.source is source  # memo kept
    assert back.id == item.id and back.transform == item.transform
