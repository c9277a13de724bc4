"""Dedupe throughput, near-duplicate recall and false merges on a planted set.

Generates N questions from templates filled with invented names, years and topics, with planted
exact duplicates (4 %), near duplicates (8 %: typos, contractions, case and punctuation, word
order, polite framing, light paraphrase) and hard negatives (8 %: one content word, ordinal,
number or name changed, e.g. "Who founded X?" / "Who sold X?": different questions that look
alike and must not merge). Prints, per size, side by side:
- the whole dedupe step's items/s (exact + near, spaCy entities in the gate) and seconds, and
  items per CPU second of this process and its workers (what free cores would give on a shared
  machine), for each `--workers` (default 1 and 2), with whether the output is identical to
  the first's;
- merges; the recall of planted near duplicates (a variant counts when it ends in the same
  cluster as the question it rewords), overall and per kind of rewording;
- the false-merge rate (merges whose two items are different questions by construction).
`--compare` adds the step with the string-heuristic entity gate and without the word gate.

    python benchmarks/dedupe_bench.py [--n 10000 100000] [--workers 1 2] [--compare]
"""

from __future__ import annotations

import argparse
import os
import random
import string
import time
from collections import Counter
from dataclasses import dataclass

from abstain_data.dedupe.matcher import entity_keys
from abstain_data.dedupe.step import DedupeStep
from abstain_data.items import Category, Item, Source, normalize_key
from abstain_data.pipeline.step import BuildContext, Fate

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


