"""release reads the build's audits: the card shows audited precision per builder with its
Wilson interval and the artifact AUCs, or says plainly that the build has no audit."""

from __future__ import annotations

import json
from pathlib import Path

from audit_helpers import read_lines, toy_items, write_build, write_lines

from abstain_data.audit.artifacts import write_artifacts
from abstain_data.audit.sample import SampleKind, draw_sample
from abstain_data.audit.score import score_folder
from abstain_data.items import Category, LabelStatus
from abstain_data.releases.manifest import read_manifest
from abstain_data.releases.write import write_release


def audited_build(root: Path) -> Path:
    """A build of negation variants and answerable parents (same pair) with one scored
    sample (9 of 10 negation labels confirmed) and an artifact report."""
    items = []
    for item in toy_items({"negation": 30}, 0):
        parent = item.derive(prompt=item.prompt.replace("Question", "Answerable one"),
                             category=Category.ANSWERABLE, should_abstain=False,
                             transform=None, label_status=LabelStatus.SOURCE,
                             reference_answers=["yes"], pair_id=f"pair-{item.id}")
        items += [item.derive(pair_id=f"pair-{item.id}", parent_id=parent.id, id=item.id),
                  parent]
    build = write_build(root, items)
    sample = draw_sample(build, build / "audits" / "first", SampleKind.ANSWERABILITY, 10,
                         seed=2, decoy_share=0.0).root
    write_lines(sample / "labels.jsonl", [
        {"rid": key["rid"], "label": "abstain" if n else "answer", "reason": "missing_context"}
        for n, key in enumerate(read_lines(sample / "key.jsonl"))])
    score_folder(sample)
    write_artifacts(build, seed=0)
    return build


def test_card_shows_audited_precision_with_wilson_interval_and_aucs(tmp_path: Path) -> None:
    build = audited_build(tmp_path / "build")
    release = write_release("1.0.0", build, tmp_path / "releases")
    card = (release / "README.md").read_text("utf-8")
    section = card.split("## Audits", 1)[1].split("\n## ", 1)[0]

    assert "Audit `first` (answerability sample, seed 2, 10 judgement(s) by 1 reviewer(s))" \
        in section
    assert "| negation | 10 | 90.0 % | 59.6 % – 98.2 % | 0.0 % | 100.0 % |" in section
    assert "Artifact audit (`audit artifacts`, seed 0)" in section
    assert "| toy | 60 |" in section
    assert "| negation | 30 | 30 |" in section
    # the figure against the twin builder alone; this build has no negation twins
    assert "| AUC prompt+passage | AUC vs twin (paired) |" in section
    assert "the twin column, items that share the surface but not the label, is the shortcut " \
        "test" in section
    negation = next(line for line in section.splitlines() if line.startswith("| negation | 30"))
    assert negation.endswith("| – |")
    assert "no blind audit" not in section
    manifest = read_manifest(release)
    assert manifest["audits"]["samples"]["first"]["builders"]["negation"]["precision"] == 0.9
    assert set(manifest["audits"]["artifacts"]["sources"]["toy"]) == {
        "auc_prompt", "auc_prompt_ci", "auc_prompt_passage", "auc_prompt_corpus"}
    # every prompt AUC of the card shows its 95 % interval
    toy = manifest["audits"]["artifacts"]["sources"]["toy"]
    low, high = toy["auc_prompt_ci"]
    assert f"| toy | 60 | {toy['auc_prompt']:.3f} ({low:.2f}-{high:.2f}) |" in section
    # the card has a column for the AUC of the corpus items alone; here they are all
    # answerable decoys, so it has no figure
    assert "AUC corpus items only" in section and toy["auc_prompt_corpus"] is None


def test_card_says_plainly_when_a_build_has_no_audit(tmp_path: Path) -> None:
    build = write_build(tmp_path / "build", [
        item.derive(reference_answers=["yes"]) if not item.should_abstain else item
        for item in toy_items({"negation": 10}, 10)])
    card = (write_release("1.0.0", build, tmp_path / "releases") / "README.md").read_text()
    assert "**This build has no blind audit**" in card
    assert "No artifact audit was run on this build" in card


def test_card_warns_when_the_build_was_remade_after_its_audit(tmp_path: Path) -> None:
    build = audited_build(tmp_path / "build")
    key = build / "audits" / "first" / "key.jsonl"
    rows = read_lines(key)
    rows[0]["id"] = "ad-0000000000000000"
    key.write_text("".join(json.dumps(row) + "\n" for row in rows))
    card = (write_release("1.0.0", build, tmp_path / "releases") / "README.md").read_text()
    assert "**1 audited item(s) are no longer in this build**" in card
    assert "artifact audit describes other items" not in card
    report = json.loads((build / "audits" / "artifacts.json").read_text())
    report["ids_sha256"] = "0" * 64
    (build / "audits" / "artifacts.json").write_text(json.dumps(report))
    card = (write_release("1.1.0", build, tmp_path / "releases") / "README.md").read_text()
    assert "**The artifact audit describes other items than this build's**" in card
