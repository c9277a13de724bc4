"""The nine builders over samples of the real corpora (UnAnswGen SQuAD passages, SelfAware,
UMWP) through the real runner: no errors, every family yields variants, no leaked answer."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from real_corpora import require_corpora

from abstain_data.builders import builder_class
from abstain_data.builders.gates import find_leak
from abstain_data.pipeline.runner import Runner
from abstain_data.pipeline.step import BuildContext
from abstain_data.sources import adapter_class
from abstain_data.sources.base import SourceSpec

NINE = ("context_swap", "entity_swap", "negation", "fabricated_entity", "future_shift",
        "referent_removal", "premise_corruption", "missing_quantity", "missing_specifics")
LIMITS = {"unanswgen": 300, "selfaware": 500, "umwp": 300}


@pytest.fixture(scope="module")
def result():
    # module scope: the `corpora` fixture is per test, so the same path and skip rule here
    corpora = require_corpora(Path(__file__).resolve().parents[2].parent / "shared" / "corpora")
    sources = [adapter_class(name)(SourceSpec(name=name, adapter=name, path=corpora / name,
                                              limit=limit))
               for name, limit in LIMITS.items()]
    ctx = BuildContext(seed=13, reference_year=2026)
    return Runner(batch_size=128).run(sources, [builder_class(n)(ctx) for n in NINE])


def test_every_family_but_advice_yields_variants(result):
    made = Counter(i.transform.builder for i in result.items if i.transform)
    # the real corpora carry no medical/legal/finance advice: missing_specifics has no seeds
    for name in NINE[:-1]:
        assert made[name] > 0, name
    stats = {s.name: s.counters for s in result.steps}
    assert stats["missing_specifics"].get("seeds_seen", 0) == 0
    assert stats["context_swap"]["seeds_seen"] >= 250


def test_no_kept_variant_leaks_its_parents_answer(result):
    by_id = {i.id: i for i in result.items}
    for item in result.items:
        if not item.transform:
            continue
        parent = by_id[item.parent_id]
        if item.label_status.value == "auto":
            assert find_leak(parent.reference_answers, item.prompt) is None, item.prompt
        if item.context != parent.context:
            assert find_leak(parent.reference_answers, item.context) is None, item.prompt


def test_ledger_balances(result):
    summary = result.ledger.balance()
    assert summary["records"] == len(result.items) + summary["fates"]["rejected"]
