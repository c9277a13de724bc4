"""One parse per text for the whole build: spaCy Docs kept on disk, shared by every step.

A `ParseStore` consumes texts and produces their spaCy Docs. A text the store has not seen goes
through the model once (`nlp.pipe`, with `n_process` = the build's workers when the batch is
large and this is not already a worker); its Doc is written to a `DocBin` shard in the store's
folder, keyed by the sha256 of the text, inside a subfolder named by the model's name and
version (another model never reads these parses). Later calls, by the tagger, any builder or
another process of the same build (forked workers), read the Doc back instead of parsing again.
The most recently used Docs stay in memory (at most `memory_docs`, MEMORY_DOCS by default); the
rest are on disk, so memory does not grow with the build while no text is parsed twice. A shard
holds at most SHARD_DOCS Docs. Reading one key reads its whole shard's DocBin (compact arrays)
and holds it (the MEMORY_SHARDS most recently read shards), but decodes only the Docs asked
for: a builder walks its own seeds, often one in three of the stream or fewer, and decoding a
Doc costs far more than reading it, so a step that walks the stream in order finds the next
texts' shard already read and decodes only what it needs. Callers that need the Docs of many
texts take them in runs (`iter_docs`) rather than in one list, so that no more than a run is
held at once.

A shard is `<name>.spacy` (the DocBin) and `<name>.keys` (one text hash a line, in Doc order),
each written under a temporary name and renamed, the keys last: a shard is visible to other
processes only once complete, and two processes writing at once never clash.
"""

from __future__ import annotations

import atexit
import hashlib
import multiprocessing
import os
import shutil
import tempfile
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import numpy
from spacy.tokens import Doc, DocBin

from abstain_data.chunking import chunked

PARALLEL_FROM = 2_000  # texts to parse in one call before n_process > 1 pays for its start-up
MEMORY_DOCS = 4_096  # Docs kept in memory: a few shards, whatever the size of the build
MEMORY_SHARDS = 4  # shards kept read but not decoded (a few MiB each at SHARD_DOCS)
SHARD_DOCS = 1_024  # Docs per shard at most: reading one key reads no more than this
RUN_DOCS = 1_024  # texts per call of `iter_docs`


def text_key(text: str) -> str:
    """The store key of `text`: the hex sha256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode(docbin: DocBin, positions: list[int], vocab: Any) -> list[Doc]:
    """The Docs at `positions` of `docbin` (in that order), decoded with `vocab`, which already
    holds the bin's strings; the bin's other Docs are not built (`DocBin.get_docs` builds every
    one). A new bin holding only those Docs' arrays (not `copy.copy`: a DocBin copies through
    pickle, which compresses and decompresses the whole bin), decoded by spaCy's own code."""
    part = DocBin(store_user_data=docbin.store_user_data)
    part.attrs = docbin.attrs
    for name in ("tokens", "spaces", "cats", "flags", "span_groups"):
        setattr(part, name, [getattr(docbin, name)[i] for i in positions])
    part.user_data = [docbin.user_data[i] for i in positions] if docbin.user_data else []
    return list(part.get_docs(vocab))