def name(rng: random.Random) -> str:
    syllables = ["var", "nok", "tes", "bur", "ly", "mon", "del", "ka", "ri", "sha", "tor", "en"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()


def fill(rng: random.Random, template: str) -> str:
    return template.format(place=name(rng), org=f"{name(rng)} {rng.choice(['Mills', 'Bank'])}",
                           person=f"{name(rng)} {name(rng)}", year=rng.randint(1700, 2020),
                           topic=rng.choice(TOPICS))


PARAPHRASES = {  # light rewordings a person would write, per template opening
    "What is the capital of": "Which city is the capital of",
    "Who founded": "Who was it that founded",
    "When was": "In what year was",
    "Which river flows through": "What river flows through",
    "Who was the first mayor of": "Who was the very first mayor of",
    "What did": "What exactly did",
    "Where is the headquarters of": "Where are the headquarters of",
    "How tall is": "What is the height of",
    "Why did": "For what reason did",
    "What is": "What's",
    "Which language is spoken in": "What language do people speak in",
    "How many employees did": "How many people did",
    "Who succeeded": "Who came after",
    "What happened in": "What took place in",
    "Which prize did": "What prize did",
    "How many people lived in": "How many people were living in",
}
FRAMINGS = ["Tell me: {q}", "Can you tell me {q}", "Do you know {q}", "Please tell me {q}",
            "I'd like to know {q}", "I wonder {q}"]
def _bare(word: str) -> str:
    return word.strip("?,.:!").lower()


# words of the question wordings (not names, numbers or topics): where typos are planted
VOCABULARY = frozenset(_bare(word) for text in [*TEMPLATES, *PARAPHRASES, *PARAPHRASES.values(),
                                                *FRAMINGS]
                       for word in text.split() if _bare(word).isalpha())
NEAR_KINDS = ["typo", "contraction", "case_punct", "word_order", "framing", "paraphrase"]


def near_variant(rng: random.Random, prompt: str) -> tuple[str, str]:
    """The same question written differently, and the kind of rewording (NEAR_KINDS)."""
    kind = rng.choice(NEAR_KINDS)
    words = prompt.split()
    targets = [i for i, word in enumerate(words)
               if _bare(word) in VOCABULARY and len(_bare(word)) >= 3]
    if kind == "typo" and targets:  # a swapped, dropped or doubled letter in a template word
        k = max(targets, key=lambda i: (len(_bare(words[i])), i))
        word = words[k].rstrip("?,.:!")
        cut = rng.randrange(1, len(word) - 1)
        edit = rng.choice([word[:cut] + word[cut + 1] + word[cut] + word[cut + 2:],
                           word[:cut] + word[cut + 1:], word[:cut] + word[cut] + word[cut:]])
        words[k] = edit + words[k][len(word):]
        return " ".join(words), kind
    if kind == "typo":
        kind = "case_punct"  # no template word left to misspell
    if kind == "contraction":
        for full, short in (("What is", "What's"), ("Where is", "Where's"), ("Who was", "Who's"),
                            ("What did", "What'd"), ("Why did", "Why'd")):
            if prompt.startswith(full):
                return short + prompt[len(full):].rstrip("?"), kind
        kind = "case_punct"  # no contraction in this question
    if kind == "case_punct":
        return rng.choice([prompt.lower().rstrip("?") + " ?", prompt.upper(),
                           prompt.replace("?", "??"), prompt.rstrip("?") + "."]), kind
    if kind == "word_order":  # front the closing phrase: "In 1850, who founded X?"
        for preposition in (" in ", " at ", " during ", " through ", " about ", " for "):
            cut = prompt.rfind(preposition)
            if cut > 0:
                head, tail = prompt[:cut], prompt[cut + 1:].rstrip("?")
                return f"{tail[0].upper()}{tail[1:]}, {head[0].lower()}{head[1:]}?", kind
        return prompt.rstrip("?") + ", exactly?", kind
    if kind == "framing":
        question = prompt[0].lower() + prompt[1:]
        return rng.choice(FRAMINGS).format(q=question), kind
    for opening, reworded in PARAPHRASES.items():
        if prompt.startswith(opening):
            return reworded + prompt[len(opening):], "paraphrase"
    return prompt, "paraphrase"


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


@dataclass
class Planted:
    """Generated items with their ground truth: the question group each belongs to, and the
    planted near duplicates (record -> kind of rewording)."""

    items: list[Item]
    group: dict[str, int]  # record -> question group (equal groups = same question)
    near: dict[str, str]  # record of a planted near duplicate -> its kind (NEAR_KINDS)
    original: dict[int, str]  # question group -> record of the question as first written


def generate(n: int, seed: int = 0) -> Planted:
    """n items: ~80 % distinct questions, 4 % exact and 8 % near duplicates, 8 % hard negatives."""
    rng = random.Random(seed)
    prompts: list[tuple[str, int, str | None]] = []  # prompt, group, near kind
    distinct: list[str] = []  # the distinct questions, the only sources of hard negatives
    seen: set[str] = set()  # every distinct question is new (names can repeat by chance)
    while len(prompts) < n:
        roll = rng.random()
        if prompts and roll < 0.04:
            prompt, group, kind = rng.choice(prompts)
            prompts.append((prompt, group, kind))
            continue
        if prompts and roll < 0.12:
            prompt, group, _ = rng.choice(prompts)
            reworded, kind = near_variant(rng, prompt)
            prompts.append((reworded, group, kind))
            continue
        if prompts and roll < 0.20:
            candidate = hard_negative(rng, rng.choice(distinct))
        else:
            candidate = fill(rng, rng.choice(TEMPLATES))
        if candidate is not None and normalize_key(candidate) not in seen:
            seen.add(normalize_key(candidate))
            distinct.append(candidate)
            prompts.append((candidate, len(prompts), None))
    planted = Planted([], {}, {}, {})
    for row, (prompt, question, kind) in enumerate(prompts):
        record = f"bench#{row}"
        planted.items.append(Item(prompt=prompt, should_abstain=False,
                                  category=Category.ANSWERABLE, reference_answers=["x"],
                                  record=record, source=Source(dataset="bench", license="cc0-1.0")))
        planted.group[record] = question
        planted.original.setdefault(question, record)
        if kind is not None:
            planted.near[record] = kind
    return planted


class HeuristicDedupe(DedupeStep):
    """The dedupe step with the string heuristic in the entity gate instead of spaCy."""

    def _entities(self, texts: list[str]) -> list[frozenset[str]]:
        return [entity_keys(text) for text in texts]


@dataclass
class Outcome:
    """One run of the step on a planted set."""

    seconds: float
    cpu_seconds: float  # CPU time of this process: the rate on a shared machine
    merges: int
    wrong: int  # merges of two different questions
    recalled: Counter[str]  # planted near duplicates in their question's cluster, by kind
    output: tuple[list[Item], list[Fate]]  # what the step kept and the fates it wrote

    def recall(self, planted: Planted, kind: str | None = None) -> float:
        total = sum(kind in (None, k) for k in planted.near.values())
        found = sum(self.recalled.values()) if kind is None else self.recalled[kind]
        return found / max(total, 1)


def cpu_time() -> float:
    """CPU seconds of this process and of its finished children (forked workers)."""
    children = os.times()  # ticks of 10 ms: too coarse for this process on a tiny run
    return time.process_time() + children.children_user + children.children_system


def measure(planted: Planted, step: DedupeStep) -> Outcome:
    """Run `step.dedupe` on the planted items and score its fates against the ground truth."""
    started, cpu_started = time.perf_counter(), cpu_time()
    kept, fates, _ = step.dedupe(planted.items)
    seconds, cpu_seconds = time.perf_counter() - started, cpu_time() - cpu_started
    kept_record = {item.id: item.record for item in kept}
    merged_into = {fate.record: kept_record[fate.detail] for fate in fates}
    wrong = sum(planted.group[record] != planted.group[into]
                for record, into in merged_into.items())
    recalled: Counter[str] = Counter()
    for record, kind in planted.near.items():
        original = planted.original[planted.group[record]]
        if merged_into.get(record, record) == merged_into.get(original, original):
            recalled[kind] += 1
    return Outcome(seconds, cpu_seconds, len(fates), wrong, recalled, (kept, fates))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000],
                        help="planted set sizes")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="the build's --workers to run the step with, side by side")
    parser.add_argument("--compare", action="store_true",
                        help="also run the heuristic entity gate and no word gate")
    args = parser.parse_args()
    kinds = " ".join(f"{kind:>10}" for kind in NEAR_KINDS)
    print(f"{'items':>8} {'seconds':>8} {'step/s':>9} {'cpu/s':>9} {'merges':>7} {'recall':>7} "
          f"{'false':>7} {kinds}")
    for size in args.n:
        planted = generate(size)
        outcomes = {}
        for workers in args.workers:
            ctx = BuildContext(seed=13, workers=workers)
            ctx.nlp  # noqa: B018 - load spaCy before timing
            outcomes[f"workers {workers}"] = measure(planted, DedupeStep(ctx))
        if args.compare:
            ctx = BuildContext(seed=13)
            outcomes["heuristic gate"] = measure(planted, HeuristicDedupe(ctx))
            outcomes["no word gate"] = measure(planted, DedupeStep(ctx, word_gate=False))
        first = next(iter(outcomes.values()))
        for label, out in outcomes.items():
            per_kind = " ".join(f"{out.recall(planted, kind):>10.1%}" for kind in NEAR_KINDS)
            same = "identical" if out.output == first.output else "DIFFERENT"
            print(f"{size:>8} {out.seconds:>8.1f} {size / out.seconds:>9,.0f} "
                  f"{size / max(out.cpu_seconds, 1e-6):>9,.0f} {out.merges:>7} "
                  f"{out.recall(planted):>7.1%} {out.wrong / max(out.merges, 1):>7.2%} "
                  f"{per_kind}  ({label}; output {same} to {next(iter(outcomes))}; "
                  f"{len(planted.near)} planted near duplicates)")
        for label, out in outcomes.items():
            print(f"ratio step items/s / 17,000 target: {size / out.seconds / 17_000:.2f} "
                  f"(per CPU second: {size / max(out.cpu_seconds, 1e-6) / 17_000:.2f}; {label}, "
                  f"n={size})")


if __name__ == "__main__":
    main()
