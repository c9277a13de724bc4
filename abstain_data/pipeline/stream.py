"""The stream between two steps, kept on disk: items pickled a batch at a time, read back on demand.

A build holds about 2 KiB of Python objects per item, so a million-seed build cannot keep its
stream in memory between steps. The runner writes each step's output to a `StreamWriter` (an
unnamed temporary file, or a cache file) and hands the next step the finished `Stream`: a
sequence of `Batch`es (each of `batch_size` items, the last one shorter) that reads a batch from
disk when it is asked for and keeps nothing but where each batch lies and an 8-byte key of each
item's record (`record_key`; no Python object per item, which would also pin the memory the
freed items lay in). Every read unpickles fresh objects, so a step may change the batches it is
given, and a step that needs two passes over the stream (the builders' indexes, then their
variants) may iterate it twice. Forked workers read batches by position (`os.pread`: no shared
file offset).
"""

from __future__ import annotations

import hashlib
import heapq
import os
import pickle
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, overload

from abstain_data.items import Item
from abstain_data.pipeline.step import Batch


def record_key(record: str) -> int:
    """An 8-byte key of a ledger record (the same in every process: a blake2b digest)."""
    return int.from_bytes(hashlib.blake2b(record.encode("utf-8"), digest_size=8).digest(),
                          "big", signed=True)


class Stream(Sequence[Batch]):
    """Batches of items stored in `file` at `spans` ((offset, length) of each pickled batch);
    `keys` holds the `record_key` of each item's ledger record in stream order (the ledger
    checks each step against them). `len` is the number of batches; `items()` yields the
    items one by one, `records()` their records."""

    def __init__(self, file: IO[bytes], spans: list[tuple[int, int]], keys: array[int],
                 batch_size: int) -> None:
        self._file = file
        self.spans = spans
        self.keys = keys
        self.batch_size = batch_size  # items in every batch but the last

    @property
    def item_count(self) -> int:
        return len(self.keys)

    def records(self) -> list[str]:
        """The items' ledger records in stream order (read from disk)."""
        return [item.record for item in self.items()]

    def __len__(self) -> int:
        return len(self.spans)

    @overload
    def __getitem__(self, index: int) -> Batch: ...

    @overload
    def __getitem__(self, index: slice) -> list[Batch]: ...

    def __getitem__(self, index: int | slice) -> Batch | list[Batch]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        offset, length = self.spans[index]
        return Batch(pickle.loads(os.pread(self._file.fileno(), length, offset)))

    def __iter__(self) -> Iterator[Batch]:
        for k in range(len(self.spans)):
            yield self[k]

    def items(self) -> Iterator[Item]:
        """Every item in stream order, a batch read at a time."""
        for batch in self:
            yield from batch.items

    def save(self, path: Path, header: Any) -> None:
        """Write `header` (any picklable value) and the stream to `path` (atomically), so that
        `Stream.load` gives both back."""
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as out:
            pickle.dump((header, self.keys, _relative(self.spans), self.batch_size), out,
                        protocol=pickle.HIGHEST_PROTOCOL)
            start = self.spans[0][0] if self.spans else 0
            end = self.spans[-1][0] + self.spans[-1][1] if self.spans else 0
            self._file.seek(start)
            _copy(self._file, out, end - start)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> tuple[Any, Stream]:
        """The header and the stream that `save` wrote to `path` (raises OSError,
        pickle.UnpicklingError or EOFError on a torn file)."""
        file = path.open("rb")
        try:
            header, keys, spans, batch_size = pickle.load(file)
            base = file.tell()
            spans = [(base + offset, length) for offset, length in spans]
            if spans and spans[-1][0] + spans[-1][1] > os.fstat(file.fileno()).st_size:
                raise EOFError(f"{path}: the stream is cut short")
        except BaseException:
            file.close()
            raise
        return header, cls(file, spans, keys, batch_size)


class StreamWriter:
    """Collects items in stream order and writes them `batch_size` at a time to an unnamed
    temporary file in `directory` (the system's default when None); `finish` returns the
    `Stream` that reads them back."""

    def __init__(self, batch_size: int, directory: Path | None = None) -> None:
        self.batch_size = max(1, batch_size)
        self._file = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115 - the Stream owns it
        self._spans: list[tuple[int, int]] = []
        self._keys = array("q")
        self._pending: list[Item] = []
        self._end = 0

    def extend(self, items: Iterable[Item]) -> None:
        """Append `items` (written once a batch is full)."""
        for item in items:
            self._pending.append(item)
            self._keys.append(record_key(item.record))
            if len(self._pending) >= self.batch_size:
                self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        data = pickle.dumps(self._pending, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.write(data)
        self._spans.append((self._end, len(data)))
        self._end += len(data)
        self._pending = []

    def finish(self) -> Stream:
        """The stream of every item appended, in order."""
        self._flush()
        self._file.flush()
        return Stream(self._file, self._spans, self._keys, self.batch_size)


class BatchItems(Iterable[Item]):
    """The items of a sequence of batches (a `Stream`, or a list), re-iterable: each pass
    yields them in order, a batch at a time (fresh objects for a `Stream`)."""

    def __init__(self, batches: Sequence[Batch]) -> None:
        self.batches = batches

    def __iter__(self) -> Iterator[Item]:
        for batch in self.batches:
            yield from batch.items


class StreamItems(Sequence[Item]):
    """The items of a `Stream` as a sequence (what a run hands back): `len` counts items,
    iterating reads them a batch at a time, `[i]` reads the batch that holds item i."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream

    def __len__(self) -> int:
        return self.stream.item_count

    @overload
    def __getitem__(self, index: int) -> Item: ...

    @overload
    def __getitem__(self, index: slice) -> list[Item]: ...

    def __getitem__(self, index: int | slice) -> Item | list[Item]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        index %= len(self)
        size = self.stream.batch_size
        return self.stream[index // size].items[index % size]

    def __iter__(self) -> Iterator[Item]:
        return self.stream.items()


def write_stream(items: Iterable[Item], batch_size: int) -> Stream:
    """`items` as a `Stream` of `batch_size` batches."""
    writer = StreamWriter(batch_size)
    writer.extend(items)
    return writer.finish()


def sorted_stream(stream: Stream, key: Callable[[Item], Any], batch_size: int,
                  run_items: int = 65_536) -> Stream:
    """The items of `stream` sorted by `key` (stably), as a new stream: an external merge sort
    that holds at most `run_items` items at a time (sorted runs are written to disk, then
    merged)."""
    runs: list[Stream] = []
    buffer: list[Item] = []
    for item in stream.items():
        buffer.append(item)
        if len(buffer) >= run_items:
            buffer.sort(key=key)
            runs.append(write_stream(buffer, batch_size))
            buffer = []
    buffer.sort(key=key)
    if not runs:
        return write_stream(buffer, batch_size)
    runs.append(write_stream(buffer, batch_size))
    del buffer
    # heapq.merge takes equal keys from the earlier run first: the sort stays stable
    return write_stream(heapq.merge(*(run.items() for run in runs), key=key), batch_size)


def _relative(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    start = spans[0][0] if spans else 0
    return [(offset - start, length) for offset, length in spans]


def _copy(source: IO[bytes], target: IO[bytes], length: int) -> None:
    """Copy `length` bytes from `source`'s position to `target`."""
    remaining = length
    while remaining > 0:
        chunk = source.read(min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("the stream file is shorter than its batches")
        target.write(chunk)
        remaining -= len(chunk)

