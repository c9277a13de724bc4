"""README.md: Hub YAML (configs, dataset_info with split sizes) and the card body."""

from __future__ import annotations

import json
from pathlib import Path

from release_builds import card_yaml, release

from abstain_data.items import Category, Item, Source
from abstain_data.releases.card import size_category, tag_origin_line
from abstain_data.releases.manifest import read_manifest


def test_card_yaml_declares_configs_and_split_sizes(build_dir: Path, tmp_path: Path) -> None:
    folder = release(build_dir, tmp_path / "releases", configs=["all"])
    meta = card_yaml(folder)
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert configs["default"]["data_files"][0] == {"split": "train", "path": "data/train-*"}
    assert configs["all"]["data_files"][0] == {"split": "train", "path": "data/all/train-*"}
    infos = {i["config_name"]: i for i in meta["dataset_info"]}
    manifest = read_manifest(folder)
    for config in ("default", "all"):
        for split in infos[config]["splits"]:
            expected = manifest["configs"][config][split["name"]]
            assert split["num_examples"] == expected["num_examples"] > 0
            assert split["num_bytes"] == expected["num_bytes"] > 0
    text = (folder / "README.md").read_text("utf-8")
    assert "&id" not in text and "*id" not in text  # no YAML anchors
    for needle in ("revision=\"v1.0.0\"", "snapshot_download", "## Label quality",
                   "## Limitations", "## Citation", "| `ctx.missing` | abstain |",
                   "en_core_web_sm 3.8.0", "| ctx_missing | 1.0 |"):
        assert needle in text, needle


def test_size_categories() -> None:
    assert [size_category(n) for n in (0, 999, 1000, 50_000, 2_000_000)] == [
        "n<1K", "n<1K", "1K<n<10K", "10K<n<100K", "1M<n<10M"]


def test_card_lists_the_licenses_per_config(build_dir: Path, tmp_path: Path) -> None:
    text = (release(build_dir, tmp_path / "releases", configs=["all"]) / "README.md").read_text()
    section = text.split("## Licenses", 1)[1].split("##", 1)[0]
    assert "| license | `default` items | `all` items |" in section
    assert "| `cc-by-nc-4.0` | 0 | 12 |" in section
    assert "| `none-stated` | 0 | 8 |" in section
    assert "| `mit` | 60 | 60 |" in section


def test_card_counts_stated_tagged_and_guessed_tags() -> None:
    def item(row: int, origin: dict | None) -> Item:
        return Item(prompt=f"Question {row}?", should_abstain=False, category=Category.ANSWERABLE,
                    source=Source(dataset="t", license="cc-by-4.0", row=row), tag_origin=origin)

    guess = {"method": "tagger", "model": "domain-v1", "confidence": 0.3, "guessed": True}
    sure = {"method": "tagger", "model": "complexity-v1", "confidence": 0.9, "guessed": False}
    items = [item(0, {"domain": {"method": "source"}, "complexity": sure}),
             item(1, {"domain": guess, "complexity": sure}), item(2, None)]
    line = tag_origin_line(items)
    assert ("`domain`: 1 stated by the source, 1 tagged, of which 1 (33.3 %" in line
            and "1 with no recorded origin" in line)
    assert "`complexity`: 0 stated by the source, 2 tagged, of which 0 (0.0 %" in line


def test_card_says_what_the_cue_filter_kept_out_and_the_auc_before_and_after(
        build_dir: Path, tmp_path: Path) -> None:
    plain = (release(build_dir, tmp_path / "plain") / "README.md").read_text("utf-8")
    assert "cue filter" not in plain  # a build without the step says nothing of it
    counters = {"cue_extreme": 8, "cue_extreme:builder:missing_quantity": 5,
                "cue_extreme:builder:twin_quantity_stated": 2, "cue_extreme:builder:(source)": 1,
                "cue_extreme:source:umwp": 8, "auc_prompt_permille_before:umwp": 787,
                "auc_prompt_permille_after:umwp": 690, "rounds:umwp": 3,
                "auc_prompt_permille_before:squad": 640,
                "builder_auc_permille_before:umwp:missing_quantity": 759,
                "builder_auc_permille_after:umwp:missing_quantity": 731}
    stats = {"steps": [{"name": "dedupe", "counters": {"merged": 1}},
                       {"name": "cue_filter", "counters": counters}]}
    (build_dir / "stats.json").write_text(json.dumps(stats), "utf-8")
    text = (release(build_dir, tmp_path / "filtered") / "README.md").read_text("utf-8")
    assert ("- 8 item(s) were kept out by the cue filter (`[cue_filter]`, ledger reason "
            "`cue_extreme`): a prompt-only bag of words predicted their label too well "
            "(corpus items 1, missing_quantity 5, twin_quantity_stated 2).") in text
    assert "  - `umwp`: prompt-only AUC 0.787 before, 0.690 after" in text
    assert ("  - `umwp`: prompt-only AUC 0.787 before, 0.690 after\n"
            "    - `missing_quantity` against its pairs: 0.759 before, 0.731 after\n") in text
    assert "  - `squad`: prompt-only AUC 0.640 before\n" in text
