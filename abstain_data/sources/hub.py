"""The generic `hub` adapter: `datasets.load_dataset` with the `file` adapter's field mapping.

The recipe names `hub_id` (or a local dataset folder as `path`), `config`, `split` and
`revision`; datasets load with `trust_remote_code=False`. `[sources.options] data_files` picks
files of the dataset and `cache_dir` sets the datasets cache. The revision recorded is the
recipe's `revision` when given (a Hub commit), else the loaded dataset's fingerprint.
`HubCorpusSource` is the base of the corpus adapters that read from the Hub (squad_v2, kuq).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from typing import Any, ClassVar

from abstain_data.items import Item
from abstain_data.sources.base import RowError, SourceAdapter, SourceError, SourceSpec
from abstain_data.sources.file import RowMapper
from abstain_data.sources.mapping import ItemFactory, map_rows
from abstain_data.sources.readers import RawRow


def dataset_name(spec: SourceSpec) -> str:
    """What a recipe's Hub source points at: the Hub id, else the local path."""
    if spec.hub_id:
        return spec.hub_id
    if spec.path is not None:
        return str(spec.path)
    raise SourceError(RowError(spec.name, None, "hub_id", "set `hub_id` or `path`"))


def load_split(spec: SourceSpec) -> Any:
    """The `datasets.Dataset` of the recipe's config and split (SourceError if it cannot load)."""
    import datasets

    name = dataset_name(spec)
    try:
        loaded = datasets.load_dataset(
            name, name=spec.config, split=spec.split, revision=spec.revision,
            data_files=spec.options.get("data_files"), trust_remote_code=False,
            cache_dir=spec.options.get("cache_dir"),
        )
    except Exception as exc:  # noqa: BLE001 - datasets raises many types; all mean "cannot load"
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SourceError(RowError(name, None, None, f"cannot load dataset: {message}")) from None
    if isinstance(loaded, datasets.DatasetDict):
        raise SourceError(RowError(name, None, "split", "set `split` (one of: "
                                   f"{', '.join(loaded)})"))
    if len(loaded) == 0:
        raise SourceError(RowError(name, None, "split", "the split has no rows"))
    return loaded


def hub_rows(dataset: Any) -> Iterator[RawRow]:
    """The rows of a loaded dataset as RawRows numbered from 1."""
    for index, data in enumerate(dataset):
        yield RawRow(index, index + 1, "row", data=data)


def hub_revision(spec: SourceSpec, dataset: Any) -> str | None:
    """The recipe's pinned revision, else the dataset fingerprint (None before loading)."""
    if spec.revision:
        return spec.revision
    return None if dataset is None else dataset._fingerprint


class HubSource(SourceAdapter):
    """Reads a Hub dataset (or a local dataset folder) with the `file` adapter's RowMapper."""

    name = "hub"
    _dataset: Any = None

    def rows(self) -> Iterator[Item | RowError]:
        mapper = RowMapper(self)
        self._dataset = load_split(self.spec)
        where = dataset_name(self.spec)
        mapper.check_columns(where, self._dataset.column_names)
        yield from map_rows(hub_rows(self._dataset), where, lambda row: mapper.item(row, where))

    def revision(self) -> str | None:
        return hub_revision(self.spec, self._dataset)


class HubCorpusSource(SourceAdapter):
    """A corpus read from the Hub in its native features: subclasses map one row in `item()`."""

    dataset: ClassVar[str]
    url: ClassVar[str]
    _dataset: Any = None

    def rows(self) -> Iterator[Item | RowError]:
        factory = ItemFactory(self, self.dataset, self.url)
        self._dataset = load_split(self.spec)
        where = dataset_name(self.spec)
        yield from map_rows(hub_rows(self._dataset), where, lambda row: self.item(factory, row))

    @abstractmethod
    def item(self, factory: ItemFactory, row: RawRow) -> Item:
        """The Item of one row (raise FieldProblem for a bad value)."""

    def revision(self) -> str | None:
        return hub_revision(self.spec, self._dataset)
