"""The release-time leakage check: near-duplicate prompts across splits fail the release."""

from __future__ import annotations

from pathlib import Path

import pytest
from release_builds import make_build, sample_items

from abstain_data.errors import UserError
from abstain_data.items import Category, Item, Source, Split
from abstain_data.releases.leakage import find_leaks
from abstain_data.releases.manifest import Version
from abstain_data.releases.plan import plan_release


def item(prompt: str, context: str | None = None, category: Category = Category.ANSWERABLE,
         ) -> Item:
    return Item(prompt=prompt, should_abstain=category.should_abstain, category=category,
                context=context, source=Source("s", "mit"))


def test_a_planted_cross_split_near_duplicate_is_found_and_named() -> None:
    a = item("Who wrote the novel Middlemarch in 1871?")
    b = item("Who was it that wrote the novel Middlemarch in 1871?")
    c = item("What is the boiling point of ethanol at sea level?")
    leaks = find_leaks([a, b, c], {a.id: Split.TRAIN, b.id: Split.TEST, c.id: Split.TEST})
    assert len(leaks) == 1
    leak = leaks[0]
    assert {leak.first, leak.second} == {a.id, b.id}
    assert "train" in leak.describe() and "test" in leak.describe()


def test_same_split_duplicates_and_different_passages_are_not_leaks() -> None:
    a = item("Who wrote the novel Middlemarch in 1871?")
    b = item("Who was it that wrote the novel Middlemarch in 1871?")
    assert find_leaks([a, b], {a.id: Split.TRAIN, b.id: Split.TRAIN}) == []
    q = "When was the bridge finished?"
    x = item(q, context="The Tay bridge over the firth was finished in 1878 by engineers.")
    y = item(q, context="Volcanic soils on the island of Java are rich in minerals and ash.")
    assert find_leaks([x, y], {x.id: Split.TRAIN, y.id: Split.TEST}) == []


def test_template_siblings_asking_different_things_are_not_leaks() -> None:
    a = item("My neighbour insists that bicycles should be banned from the tax system. Is there "
             "any sensible argument for that?", category=Category.BAIT_NONSENSE_GROUP)
    b = item("My neighbour insists that toasters should be banned from voting. Is there any "
             "sensible argument for that?", category=Category.BAIT_NONSENSE_GROUP)
    assert find_leaks([a, b], {a.id: Split.TRAIN, b.id: Split.TEST}) == []


def test_entity_gate_keeps_minimal_contrasts_apart() -> None:
    a = item("Who was the first president of France?")
    b = item("Who was the first president of Atlantis?", category=Category.ENTITY_FABRICATED)
    assert find_leaks([a, b], {a.id: Split.TRAIN, b.id: Split.TEST}) == []


def test_plan_release_fails_on_a_leak_naming_both_items(tmp_path: Path) -> None:
    items = sample_items()
    twin = item(items[-30].prompt.replace("please", "please!"))  # same text, new id, own group
    twin.source = Source("other_src", "mit")
    build = make_build(tmp_path / "build", [*items, twin])
    previous = {items[-30].id: Split.TRAIN, twin.id: Split.TEST}
    with pytest.raises(UserError, match="straddle splits") as caught:
        plan_release(build, Version(1, 0, 0), "o/n", previous=previous)
    assert items[-30].id in str(caught.value) and twin.id in str(caught.value)
