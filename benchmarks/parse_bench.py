"""A build with the nine unanswerable builders next to raw `nlp.pipe` on the same seed texts,
and how many times the build sent a text through the spaCy model.

Generates N templated seed questions (the generator of build_bench.py), builds them with
tagging, the nine builders, dedupe, validation and routing (each in a child process, one
worker), and prints side by side: build seconds and items/s, raw nlp.pipe seconds over the same
prompts, their throughput ratio, the texts the model parsed during the build (counted by a
component added to the build's own pipeline), the distinct texts among them, and the most
times one text was parsed (1: one parse per text for the whole build).

    python benchmarks/parse_bench.py [--n 5000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from build_bench import CHILD_SPACY, SEED_RECIPE, generate

NINE = ("context_swap", "entity_swap", "negation", "fabricated_entity", "future_shift",
        "referent_removal", "premise_corruption", "missing_quantity", "missing_specifics")

CHILD_BUILD = """
import sys, time
from collections import Counter
from pathlib import Path
from spacy.language import Language
from abstain_data.build import run_build
from abstain_data.nlp import load_nlp
from abstain_data.recipe import load_recipe
seen = Counter()

@Language.component("bench_count_texts")
def count(doc):
    seen[doc.text] += 1
    return doc

load_nlp("en_core_web_sm").add_pipe("bench_count_texts", last=True)
t = time.perf_counter()
summary = run_build(load_recipe(Path(sys.argv[1])), Path(sys.argv[2]))
made = sum(s["counters"].get("variants_made", 0) for s in summary.stats["steps"])
print(time.perf_counter() - t, summary.stats["totals"]["items"], made, sum(seen.values()),
      len(seen), max(seen.values(), default=0))
"""


def run(code: str, *args: str) -> list[str]:
    return subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True,
                          text=True).stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5_000)
    args = parser.parse_args()
    builders = "".join(f'[[builders]]\nname = "{name}"\n' for name in NINE)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root / "seeds.jsonl", args.n)
        (root / "recipe.toml").write_text(
            SEED_RECIPE + builders, encoding="utf-8",
        )
        spacy_s, n_texts = (float(x) for x in run(CHILD_SPACY, str(root / "seeds.jsonl"))[:2])
        out = run(CHILD_BUILD, str(root / "recipe.toml"), str(root / "out"))
    build_s, items, made, parses, distinct, most = float(out[-6]), *map(int, out[-5:])
    print(f"seed questions: {args.n:,}  (items written: {items:,}; variants made: {made:,})")
    print(f"{'':28}{'seconds':>10}{'seeds/s':>12}")
    print(f"{'raw nlp.pipe':28}{spacy_s:>10.1f}{n_texts / spacy_s:>12,.0f}")
    print(f"{'build, nine builders':28}{build_s:>10.1f}{args.n / build_s:>12,.0f}")
    print(f"ratio build/nlp.pipe throughput: {(args.n / build_s) / (n_texts / spacy_s):.2f}")
    print(f"texts parsed by the build: {parses:,} ({distinct:,} distinct; "
          f"most parses of one text: {most})")


if __name__ == "__main__":
    main()
