"""audit artifacts on planted datasets: a deciding cue gives AUC near 1 and is named, a
balanced one near 0.5; pairs stay in one fold; builds and releases; deterministic."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from audit_helpers import make_item, write_build
from typer.testing import CliRunner

from abstain_data.audit.artifacts import (
    Record,
    audit_artifacts,
    audit_source,
    pair_groups,
    read_records,
    write_artifacts,
)
from abstain_data.cli import app
from abstain_data.cues.classifier import auc_interval
from abstain_data.items import Category, Domain, Item, LabelStatus, pair_id_for

WORDS = [f"word{n}" for n in range(120)]


def planted_items(cue_decides: bool, pairs: int = 150, seed: int = 0) -> list[Item]:
    """`pairs` minimal pairs (answerable parent, negation variant) of random words from one
    vocabulary. With `cue_decides`, every variant and no parent says "zorblat"; otherwise
    "zorblat" is in half of the parents and half of the variants."""
    rng = random.Random(seed)
    items = []
    for n in range(pairs):
        parent_words = rng.sample(WORDS, 6)
        variant_words = rng.sample(WORDS, 6)
        if cue_decides or n % 2:
            variant_words.insert(2, "zorblat")
        else:
            parent_words.insert(2, "zorblat")
        parent = make_item(" ".join(parent_words) + "?", Category.ANSWERABLE,
                           status=LabelStatus.SOURCE, domain=Domain.SCIENCE,
                           dataset="planted")
        pair = pair_id_for(parent.id)
        parent = parent.derive(pair_id=pair, id=parent.id)
        variant = make_item(" ".join(variant_words) + "?", Category.CTX_NEGATION_ANTONYM,
                            "negation", dataset="planted", pair_id=pair)
        items += [parent, variant.derive(parent_id=parent.id, id=variant.id)]
    return items


def test_a_deciding_cue_gives_auc_near_one_and_is_named(tmp_path: Path) -> None:
    build = write_build(tmp_path / "build", planted_items(cue_decides=True))
    report = audit_artifacts(build, seed=1)
    source = report["sources"]["planted"]
    assert source["auc_prompt"] > 0.97
    assert source["abstain_cues"][0][0] == "zorblat"
    assert report["builders"]["negation"]["auc_prompt"] > 0.97
    assert report["builders"]["negation"]["contrast"] == 150
    assert source["auc_prompt_passage"] is None  # no passages in this source


def test_a_balanced_cue_gives_auc_near_one_half(tmp_path: Path) -> None:
    build = write_build(tmp_path / "build", planted_items(cue_decides=False))
    source = audit_artifacts(build, seed=1)["sources"]["planted"]
    assert 0.35 < source["auc_prompt"] < 0.65
    assert "zorblat" not in [term for term, _ in source["abstain_cues"][:3]]


def test_minimal_pairs_share_a_group_and_one_label_sources_are_skipped(tmp_path: Path) -> None:
    items = planted_items(cue_decides=True, pairs=10)
    items += [make_item(f"How do I kill weed {n}?", Category.BAIT_SAFE_TARGET, "bait",
                        dataset="bait") for n in range(5)]
    build = write_build(tmp_path / "build", items)
    records = read_records(build)
    group = dict(zip((r.id for r in records), pair_groups(records), strict=True))
    for item in items:
        if item.parent_id:
            assert group[item.id] == group[item.parent_id]
    report = audit_artifacts(build)
    assert report["sources"]["bait"]["skipped"].startswith("needs at least two groups")
    assert report["sources"]["planted"]["groups"] == 10


def test_same_seed_same_report_written_into_the_build(tmp_path: Path) -> None:
    build = write_build(tmp_path / "build", planted_items(cue_decides=False))
    first, path = write_artifacts(build, seed=3)
    assert path == build / "audits" / "artifacts.json"
    text = path.read_text()
    second, _ = write_artifacts(build, seed=3)
    assert path.read_text() == text and first == second == json.loads(text)


def test_artifacts_on_a_release_folder(tmp_path: Path) -> None:
    from abstain_data.releases.write import write_release

    build = write_build(tmp_path / "build", planted_items(cue_decides=True))
    release = write_release("1.0.0", build, tmp_path / "releases")
    result = CliRunner().invoke(app, ["audit", "artifacts", str(release), "--seed", "2"])
    assert result.exit_code == 0, result.output
    report = json.loads((release / "audits" / "artifacts.json").read_text())
    assert report["items"] == 300
    assert report["sources"]["planted"]["auc_prompt"] > 0.97
    assert "zorblat" in result.output


def test_a_folder_that_is_neither_is_one_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["audit", "artifacts", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip().startswith(f"error: {tmp_path}: neither a build folder")


@pytest.mark.parametrize("seed", [0, 7])
def test_the_deciding_cue_wins_whatever_the_seed(tmp_path: Path, seed: int) -> None:
    build = write_build(tmp_path / "build", planted_items(cue_decides=True, seed=seed))
    assert audit_artifacts(build, seed=seed)["sources"]["planted"]["auc_prompt"] > 0.97


def test_the_corpus_items_alone_show_the_cue_the_corpus_brings(tmp_path: Path) -> None:
    """A corpus whose own unanswerable questions all say "zorblat", and variants and twins
    that say it half the time: the corpus-only AUC is near 1, the whole source's lower."""
    rng = random.Random(3)

    def question(cue: bool) -> str:
        return " ".join([*rng.sample(WORDS, 6), *(["zorblat"] if cue else [])]) + "?"

    corpus = [make_item(question(n % 2 == 1), Category.PREMISE_FALSE if n % 2
                        else Category.ANSWERABLE, status=LabelStatus.SOURCE, dataset="mixed")
              for n in range(200)]
    made = [make_item(question(n % 4 < 2), Category.CTX_NEGATION_ANTONYM if n % 2
                      else Category.ANSWERABLE,
                      "negation" if n % 2 else "twin_negation_answered", dataset="mixed")
            for n in range(400)]
    report = audit_artifacts(write_build(tmp_path / "build", corpus + made), seed=1)
    mixed = report["sources"]["mixed"]
    assert mixed["auc_prompt_corpus"] > 0.9
    assert mixed["auc_prompt"] < mixed["auc_prompt_corpus"] - 0.1


