"""A planted source for the cue filter tests: seeds, negation variants, some with a twin, where
the word "zorblat" gives most variants away."""

from __future__ import annotations

import random
from dataclasses import replace

from abstain_data.items import Category, Item, LabelStatus, Source, Transform, pair_id_for

WORDS = [f"word{n}" for n in range(150)]
CUE = "zorblat"


def item(prompt: str, category: Category, record: str, *, builder: str | None = None,
         parent: Item | None = None, dataset: str = "corpus") -> Item:
    """A source item, or a builder's variant of `parent` sharing its pair id."""
    return Item(prompt=prompt, should_abstain=category.should_abstain, category=category,
                source=Source(dataset=dataset, license="cc-by-4.0"),
                reference_answers=[] if category.should_abstain else ["an answer"],
                pair_id=None if parent is None else pair_id_for(parent.id),
                parent_id=None if parent is None else parent.id,
                transform=None if builder is None else Transform(builder, "1", {}, 13),
                label_status=LabelStatus.SOURCE if builder is None else LabelStatus.AUTO,
                record=record)


def planted(seeds: int = 120, cue_share: float = 0.7, twins_every: int = 4,
            seed: int = 0) -> list[Item]:
    """`seeds` answerable source questions of random words, each followed by its negation
    variant (the cue word in `cue_share` of them, in no answerable item) and, for every
    `twins_every`-th seed, an answerable `twin_negation_answered` twin."""
    rng = random.Random(seed)
    items: list[Item] = []
    for n in range(seeds):
        parent = item(" ".join(rng.sample(WORDS, 6)) + "?", Category.ANSWERABLE, f"corpus#{n}")
        words = rng.sample(WORDS, 6)
        if n < cue_share * seeds:
            words.insert(rng.randrange(6), CUE)
        items += [replace(parent, pair_id=pair_id_for(parent.id)),
                  item(" ".join(words) + "?", Category.CTX_NEGATION_ANTONYM,
                       f"negation:corpus#{n}#0", builder="negation", parent=parent)]
        if n % twins_every == 0:
            items.append(item(" ".join(rng.sample(WORDS, 6)) + "?", Category.ANSWERABLE,
                              f"twin_negation_answered:corpus#{n}#0",
                              builder="twin_negation_answered", parent=parent))
    return items
