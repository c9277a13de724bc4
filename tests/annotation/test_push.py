"""push against a real Label Studio: project, tasks, predictions, idempotence, escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from annotation_helpers import make_item, task_data, write_build
from label_studio_sdk import LabelStudio
from label_studio_server import LabelStudioServer

from abstain_data import buildfolder
from abstain_data.annotation.project import label_config
from abstain_data.annotation.push import push
from abstain_data.annotation.tasks import task_for
from abstain_data.items import Category, Item


def queued_items() -> list[Item]:
    return [
        make_item("When was the tower not finished?", Category.CTX_NEGATION_ANTONYM,
                  context="The tower was finished in 1889.", confidence=0.55),
        make_item("Who founded the city of Zarnovia?", Category.ENTITY_FABRICATED,
                  builder=None, confidence=0.4),
        make_item("How do I kill a stuck process?", Category.BAIT_HOMONYM, builder="bait"),
    ]


def test_push_imports_queued_items_with_the_builder_label_as_prediction(
        client: LabelStudio, label_studio: LabelStudioServer, project_name: str,
        tmp_path: Path) -> None:
    kept = make_item("When was the tower finished?", Category.ANSWERABLE,
                     context="The tower was finished in 1889.", answers=("1889",), queued=False)
    items = queued_items()
    build = write_build(tmp_path / "build", [*items, kept])

    report = push(client, label_studio.connection, build, project_name, batch_size=2)

    assert (report.queued, report.already_present, report.imported) == (3, 0, 3)
    tasks = task_data(client, report.project_id)
    assert set(tasks) == {item.id for item in items}
    for item in items:
        assert tasks[item.id][1] == task_for(item)["data"]
        [prediction] = client.predictions.list(task=tasks[item.id][0])
        assert prediction.model_version == task_for(item)["predictions"][0]["model_version"]
        assert prediction.score == item.confidence
        assert prediction.result == task_for(item)["predictions"][0]["result"]
    assert tasks[items[0].id][1]["context"] == "The tower was finished in 1889."
    assert tasks[items[1].id][1]["context"] == ""
    assert client.predictions.list(task=tasks[items[1].id][0])[0].model_version == "source:toy"
    project = client.projects.get(report.project_id)
    assert set(project.parsed_label_config) == {"judgement", "reason", "bait", "note"}
    assert "GUIDELINES.md" in project.description
    assert "refusal_bait" in project.expert_instruction


def test_push_again_imports_nothing_twice(client: LabelStudio, label_studio: LabelStudioServer,
                                          project_name: str, tmp_path: Path) -> None:
    items = queued_items()
    build = write_build(tmp_path / "build", items[:2])
    first = push(client, label_studio.connection, build, project_name)
    again = push(client, label_studio.connection, build, project_name)
    write_build(build, items)
    grown = push(client, label_studio.connection, build, project_name)

    assert (first.imported, again.imported, again.already_present) == (2, 0, 2)
    assert (grown.imported, grown.already_present) == (1, 2)
    assert first.project_id == again.project_id == grown.project_id
    listed = [task.data["item_id"] for task in client.tasks.list(project=first.project_id)]
    assert sorted(listed) == sorted(item.id for item in items)


def test_html_in_an_item_is_stored_unchanged_and_shown_as_plain_text(
        client: LabelStudio, label_studio: LabelStudioServer, project_name: str,
        tmp_path: Path) -> None:
    prompt = "<script>alert('x')</script> Is <b>bold</b> &amp; <img src=x onerror=alert(1)> ok?"
    item = make_item(prompt, Category.UNDER_INTENT, context="<iframe src='//evil'></iframe>")
    build = write_build(tmp_path / "build", [item])

    report = push(client, label_studio.connection, build, project_name)

    [(_, data)] = task_data(client, report.project_id).values()
    assert data["prompt"] == prompt == buildfolder.read_items(
        buildfolder.BuildFolder(build).items)[0].prompt
    assert data["context"] == "<iframe src='//evil'></iframe>"
    # Every task variable goes through <Text> (plain text); nothing renders HTML.
    root = ET.fromstring(label_config())
    shown = {el.get("name"): el.tag for el in root.iter() if el.get("value", "").startswith("$")}
    assert shown == {"prompt": "Text", "context": "Text", "proposed": "Text",
                     "rationale": "Text"}
    assert not {el.tag for el in root.iter()} & {"HyperText", "HTML", "Markdown"}
    assert all(el.get("valueType") in (None, "text") for el in root.iter("Text"))
    # The server parsed the same thing: the choices are about the plain-text prompt.
    project = client.projects.get(report.project_id)
    assert project.parsed_label_config["judgement"]["inputs"] == [
        {"type": "Text", "valueType": None, "value": "prompt"}]