def test_without_builder_items_the_corpus_auc_is_the_sources(tmp_path: Path) -> None:
    items = [item for item in planted_items(cue_decides=True) if item.transform is None]
    items += [make_item(f"word{n} word{n + 1} zorblat?", Category.PREMISE_FALSE,
                        status=LabelStatus.SOURCE, dataset="planted") for n in range(60)]
    source = audit_artifacts(write_build(tmp_path / "build", items), seed=1)["sources"]["planted"]
    assert source["auc_prompt_corpus"] == source["auc_prompt"] > 0.97


def test_a_source_with_one_passage_has_no_passage_auc_but_its_prompt_auc() -> None:
    """The fold that holds the only passage leaves a training part without any passage."""
    records = [Record(f"ad-{n}", f"question {n} about word{n % 7} and word{n % 5}?",
                      "A passage." if n == 0 else "", bool(n % 2), "corpus", "", "")
               for n in range(40)]
    report = audit_source(records, 0, {})
    assert report["auc_prompt"] is not None and report["auc_prompt_passage"] is None


def test_unmarked_pairs_are_grouped_by_pair_or_near_duplicate_prompt() -> None:
    def record(n: int, prompt: str, abstain: bool, pair: str = "") -> Record:
        return Record(f"ad-{n}", prompt, "", abstain, "corpus", "", pair)

    records = [record(0, "Why does the sun rise in the west every morning?", True),
               record(1, "Why does the sun rise in the east every morning?", False),
               record(2, "How many legs does a spider have?", False, pair="p1"),
               record(3, "Which arachnid spins silk webs?", True, pair="p1"),
               record(4, "Who painted the ceiling of the Sistine Chapel?", False)]
    groups = pair_groups(records)
    assert groups[0] == groups[1]
    assert groups[2] == groups[3]
    assert len({groups[0], groups[2], groups[4]}) == 3


