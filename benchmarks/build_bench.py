"""Throughput of `abstain-data build` next to raw spaCy `nlp.pipe` on the same texts.

Generates N templated seed questions (default 100,000) as JSONL, builds them with a recipe that
runs tagging, dedupe, validation and routing (no builders), and prints, side by side in one run:
build items/s, raw nlp.pipe texts/s over the same prompts, their ratio (the figure to watch:
pipeline overhead on top of spaCy), and the peak RSS of each (measured in child processes).

With `--sizes 20000,100000` it measures memory instead: the build over each number of seeds,
its seconds, items and peak RSS side by side and the growth of the peak RSS from the smallest
size to each larger one.

    python benchmarks/build_bench.py [--n 100000] [--workers 1]
    python benchmarks/build_bench.py --sizes 20000,100000 [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

SUBJECTS = ["river", "mountain", "painter", "treaty", "element", "bridge", "composer", "island",
            "satellite", "festival", "dynasty", "protein", "volcano", "novel", "currency"]
ASKS = ["Who named the {s} {n}?", "When was the {s} {n} first recorded?",
        "Where is the {s} {n} located?", "What is the {s} {n} known for?",
        "How long is the {s} {n}?", "Which country claims the {s} {n}?"]


def generate(path: Path, n: int) -> list[str]:
    """Write n seed questions (with ~2 % exact duplicates) and return their prompts."""
    rng = random.Random(0)
    prompts = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            k = rng.randrange(n) if i and rng.random() < 0.02 else i
            prompt = rng.choice(ASKS).format(s=SUBJECTS[k % len(SUBJECTS)], n=f"No. {k}")
            prompts.append(prompt)
            fh.write(json.dumps({"id": str(i), "question": prompt, "answers": [f"A{k}"]}) + "\n")
    return prompts


# each child prints seconds, items and peak RSS: the largest of the process and its workers
CHILD_BUILD = """
import sys, time, resource
from pathlib import Path
from abstain_data.build import run_build
from abstain_data.recipe import load_recipe
t = time.perf_counter()
summary = run_build(load_recipe(Path(sys.argv[1])), Path(sys.argv[2]), workers=int(sys.argv[3]))
print(time.perf_counter() - t, summary.stats["totals"]["items"],
      max(resource.getrusage(who).ru_maxrss
          for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
"""

# argv: the seeds file, then optionally n_process (default 1)
CHILD_SPACY = """
import sys, time, json, resource
from abstain_data.nlp import load_nlp
texts = [json.loads(l)["question"] for l in open(sys.argv[1], encoding="utf-8")]
nlp = load_nlp("en_core_web_sm")
t = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=512, n_process=int(sys.argv[2]) if len(sys.argv) > 2 else 1):
    pass
print(time.perf_counter() - t, len(texts),
      max(resource.getrusage(who).ru_maxrss
          for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
"""


# the recipe of the generated seeds (seeds.jsonl beside it); other benchmarks add steps to it
SEED_RECIPE = ('seed = 1\nbatch_size = 1024\n[[sources]]\nname = "bench"\nadapter = "file"\n'
               'path = "seeds.jsonl"\nlicense = "cc0-1.0"\n[sources.fields]\n'
               'prompt = "question"\nreference_answers = "answers"\noriginal_id = "id"\n')


def child(code: str, *args: str) -> tuple[float, int, int]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True,
                         text=True).stdout.split()
    return float(out[-3]), int(out[-2]), int(out[-1])


def rss_table(sizes: list[int], runs: list[tuple[float, int, int]]) -> str:
    """The lines of a memory run: per size its seconds, items and peak RSS (MiB), and the
    ratio of each peak RSS to the smallest size's (ru_maxrss is KiB on Linux, bytes on macOS)."""
    unit = 1024 if sys.platform != "darwin" else 1024 * 1024
    lines = [f"{'seeds':>10}{'seconds':>10}{'items':>10}{'peak RSS MiB':>15}"]
    lines += [f"{n:>10,}{seconds:>10.1f}{items:>10,}{rss / unit:>15,.0f}"
              for n, (seconds, items, rss) in zip(sizes, runs, strict=True)]
    base = runs[0][2]
    lines += [f"ratio peak RSS {n:,} / {sizes[0]:,} seeds: {rss / base:.2f}"
              for n, (_, _, rss) in zip(sizes[1:], runs[1:], strict=True)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--sizes", help="comma-separated seed counts: measure peak RSS per size")
    args = parser.parse_args()
    if args.sizes:
        sizes = [int(n) for n in args.sizes.split(",")]
        runs = []
        with tempfile.TemporaryDirectory() as tmp:
            for n in sizes:
                root = Path(tmp) / str(n)
                root.mkdir()
                generate(root / "seeds.jsonl", n)
                (root / "recipe.toml").write_text(SEED_RECIPE, encoding="utf-8")
                runs.append(child(CHILD_BUILD, str(root / "recipe.toml"), str(root / "out"),
                                  str(args.workers)))
        print(f"templated seed questions; build without builders at workers {args.workers}")
        print(rss_table(sizes, runs))
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root / "seeds.jsonl", args.n)
        (root / "recipe.toml").write_text(
            SEED_RECIPE,
            encoding="utf-8",
        )
        spacy_s, n_texts, spacy_rss = child(CHILD_SPACY, str(root / "seeds.jsonl"))
        build_s, n_items, build_rss = child(CHILD_BUILD, str(root / "recipe.toml"),
                                            str(root / "out"), str(args.workers))
    rss_unit = 1024 if sys.platform != "darwin" else 1024 * 1024
    print(f"seed questions: {args.n:,}  (items after dedupe: {n_items:,}; workers {args.workers})")
    print(f"{'':24}{'seconds':>10}{'items/s':>12}{'peak RSS MiB':>15}")
    print(f"{'raw nlp.pipe':24}{spacy_s:>10.1f}{n_texts / spacy_s:>12,.0f}"
          f"{spacy_rss / rss_unit:>15,.0f}")
    print(f"{'abstain-data build':24}{build_s:>10.1f}{args.n / build_s:>12,.0f}"
          f"{build_rss / rss_unit:>15,.0f}")
    print(f"ratio build/nlp.pipe throughput: {(args.n / build_s) / (n_texts / spacy_s):.2f}")


if __name__ == "__main__":
    main()
