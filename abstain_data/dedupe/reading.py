"""Reading prompts for dedupe: each prompt's normalized key and content words, in forked
workers when the build has several and the stream is large.

`read_prompts(prompts, workers)` consumes prompts and produces, in order, one `Reading` each.
A reading depends on its prompt alone, so the result is the same for any number of workers.
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


def read_prompts(prompts: Sequence[str], workers: int = 1) -> list[Reading]:
    """The reading of each prompt, in order; `workers` > 1 reads chunks in forked processes
    (not from inside a worker, and only from PARALLEL_FROM prompts)."""
    if workers <= 1 or len(prompts) < PARALLEL_FROM or multiprocessing.parent_process():
        return _read_chunk(prompts)
    chunks = [prompts[start:start + CHUNK] for start in range(0, len(prompts), CHUNK)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [reading for chunk in pool.imap(_read_chunk, chunks) for reading in chunk]


def _read_chunk(prompts: Sequence[str]) -> list[Reading]:
    readings = []
    for prompt in prompts:
        key = normalize_key(prompt)
        readings.append(Reading(key, *read_words(prompt, key)))
    return readings
