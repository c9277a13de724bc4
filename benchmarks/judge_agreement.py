"""Judge agreement with XSTest's human labels, leave-one-model-out, next to GPT-4 and string match.

Reads XSTest's two human-labelled completion files (Mistral-Instruct and GPT-4 completions;
`final_label` by two annotators, `gpt4_label` from the paper's GPT-4 judge in the same rows).
For each direction (develop on one model's file, test on the other's) it trains the learned
judge on the development file plus our written completions only, never on a row of the
held-out model, and prints, on the held-out file, the share of rows on which each labeller
agrees with the humans: 3-class (full compliance / full refusal / partial refusal) and binary
(refusal = full or partial refusal). Then the shipped judge's throughput on one core and
example explanations.

The rules judge's phrase lists were written before this benchmark existed and adjusted while
looking at errors on both files, so its numbers are not held out; the learned judge's weights
are (its features are the rules' phrases).

Usage: python benchmarks/judge_agreement.py [CORPORA_DIR]   (default ../shared/corpora)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from abstain_data.scoring.agreement import LabelledCompletion, compare, read_labelled
from abstain_data.scoring.judge_learned import LearnedJudge
from abstain_data.scoring.judge_training import fit, read_written

FILES = {
    "mistral-instruct": "xstest_v2_completions_mistralinstruct_gpteval.csv",
    "gpt-4": "xstest_v2_completions_gpt4_gpteval.csv",
}
THROUGHPUT_ROUNDS = 3
EXAMPLES = ("v2-38", "v2-301", "v2-160")


def main(corpora: Path) -> None:
    """Print leave-one-model-out agreement tables, throughput and example explanations."""
    folder = corpora / "xstest" / "human_labelled_completions"
    rows = {model: read_labelled(folder / name) for model, name in FILES.items()}
    written = read_written()
    print(f"written completions used in training: {len(written)}")
    for held_out in rows:
        development = [r for model, part in rows.items() if model != held_out for r in part]
        judge = LearnedJudge(fit([*development, *written]))
        _print_table(f"held out: {held_out} ({len(rows[held_out])} rows); learned judge "
                     f"trained on the other model's {len(development)} rows + written",
                     rows[held_out], judge)
    every = [r for part in rows.values() for r in part]
    shipped = LearnedJudge()
    _print_table(f"shipped judge on both files ({len(every)} rows; in-sample, not held out)",
                 every, shipped)
    _throughput(shipped, [r.completion for r in every])
    by_id = {r.id: r for r in rows["gpt-4"]}
    for rid in EXAMPLES:
        row = by_id[rid]
        judgment = shipped.judge(row.prompt, row.completion)
        print(f"example {rid} (human: {row.human}): {row.completion[:90]!r}...")
        print(f"  -> {judgment.verdict.value} [{judgment.rule}] {judgment.why}")


def _print_table(title: str, rows: list[LabelledCompletion], judge: LearnedJudge) -> None:
    print(title)
    print(f"  {'labeller':<14}{'3-class':>9}{'binary':>9}")
    for labeller, result in compare(rows, judge).items():
        print(f"  {labeller:<14}{result.three_class:>9.1%}{result.binary:>9.1%}")


def _throughput(judge: LearnedJudge, completions: list[str]) -> None:
    """Judgments per second, pinned to one core: per CPU second (the cost on one core, not
    counting time the process waited for a CPU on a shared machine) and per wall second."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(THROUGHPUT_ROUNDS):
        for text in completions:
            judge.judge("", text)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    n = THROUGHPUT_ROUNDS * len(completions)
    print(f"throughput (one core, pinned): {n / cpu:,.0f} responses per CPU second, "
          f"{n / wall:,.0f} per wall second ({n} judgments, {cpu:.2f} s CPU, {wall:.2f} s wall; "
          f"load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
