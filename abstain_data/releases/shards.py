"""Parquet shards of one config: `Dataset.to_parquet` with fixed writer settings.

Files follow the Hub layout `data/{split}-{i:05d}-of-{n:05d}.parquet` for the default config
and `data/{config}/{split}-...` for the others; the features (ClassLabels included) travel inside
each file. Same rows -> same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from datasets import Dataset

from abstain_data.items import Item, Split
from abstain_data.releases.features import RELEASE_FEATURES, release_row

MAX_SHARD_ROWS = 100_000
WRITER_BATCH_ROWS = 1_000


@dataclass
class SplitFiles:
    """One written split of one config: row count, Arrow bytes, and its shard files."""

    num_examples: int
    num_bytes: int
    files: list[str] = field(default_factory=list)
    download_size: int = 0


def data_dir(config: str) -> str:
    """The folder of a config's shards inside the release: "data" or "data/<config>"."""
    return "data" if config == "default" else f"data/{config}"


def write_split(root: Path, config: str, split: Split, items: Sequence[Item],
                max_shard_rows: int = MAX_SHARD_ROWS) -> SplitFiles:
    """Write the items of one split (in the given order) as shards under `root`."""
    dataset = Dataset.from_list([release_row(it) for it in items], features=RELEASE_FEATURES)
    shards = max(1, math.ceil(len(dataset) / max_shard_rows))
    out = SplitFiles(num_examples=len(dataset), num_bytes=dataset.data.nbytes)
    folder = root / data_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(shards):
        shard = dataset.shard(num_shards=shards, index=index, contiguous=True)
        path = folder / f"{split.value}-{index:05d}-of-{shards:05d}.parquet"
        shard.to_parquet(path, batch_size=WRITER_BATCH_ROWS)
        out.files.append(path.relative_to(root).as_posix())
        out.download_size += path.stat().st_size
    return out


def write_config(root: Path, config: str, splits: Mapping[Split, Sequence[Item]],
                 max_shard_rows: int = MAX_SHARD_ROWS) -> dict[Split, SplitFiles]:
    """Write every non-empty split of a config; split -> what was written."""
    return {split: write_split(root, config, split, items, max_shard_rows)
            for split, items in splits.items()}
