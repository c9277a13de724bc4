"""The annotation rounds a release reads from annotations/rounds.json: card and release.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from release_builds import release

from abstain_data.annotation.state import rounds_path
from abstain_data.errors import UserError
from abstain_data.releases.annotations import recorded_rounds
from abstain_data.releases.manifest import read_manifest

# Two rounds as `annotate pull` writes them; "ctx_missing@1.0" is judged in both.
ROUNDS = [
    {"round": 1, "votes": 12, "verified": 4, "relabelled": 1, "rejected": 2, "still_open": 3,
     "krippendorff_alpha": 0.41237,
     "builders": {"ctx_missing@1.0": {"judged": 3, "precision": 0.6667, "code_precision": 0.3333},
                  "source:reviewed_src": {"judged": 3, "precision": 1.0, "code_precision": 1.0}}},
    {"round": 2, "votes": 2, "verified": 1, "relabelled": 0, "rejected": 0, "still_open": 2,
     "krippendorff_alpha": None,
     "builders": {"ctx_missing@1.0": {"judged": 1, "precision": 1.0, "code_precision": 1.0}}},
]


def write_rounds(build: Path, rounds: object) -> None:
    rounds_path(build).parent.mkdir(parents=True, exist_ok=True)
    rounds_path(build).write_text(json.dumps(rounds), encoding="utf-8")


def test_builder_precision_sums_judged_and_kept_items_over_rounds(build_dir: Path) -> None:
    write_rounds(build_dir, ROUNDS)

    recorded = recorded_rounds(build_dir)

    assert [(r.round, r.alpha) for r in recorded.rounds] == [(1, 0.41237), (2, None)]
    ctx = recorded.builders["ctx_missing@1.0"]
    assert (ctx.judged, ctx.label_kept, ctx.code_kept) == (4, 3, 2)
    assert (ctx.precision, ctx.code_precision) == (0.75, 0.5)


def test_card_and_manifest_show_rounds_alpha_and_builder_precision(
        build_dir: Path, tmp_path: Path) -> None:
    write_rounds(build_dir, ROUNDS)

    folder = release(build_dir, tmp_path / "releases")

    quality = (folder / "README.md").read_text("utf-8").split("## Label quality", 1)[1]
    quality = quality.split("\n## ", 1)[0]
    for needle in ("| 1 | 12 | 4 | 1 | 2 | 3 | 0.412 |", "| 2 | 2 | 1 | 0 | 0 | 2 | n/a |",
                   "| ctx_missing@1.0 | 4 | 0.750 | 0.500 |",
                   "| source:reviewed_src | 3 | 1.000 | 1.000 |",
                   "over 10 reviewed item(s): 0.750."):
        assert needle in quality, needle
    annotation = read_manifest(folder)["annotation"]
    assert annotation["rounds"][1] == {
        "round": 2, "votes": 2, "verified": 1, "relabelled": 0, "rejected": 0,
        "still_open": 2, "krippendorff_alpha": None}
    assert annotation["builders"]["ctx_missing@1.0"] == {
        "judged": 4, "precision": 0.75, "code_precision": 0.5}
    assert (annotation["human_verified"], annotation["items_with_agreement"],
            annotation["mean_agreement"]) == (10, 10, 0.75)
    assert f"10 of {annotation['items']} released item(s)" in quality


def test_without_rounds_the_card_claims_no_precision(build_dir: Path, tmp_path: Path) -> None:
    folder = release(build_dir, tmp_path / "releases")

    quality = (folder / "README.md").read_text("utf-8").split("## Label quality", 1)[1]
    assert "No annotation round is recorded for this build" in quality
    assert "| builder | judged |" not in quality
    annotation = read_manifest(folder)["annotation"]
    assert (annotation["rounds"], annotation["builders"]) == ([], {})


@pytest.mark.parametrize(("content", "message"), [
    ("[{", r"rounds\.json:1: invalid JSON"),
    ('{"round": 1}', r"rounds\.json: expected a list of round summaries"),
    ('[{"round": 1, "votes": 2}]', r"rounds\.json: round 1: missing field 'verified'"),
    (json.dumps([{**ROUNDS[1], "builders": {"negate@1": {"judged": 2}}}]),
     r"rounds\.json: round 2: builder negate@1: bad or missing field 'precision'"),
])
def test_a_malformed_rounds_file_is_named(build_dir: Path, tmp_path: Path, content: str,
                                          message: str) -> None:
    rounds_path(build_dir).parent.mkdir(parents=True, exist_ok=True)
    rounds_path(build_dir).write_text(content, encoding="utf-8")

    with pytest.raises(UserError, match=message):
        release(build_dir, tmp_path / "releases")
    assert not (tmp_path / "releases" / "v1.0.0").exists()
