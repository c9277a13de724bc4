"""A release made after an annotation pull carries the human labels and the agreement numbers.

End to end as a user runs it: build the default recipe, push its review queue to a real Label
Studio, three annotator accounts vote (agreement, a code correction, a flipped label with a
dissent, a rejection, a tie), `annotate pull`, then `abstain-data release`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from annotation_helpers import vote
from label_studio_sdk import LabelStudio
from label_studio_server import LabelStudioServer
from typer.testing import CliRunner

import abstain_data
from abstain_data import buildfolder
from abstain_data.annotation.aggregate import Judgement, family_of, krippendorff_alpha_nominal
from abstain_data.annotation.client import KEY_ENV, URL_ENV
from abstain_data.annotation.project import require_project, task_ids
from abstain_data.annotation.state import read_queue, read_rounds
from abstain_data.build import run_build
from abstain_data.cli import app
from abstain_data.items import Category, Complexity, Item
from abstain_data.recipe import load_recipe
from abstain_data.releases.features import RELEASE_FEATURES
from abstain_data.releases.manifest import read_manifest

J = Judgement


def pick(queue: list[Item]) -> dict[str, Item]:
    """Six distinct queued items of the default build, one per situation, chosen by id."""
    chosen: dict[str, Item] = {}

    def first(name: str, builder: str, complexity: Complexity | None = None) -> None:
        chosen[name] = next(
            it for it in sorted(queue, key=lambda it: it.id)
            if it.transform and it.transform.builder == builder
            and (complexity is None or it.complexity is complexity)
            and it.id not in {c.id for c in chosen.values()})

    first("agreed_fabricated", "fabricated_entity", Complexity.TEMPLATED)
    first("recoded", "fabricated_entity", Complexity.TEMPLATED)
    first("agreed_referent", "referent_removal")
    first("rejected", "referent_removal")
    first("flipped", "missing_quantity", Complexity.OPEN_ENDED)
    first("tie", "referent_removal")
    return chosen


def cast_votes(client: LabelStudio, tasks: dict[str, int], items: dict[str, Item],
               users: list[int]) -> None:
    """Two annotators agree on most items, the third dissents on one; one item is broken."""
    a, b, c = users

    def proposed(name: str) -> tuple[Judgement, Category]:
        return family_of(items[name].category), items[name].category

    plan = {
        "agreed_fabricated": [(a, *proposed("agreed_fabricated")),
                              (b, *proposed("agreed_fabricated"))],
        "agreed_referent": [(a, *proposed("agreed_referent")), (b, *proposed("agreed_referent"))],
        "recoded": [(a, J.UNANSWERABLE, Category.PREMISE_FALSE),
                    (b, J.UNANSWERABLE, Category.PREMISE_FALSE)],
        "flipped": [(a, J.ANSWERABLE, None), (b, J.ANSWERABLE, None),
                    (c, *proposed("flipped"))],
        "rejected": [(b, J.BROKEN, None), (c, J.BROKEN, None)],
        "tie": [(a, J.ANSWERABLE, None), (c, *proposed("tie"))],
    }
    for name, votes in plan.items():
        for user, judgement, code in votes:
            vote(client, tasks[items[name].id], user, judgement, code)


def released_rows(folder: Path) -> dict[str, dict]:
    """Every row of every shard of a release folder (all configs), by item id."""
    rows = {}
    for shard in sorted((folder / "data").rglob("*.parquet")):
        for row in pq.read_table(shard).to_pylist():
            rows[row["id"]] = row
    return rows


def test_release_after_pull_carries_human_labels_and_agreement(
        client: LabelStudio, label_studio: LabelStudioServer, annotators: list[int],
        project_name: str, tmp_path: Path) -> None:
    env = {URL_ENV: label_studio.url, KEY_ENV: label_studio.api_key}
    runner = CliRunner()
    build = tmp_path / "build"
    run_build(load_recipe(None), build)
    queue = read_queue(build)
    items = pick(queue)

    pushed = runner.invoke(app, ["annotate", "push", str(build), "--project", project_name],
                           env=env)
    assert pushed.exit_code == 0, pushed.output
    tasks = task_ids(client, label_studio.connection,
                     require_project(client, label_studio.connection, project_name))
    cast_votes(client, tasks, items, annotators)
    pulled = runner.invoke(app, ["annotate", "pull", str(build), "--project", project_name],
                           env=env)
    assert pulled.exit_code == 0, pulled.output
    assert "resolved 5 (4 verified, of which 2 relabelled; 1 rejected); " \
           f"still open {len(queue) - 5}" in pulled.output

    released = runner.invoke(app, ["release", "1.0.0", "--build", str(build),
                                   "--out", str(tmp_path / "releases"), "--config", "all"])
    assert released.exit_code == 0, released.output
    folder = tmp_path / "releases" / "v1.0.0"
    rows = released_rows(folder)

    expected = {  # situation -> (category, should_abstain, review_agreement)
        "agreed_fabricated": (Category.ENTITY_FABRICATED, 1, 1.0),
        "agreed_referent": (items["agreed_referent"].category, 1, 1.0),
        "recoded": (Category.PREMISE_FALSE, 1, 1.0),
        "flipped": (Category.ANSWERABLE, 0, 0.6667),
    }
    category_names = RELEASE_FEATURES["category"]
    for name, (category, abstain, agreement) in expected.items():
        row = rows[items[name].id]  # a corrected label keeps its id
        assert row["label_status"] == "human_verified", name
        assert category_names.int2str(row["category"]) == category.value, name
        assert (row["should_abstain"], row["target"]) == (abstain, ["answer", "abstain"][abstain])
        assert row["review_agreement"] == pytest.approx(agreement), name
    assert items["rejected"].id not in rows and items["tie"].id not in rows
    verified = {i for i, row in rows.items() if row["label_status"] == "human_verified"}
    assert verified == {items[name].id for name in expected}
    assert all(row["review_agreement"] is None for i, row in rows.items() if i not in verified)

    [summary] = read_rounds(build)
    assert (summary["votes"], summary["verified"], summary["relabelled"],
            summary["rejected"]) == (13, 4, 2, 1)
    alpha = summary["krippendorff_alpha"]
    agreed = ["unanswerable", "unanswerable"]
    assert alpha == pytest.approx(krippendorff_alpha_nominal(
        [agreed, agreed, agreed, ["answerable", "answerable", "unanswerable"],
         ["broken", "broken"], ["answerable", "unanswerable"]]))
    card = (folder / "README.md").read_text("utf-8")
    quality = card.split("## Label quality", 1)[1].split("\n## ", 1)[0]
    assert f"| 1 | 13 | 4 | 2 | 1 | {len(queue) - 5} | {alpha:.3f} |" in quality
    # a builder's version is the package version plus a hash of its code
    for builder, figures in (("fabricated_entity", "2 | 1.000 | 0.500"),
                             ("missing_quantity", "1 | 0.000 | 0.000"),
                             ("referent_removal", "2 | 0.500 | 0.500")):
        row = rf"\| {builder}@{re.escape(abstain_data.__version__)}\+[0-9a-f]{{8}} \| {figures} \|"
        assert re.search(row, quality), row
    total = len(rows)
    assert f"4 of {total} released item(s) ({100 * 4 / total:.1f} %)" in quality
    assert "over 4 reviewed item(s): 0.917." in quality

    annotation = read_manifest(folder)["annotation"]
    assert annotation["rounds"] == [{key: summary[key] for key in (
        "round", "votes", "verified", "relabelled", "rejected", "still_open",
        "krippendorff_alpha")}]
    assert annotation["builders"] == summary["builders"]
    assert (annotation["human_verified"], annotation["mean_agreement"]) == (4, 0.9167)
    ledger = {row["item_id"]: row for row in
              buildfolder.read_ledger(buildfolder.BuildFolder(build).ledger)}
    assert (ledger[items["rejected"].id]["fate"], ledger[items["rejected"].id]["detail"]) == (
        "rejected", "human_rejected")
    assert json.loads((build / "annotations" / "rounds.json").read_text()) == [summary]
