"""Reading prompts for dedupe: each prompt's normalized key and content words, in forked
workers when the build has several and the stream is large.

`read_prompts(prompts, workers)` consumes prompts and produces, in order, one `Reading` each.
A reading depends on its prompt alone, so the result is the same for any number of workers.
Equal words and equal function-word sets are one object across the readings (`Shared`): a
stream's prompts use few distinct ones (at 20k benchmark seeds, 10.6k stems in 348k uses and
9.1k function-word sets for 29k prompts), and held apart they cost 1.2 KiB a prompt while
dedupe runs.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from typing import NamedTuple

from abstain_data.dedupe.content import read_words
from abstain_data.items import normalize_key

PARALLEL_FROM = 20_000  # prompts to read before forking workers pays for their start-up
CHUNK = 4_000  # prompts sent to a worker at a time


class Reading(NamedTuple):
    """A prompt's `normalize_key`, its content words (stems, in order) and its function words
    (see `content.read_words`)."""

    key: str
    content: tuple[str, ...]
    functions: frozenset[str]


class Shared:
    """One object for each distinct word and function-word set seen: `reading` returns a
    reading equal to the one given, made of the objects seen first."""

    def __init__(self) -> None:
        self.words: dict[str, str] = {}
        self.sets: dict[frozenset[str], frozenset[str]] = {}

    def reading(self, reading: Reading) -> Reading:
        words = self.words
        content = tuple([words.setdefault(word, word) for word in reading.content])
        return Reading(reading.key, content,
                       self.sets.setdefault(reading.functions, reading.functions))


def read_prompts(prompts: Sequence[str], workers: int = 1) -> list[Reading]:
    """The reading of each prompt, in order; `workers` > 1 reads chunks in forked processes
    (not from inside a worker, and only from PARALLEL_FROM prompts). Equal words and sets are
    shared across the readings (see the module docstring)."""
    if workers <= 1 or len(prompts) < PARALLEL_FROM or multiprocessing.parent_process():
        return _read_chunk(prompts)
    chunks = [prompts[start:start + CHUNK] for start in range(0, len(prompts), CHUNK)]
    shared = Shared()  # a chunk comes back with its own copies: share them across chunks
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [shared.reading(reading)
                for chunk in pool.imap(_read_chunk, chunks) for reading in chunk]


def _read_chunk(prompts: Sequence[str]) -> list[Reading]:
    shared = Shared()  # a chunk's equal words are pickled once, and held once here
    readings = []
    for prompt in prompts:
        key = normalize_key(prompt)
        readings.append(shared.reading(Reading(key, *read_words(prompt, key))))
    return readings
