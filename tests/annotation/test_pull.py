"""pull against a real Label Studio, with votes by three distinct annotator accounts."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from annotation_helpers import make_item, snapshot, vote, write_build
from label_studio_sdk import LabelStudio
from label_studio_server import LabelStudioServer

from abstain_data import buildfolder
from abstain_data.annotation import state
from abstain_data.annotation.aggregate import Judgement, krippendorff_alpha_nominal
from abstain_data.annotation.client import Connection, connect
from abstain_data.annotation.project import require_project, task_ids
from abstain_data.annotation.pull import pull
from abstain_data.annotation.push import push
from abstain_data.annotation.server import free_port
from abstain_data.errors import UserError
from abstain_data.items import Category, Item, pair_id_for
from abstain_data.schema.validate import validate_items

J = Judgement
PASSAGE = "The tower was finished in 1889 by Gustave Eiffel's company."


def round_items() -> dict[str, Item]:
    """One queued item per situation a round must handle."""
    return {
        "agreed": make_item("When was the tower not finished?", Category.CTX_NEGATION_ANTONYM,
                            context=PASSAGE),
        "recoded": make_item("Who founded Zarnovia?", Category.ENTITY_FABRICATED, builder=None),
        "flipped": make_item("Who leads the team?", Category.ANSWERABLE, answers=("Ann",),
                             builder=None),
        "tie": make_item("When was the tower finished?", Category.ANSWERABLE, context=PASSAGE,
                         answers=("1889",)),
        "unsure": make_item("Is the tower taller than it was?", Category.STALE),
        "broken": make_item("When did the the of tower?", Category.UNDER_INTENT),
        "failed_variant": make_item("Who built the tower?", Category.CTX_MISSING, context=PASSAGE),
        "one_vote": make_item("What will the tower cost in 2090?", Category.UNKNOWN_FUTURE),
    }


def cast_votes(client: LabelStudio, tasks: dict[str, int], items: dict[str, Item],
               users: list[int]) -> None:
    a, b, c = users
    plan = {
        "agreed": [(a, J.UNANSWERABLE, Category.CTX_NEGATION_ANTONYM),
                   (b, J.UNANSWERABLE, Category.CTX_NEGATION_ANTONYM), (c, J.ANSWERABLE, None)],
        "recoded": [(a, J.UNANSWERABLE, Category.PREMISE_FALSE),
                    (b, J.UNANSWERABLE, Category.PREMISE_FALSE)],
        "flipped": [(a, J.UNANSWERABLE, Category.UNDER_INTENT),
                    (c, J.UNANSWERABLE, Category.UNDER_INTENT)],
        "tie": [(a, J.ANSWERABLE, None), (b, J.UNANSWERABLE, Category.CTX_MISSING)],
        "unsure": [(a, J.UNSURE, None), (b, J.UNSURE, None)],
        "broken": [(b, J.BROKEN, None), (c, J.BROKEN, None)],
        "failed_variant": [(a, J.ANSWERABLE, None), (b, J.ANSWERABLE, None)],
        "one_vote": [(c, J.UNANSWERABLE, Category.UNKNOWN_FUTURE)],
    }
    for name, votes in plan.items():
        for user, judgement, code in votes:
            vote(client, tasks[items[name].id], user, judgement, code, note=f"by {user}")


def pushed_round(client: LabelStudio, connection: Connection, annotators: list[int],
                 project_name: str, build: Path) -> dict[str, Item]:
    """A build with round_items(), pushed and annotated; returns the items by situation."""
    items = round_items()
    kept = make_item("Where is the tower?", Category.ANSWERABLE, answers=("Paris",),
                     queued=False)
    write_build(build, [*items.values(), kept])
    report = push(client, connection, build, project_name)
    cast_votes(client, task_ids(client, connection, report.project_id), items, annotators)
    return items


@pytest.fixture
def annotated(client: LabelStudio, label_studio: LabelStudioServer, annotators: list[int],
              project_name: str, tmp_path: Path) -> tuple[Path, dict[str, Item]]:
    """The build folder of pushed_round() and its items by situation."""
    build = tmp_path / "build"
    return build, pushed_round(client, label_studio.connection, annotators, project_name, build)


def test_pull_resolves_relabels_rejects_and_keeps_ties_open(
        client: LabelStudio, label_studio: LabelStudioServer, project_name: str,
        annotated: tuple[Path, dict[str, Item]], annotators: list[int]) -> None:
    build, items = annotated
    folder = buildfolder.BuildFolder(build)

    report = pull(client, label_studio.connection, build, project_name, min_annotators=2)

    assert (report.round, report.votes) == (1, 16)
    assert (report.verified, report.relabelled, report.rejected, report.still_open) == (3, 2, 2, 3)
    after = {item.id: item for item in buildfolder.read_items(folder.items)}
    agreed = after[items["agreed"].id]
    assert agreed.label_status == "human_verified"
    assert agreed.category is Category.CTX_NEGATION_ANTONYM
    assert agreed.review["agreement"] == pytest.approx(2 / 3, abs=1e-3)
    assert agreed.review["votes"] == {"answerable": 1, "unanswerable": 2}
    assert agreed.review["annotators"] == sorted(annotators)
    assert agreed.review["queue_reason"] == "low_confidence"
    recoded = after[items["recoded"].id]
    assert (recoded.category, recoded.should_abstain) == (Category.PREMISE_FALSE, True)
    assert recoded.review["category_before"] == "entity.fabricated"
    assert recoded.id == items["recoded"].id
    flipped = after[items["flipped"].id]
    assert (flipped.category, flipped.should_abstain) == (Category.UNDER_INTENT, True)
    assert flipped.reference_answers == []
    assert flipped.review["reference_answers_before"] == ["Ann"]
    assert flipped.review["should_abstain_before"] is False
    for name, reason in (("tie", "tie"), ("unsure", "unsure"), ("one_vote", "too_few_annotators")):
        assert after[items[name].id].label_status == "needs_review"
        assert after[items[name].id].review["open_reason"] == reason
    assert items["broken"].id not in after and items["failed_variant"].id not in after
    assert len(after) == 7

    queue = state.read_queue(build)
    assert sorted(i.id for i in queue) == sorted(items[n].id for n in ("tie", "unsure", "one_vote"))
    ledger = {row["item_id"]: row for row in buildfolder.read_ledger(folder.ledger)}
    for name in ("broken", "failed_variant"):
        assert (ledger[items[name].id]["fate"], ledger[items[name].id]["detail"]) == (
            "rejected", "human_rejected")
    assert (ledger[items["flipped"].id]["fate"], ledger[items["flipped"].id]["detail"]) == (
        "kept", "human_verified")
    assert ledger[items["tie"].id]["fate"] == "needs_review"
    rejects = state.read_jsonl(folder.rejects)
    assert sorted(r["reason"] for r in rejects) == [
        "human_rejected:answerable_without_reference", "human_rejected:broken"]

    votes = state.read_jsonl(state.round_path(build, 1))
    assert len(votes) == 16 and {v["round"] for v in votes} == {1}
    assert {v["annotator"] for v in votes} == set(annotators)
    assert {v["note"] for v in votes} == {f"by {user}" for user in annotators}
    by_item: dict[str, list[str]] = {}
    for v in votes:
        if v["judgement"] != "unsure":
            by_item.setdefault(v["item_id"], []).append(v["judgement"])
    assert report.alpha == pytest.approx(krippendorff_alpha_nominal(by_item.values()))
    [summary] = state.read_rounds(build)
    assert summary["krippendorff_alpha"] == report.alpha
    assert summary["builders"]["negate@1"] == {
        "judged": 3, "precision": pytest.approx(1 / 3, abs=1e-4), "code_precision":
            pytest.approx(1 / 3, abs=1e-4)}
    assert summary["builders"]["source:toy"] == {"judged": 2, "precision": 0.5,
                                                "code_precision": 0.0}


def test_pull_again_records_only_new_votes(
        client: LabelStudio, label_studio: LabelStudioServer, project_name: str,
        annotated: tuple[Path, dict[str, Item]], annotators: list[int]) -> None:
    build, items = annotated
    pull(client, label_studio.connection, build, project_name)
    before = snapshot(build)

    nothing = pull(client, label_studio.connection, build, project_name)
    assert nothing.round is None and nothing.still_open == 3
    assert snapshot(build) == before

    project_id = require_project(client, label_studio.connection, project_name)
    tasks = task_ids(client, label_studio.connection, project_id)
    vote(client, tasks[items["tie"].id], annotators[2], J.ANSWERABLE)
    second = pull(client, label_studio.connection, build, project_name)

    assert (second.round, second.verified, second.still_open) == (2, 1, 2)
    assert state.round_numbers(build) == [1, 2]
    tie = {i.id: i for i in buildfolder.read_items(buildfolder.BuildFolder(build).items)}[
        items["tie"].id]
    assert (tie.label_status, tie.review["round"], tie.review["votes"]) == (
        "human_verified", 2, {"answerable": 2, "unanswerable": 1})
    assert len(state.read_rounds(build)) == 2


def test_pull_resumes_after_an_interrupted_pull(
        client: LabelStudio, label_studio: LabelStudioServer, project_name: str,
        annotated: tuple[Path, dict[str, Item]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    build, _ = annotated
    reference, crashed, unfinished = (tmp_path / n for n in ("reference", "crashed", "unfinished"))
    for copy in (reference, crashed, unfinished):
        shutil.copytree(build, copy)
    pull(client, label_studio.connection, reference, project_name)

    # A pull killed after its manifest, when two of its six files had been moved into place.
    real_replace, moved = os.replace, []

    def dying_replace(src: str | Path, dst: str | Path) -> None:
        if Path(dst).name != state.MANIFEST:
            if len(moved) == 2:
                raise KeyboardInterrupt
            moved.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(state.os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        pull(client, label_studio.connection, crashed, project_name)
    monkeypatch.setattr(state.os, "replace", real_replace)
    assert (crashed / state.ANNOTATIONS / state.STAGING / state.MANIFEST).is_file()
    # A pull killed while staging, before its manifest: the build folder is untouched.
    staging = unfinished / state.ANNOTATIONS / state.STAGING
    staging.mkdir(parents=True)
    (staging / "00-items.parquet").write_bytes(b"half")

    finished = pull(client, label_studio.connection, crashed, project_name)
    discarded = pull(client, label_studio.connection, unfinished, project_name)

    assert (finished.recovered, finished.round) == ("finished", None)
    assert (discarded.recovered, discarded.round) == ("discarded", 1)
    assert snapshot(crashed) == snapshot(reference) == snapshot(unfinished)


def test_pull_with_the_server_down_changes_nothing(
        client: LabelStudio, label_studio: LabelStudioServer, project_name: str,
        annotated: tuple[Path, dict[str, Item]]) -> None:
    build, _ = annotated
    before = snapshot(build)
    down = Connection(f"http://127.0.0.1:{free_port()}", label_studio.api_key)

    with pytest.raises(UserError, match="not reachable") as caught:
        connect(down)
    with pytest.raises(UserError, match="not reachable"):
        pull(client.__class__(base_url=down.url, api_key=down.api_key), down, build,
             project_name)

    assert label_studio.api_key not in str(caught.value)
    assert snapshot(build) == before


def test_pull_refuses_a_queue_item_missing_from_the_items(
        client: LabelStudio, label_studio: LabelStudioServer, project_name: str,
        annotated: tuple[Path, dict[str, Item]]) -> None:
    build, items = annotated
    folder = buildfolder.BuildFolder(build)
    buildfolder.write_items(folder.items, [i for i in buildfolder.read_items(folder.items)
                                           if i.id != items["agreed"].id])
    before = snapshot(build)

    with pytest.raises(UserError, match=f"item {items['agreed'].id} is not in"):
        pull(client, label_studio.connection, build, project_name)
    assert snapshot(build) == before


def test_rejecting_a_parent_unlinks_its_variants_so_the_build_stays_valid(
        client: LabelStudio, label_studio: LabelStudioServer, annotators: list[int],
        project_name: str, tmp_path: Path) -> None:
    parent = make_item("When was the tower finished?", Category.ANSWERABLE, context=PASSAGE,
                       answers=("1889",), builder=None)
    parent = replace(parent, pair_id=pair_id_for(parent.id))
    variant = make_item("When was the bridge finished?", Category.CTX_ENTITY_SWAP,
                        context=PASSAGE, queued=False)
    variant = replace(variant, parent_id=parent.id, pair_id=parent.pair_id)
    build = write_build(tmp_path / "build", [parent, variant])
    report = push(client, label_studio.connection, build, project_name)
    task = task_ids(client, label_studio.connection, report.project_id)[parent.id]
    for user in annotators[:2]:
        vote(client, task, user, J.BROKEN)

    pull(client, label_studio.connection, build, project_name)

    [left] = buildfolder.read_items(buildfolder.BuildFolder(build).items)
    assert (left.id, left.parent_id, left.pair_id) == (variant.id, None, None)
    assert left.review["parent_rejected"] == parent.id
    assert validate_items([left.to_dict()]) == []
