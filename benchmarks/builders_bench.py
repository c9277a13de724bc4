"""A builders-on build at `--workers 1` and `--workers N`, next to raw spaCy `nlp.pipe`.

Seeds are real answerable questions: those of `../shared/corpora` (UnAnswGen's SQuAD questions
with their passages, SelfAware's and UMWP's answerable items, through their source adapters)
when that folder exists, else the embedded demo corpus. They are expanded to N by deterministic
rewording (a question is asked again with a different opening, "Do you know ...", "Quick
question: ...", then also with an ending, "... Just curious.", so it stays a question about the
same entities and numbers and the builders fire on it; the real corpora give 1.3M rows before
any repeats, 833k distinct questions in the first 1M). The recipe runs tagging, the nine
unanswerable builders, dedupe, validation and routing. Prints, side by side in one run:
variants made (per builder and in all); for raw `nlp.pipe` over the same N prompts and for the
build at 1 and at N workers, the seconds, items/s and peak RSS (the largest of the process and
its forked workers; each run in a child process); the speed-up of N workers over 1, the
build/nlp.pipe throughput ratio at the same number of processes, and whether the two build
folders are byte-identical.

With `--sizes 20000,50000,100000` it measures memory instead: the build at workers 1 over each
number of seeds (each in a child process), its seconds, items and peak RSS side by side, and the
growth of the peak RSS from the smallest size to each larger one (peak RSS should not grow with
the input beyond the compact corpus-wide indexes). With `--only P` it runs raw `nlp.pipe` and the
build at P processes only, for sizes (1M seeds) where the one-process runs would take hours: the
throughput ratio and peak RSS at P.

    python benchmarks/builders_bench.py [--n 5000] [--workers 2] [--corpora DIR]
    python benchmarks/builders_bench.py --sizes 20000,50000,100000 [--corpora DIR]
    python benchmarks/builders_bench.py --n 1000000 --only 2 [--corpora DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from itertools import zip_longest
from pathlib import Path

from build_bench import CHILD_BUILD, CHILD_SPACY, child, rss_table  # the same timed children

from abstain_data.items import Item
from abstain_data.sources import adapter_class
from abstain_data.sources.base import SourceSpec

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
DEMO = REPO / "abstain_data" / "demo"
REAL_SOURCES = ("unanswgen", "selfaware", "umwp")
BUILDERS = ("context_swap", "entity_swap", "negation", "fabricated_entity", "future_shift",
            "referent_removal", "premise_corruption", "missing_quantity", "missing_specifics")
OPENINGS = ["{q}", "Do you know: {q}", "Quick question: {q}", "I was wondering: {q}",
            "Can you tell me this? {q}", "Here is my question: {q}", "{q} Thanks!",
            "Help me out: {q}"]
ENDINGS = ["", " Thank you.", " Just curious.", " Thanks in advance.", " It came up in class.",
           " I can't remember.", " My friend asked me.", " No rush.", " Cheers.",
           " Much appreciated.", " I'd love to know.", " Please answer briefly.",
           " It's for a quiz.", " Any help is welcome.", " I keep forgetting.", " Thanks a lot."]


def real_seeds(corpora: Path) -> list[Item]:
    """The answerable items of the real corpora under `corpora` (none when it is absent),
    taken from the sources in turn so that any prefix mixes passage and open questions."""
    per_source: list[list[Item]] = []
    for name in REAL_SOURCES:
        if not (corpora / name).is_dir():
            continue
        spec = SourceSpec(name=name, adapter=name, path=corpora / name)
        per_source.append([record.item for record in adapter_class(name)(spec).records()
                           if record.item is not None and not record.item.should_abstain])
    return [item for turn in zip_longest(*per_source) for item in turn if item is not None]


def demo_seeds() -> list[dict[str, object]]:
    """The demo corpus rows (question, answers, context)."""
    rows = []
    for path in sorted(DEMO.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh if line.strip()]
    return rows


def seed_rows(corpora: Path) -> tuple[str, list[dict[str, object]]]:
    """Where the seeds come from, and the seeds as rows of question, answers, context."""
    real = real_seeds(corpora)
    if real:
        return (f"{corpora} ({', '.join(REAL_SOURCES)})",
                [{"question": item.prompt, "answers": list(item.reference_answers),
                  "context": item.context} for item in real])
    return f"{DEMO} (demo corpus)", [
        {"question": row["question"], "answers": row["answers"], "context": row.get("context")}
        for row in demo_seeds()]


def expand(rows: list[dict[str, object]], n: int) -> list[dict[str, object]]:
    """n rows: the seeds in order, then again with the next opening of `OPENINGS`, and so on;
    after every opening, again with the next of `ENDINGS` added: new rows up to
    len(rows) * len(OPENINGS) * len(ENDINGS) (1.3M from the real corpora), repeats after."""
    out = []
    for k in range(n):
        row = rows[k % len(rows)]
        turn = k // len(rows)
        opening = OPENINGS[turn % len(OPENINGS)]
        ending = ENDINGS[(turn // len(OPENINGS)) % len(ENDINGS)]
        out.append({**row, "id": str(k), "question": opening.format(q=row["question"]) + ending})
    return out


def write_seeds(path: Path, rows: list[dict[str, object]], n: int) -> None:
    """Write `n` seeds expanded from `rows` (`expand`) to `path` as JSON Lines."""
    with path.open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(row) + "\n" for row in expand(rows, n))


def recipe(seeds: Path) -> str:
    """A recipe over `seeds` running tagging and the nine unanswerable builders."""
    lines = ['seed = 13', 'batch_size = 512', '[[sources]]', 'name = "bench"', 'adapter = "file"',
             f'path = "{seeds.name}"', 'license = "cc-by-4.0"', '[sources.fields]',
             'prompt = "question"', 'reference_answers = "answers"', 'context = "context"',
             'original_id = "id"', '[tagging]', 'enabled = true']
    for builder in BUILDERS:
        lines += ['[[builders]]', f'name = "{builder}"', '[builders.params]', 'max_per_seed = 1']
    return "\n".join(lines) + "\n"


BUILD_FILES = ("items.parquet", "ledger.parquet", "stats.json", "rejects.jsonl",
               "review_queue.jsonl")


def identical(a: Path, b: Path) -> bool:
    """Whether two build folders hold the same bytes in every file the build writes."""
    return all((a / name).read_bytes() == (b / name).read_bytes() for name in BUILD_FILES)


def memory_growth(rows: list[dict[str, object]], sizes: list[int]) -> None:
    """Build `sizes` seeds (expanded from `rows`) at workers 1, each in a child process, and
    print seconds, items and peak RSS per size, then the peak RSS ratio of each to the first."""
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            root = Path(tmp) / str(n)
            root.mkdir()
            seeds = root / "seeds.jsonl"
            write_seeds(seeds, rows, n)
            (root / "recipe.toml").write_text(recipe(seeds), encoding="utf-8")
            runs.append(child(CHILD_BUILD, str(root / "recipe.toml"), str(root / "out"), "1"))
    print(rss_table(sizes, runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5_000, help="seed questions")
    parser.add_argument("--workers", type=int, default=2, help="compared with 1 worker")
    parser.add_argument("--corpora", type=Path, default=CORPORA,
                        help="the real corpora (default ../shared/corpora; demo when absent)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--sizes", help="comma-separated seed counts: measure peak RSS per size")
    mode.add_argument("--only", type=int, metavar="P",
                      help="run raw nlp.pipe and the build at P processes only (at 1M seeds "
                           "the one-process runs take hours): the ratio and peak RSS at P")
    args = parser.parse_args()
    if args.only is not None and args.only < 1:
        parser.error("--only: at least 1 process")
    origin, rows = seed_rows(args.corpora)
    if args.sizes:
        sizes = [int(n) for n in args.sizes.split(",")]
        print(f"seeds from {len(rows):,} distinct in {origin}; build at workers 1")
        memory_growth(rows, sizes)
        return
    runs: dict[str, tuple[float, int, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        seeds = root / "seeds.jsonl"
        write_seeds(seeds, rows, args.n)
        (root / "recipe.toml").write_text(recipe(seeds), encoding="utf-8")
        processes = (args.only,) if args.only else (1, args.workers)
        for workers in processes:
            runs[f"raw nlp.pipe, {workers} proc"] = child(CHILD_SPACY, str(seeds), str(workers))
            runs[f"build, workers {workers}"] = child(CHILD_BUILD, str(root / "recipe.toml"),
                                                      str(root / f"out{workers}"), str(workers))
        out = root / f"out{processes[0]}"
        stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
        same = not args.only and identical(out, root / f"out{args.workers}")
    made = {step["name"]: step["created"] for step in stats["steps"]
            if step["name"] in BUILDERS}
    rss_unit = 1024 if sys.platform != "darwin" else 1024 * 1024
    print(f"seeds: {args.n:,} from {len(rows):,} distinct in {origin}")
    print("variants made: " + ", ".join(f"{name} {count:,}" for name, count in made.items()))
    print(f"variants made in all: {sum(made.values()):,}  "
          f"(items in the build: {runs[f'build, workers {processes[0]}'][1]:,})")
    print(f"{'':24}{'seconds':>10}{'items/s':>12}{'peak RSS MiB':>15}")
    for label, (seconds, _, rss) in runs.items():
        print(f"{label:24}{seconds:>10.1f}{args.n / seconds:>12,.0f}{rss / rss_unit:>15,.0f}")
    for workers in processes:
        ratio = runs[f"raw nlp.pipe, {workers} proc"][0] / runs[f"build, workers {workers}"][0]
        print(f"ratio build/nlp.pipe throughput at {workers} proc: {ratio:.2f}")
    if args.only:
        return
    one, many = runs["build, workers 1"][0], runs[f"build, workers {args.workers}"][0]
    print(f"speed-up of the build, workers {args.workers} / workers 1: {one / many:.2f}x")
    print(f"byte-identical build folders at workers 1 and {args.workers}: "
          f"{'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
