"""The twins inside the embedded default build: every family fires, each twin pairs with an
unanswerable sibling, is labelled answerable and passes the gates, and the ledger balances."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import abstain_data
from abstain_data import buildfolder
from abstain_data.build import run_build
from abstain_data.builders import BUILDERS, builder_class
from abstain_data.builders.gates import answer_leak, well_formed
from abstain_data.items import Category, Item, LabelStatus, pair_id_for
from abstain_data.nlp import load_nlp
from abstain_data.recipe import load_recipe

TWINS = sorted(name for name in BUILDERS if name.startswith("twin_"))


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("twins") / "build"
    run_build(load_recipe(None), out)
    return out


@pytest.fixture(scope="module")
def items(build: Path) -> list[Item]:
    return buildfolder.read_items(build / buildfolder.ITEMS)


def twins_of(items: list[Item], name: str) -> list[Item]:
    return [i for i in items if i.transform is not None and i.transform.builder == name]


def test_six_twin_families_registered() -> None:
    assert len(TWINS) == 6
    siblings = {builder_class(name).sibling for name in TWINS}
    assert siblings == {"fabricated_entity", "future_shift", "negation", "referent_removal",
                        "premise_corruption", "missing_quantity"}
    assert siblings <= BUILDERS.keys()


@pytest.mark.parametrize("name", TWINS)
def test_every_twin_family_yields_twins(name: str, items: list[Item]) -> None:
    twins = twins_of(items, name)
    assert twins, name
    assert sum(t.label_status is LabelStatus.AUTO for t in twins) >= 1


@pytest.mark.parametrize("name", TWINS)
def test_each_twin_pairs_with_an_unanswerable_sibling(name: str, build: Path,
                                                      items: list[Item]) -> None:
    """Every twin shares its seed's pair id, and the ledger shows a sibling variant of that
    same seed (kept, queued, or merged into an identical unanswerable item by dedupe)."""
    sibling = builder_class(name).sibling
    by_id = {i.id: i for i in items}
    for twin in twins_of(items, name):
        assert twin.pair_id == pair_id_for(twin.parent_id) == by_id[twin.parent_id].pair_id
    ledger = buildfolder.read_ledger(build / buildfolder.LEDGER)
    fates = {row["record"]: row["fate"] for row in ledger}
    twin_records = [r for r, fate in fates.items()
                    if r.startswith(f"{name}:") and fate in ("kept", "needs_review")]
    assert twin_records
    for record in twin_records:
        seed_record = record.removeprefix(f"{name}:").rsplit("#", 1)[0]
        siblings = [fates[r] for r in fates if r.startswith(f"{sibling}:{seed_record}#")]
        assert set(siblings) & {"kept", "needs_review", "duplicate_of"}, record
    surviving = {i.parent_id: i.pair_id for i in twins_of(items, sibling) if i.should_abstain}
    paired = [t for t in twins_of(items, name) if t.parent_id in surviving]
    assert paired and all(surviving[t.parent_id] == t.pair_id for t in paired)


@pytest.mark.parametrize("name", TWINS)
def test_twins_are_labelled_answerable(name: str, items: list[Item]) -> None:
    for twin in twins_of(items, name):
        assert twin.should_abstain is False
        assert twin.category is Category.ANSWERABLE
        assert twin.rationale
        # open-ended advice seeds have no reference answers; every other twin has its own
        assert twin.reference_answers or name in ("twin_premise_true", "twin_referent_resolved")
        # the step's version: the package version plus a hash of its code
        assert twin.transform.builder_version.startswith(f"{abstain_data.__version__}+")
        assert twin.label_status in (LabelStatus.AUTO, LabelStatus.NEEDS_REVIEW)


@pytest.mark.parametrize("name", TWINS)
def test_kept_twins_pass_the_shared_gates(name: str, items: list[Item]) -> None:
    twins = twins_of(items, name)
    nlp = load_nlp("en_core_web_sm")
    for twin, doc in zip(twins, nlp.pipe(t.prompt for t in twins), strict=True):
        assert well_formed(twin.prompt, doc).verdict == "pass", twin.prompt
        answers = [a for a in twin.reference_answers if a.lower() not in ("yes", "no")]
        assert answer_leak(answers, twin.prompt).verdict == "pass", twin.prompt


def test_every_twin_record_has_a_fate_and_the_ledger_balances(build: Path,
                                                             items: list[Item]) -> None:
    ledger = buildfolder.read_ledger(build / buildfolder.LEDGER)
    fates = Counter(row["fate"] for row in ledger if row["record"].startswith("twin_"))
    kept = sum(1 for i in items if i.transform and i.transform.builder.startswith("twin_"))
    assert fates["kept"] + fates["needs_review"] == kept > 0
    stats = json.loads((build / buildfolder.STATS).read_text())
    entered = sum(stats["ledger"]["entered"].values())
    assert entered == stats["ledger"]["records"] == sum(stats["ledger"]["fates"].values())
    for name in TWINS:
        assert stats["ledger"]["entered"][f"step:{name}"] >= len(twins_of(items, name))
