"""Item validation throughput: jsonschema vs jsonschema_rs on the same generated items.

Generates N valid item dicts (default 20,000: answerable seeds, reading-comprehension items and
paired unanswerable variants) and prints, side by side in one run, items/s of pure-Python
`jsonschema` (Draft 2020-12) and of `jsonschema_rs` on the same schema, their ratio, and the
items/s of the whole `validate_items` (fast path plus the cross-field rules).

    python benchmarks/validate_bench.py [--n 20000]
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

import jsonschema
import jsonschema_rs

from abstain_data.items import Category, Domain, Item, Source, Transform, pair_id_for
from abstain_data.schema.validate import item_schema, validate_items


def generate(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """n valid item dicts (n rounded up to even): seeds, each with a paired variant."""
    rng = random.Random(seed)
    dicts: list[dict[str, Any]] = []
    while len(dicts) < n:
        k = len(dicts)
        context = f"Town {k} lies on the river Avon {k}. It was founded in {1500 + k % 500}."
        parent = Item(prompt=f"On which river does town {k} lie?", should_abstain=False,
                      category=Category.ANSWERABLE, context=context if k % 2 else None,
                      reference_answers=[f"Avon {k}"], domain=rng.choice(list(Domain)),
                      source=Source(dataset="bench", license="cc-by-4.0", row=k,
                                    topic=f"town {k}"))
        parent.pair_id = pair_id_for(parent.id)
        variant = Item(prompt=f"On which river does the city of Zarnovia {k} lie?",
                       should_abstain=True, category=Category.ENTITY_FABRICATED,
                       parent_id=parent.id, pair_id=parent.pair_id, source=parent.source,
                       rationale="Zarnovia does not exist.", confidence=0.9,
                       transform=Transform("fabricated_entity", "1", {"max_per_seed": 1}, 13))
        dicts += [parent.to_dict(), variant.to_dict()]
    return dicts


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:>12,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    dicts = generate(args.n)
    schema = item_schema()
    slow = jsonschema.Draft202012Validator(schema)
    fast = jsonschema_rs.Draft202012Validator(schema)

    started = time.perf_counter()
    slow_valid = sum(slow.is_valid(d) for d in dicts)
    slow_seconds = time.perf_counter() - started
    started = time.perf_counter()
    fast_valid = sum(fast.is_valid(d) for d in dicts)
    fast_seconds = time.perf_counter() - started
    started = time.perf_counter()
    problems = validate_items(dicts)
    full_seconds = time.perf_counter() - started
    assert slow_valid == fast_valid == len(dicts) and not problems, "generated items must be valid"

    print(f"{len(dicts):,} items")
    print(f"{'jsonschema items/s':<28}{rate(len(dicts), slow_seconds)}")
    print(f"{'jsonschema_rs items/s':<28}{rate(len(dicts), fast_seconds)}")
    print(f"{'ratio (rs / python)':<28}{slow_seconds / fast_seconds:>12.1f}x")
    print(f"{'validate_items items/s':<28}{rate(len(dicts), full_seconds)}")


if __name__ == "__main__":
    main()
