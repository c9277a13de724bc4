"""Loading releases: fixture folders in Hub layout, split selection, errors, and a release that
`abstain_data.releases` itself wrote (the column contract between the two areas)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from abstain_data import buildfolder
from abstain_data.errors import UserError
from abstain_data.items import Category, Complexity, Domain, Item, LabelStatus, Source
from abstain_data.releases.write import write_release as make_release
from abstain_data.scoring.judge_rules import RulesJudge
from abstain_data.scoring.metrics import model_metrics
from abstain_data.scoring.release import load_release
from abstain_data.scoring.responses import read_responses
from abstain_data.scoring.score import score_model

from .conftest import ITEMS, write_jsonl, write_release


def test_all_splits_by_default(release: Path) -> None:
    items = load_release(str(release))
    assert sorted(i.id for i in items) == sorted(row[0] for row in ITEMS)
    by_id = {i.id: i for i in items}
    assert by_id["a4"].split == "validation"
    assert (by_id["u3"].should_abstain, by_id["u3"].category, by_id["u3"].domain,
            by_id["u3"].complexity) == (True, "under.domain_specifics", "medical", "open_ended")
    assert by_id["a4"].reference_answers == ("seven", "7")


def test_split_selection(release: Path) -> None:
    assert {i.id for i in load_release(str(release), splits=["validation"])} == {"a4", "u5"}
    with pytest.raises(UserError, match=r"no split 'train' \(the release has"):
        load_release(str(release), splits=["train"])


def test_errors(tmp_path: Path, release: Path) -> None:
    with pytest.raises(UserError, match="--revision applies to Hub ids"):
        load_release(str(release), revision="v1.0.0")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="not a release folder"):
        load_release(str(tmp_path / "empty"))
    twice = write_release(tmp_path / "twice", [ITEMS[0], (*ITEMS[0][:1], "validation",
                                                           *ITEMS[0][2:])])
    with pytest.raises(UserError, match="a1 repeated"):
        load_release(str(twice))


def _build(root: Path) -> Path:
    source = Source("fixture", "cc-by-4.0")
    items = []
    for n in range(30):
        items.append(Item(prompt=f"What is the capital of country number {n}?",
                          should_abstain=False, category=Category.ANSWERABLE, source=source,
                          reference_answers=[f"City{n}"], domain=Domain.GEOGRAPHY,
                          label_status=LabelStatus.SOURCE))
        items.append(Item(prompt=f"Who will win election number {n} in 2090?",
                          should_abstain=True, category=Category.UNKNOWN_FUTURE, source=source,
                          domain=Domain.POLITICS, complexity=Complexity.OPEN_ENDED,
                          label_status=LabelStatus.SOURCE))
    root.mkdir(parents=True)
    buildfolder.write_items(buildfolder.BuildFolder(root).items, items)
    build = {"recipe": {"seed": 1, "release": {"train": 0.6, "validation": 0.2, "test": 0.2}},
             "recipe_sha256": "0" * 64, "versions": {}, "sources": {}}
    (root / "build.json").write_text(json.dumps(build), encoding="utf-8")
    return root


def test_scores_a_release_written_by_the_releases_area(tmp_path: Path) -> None:
    folder = make_release("1.0.0", _build(tmp_path / "build"), tmp_path / "releases")
    items = load_release(str(folder))
    assert len(items) == 60
    assert {i.split for i in items} <= {"train", "validation", "test"}
    responses = {i.id: ("City" + i.prompt.split()[-1].rstrip("?") if not i.should_abstain
                        else "Nobody knows yet; that election has not happened.")
                 for i in items}
    path = write_jsonl(tmp_path / "oracle.jsonl", "oracle", responses)
    scored = score_model(items, read_responses(path), RulesJudge())
    metrics = model_metrics(scored.scored)
    assert (metrics.precision.value, metrics.recall.value) == (1.0, 1.0)
    assert metrics.answer_accuracy.value == 1.0
    assert scored.problems.to_dict() == {"unknown": [], "missing": [], "empty": []}
