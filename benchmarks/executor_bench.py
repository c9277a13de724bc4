"""The same build on the local executor and on Ray Data (a local Ray), side by side.

Generates N templated seed questions (default 100,000; the generator of build_bench.py), builds
them with tagging, dedupe, validation and routing on `--executor local` and on `--executor ray`
with the same number of workers (each build in a child process, Ray start-up included in its
time), and prints both times, their ratio (the figure to watch: at most 1.5) and whether
items.parquet, ledger.parquet and stats.json counts are identical. With `--builders` the seeds
and the recipe are those of builders_bench.py instead: real questions from ../shared/corpora
(else the demo corpus) expanded to N, with tagging and the nine unanswerable builders on.

    python benchmarks/executor_bench.py [--n 100000] [--workers 2] [--builders]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from build_bench import SEED_RECIPE, generate
from builders_bench import CORPORA, seed_rows, write_seeds
from builders_bench import recipe as builders_recipe

CHILD_BUILD = """
import sys, time
from pathlib import Path
from abstain_data.build import run_build
from abstain_data.recipe import load_recipe
t = time.perf_counter()
run_build(load_recipe(Path(sys.argv[1])), Path(sys.argv[2]), workers=int(sys.argv[3]),
          executor=sys.argv[4])
print(time.perf_counter() - t)
"""


def timed_build(recipe: Path, out: Path, workers: int, executor: str) -> float:
    """Seconds for one build in a child process."""
    done = subprocess.run([sys.executable, "-c", CHILD_BUILD, str(recipe), str(out),
                           str(workers), executor], check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1])


def counts(stats: object) -> object:
    """stats.json without its timings."""
    if isinstance(stats, dict):
        return {k: counts(v) for k, v in stats.items() if k != "seconds"}
    if isinstance(stats, list):
        return [counts(v) for v in stats]
    return stats


def identical(a: Path, b: Path) -> bool:
    """Whether two build folders have the same items, ledger and stats counts."""
    same_files = all((a / name).read_bytes() == (b / name).read_bytes()
                     for name in ("items.parquet", "ledger.parquet"))
    stats = [counts(json.loads((d / "stats.json").read_text("utf-8"))) for d in (a, b)]
    return same_files and stats[0] == stats[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--builders", action="store_true",
                        help="real seeds and the nine builders (builders_bench.py's build)")
    parser.add_argument("--corpora", type=Path, default=CORPORA,
                        help="with --builders: the real corpora (demo when absent)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        seeds, recipe = root / "seeds.jsonl", root / "recipe.toml"
        if args.builders:
            origin, rows = seed_rows(args.corpora)
            write_seeds(seeds, rows, args.n)
            recipe.write_text(builders_recipe(seeds), encoding="utf-8")
        else:
            origin = "templated (build_bench.py)"
            generate(seeds, args.n)
            recipe.write_text(SEED_RECIPE, encoding="utf-8")
        local_s = timed_build(recipe, root / "local", args.workers, "local")
        ray_s = timed_build(recipe, root / "ray", args.workers, "ray")
        same = identical(root / "local", root / "ray")
    print(f"seed questions: {args.n:,} from {origin}  (workers {args.workers})")
    print(f"{'':24}{'seconds':>10}{'items/s':>12}")
    print(f"{'--executor local':24}{local_s:>10.1f}{args.n / local_s:>12,.0f}")
    print(f"{'--executor ray':24}{ray_s:>10.1f}{args.n / ray_s:>12,.0f}")
    print(f"ratio ray/local time: {ray_s / local_s:.2f}")
    print(f"byte-identical items, ledger and stats counts: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
