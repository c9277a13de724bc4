"""audit push / pull against a real Label Studio: a blind project (no label, category, builder
or rationale in any task, no predictions), idempotent push, and pulled labels that `audit
score` reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audit_helpers import read_lines, toy_items, write_build
from label_studio_sdk import LabelStudio
from label_studio_server import LabelStudioServer
from typer.testing import CliRunner

from abstain_data.audit.labelstudio import audit_config, push_sample
from abstain_data.audit.sample import SampleKind, draw_sample
from abstain_data.audit.score import score_folder
from abstain_data.cli import app

pytestmark = pytest.mark.label_studio
HIDDEN_WORDS = ("negation", "fabricated_entity", "future_shift", "made by", "ctx.", "entity.",
                "unknown.", "auto", "should_abstain", "category", "builder", "rationale")


def choices(tag: str, *values: str) -> dict:
    return {"from_name": tag, "to_name": "prompt", "type": "choices",
            "value": {"choices": list(values)}}


@pytest.fixture
def sample(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    build = write_build(tmp_path / "build", toy_items({"negation": 4, "fabricated_entity": 4},
                                                      4))
    name = f"{request.node.name[:24]}-{tmp_path.name[-6:]}"
    return draw_sample(build, tmp_path / "build" / "audits" / name,
                       SampleKind.ANSWERABILITY, 8, seed=1).root


def test_push_makes_a_blind_project_and_pull_writes_labels_that_score_reads(
        client: LabelStudio, label_studio: LabelStudioServer, sample: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.api_key)
    runner = CliRunner()
    pushed = runner.invoke(app, ["audit", "push", str(sample)])
    assert pushed.exit_code == 0, pushed.output
    again = push_sample(client, label_studio.connection, sample)
    assert (again.tasks, again.already_present, again.imported) == (10, 10, 0)
    assert label_studio.api_key not in pushed.output

    project = client.projects.get(again.project_id)
    assert set(project.parsed_label_config) == {"label", "reason", "flags", "domain",
                                                "complexity"}
    assert project.label_config.strip() == audit_config().strip()
    tasks = list(client.tasks.list(project=again.project_id, include="id,data"))
    assert len(tasks) == 10
    expected = {t["rid"]: t for t in read_lines(sample / "tasks.jsonl")}
    key = {k["rid"]: k for k in read_lines(sample / "key.jsonl")}
    for task in tasks:
        assert set(task.data) == {"rid", "prompt", "context"}
        assert task.data["prompt"] == expected[task.data["rid"]]["prompt"]
        assert not any(word in json.dumps(task.data).lower() for word in HIDDEN_WORDS)
        assert list(client.predictions.list(task=task.id)) == []

    by_rid = {task.data["rid"]: task.id for task in tasks}
    admin = client.users.whoami().id
    for rid, task_id in sorted(by_rid.items()):
        right = "abstain" if key[rid]["should_abstain"] else "answer"
        result = [choices("label", right), choices("domain", key[rid]["domain"]),
                  choices("complexity", "templated")]
        if right == "abstain":
            result.append(choices("reason", "missing_context"))
        if rid == "r000":
            result.append(choices("flags", "malformed", "looks_unsafe"))
        client.annotations.create(id=task_id, result=result, completed_by=admin)

    pulled = runner.invoke(app, ["audit", "pull", str(sample)])
    assert pulled.exit_code == 0, pulled.output
    labels = read_lines(sample / "labels.jsonl")
    assert len(labels) == 10
    assert {line["reviewer"] for line in labels} == {f"label-studio:{admin}"}
    first = next(line for line in labels if line["rid"] == "r000")
    assert first["malformed"] is True and first["looks_unsafe"] is True
    audit = score_folder(sample)
    assert audit["overall"]["precision"] == 1.0 and audit["overall"]["n"] == 8
    assert audit["builders"]["negation"]["category_agreement"] == 1.0
    assert audit["builders"]["fabricated_entity"]["category_agreement"] == 0.0
    assert audit["domain"]["agreement"] == 1.0


def test_push_refuses_a_tasks_file_that_is_not_blind(client: LabelStudio,
                                                     label_studio: LabelStudioServer,
                                                     sample: Path) -> None:
    from abstain_data.errors import UserError

    lines = read_lines(sample / "tasks.jsonl")
    lines[3]["category"] = "ctx.missing"
    (sample / "tasks.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    with pytest.raises(UserError, match=r"tasks\.jsonl:4: expected exactly the fields rid"):
        push_sample(client, label_studio.connection, sample)


def test_pull_before_push_says_what_to_run(client: LabelStudio, label_studio: LabelStudioServer,
                                           sample: Path) -> None:
    from abstain_data.audit.labelstudio import pull_labels
    from abstain_data.errors import UserError

    with pytest.raises(UserError, match=r"run `abstain-data audit push` first"):
        pull_labels(client, label_studio.connection, sample, "never-pushed-audit")
