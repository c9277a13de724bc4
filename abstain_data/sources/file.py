"""The generic `file` adapter: JSONL, JSON, CSV or Parquet with a `fields` column mapping.

`[sources.fields]` maps item field -> column. `prompt` is required; `reference_answers` (a string,
a list, or a list-string like "['a', 'b']"), `should_abstain` (bool, 0/1, "true"/"false"; absent
means answerable), `context`, `category` (a taxonomy code), `domain`, `complexity`,
`original_id`, `topic` and `rationale` are optional. An unanswerable row needs a taxonomy code:
its `category` column, else `[sources.options] unanswerable_category`.

Options: `files` (names inside a folder `path`), `key` (the list key of a JSON object),
`dataset` (source.dataset; default the source name), `url`.

`RowMapper` is the row -> Item mapping; the `hub` adapter reuses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from abstain_data.items import Category, Complexity, Domain, Item
from abstain_data.sources.base import RowError, SourceAdapter, SourceError
from abstain_data.sources.mapping import (
    FieldProblem,
    ItemFactory,
    answers,
    code,
    column,
    flag,
    map_rows,
    optional_text,
    text,
)
from abstain_data.sources.readers import RawRow, file_revision, read_rows, source_files

FIELDS = ("prompt", "reference_answers", "should_abstain", "context", "category", "domain",
          "complexity", "original_id", "topic", "rationale")


class RowMapper:
    """Maps one row dict onto an Item by the recipe's `fields` (item field -> column).

    Consumes the adapter (spec: fields, options, config, split); `check_columns()` rejects a
    mapping that names columns a tabular file lacks; `item()` produces the row's Item or raises
    FieldProblem (row-level) / SourceError (an unanswerable row with no way to get its code).
    """

    def __init__(self, adapter: SourceAdapter) -> None:
        spec = adapter.spec
        self.spec = spec
        unknown = sorted(set(spec.fields) - set(FIELDS))
        if unknown:
            raise SourceError(RowError(spec.name, None, f"fields.{unknown[0]}",
                                       f"unknown item field (known: {', '.join(FIELDS)})"))
        if "prompt" not in spec.fields:
            raise SourceError(RowError(spec.name, None, "fields.prompt",
                                       "map the prompt column: [sources.fields] prompt = \"...\""))
        self.fields = dict(spec.fields)
        self.fallback = self._fallback_category(spec.options.get("unanswerable_category"))
        self.factory = ItemFactory(adapter, spec.options.get("dataset", spec.name),
                                   spec.options.get("url"))

    def _fallback_category(self, value: Any) -> Category | None:
        try:
            category = code(value, Category, "category")
        except FieldProblem as exc:
            raise SourceError(RowError(self.spec.name, None, "options.unanswerable_category",
                                       str(exc))) from None
        if category is not None and not category.should_abstain:
            raise SourceError(RowError(self.spec.name, None, "options.unanswerable_category",
                                       f"{category.value!r} is not an unanswerable code"))
        return category

    def check_columns(self, file: str, columns: Iterable[str]) -> None:
        """SourceError naming the first mapped column that `columns` (a file's header) lacks."""
        present = set(columns)
        for field, name in self.fields.items():
            if name not in present:
                raise SourceError(RowError(file, None, field,
                                           f"column {name!r} not found (columns: "
                                           f"{', '.join(sorted(present))})"))

    def _value(self, data: dict[str, Any], field: str) -> Any:
        name = self.fields.get(field)
        if name is None:
            return None
        return column(data, name, field) if field == "prompt" else data.get(name)

    def item(self, row: RawRow, file: str) -> Item:
        """The Item of `row` (its data must be set); a problem names the file's column."""
        try:
            return self._item(row, file)
        except FieldProblem as exc:
            column = self.fields.get(exc.field)
            if column is None or column == exc.field:
                raise
            raise FieldProblem(f"{column} (-> {exc.field})", str(exc)) from None

    def _item(self, row: RawRow, file: str) -> Item:
        data = row.data or {}
        category = self._category(data, row, file)
        return self.factory.make(
            row, text(self._value(data, "prompt"), "prompt"), category,
            config=self.spec.config, split=self.spec.split,
            original_id=optional_text(self._value(data, "original_id"), "original_id"),
            topic=optional_text(self._value(data, "topic"), "topic"),
            context=optional_text(self._value(data, "context"), "context"),
            reference_answers=answers(self._value(data, "reference_answers")),
            rationale=optional_text(self._value(data, "rationale"), "rationale"),
            domain=code(self._value(data, "domain"), Domain, "domain"),
            complexity=code(self._value(data, "complexity"), Complexity, "complexity"),
        )

    def _category(self, data: dict[str, Any], row: RawRow, file: str) -> Category:
        category = code(self._value(data, "category"), Category, "category")
        raw_flag = self._value(data, "should_abstain")
        abstain = None if raw_flag is None or raw_flag == "" else flag(raw_flag, "should_abstain")
        if category is not None:
            if abstain is not None and abstain != category.should_abstain:
                raise FieldProblem("should_abstain", f"is {abstain} but category "
                                   f"{category.value!r} means {category.should_abstain}")
            return category
        if not abstain:
            return Category.ANSWERABLE
        if self.fallback is None:
            raise SourceError(row.fail(
                file, "should_abstain", "row is unanswerable but has no taxonomy code: map a "
                "category column or set [sources.options] unanswerable_category = \"<code>\""))
        return self.fallback


class FileSource(SourceAdapter):
    """Reads local JSONL / JSON / CSV / Parquet file(s), chosen by suffix, with `RowMapper`."""

    name = "file"

    def _files(self) -> list[Path]:
        return source_files(self.spec.name, self.spec.path, self.spec.options.get("files"))

    def rows(self) -> Iterator[Item | RowError]:
        mapper = RowMapper(self)
        for path in self._files():
            yield from map_rows(self._checked(mapper, path), str(path),
                                lambda row, p=path: mapper.item(row, str(p)))

    def _checked(self, mapper: RowMapper, path: Path) -> Iterator[RawRow]:
        """The rows of `path`; for CSV/Parquet the header is checked against the mapping first."""
        tabular = path.suffix.lower() in (".csv", ".parquet")
        for row in read_rows(path, self.spec.options.get("key")):
            if tabular and row.index == 0 and row.data is not None:
                mapper.check_columns(str(path), row.data)
            yield row

    def revision(self) -> str | None:
        return file_revision(self._files())
