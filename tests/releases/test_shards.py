"""Parquet shards: Hub file naming, ClassLabels inside the files, the column contract."""

from __future__ import annotations

from pathlib import Path

from datasets import ClassLabel, Dataset
from release_builds import release


def test_shards_carry_classlabels_and_the_column_contract(build_dir: Path, tmp_path: Path) -> None:
    folder = release(build_dir, tmp_path / "releases")
    shard = folder / "data/test-00000-of-00001.parquet"
    ds = Dataset.from_parquet(str(shard))
    assert list(ds.features) == [
        "id", "prompt", "context", "should_abstain", "target", "category", "domain",
        "complexity", "reference_answers", "rationale", "label_status", "confidence", "pair_id",
        "parent_id", "source_dataset", "source_license", "source_original_id", "source_topic",
        "builder", "builder_version", "review_agreement"]
    assert ds.features["should_abstain"] == ClassLabel(names=["answer", "abstain"])
    assert isinstance(ds.features["category"], ClassLabel)
    for row in ds:
        assert row["target"] == ["answer", "abstain"][row["should_abstain"]]
        assert row["context"] is not None and row["rationale"] is not None
    assert ds["id"] == sorted(ds["id"])


def test_many_shards_follow_the_hub_naming(build_dir: Path, tmp_path: Path) -> None:
    folder = release(build_dir, tmp_path / "releases", max_shard_rows=50)
    train = sorted(p.name for p in (folder / "data").glob("train-*"))
    assert train == [f"train-{i:05d}-of-{len(train):05d}.parquet" for i in range(len(train))]
    assert len(train) >= 3