class ParseStore:
    """The Docs of one model (`nlp`, named `model_key`, e.g. "core_web_sm-3.8.0"), on disk in
    `folder / model_key`; `workers` processes parse large batches."""

    def __init__(self, nlp: Any, model_key: str, folder: Path, *, workers: int = 1,
                 memory_docs: int | None = None, batch_size: int = 256) -> None:
        self.nlp = nlp
        self.folder = folder / model_key
        self.folder.mkdir(parents=True, exist_ok=True)
        self.workers = workers
        self.memory_docs = MEMORY_DOCS if memory_docs is None else memory_docs
        self.batch_size = batch_size
        self.memory: OrderedDict[str, Doc] = OrderedDict()
        # shard name -> (its keys' positions, its DocBin): read, not decoded
        self.shards: OrderedDict[str, tuple[dict[str, int], DocBin]] = OrderedDict()
        self.on_disk: dict[str, str] = {}  # text key -> shard name
        self.shards_read: set[str] = set()
        self.parsed = 0  # texts this process sent through the model

    def docs(self, texts: list[str]) -> list[Doc]:
        """The Doc of each text, in order (equal texts share one Doc): each new distinct text
        is parsed once, the others come from memory or disk."""
        keys = [text_key(t) for t in texts]
        wanted = dict(zip(keys, texts, strict=True))
        got = {k: self.memory[k] for k in wanted if k in self.memory}
        missing = [k for k in wanted if k not in got]
        if missing:
            self._scan_shards()
            found = self._read([k for k in missing if k in self.on_disk])
            todo = sorted((k for k in missing if k not in found), key=wanted.__getitem__)
            if todo:
                found.update(self._parse(todo, [wanted[k] for k in todo]))
            got.update(found)
        for key in keys:
            self.memory[key] = got[key]
            self.memory.move_to_end(key)
        self._evict()
        return [got[key] for key in keys]

    def _evict(self) -> None:
        while len(self.memory) > self.memory_docs:
            self.memory.popitem(last=False)

    def _scan_shards(self) -> None:
        """Index the shards written since the last scan (by this or another process)."""
        # a plain listing: every builder's run of seeds looks here once for its new variants,
        # and at a million seeds the folder holds tens of thousands of files (Path.glob took
        # 26 ms over 20,000 names, os.listdir 10 ms)
        for filename in os.listdir(self.folder):
            shard = filename.removesuffix(".keys")
            if shard == filename or shard in self.shards_read:
                continue
            for key in (self.folder / filename).read_text("ascii").split():
                self.on_disk.setdefault(key, shard)
            self.shards_read.add(shard)

    def _read(self, keys: list[str]) -> dict[str, Doc]:
        """The Docs of `keys`, decoded from their shards (each shard read once per call and
        held, see `_shard`): only these Docs are built, so memory holds at most `memory_docs`
        Docs and MEMORY_SHARDS bins however many shards the keys span."""
        by_shard: dict[str, list[str]] = {}
        for key in keys:
            by_shard.setdefault(self.on_disk[key], []).append(key)
        found: dict[str, Doc] = {}
        for shard in sorted(by_shard):
            read = self._shard(shard)
            if read is None:
                continue  # a damaged or deleted shard: its texts are parsed again, never lost
            positions, docbin = read
            wanted = by_shard[shard]
            found.update(zip(wanted, decode(docbin, [positions[k] for k in wanted],
                                            self.nlp.vocab), strict=True))
        return found

    def _shard(self, shard: str) -> tuple[dict[str, int], DocBin] | None:
        """Shard `shard` as read: each key's position and the DocBin, its strings added to the
        vocab; held as the most recently used of at most MEMORY_SHARDS; None when the shard is
        damaged or gone."""
        if shard in self.shards:
            self.shards.move_to_end(shard)
            return self.shards[shard]
        try:
            shard_keys = (self.folder / f"{shard}.keys").read_text("ascii").split()
            docbin = DocBin().from_disk(self.folder / f"{shard}.spacy")
        except (OSError, ValueError):
            return None
        if len(shard_keys) != len(docbin):
            return None
        for string in docbin.strings:  # what `DocBin.get_docs` does first, once per read
            self.nlp.vocab[string]
        self.shards[shard] = ({key: i for i, key in enumerate(shard_keys)}, docbin)
        while len(self.shards) > MEMORY_SHARDS:
            self.shards.popitem(last=False)
        return self.shards[shard]

    def _parse(self, keys: list[str], texts: list[str]) -> dict[str, Doc]:
        """Parse `texts` (the model's one pass over them) and write them as one shard. Each
        Doc drops the model's token tensor as it comes out, as a Doc read from a shard lacks it
        (a DocBin does not store it, and no step reads it): it cost several KiB a Doc, held by
        the thousands in memory and by the whole call here."""
        parallel = (self.workers > 1 and len(texts) >= PARALLEL_FROM
                    and multiprocessing.parent_process() is None)
        docs = []
        for doc in self.nlp.pipe(texts, batch_size=self.batch_size,
                                 n_process=self.workers if parallel else 1):
            doc.tensor = numpy.zeros((0,), dtype="float32")  # what a new Doc holds
            docs.append(doc)
        self.parsed += len(texts)
        for start in range(0, len(keys), SHARD_DOCS):
            self._write_shard(keys[start:start + SHARD_DOCS], docs[start:start + SHARD_DOCS])
        return dict(zip(keys, docs, strict=True))

    def _write_shard(self, keys: list[str], docs: list[Doc]) -> None:
        name = f"{keys[0][:16]}-{len(keys)}-{os.getpid()}-{len(self.shards_read)}"
        spacy_tmp = self.folder / f".{name}.spacy.tmp"
        DocBin(docs=docs).to_disk(spacy_tmp)
        spacy_tmp.replace(self.folder / f"{name}.spacy")
        keys_tmp = self.folder / f".{name}.keys.tmp"
        keys_tmp.write_text("\n".join(keys) + "\n", "ascii")
        keys_tmp.replace(self.folder / f"{name}.keys")
        self.shards_read.add(name)
        for key in keys:
            self.on_disk.setdefault(key, name)


_STORES: dict[tuple[str, str, str], ParseStore] = {}


def _process_folder() -> Path:
    """A folder for the parses of a build without a cache folder, removed at exit."""
    folder = Path(tempfile.mkdtemp(prefix="abstain-parses-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@cache
def _model_key(nlp: Any, version: str) -> str:
    """The store subfolder of pipeline `nlp` at `version` ("" for the pipeline's own), e.g.
    "en_core_web_sm-3.8.0". Cached: spaCy rebuilds `nlp.meta` (every component's labels) on
    each access, which cost more than the store lookup it served, once per parse call."""
    meta = nlp.meta
    version = version or str(meta.get("version", ""))
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{version}"


def parse_store(ctx: Any) -> ParseStore:
    """The store of `ctx` (a BuildContext): its model and version, in `ctx.parse_dir` (the
    build's cache folder) or, without one, in a folder this process removes at exit. One store
    per (model, version, folder) in a process."""
    model_key = _model_key(ctx.nlp, ctx.spacy_model_version or "")
    folder = str(ctx.parse_dir) if ctx.parse_dir else ""
    key = (ctx.spacy_model, model_key, folder)
    store = _STORES.get(key)
    if store is None:
        store = ParseStore(ctx.nlp, model_key, Path(folder) if folder else _process_folder(),
                           workers=ctx.workers)
        _STORES[key] = store
    return store


def parse(ctx: Any, texts: list[str]) -> list[Doc]:
    """The Docs of `texts` from the build's parse store (see `ParseStore.docs`)."""
    return parse_store(ctx).docs(texts)


def iter_docs(ctx: Any, texts: Iterable[str], run: int = RUN_DOCS) -> Iterator[Doc]:
    """The Doc of each of `texts`, in order, taken from the store `run` texts at a time: only
    one run of Docs is held at once (plus the store's bounded memory)."""
    for chunk in chunked(texts, run):
        yield from parse(ctx, chunk)
