"""The release-time leakage check: near-duplicate prompts across splits fail the release."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from release_builds import make_build, sample_items

from abstain_data.errors import UserError
from abstain_data.items import Category, Item, Source, Split
from abstain_data.releases.leakage import find_leaks
from abstain_data.releases.manifest import Version
from abstain_data.releases.plan import plan_release, split_without_leaks


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
    assert {leaks[0].pair.first, leaks[0].pair.second} == {a.id, b.id}
    text = leaks[0].describe()
    assert a.id in text and b.id in text and "(train)" in text and "(test)" in text
    assert find_leaks([a, b, c], {a.id: Split.TEST, b.id: Split.TEST, c.id: Split.TRAIN}) == []


def test_the_same_question_over_different_passages_is_not_a_pair() -> None:
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


def test_near_duplicates_share_a_split_and_released_apart_ones_fail(tmp_path: Path) -> None:
    items = sample_items()
    original = items[-30]
    twin = item(original.prompt.replace("Tell me about", "Please tell me about"))
    twin.source = Source("other_src", "mit")
    build = make_build(tmp_path / "build", [*items, twin])
    plan = plan_release(build, Version(1, 0, 0), "o/n", configs=["all"])
    split_of = {it.id: it.split for it in plan.items}
    assert split_of[original.id] is split_of[twin.id]
    previous = {original.id: Split.TRAIN, twin.id: Split.TEST}
    with pytest.raises(UserError, match="straddle splits") as caught:
        plan_release(build, Version(1, 1, 0), "o/n", previous=previous)
    assert f"{original.id} (train)" in str(caught.value) or f"{twin.id} (test)" in str(caught.value)
    assert original.id in str(caught.value) and twin.id in str(caught.value)


def test_a_long_chain_of_near_duplicates_ends_in_one_split_however_many_rounds_it_takes(
        ) -> None:
    # each prompt changes one word of the one before: neighbours are near-duplicates, ends are
    # not, and every re-split can put a new pair of neighbours apart (with this chain the old
    # cap of five rounds left a leak and failed the release of a build with no earlier release)
    words = ["apple", "river", "stone", "cloud", "forest", "silver", "garden", "window",
             "candle", "market", "bridge", "meadow", "harbor", "valley", "copper", "lantern",
             "orchard"]
    current = ["What", "is", "the", "history", "of", "the", "old", "town", "bridge", "near",
               "the", "harbor", "in", "spring"]
    rng = random.Random(2)
    items = []
    for n in range(100):
        position = rng.randrange(3, len(current))
        current[position] = rng.choice(words)
        items.append(Item(prompt=" ".join(current) + "?", should_abstain=False,
                          category=Category.ANSWERABLE, source=Source("t", "cc-by-4.0"),
                          record=f"t#{n}"))
    ratios = {Split.TRAIN: 0.7, Split.VALIDATION: 0.1, Split.TEST: 0.2}
    splits, _, leaks = split_without_leaks(items, ratios, 3, [], None)
    assert leaks == []
    assert find_leaks(items, splits) == []
