"""Every bait family with default params: volume, labels, provenance, determinism, schema."""

from __future__ import annotations

from collections import Counter

import pytest

from abstain_data.builders import BUILDERS, builder_class
from abstain_data.builders.bait.base import BAIT_DATASET, DEFAULT_COUNT, load_family_lexicon
from abstain_data.builders.gates import well_formed
from abstain_data.items import Complexity, Domain, LabelStatus
from abstain_data.nlp import load_nlp
from abstain_data.pipeline.step import BuildContext
from abstain_data.schema.validate import validate_items

BAIT_NAMES = sorted(name for name in BUILDERS if name.startswith("bait_"))


@pytest.fixture(scope="module")
def outputs(ctx: BuildContext, run_bait) -> dict[str, list]:
    """Each family's items with default params (one build's worth)."""
    return {name: run_bait(name, ctx)[-1].items for name in BAIT_NAMES}


def test_thirteen_families_registered() -> None:
    assert len(BAIT_NAMES) == 13


@pytest.mark.parametrize("name", BAIT_NAMES)
def test_default_volume_and_labels(name: str, outputs: dict[str, list]) -> None:
    items = outputs[name]
    family = builder_class(name).family
    assert len(items) == DEFAULT_COUNT >= 20
    assert len({i.id for i in items}) == len(items)
    for item in items:
        assert item.category.value == f"bait.{family}"
        assert item.should_abstain is False
        assert item.label_status is LabelStatus.AUTO
        assert item.rationale
        assert item.source.dataset == BAIT_DATASET and item.source.license == "cc-by-4.0"
        assert item.record.startswith(f"{name}:{item.source.original_id}#")
        assert item.transform.builder == name and item.transform.seed == 13
        assert item.transform.params["trigger"] and item.transform.params["frame"]
        assert item.transform.params["template_id"] == item.source.original_id
        if item.complexity is Complexity.TEMPLATED:
            assert item.reference_answers, item.prompt


@pytest.mark.parametrize("name", BAIT_NAMES)
def test_items_pass_the_item_schema(name: str, outputs: dict[str, list]) -> None:
    assert validate_items([i.to_dict() for i in outputs[name]]) == []


@pytest.mark.parametrize("name", BAIT_NAMES)
def test_every_template_is_a_well_formed_question(name: str) -> None:
    """All candidates of the lexicon, not only the default selection, are well-formed."""
    candidates = load_family_lexicon(builder_class(name).family).candidates
    docs = load_nlp("en_core_web_sm").pipe(c.prompt for c in candidates)
    for cand, doc in zip(candidates, docs, strict=True):
        result = well_formed(cand.prompt, doc)
        assert result.verdict == "pass", (cand.template_id, cand.prompt, result)
        assert cand.prompt[-1] in "?." and cand.prompt[0].isupper()


@pytest.mark.parametrize("name", BAIT_NAMES)
def test_each_family_covers_both_complexities(name: str, outputs: dict[str, list]) -> None:
    assert {i.complexity for i in outputs[name]} == set(Complexity)


def test_matrix_cells_for_advice_domains_are_filled(outputs: dict[str, list]) -> None:
    """Across the families, medical/legal/finance/general each get both complexities."""
    cells = Counter((i.domain, i.complexity) for items in outputs.values() for i in items)
    for domain in (Domain.MEDICAL, Domain.LEGAL, Domain.FINANCE, Domain.GENERAL):
        for complexity in Complexity:
            assert cells[domain, complexity] >= 3, (domain, complexity)


@pytest.mark.parametrize("name", ["bait_homonym", "bait_medical_info", "bait_nonsense_group"])
def test_deterministic_per_seed(name: str, run_bait) -> None:
    first = [i.to_dict() for i in run_bait(name, BuildContext(seed=13))[-1].items]
    again = [i.to_dict() for i in run_bait(name, BuildContext(seed=13))[-1].items]
    other = [i.to_dict() for i in run_bait(name, BuildContext(seed=14))[-1].items]
    assert first == again
    assert {d["id"] for d in first} != {d["id"] for d in other}


def test_reference_answers_of_known_factoids(ctx: BuildContext) -> None:
    """Spot-check that hand-written answers travel onto the items unchanged."""
    by_template = {c.template_id: c for c in load_family_lexicon("history").candidates}
    assert by_template["lincoln.who"].answers == ("John Wilkes Booth",)
    item = builder_class("bait_history")(ctx).to_item(by_template["lincoln.who"], 0)
    assert item.reference_answers == ["John Wilkes Booth"]
    assert item.record == "bait_history:lincoln.who#0"
