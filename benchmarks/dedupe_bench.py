"""Dedupe throughput and false-merge rate on generated templated questions.

Generates N questions (default: 10,000 and 100,000) from templates filled with invented names,
years and numbers, with planted exact duplicates, planted near duplicates (typos, contractions,
case and punctuation, word order) and planted hard negatives (one entity, number, ordinal or
content word changed: different questions that look alike). Prints, per size, side by side:
- exact stage items/s; near stage items/s (over the exact stage's survivors, spaCy gate);
- the whole dedupe step items/s (exact + near, spaCy entities in the gate);
- the same step with the string-heuristic entity gate instead of spaCy;
- merges, the recall of planted near duplicates and the false-merge rate (a merge whose two
  items are different questions by construction).

    python benchmarks/dedupe_bench.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import random
import string
import time
from dataclasses import dataclass

from abstain_data.dedupe.exact import find_exact
from abstain_data.dedupe.keys import order_key
from abstain_data.dedupe.matcher import entity_keys
from abstain_data.dedupe.near import find_near
from abstain_data.dedupe.step import DedupeStep
from abstain_data.items import Category, Item, Source, normalize_key
from abstain_data.pipeline.step import BuildContext

TEMPLATES = [
    "What is the capital of {place}?", "Who founded {org} in {year}?",
    "How many people lived in {place} in {year}?", "When was {person} born?",
    "Which river flows through {place}?", "Who was the first mayor of {place}?",
    "What did {person} write about {topic}?", "Where is the headquarters of {org}?",
    "How tall is the main tower of {place}?", "Why did {person} leave {org}?",
    "What is {org} best known for?", "Which language is spoken in {place}?",
    "How many employees did {org} have in {year}?", "Who succeeded {person} at {org}?",
    "What happened in {place} during the {topic} of {year}?",
    "Which prize did {person} win for {topic}?",
]
TOPICS = ["drought", "harvest", "rebellion", "flood", "census", "festival", "strike", "election",
          "plague", "gold rush", "reform", "blockade"]
CONTENT_SWAPS = {"capital": "largest city", "born": "buried", "founded": "sold",
                 "river": "railway", "mayor": "bishop", "write": "say", "headquarters": "archive",
                 "tall": "old", "leave": "join", "spoken": "taught", "succeeded": "preceded",
                 "prize": "title", "employees": "shareholders", "lived": "died"}
ORDINALS = {"first": "second"}


@dataclass
class Planted:
    """Generated items with their ground truth: the question group each belongs to."""

    items: list[Item]
    group: dict[str, int]  # record -> question group (equal groups = same question)
    near: int  # planted near duplicates


def name(rng: random.Random) -> str:
    syllables = ["var", "nok", "tes", "bur", "ly", "mon", "del", "ka", "ri", "sha", "tor", "en"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()


def fill(rng: random.Random, template: str) -> str:
    return template.format(place=name(rng), org=f"{name(rng)} {rng.choice(['Mills', 'Bank'])}",
                           person=f"{name(rng)} {name(rng)}", year=rng.randint(1700, 2020),
                           topic=rng.choice(TOPICS))


def near_variant(rng: random.Random, prompt: str) -> str:
    """The same question written differently."""
    choice = rng.randrange(4)
    if choice == 0:  # a typo in a long common word
        words = prompt.split()
        k = max(range(len(words)), key=lambda i: (len(words[i]) * words[i].islower(), i))
        word = words[k].rstrip("?")
        cut = rng.randrange(1, len(word) - 1)
        words[k] = word[:cut] + word[cut + 1] + word[cut] + word[cut + 2:] + words[k][len(word):]
        return " ".join(words)
    if choice == 1:
        return prompt.replace("What is", "What's").replace("Who was", "Who's").rstrip("?")
    if choice == 2:
        return prompt.lower().rstrip("?") + " ?"
    return "Tell me: " + prompt[0].lower() + prompt[1:]


def hard_negative(rng: random.Random, prompt: str) -> str | None:
    """A different question that looks like `prompt`, or None if none can be made."""
    for old, new in [*ORDINALS.items(), *CONTENT_SWAPS.items()]:
        if f" {old} " in f" {prompt} ":
            return prompt.replace(old, new, 1)
    words = prompt.rstrip("?").split()
    for k, word in enumerate(words):
        if word.isdigit():
            words[k] = str(int(word) + rng.randint(1, 9))
            return " ".join(words) + "?"
        if k and word[0] in string.ascii_uppercase:
            words[k] = name(rng)
            return " ".join(words) + "?"
    return None


def generate(n: int, seed: int = 0) -> Planted:
    """n items: ~80 % distinct questions, 4 % exact and 8 % near duplicates, 8 % hard negatives."""
    rng = random.Random(seed)
    prompts: list[tuple[str, int]] = []
    distinct: list[str] = []  # the distinct questions, the only sources of hard negatives
    seen: set[str] = set()  # every distinct question is new (names can repeat by chance)
    near = 0
    while len(prompts) < n:
        roll = rng.random()
        if prompts and roll < 0.04:
            prompts.append(rng.choice(prompts))
            continue
        if prompts and roll < 0.12:
            prompt, group = rng.choice(prompts)
            prompts.append((near_variant(rng, prompt), group))
            near += 1
            continue
        if prompts and roll < 0.20:
            candidate = hard_negative(rng, rng.choice(distinct))
        else:
            candidate = fill(rng, rng.choice(TEMPLATES))
        if candidate is not None and normalize_key(candidate) not in seen:
            seen.add(normalize_key(candidate))
            distinct.append(candidate)
            prompts.append((candidate, len(prompts)))
    items, group = [], {}
    for row, (prompt, question) in enumerate(prompts):
        record = f"bench#{row}"
        items.append(Item(prompt=prompt, should_abstain=False, category=Category.ANSWERABLE,
                          reference_answers=["x"], record=record,
                          source=Source(dataset="bench", license="cc0-1.0")))
        group[record] = question
    return Planted(items, group, near)


class HeuristicDedupe(DedupeStep):
    """The dedupe step with the string heuristic in the entity gate instead of spaCy."""

    def _entities(self, texts: list[str]) -> list[frozenset[str]]:
        return [entity_keys(text) for text in texts]


def measure(planted: Planted, step: DedupeStep) -> tuple[float, int, int, int]:
    """Seconds, merges, wrong merges, and planted near duplicates that were merged."""
    started = time.perf_counter()
    _, fates, _ = step.dedupe(planted.items)
    seconds = time.perf_counter() - started
    by_id = {}
    for item in sorted(planted.items, key=lambda item: order_key(item, {})):
        by_id.setdefault(item.id, item.record)
    wrong = sum(planted.group[f.record] != planted.group[by_id[f.detail]] for f in fates)
    near_merged = sum(f.method.startswith("near") and planted.group[f.record] ==
                      planted.group[by_id[f.detail]] for f in fates)
    return seconds, len(fates), wrong, near_merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    ctx = BuildContext(seed=13)
    ctx.nlp  # noqa: B018 - load spaCy before timing
    print(f"{'items':>8} {'exact/s':>10} {'near/s':>9} {'step/s':>9} {'heur/s':>9} {'merges':>7} "
          f"{'near recall':>11} {'false merges':>13} {'heur false':>11} "
          f"{'no-wg recall':>11} {'no-wg false':>11}")
    for size in args.sizes:
        planted = generate(size)
        started = time.perf_counter()
        order = sorted(range(size), key=lambda p: order_key(planted.items[p], {}))
        exact = find_exact(planted.items, order)
        exact_rate = size / (time.perf_counter() - started)
        survivors = [p for p in order if p not in exact.duplicate_of]
        started = time.perf_counter()
        find_near(planted.items, survivors, DedupeStep(ctx)._entities, 90, 85)
        near_rate = len(survivors) / (time.perf_counter() - started)
        seconds, merges, wrong, near_merged = measure(planted, DedupeStep(ctx))
        h_seconds, h_merges, h_wrong, _ = measure(planted, HeuristicDedupe(ctx))
        _, s_merges, s_wrong, s_near = measure(planted, DedupeStep(ctx, word_gate=False))
        print(f"{size:>8} {exact_rate:>10,.0f} {near_rate:>9,.0f} {size / seconds:>9,.0f} "
              f"{size / h_seconds:>9,.0f} "
              f"{merges:>7} {near_merged / max(planted.near, 1):>11.1%} "
              f"{wrong / max(merges, 1):>13.2%} {h_wrong / max(h_merges, 1):>11.2%} "
              f"{s_near / max(planted.near, 1):>11.1%} {s_wrong / max(s_merges, 1):>11.2%}")


if __name__ == "__main__":
    main()
