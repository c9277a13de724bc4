"""The base of the adapters for corpora kept as local files in their native format.

A subclass names its `dataset`, `url`, `default_files` and implements `item(factory, row, path)`
(the native row -> Item mapping). The recipe's `path` is the corpus folder (then the default
files, or `[sources.options] files`, are read in order) or one file of it.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from abstain_data.items import Item
from abstain_data.sources.base import RowError, SourceAdapter
from abstain_data.sources.mapping import ItemFactory, map_rows
from abstain_data.sources.readers import RawRow, file_revision, read_rows, source_files


class CorpusSource(SourceAdapter):
    """Reads the native files of one corpus; every row becomes one Item or one RowError."""

    dataset: ClassVar[str]
    url: ClassVar[str]
    default_files: ClassVar[list[str]]
    json_key: ClassVar[str | None] = None

    def files(self) -> list[Path]:
        """The files read, in order."""
        return source_files(self.spec.name, self.spec.path, self.spec.options.get("files"),
                            self.default_files)

    def rows(self) -> Iterator[Item | RowError]:
        factory = ItemFactory(self, self.dataset, self.url)
        for path in self.files():
            yield from map_rows(read_rows(path, self.json_key), str(path),
                                lambda row, p=path: self.item(factory, row, p))

    @abstractmethod
    def item(self, factory: ItemFactory, row: RawRow, path: Path) -> Item:
        """The Item of one readable row of `path` (raise FieldProblem for a bad value)."""

    def revision(self) -> str | None:
        return file_revision(self.files())
