"""The `annotate` commands as a user runs them, against a real server."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from annotation_helpers import make_item, vote, write_build
from label_studio_sdk import LabelStudio
from label_studio_server import LabelStudioServer
from typer.testing import CliRunner

from abstain_data import buildfolder
from abstain_data.annotation.aggregate import Judgement, family_of
from abstain_data.annotation.client import KEY_ENV, URL_ENV
from abstain_data.annotation.project import require_project, task_ids
from abstain_data.annotation.server import free_port
from abstain_data.annotation.state import read_queue
from abstain_data.cli import app
from abstain_data.items import Category, Complexity, LabelStatus
from abstain_data.releases.features import review_agreement
from abstain_data.schema.validate import validate_items


@pytest.fixture
def env(label_studio: LabelStudioServer) -> dict[str, str]:
    return {URL_ENV: label_studio.url, KEY_ENV: label_studio.api_key}


def test_push_pull_status_round_trip(client: LabelStudio, label_studio: LabelStudioServer,
                                     annotators: list[int], project_name: str,
                                     env: dict[str, str], tmp_path: Path) -> None:
    items = [make_item("Who painted the tower's fourth floor?", Category.CTX_MISSING,
                       context="The tower was painted red in 1889."),
             make_item("Why is the moon made of cheese?", Category.PREMISE_FALSE)]
    build = str(write_build(tmp_path / "build", items))
    runner = CliRunner()

    pushed = runner.invoke(app, ["annotate", "push", build, "--project", project_name], env=env)
    assert pushed.exit_code == 0, pushed.output
    assert "2 queued, 0 already there, 2 imported" in pushed.output
    tasks = task_ids(client, label_studio.connection,
                     require_project(client, label_studio.connection, project_name))
    for user in annotators[:2]:
        vote(client, tasks[items[0].id], user, Judgement.UNANSWERABLE, Category.CTX_MISSING)
    vote(client, tasks[items[1].id], annotators[0], Judgement.UNANSWERABLE,
         Category.PREMISE_FALSE)
    vote(client, tasks[items[1].id], annotators[1], Judgement.UNSURE)

    pulled = runner.invoke(app, ["annotate", "pull", build, "--project", project_name,
                                 "--min-annotators", "2"], env=env)
    status = runner.invoke(app, ["annotate", "status", build, "--project", project_name],
                           env=env)

    assert pulled.exit_code == 0, pulled.output
    assert "round 001: 4 votes; resolved 1 (1 verified, of which 0 relabelled; 0 rejected); " \
           "still open 1" in pulled.output
    # One pairable unit with one value: no expected disagreement, so alpha is undefined.
    assert "Krippendorff's alpha (nominal): n/a" in pulled.output
    assert f"{items[0].id}  1.000" in pulled.output and f"{items[1].id}  0.500" in pulled.output
    assert "builder negate@1: precision 1.000 (exact category 1.000) over 1 items" \
        in pulled.output
    assert status.exit_code == 0, status.output
    assert "2 tasks, 2 annotated; items resolved 1 (1 verified, 0 rejected), open 1; rounds 1" \
        in status.output
    for result in (pushed, pulled, status):
        assert label_studio.api_key not in result.output


@pytest.mark.parametrize("command", ["push", "pull", "status"])
def test_a_server_that_is_down_is_one_line_and_exit_1(command: str, tmp_path: Path) -> None:
    build = write_build(tmp_path / "build", [make_item("Who?", Category.UNDER_INTENT)])
    before = {p.name: p.read_bytes() for p in build.iterdir()}
    env = {URL_ENV: f"http://127.0.0.1:{free_port()}", KEY_ENV: "not-a-real-key"}

    result = CliRunner().invoke(app, ["annotate", command, str(build)], env=env)

    assert result.exit_code == 1
    assert result.stderr.startswith("error: Label Studio at http://127.0.0.1:")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert "not-a-real-key" not in result.output + result.stderr
    assert {p.name: p.read_bytes() for p in build.iterdir()} == before


def test_missing_settings_are_named(tmp_path: Path) -> None:
    build = write_build(tmp_path / "build", [make_item("Who?", Category.UNDER_INTENT)])
    result = CliRunner().invoke(app, ["annotate", "pull", str(build)],
                                env={URL_ENV: "", KEY_ENV: ""})
    assert result.exit_code == 1
    assert result.stderr == f"error: no Label Studio URL: set {URL_ENV} or pass --url " \
                            "(`abstain-data annotate serve` starts a local server)\n"


def test_round_trip_on_a_real_default_build(
        client: LabelStudio, label_studio: LabelStudioServer, annotators: list[int],
        project_name: str, env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    build = tmp_path / "build"
    built = runner.invoke(app, ["build", "--out", str(build), "--no-cache"])
    assert built.exit_code == 0, built.output
    queue = {item.id: item for item in read_queue(build)}
    stored = buildfolder.read_items(buildfolder.BuildFolder(build).items)
    pair_sizes = Counter(item.pair_id for item in stored)
    assert len(queue) >= 3
    # The variant of a two-member pair that annotators find answerable (it has no answer, so it
    # is rejected and its parent unpaired), one tie, the rest confirmed as proposed.
    failed = next(i for i in queue.values() if i.pair_id and pair_sizes[i.pair_id] == 2
                  and i.complexity is Complexity.TEMPLATED and not i.reference_answers)
    tie = next(i for i in queue.values() if i.id != failed.id)

    assert runner.invoke(app, ["annotate", "push", str(build), "--project", project_name],
                         env=env).exit_code == 0
    tasks = task_ids(client, label_studio.connection,
                     require_project(client, label_studio.connection, project_name))
    for item_id, item in queue.items():
        if item_id == failed.id:
            answers = [(Judgement.ANSWERABLE, None)] * 2
        elif item_id == tie.id:
            answers = [(Judgement.BROKEN, None), (Judgement.UNSURE, None)]
        else:
            answers = [(family_of(item.category), item.category)] * 2
        for user, (judgement, code) in zip(annotators, answers, strict=False):
            vote(client, tasks[item_id], user, judgement, code)
    pulled = runner.invoke(app, ["annotate", "pull", str(build), "--project", project_name],
                           env=env)
    assert pulled.exit_code == 0, pulled.output
    assert f"resolved {len(queue) - 1} ({len(queue) - 2} verified, of which 0 relabelled; " \
           f"1 rejected); still open 1" in pulled.output

    folder = buildfolder.BuildFolder(build)
    dicts = buildfolder.read_item_dicts(folder.items)
    assert validate_items(dicts) == []
    assert len(dicts) == len(stored) - 1
    statuses = Counter(d["label_status"] for d in dicts)
    assert (statuses["human_verified"], statuses["needs_review"]) == (len(queue) - 2, 1)
    parent = next(d for d in dicts if d["id"] == failed.parent_id)
    assert parent["pair_id"] is None and all(d["pair_id"] != failed.pair_id for d in dicts)
    ledger = buildfolder.read_ledger(folder.ledger)
    assert len({row["record"] for row in ledger}) == len(ledger)
    fates = Counter((row["fate"], row["detail"]) for row in ledger if row["step"] == "annotation")
    assert fates == {("kept", "human_verified"): len(queue) - 2,
                     ("rejected", "human_rejected"): 1}
    assert [i.id for i in read_queue(build)] == [tie.id]

    # What a release reads of a pulled item: the human status and the agreement.
    pulled_items = buildfolder.read_items(folder.items)
    verified = [i for i in pulled_items if i.label_status is LabelStatus.HUMAN_VERIFIED]
    assert len(verified) == len(queue) - 2
    assert {review_agreement(i) for i in verified} == {1.0}
