"""The source adapter contract: every input row becomes exactly one Item or one RowError.

An adapter reads a corpus in its native format and maps each row onto the Item and the taxonomy.
It never drops a row silently: a row it cannot map yields a `RowError` naming the file, the row
and the field. The runner decides what to do with errors (`--on-error fail|skip`) and writes the
ledger; adapters never print or write files.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from abstain_data.items import Item

# The default of the recipe's `max_text_chars`: spaCy's default `nlp.max_length`. Sources turn
# a longer text into a row error, so no step ever hands spaCy a text it refuses (E088).
MAX_TEXT_CHARS = 1_000_000


@dataclass
class SourceSpec:
    """One `[[sources]]` table of a recipe, with `path` already resolved against the recipe dir.

    `options` holds adapter-specific keys (e.g. `files` for corpora split over several files).
    `max_text_chars` is the recipe's limit on each text of a row (prompt, context, answers).
    """

    name: str
    adapter: str
    license: str | None = None
    path: Path | None = None
    hub_id: str | None = None
    config: str | None = None
    split: str | None = None
    revision: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    limit: int | None = None
    domain: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    max_text_chars: int = MAX_TEXT_CHARS


@dataclass
class RowError:
    """A row that could not become an item: where it is and what is wrong with which field."""

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        return f"{where}: {self.field or '-'}: {self.message}"


class SourceError(Exception):
    """A whole source cannot be read (missing file, undecodable, empty, unknown format)."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class SourceRecord:
    """One input row's outcome: its ledger key and either an item or an error."""

    record: str
    item: Item | None = None
    error: RowError | None = None


class SourceAdapter(ABC):
    """Reads one corpus. Subclasses set `name` (registry key) and `default_license`."""

    name: str
    default_license: str = "unknown"

    def __init__(self, spec: SourceSpec) -> None:
        self.spec = spec

    @property
    def license(self) -> str:
        return self.spec.license or self.default_license

    def records(self) -> Iterator[SourceRecord]:
        """Every input row, numbered from 0 in file order, as a SourceRecord; honours `limit`."""
        for row, outcome in enumerate(self.rows()):
            if self.spec.limit is not None and row >= self.spec.limit:
                break
            record = f"{self.spec.name}#{row}"
            if isinstance(outcome, RowError):
                yield SourceRecord(record, error=outcome)
            else:
                outcome.record = record
                outcome.source.row = row if outcome.source.row is None else outcome.source.row
                yield SourceRecord(record, item=outcome)

    @abstractmethod
    def rows(self) -> Iterator[Item | RowError]:
        """Yield one Item or RowError per input row, in file order.

        Raise SourceError when the source as a whole cannot be read.
        """

    def revision(self) -> str | None:
        """A revision of the data read (file sha256, Hub commit), recorded in build.json."""
        return None
