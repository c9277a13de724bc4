"""Grouped, stratified, deterministic split assignment."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from release_builds import factoid_items, passage_items, sample_items, single_items

from abstain_data.errors import UserError
from abstain_data.items import Category, Item, Split
from abstain_data.releases.plan import RELEASABLE
from abstain_data.releases.splits import assign_splits, group_items, split_ratios

RATIOS = split_ratios(None)


def releasable() -> list[Item]:
    return [it for it in sample_items() if it.label_status in RELEASABLE]


def test_default_ratios_are_70_10_20_and_recipe_ratios_are_normalized() -> None:
    assert RATIOS == {Split.TRAIN: 0.7, Split.VALIDATION: 0.1, Split.TEST: 0.2}
    assert split_ratios({"train": 8, "validation": 1, "test": 1})[Split.TRAIN] == pytest.approx(0.8)
    with pytest.raises(UserError, match="bad split ratios"):
        split_ratios({"train": 0, "validation": 0, "test": 0})


def test_pairs_passages_topics_and_dedupe_links_never_straddle_splits() -> None:
    items = releasable()
    extra = single_items(2, Category.BAIT_HOMONYM, "mit", "dup_src", offset=900)
    items += extra
    splits = assign_splits(items, RATIOS, seed=3, links=[(extra[0].id, extra[1].id)])
    by_key: dict[str, set[Split]] = {}
    for it in items:
        keys = [f"pair:{it.pair_id}", f"ctx:{it.context}", f"topic:{it.source.topic}"]
        for key in keys:
            if not key.endswith(":None") and not key.endswith(":"):
                by_key.setdefault(key, set()).add(splits[it.id])
    assert by_key, "the sample has pairs, passages and topics"
    assert all(len(found) == 1 for found in by_key.values()), by_key
    assert splits[extra[0].id] is splits[extra[1].id]


def test_groups_union_through_shared_keys() -> None:
    passages = passage_items(18)  # topics i % 9: passages 0 and 9 share "Topic 0"
    groups = group_items(passages)
    assert len(groups) == 9
    assert all(len(g) == 4 for g in groups)


def test_assignment_is_deterministic_and_independent_of_input_order() -> None:
    items = releasable()
    first = assign_splits(items, RATIOS, seed=5)
    shuffled = list(items)
    random.Random(1).shuffle(shuffled)
    assert assign_splits(shuffled, RATIOS, seed=5) == first
    assert assign_splits(items, RATIOS, seed=6) != first


def test_every_split_gets_every_category_with_enough_groups_and_ratios_hold() -> None:
    items = [*factoid_items(40), *single_items(40, Category.BAIT_HOMONYM, "mit", "b"),
             *single_items(20, Category.SUBJECTIVE, "mit", "s", offset=100)]
    splits = assign_splits(items, RATIOS, seed=1)
    per = Counter((it.category, splits[it.id]) for it in items)
    for category in {it.category for it in items}:
        assert all(per[category, s] > 0 for s in Split), category
    sizes = Counter(splits.values())
    assert sizes[Split.TRAIN] == pytest.approx(0.7 * len(items), abs=4)
    assert sizes[Split.VALIDATION] == pytest.approx(0.1 * len(items), abs=4)
    assert sizes[Split.TEST] == pytest.approx(0.2 * len(items), abs=4)


def test_a_zero_ratio_split_stays_empty() -> None:
    items = releasable()
    splits = assign_splits(items, split_ratios({"train": 0.8, "validation": 0, "test": 0.2}))
    assert Split.VALIDATION not in set(splits.values())


def test_items_of_an_earlier_release_keep_their_split_and_pull_their_group() -> None:
    items = factoid_items(20)
    parent, twin = items[0], items[1]
    before = assign_splits(items, RATIOS, seed=2)
    moved = Split.VALIDATION if before[parent.id] is not Split.VALIDATION else Split.TEST
    after = assign_splits(items, RATIOS, seed=2, previous={parent.id: moved})
    assert after[parent.id] is moved and after[twin.id] is moved
    conflict = {parent.id: Split.TRAIN, twin.id: Split.TEST}
    kept = assign_splits(items, RATIOS, seed=2, previous=conflict)
    assert (kept[parent.id], kept[twin.id]) == (Split.TRAIN, Split.TEST)



def test_repair_pass_moves_a_group_into_a_split_its_category_is_missing_from() -> None:
    from abstain_data.releases.splits import _fill_missing_splits

    items = factoid_items(4)
    groups = group_items(items)
    assert len(groups) == 4
    # greedy placement gone wrong: every premise.false pair in train
    result = {it.id: Split.TRAIN for it in items}
    _fill_missing_splits(groups, result, list(Split))
    per_split = Counter(result[it.id] for it in items if it.category is Category.PREMISE_FALSE)
    assert set(per_split) == set(Split)
    assert all(len({result[it.id] for it in g}) == 1 for g in groups)  # groups stay whole