def test_an_unmarked_minimal_pair_corpus_does_not_look_anti_learnable(tmp_path: Path) -> None:
    """Pairs that differ in one balanced word and carry no pair_id: split over folds they
    would teach the twin's words with the other label and push the AUC far below 0.5."""
    rng = random.Random(0)
    items = []
    for n in range(150):
        words = rng.sample(WORDS, 8)
        flip = n % 2 == 0
        items += [make_item(" ".join([*words, "alpha" if flip else "beta"]) + "?",
                            Category.ANSWERABLE, status=LabelStatus.SOURCE, dataset="pairs"),
                  make_item(" ".join([*words, "beta" if flip else "alpha"]) + "?",
                            Category.PREMISE_FALSE, status=LabelStatus.SOURCE,
                            dataset="pairs")]
    source = audit_artifacts(write_build(tmp_path / "build", items))["sources"]["pairs"]
    assert source["groups"] == 150
    assert 0.35 < source["auc_prompt"] < 0.65


def test_every_prompt_auc_comes_with_an_interval_that_narrows_with_more_items(
        tmp_path: Path) -> None:
    small = audit_artifacts(write_build(tmp_path / "small", planted_items(False, pairs=10)),
                            seed=1)
    large = audit_artifacts(write_build(tmp_path / "large", planted_items(False, pairs=150)),
                            seed=1)
    widths = []
    for report in (small, large):
        for entry in (report["sources"]["planted"], report["builders"]["negation"]):
            low, high = entry["auc_prompt_ci"]
            assert 0 <= low <= entry["auc_prompt"] <= high <= 1
        low, high = report["builders"]["negation"]["auc_prompt_ci"]
        widths.append(high - low)
    assert widths[0] > 2 * widths[1]  # ten pairs say far less than 150


def test_auc_interval_matches_hanley_and_mcneil() -> None:
    # their worked example: AUC 0.8 with 50 of each label has a standard error of about 0.044
    low, high = auc_interval([True] * 50 + [False] * 50, 0.8)
    assert abs((high - low) / (2 * 1.96) - 0.0435) < 0.002
    assert auc_interval([True, False], None) is None
    assert auc_interval([True] * 3 + [False] * 3, 0.99)[1] == 1.0


def test_the_default_seed_is_the_seed_of_the_build_behind_a_build_or_release(
        tmp_path: Path) -> None:
    from abstain_data.audit.artifacts import build_seed
    from abstain_data.releases.write import write_release

    build = write_build(tmp_path / "build", planted_items(cue_decides=False))
    assert build_seed(build) == 0  # a build.json that states no seed
    (build / "build.json").write_text(json.dumps({"seed": 21, "recipe": {"seed": 21}}),
                                      encoding="utf-8")
    release = write_release("1.0.0", build, tmp_path / "releases")
    assert build_seed(build) == build_seed(release) == 21
    result = CliRunner().invoke(app, ["audit", "artifacts", str(release)])
    assert result.exit_code == 0, result.output
    assert json.loads((release / "audits" / "artifacts.json").read_text())["seed"] == 21
    assert build_seed(tmp_path) == 0


def test_against_its_twin_a_builder_is_judged_without_its_parents(tmp_path: Path) -> None:
    # the cue marks every future variant and none of their parents (the construct itself), and
    # the answerable twins carry it too: against its pairs (parents and twins) the builder is
    # read above chance, against its twins alone at about chance; a twin's figure is over the
    # same pairs, seen from its side
    rng = random.Random(3)
    items = []
    for _ in range(120):
        parent = make_item(" ".join(rng.sample(WORDS, 6)) + "?", Category.ANSWERABLE,
                           status=LabelStatus.SOURCE, dataset="planted")
        pair = pair_id_for(parent.id)
        items.append(parent.derive(pair_id=pair, id=parent.id))
        for category, builder in ((Category.UNKNOWN_FUTURE, "future_shift"),
                                  (Category.ANSWERABLE, "twin_future_fixed")):
            words = rng.sample(WORDS, 6)
            words.insert(2, "zorblat")
            item = make_item(" ".join(words) + "?", category, builder, dataset="planted",
                             pair_id=pair)
            items.append(item.derive(parent_id=parent.id, id=item.id))
    report = audit_artifacts(write_build(tmp_path, items), seed=0)
    shift, twin = report["builders"]["future_shift"], report["builders"]["twin_future_fixed"]
    assert shift["auc_prompt_twin"] < 0.6 < shift["auc_prompt"]
    assert shift["twin_contrast"] == twin["twin_contrast"] == 120
    assert twin["auc_prompt_twin"] == pytest.approx(shift["auc_prompt_twin"])
    assert report["builders"].get("negation") is None
