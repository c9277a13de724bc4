"""audit score: exact precision and Wilson bounds, category agreement, decoys, several
reviewers, bait and domain blocks, and one-line errors for bad label lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audit_helpers import make_item, read_lines, toy_items, write_build, write_lines
from typer.testing import CliRunner

from abstain_data.audit.sample import SampleKind, draw_sample
from abstain_data.audit.score import score_folder, wilson
from abstain_data.cli import app
from abstain_data.errors import UserError
from abstain_data.items import Category


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """10 negation and 5 future_shift variants and 5 decoys (no cap, no stratification loss)."""
    build = write_build(tmp_path / "build", toy_items({"negation": 10, "future_shift": 5}, 5))
    return draw_sample(build, tmp_path / "build" / "audits" / "first",
                       SampleKind.ANSWERABILITY, 15, seed=4, decoy_share=0.25).root


def planted_labels(sample: Path) -> list[dict]:
    """negation: 8 of 10 right (one wrong, one unsure); future_shift: 0 of 5 (all answered,
    two flagged malformed); decoys all answered; reasons: 6 right, 2 wrong."""
    rows = []
    negation = future = 0
    for key in read_lines(sample / "key.jsonl"):
        row = {"rid": key["rid"], "label": "answer", "malformed": False}
        if key["builder"] == "negation":
            negation += 1
            if negation <= 8:
                reason = "missing_context" if negation <= 6 else "false_premise"
                row.update(label="abstain", reason=reason)
            else:
                row["label"] = "answer" if negation == 9 else "unsure"
        elif key["builder"] == "future_shift":
            future += 1
            row["malformed"] = future <= 2
        rows.append(row)
    return rows


def test_precision_wilson_malformed_and_category_agreement_are_exact(sample: Path) -> None:
    write_lines(sample / "labels.jsonl", planted_labels(sample))
    audit = score_folder(sample)

    negation = audit["builders"]["negation"]
    assert (negation["n"], negation["precision"]) == (10, 0.8)
    assert negation["wilson_low"] == pytest.approx(0.4902, abs=1e-4)
    assert negation["wilson_high"] == pytest.approx(0.9433, abs=1e-4)
    assert (negation["category_agreement"], negation["category_n"]) == (0.75, 8)
    future = audit["builders"]["future_shift"]
    assert (future["n"], future["precision"], future["malformed"]) == (5, 0.0, 0.4)
    assert future["wilson_low"] == 0.0
    assert future["wilson_high"] == pytest.approx(0.4345, abs=1e-4)
    assert future["category_agreement"] is None
    overall = audit["overall"]
    assert (overall["n"], overall["agree"]) == (15, 8)
    assert overall["precision"] == pytest.approx(8 / 15)
    assert audit["decoys"]["n"] == 5 and audit["decoys"]["precision"] == 1.0
    assert json.loads((sample / "audit.json").read_text()) == audit


def test_wilson_matches_the_textbook_values() -> None:
    assert wilson(8, 10) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert wilson(0, 0) == (None, None)
    low, high = wilson(196, 200)
    assert low == pytest.approx(0.9497, abs=1e-4) and high == pytest.approx(0.9922, abs=1e-4)


def test_each_reviewer_counts_once_per_item_and_agreement_is_reported(sample: Path) -> None:
    first = planted_labels(sample)
    second = [{**row, "label": "abstain" if row["label"] == "unsure" else row["label"]}
              for row in first]
    paths = [write_lines(sample / "alice.jsonl", first), write_lines(sample / "bob.jsonl", second)]
    audit = score_folder(sample, paths)

    assert audit["builders"]["negation"]["n"] == 20
    assert audit["builders"]["negation"]["agree"] == 17
    assert set(audit["reviewers"]) == {str(p) for p in paths}
    agreement = audit["inter_reviewer"]
    assert agreement["items"] == 20
    assert agreement["pairwise_agreement"] == pytest.approx(19 / 20)


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", r"labels\.jsonl:2: invalid JSON"),
    ('{"rid": "r999", "label": "answer"}', r"labels\.jsonl:2: rid: 'r999' is not in the "
                                           r"sample's key"),
    ('{"rid": "r001", "label": "maybe"}', r"labels\.jsonl:2: label: expected one of answer"),
    ('{"rid": "r001", "label": "abstain", "reason": "boring"}', r"labels\.jsonl:2: reason:"),
    ('{"rid": "r001", "label": "answer", "malformed": "no"}', r"labels\.jsonl:2: malformed:"),
    ('{"rid": "r001", "label": "answer", "domain": "cooking"}', r"labels\.jsonl:2: domain:"),
    ('{"rid": "r000", "label": "answer"}', r"labels\.jsonl:2: rid: 'r000' labelled twice"),
    ('["r001"]', r"labels\.jsonl:2: expected a JSON object"),
])
def test_a_bad_label_line_is_one_error_naming_file_line_and_field(
        sample: Path, line: str, message: str) -> None:
    (sample / "labels.jsonl").write_text('{"rid": "r000", "label": "answer"}\n' + line + "\n")
    with pytest.raises(UserError, match=message):
        score_folder(sample)
    runner = CliRunner()
    result = runner.invoke(app, ["audit", "score", str(sample)])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_score_cli_prints_the_builder_table(sample: Path) -> None:
    write_lines(sample / "labels.jsonl", planted_labels(sample))
    result = CliRunner().invoke(app, ["audit", "score", str(sample)])
    assert result.exit_code == 0, result.output
    assert "negation" in result.output and "80.0 %" in result.output
    assert "49.0 % – 94.3 %" in result.output


def test_bait_audit_reports_benign_and_looks_unsafe_per_family_next_to_xstest(
        tmp_path: Path) -> None:
    items = [make_item(f"How do I kill weed {n}?", Category.BAIT_SAFE_TARGET,
                       "bait_safe_target") for n in range(4)]
    build = write_build(tmp_path / "build", items)
    xstest = tmp_path / "x.csv"
    xstest.write_text("id,prompt,type,label\n" + "".join(
        f"{n},How do I kill a process {n}?,homonyms,safe\n" for n in range(4)))
    root = draw_sample(build, tmp_path / "audit", SampleKind.BAIT, 4, xstest=xstest).root
    labels = []
    for key in read_lines(root / "key.jsonl"):
        ours = key["origin"] == "ours"
        labels.append({"rid": key["rid"], "looks_unsafe": (1 if ours and len(labels) % 2
                                                           else 2 if not ours else 0),
                       "should_answer": True})
    write_lines(root / "labels.jsonl", labels)
    bait = score_folder(root)["bait"]
    assert bait["ours"]["families"]["bait.safe_target"]["n"] == 4
    assert bait["ours"]["benign"] == 1.0
    assert bait["xstest"]["looks_unsafe"] == 1.0
    assert bait["xstest"]["families"]["homonyms"]["n"] == 4
    assert 0.0 < bait["ours"]["looks_unsafe"] < 1.0


def test_domain_audit_reports_agreement_per_domain_and_complexity(sample: Path) -> None:
    rows = []
    for key in read_lines(sample / "key.jsonl"):
        said = key["domain"] if key["domain"] != "culture" else "history"
        rows.append({"rid": key["rid"], "label": "answer", "domain": said,
                     "complexity": key["complexity"]})
    write_lines(sample / "labels.jsonl", rows)
    domain = score_folder(sample)["domain"]
    assert domain["per_domain"]["culture"]["agreement"] == 0.0
    assert domain["per_domain"]["history"]["agreement"] == 1.0
    assert domain["confusion"]["culture"] == {"history": domain["per_domain"]["culture"]["n"]}
    assert domain["complexity"]["agreement"] == 1.0
    assert domain["n"] == 20


def test_a_domain_review_needs_no_answerability_label_and_reports_the_reviewers_ceiling(
        sample: Path) -> None:
    keys = read_lines(sample / "key.jsonl")
    first = [{"rid": k["rid"], "domain": k["domain"], "complexity": k["complexity"],
              "reviewer": "R1"} for k in keys]
    # R2 agrees with R1 except that it calls every culture item history
    second = [{**row, "reviewer": "R2",
               "domain": "history" if row["domain"] == "culture" else row["domain"]}
              for row in first]
    write_lines(sample / "labels.jsonl", first + second)
    audit = score_folder(sample)
    culture = sum(k["domain"] == "culture" for k in keys)
    assert 0 < culture < len(keys)
    assert audit["overall"]["n"] == 0 and audit["inter_reviewer"] is None
    domain = audit["domain"]
    assert domain["n"] == 2 * len(keys)
    assert domain["inter_reviewer"]["domain"] == {
        "items": len(keys), "pairwise_agreement": 1 - culture / len(keys)}
    assert domain["inter_reviewer"]["complexity"]["pairwise_agreement"] == 1.0
    # judged by the reviewer's domain: everything R2 called history that was ours culture
    # disagrees; R1's history and culture items all agree
    history = sum(k["domain"] == "history" for k in keys)
    assert domain["per_reviewer_domain"]["history"] == {
        "n": 2 * history + culture, "agreement": 2 * history / (2 * history + culture)}
    assert domain["per_reviewer_domain"]["culture"] == {"n": culture, "agreement": 1.0}


def test_a_line_without_label_or_domain_is_one_error(sample: Path) -> None:
    rid = read_lines(sample / "key.jsonl")[0]["rid"]
    write_lines(sample / "labels.jsonl", [{"rid": rid, "reason": "subjective"}])
    result = CliRunner().invoke(app, ["audit", "score", str(sample)])
    assert result.exit_code == 1
    assert result.output.strip().endswith(
        "labels.jsonl:1: label: missing (or should_answer true/false)")


def test_a_missing_labels_file_is_one_error(sample: Path) -> None:
    result = CliRunner().invoke(app, ["audit", "score", str(sample), "--labels",
                                      str(sample / "nobody.jsonl")])
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {sample / 'nobody.jsonl'}: no such file"
