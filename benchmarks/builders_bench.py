"""Throughput of a builders-on build next to raw spaCy `nlp.pipe` on the same texts.

Seeds are real answerable questions: those of `../shared/corpora` (UnAnswGen's SQuAD questions
with their passages, SelfAware's and UMWP's answerable items, through their source adapters)
when that folder exists, else the embedded demo corpus. They are expanded to N by deterministic
rewording (a question is asked again with a different opening, "Do you know ...", "Quick
question: ...", so it stays a question about the same entities and numbers and the builders
fire on it). The recipe runs tagging, the nine unanswerable builders, dedupe, validation and
routing. Prints, side by side in one run: variants made (per builder and in all), build items/s
over the N seeds, raw `nlp.pipe` texts/s over the same N prompts, their ratio, and the peak RSS
of each (each measured in a child process).

    python benchmarks/builders_bench.py [--n 5000] [--workers 1] [--corpora DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from itertools import zip_longest
from pathlib import Path

from build_bench import CHILD_BUILD, CHILD_SPACY, child  # the same timed children

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
    """n rows: the seeds in order, then again with the next opening of `OPENINGS`, and so on
    (past len(rows) * len(OPENINGS) the openings repeat and later rows are exact duplicates)."""
    out = []
    for k in range(n):
        row = rows[k % len(rows)]
        opening = OPENINGS[(k // len(rows)) % len(OPENINGS)]
        out.append({**row, "id": str(k), "question": opening.format(q=row["question"])})
    return out


def recipe(seeds: Path) -> str:
    """A recipe over `seeds` running tagging and the nine unanswerable builders."""
    lines = ['seed = 13', 'batch_size = 512', '[[sources]]', 'name = "bench"', 'adapter = "file"',
             f'path = "{seeds.name}"', 'license = "cc-by-4.0"', '[sources.fields]',
             'prompt = "question"', 'reference_answers = "answers"', 'context = "context"',
             'original_id = "id"', '[tagging]', 'enabled = true']
    for builder in BUILDERS:
        lines += ['[[builders]]', f'name = "{builder}"', '[builders.params]', 'max_per_seed = 1']
    return "\n".join(lines) + "\n"



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5_000, help="seed questions")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--corpora", type=Path, default=CORPORA,
                        help="the real corpora (default ../shared/corpora; demo when absent)")
    args = parser.parse_args()
    origin, rows = seed_rows(args.corpora)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        seeds = root / "seeds.jsonl"
        with seeds.open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(row) + "\n" for row in expand(rows, args.n))
        (root / "recipe.toml").write_text(recipe(seeds), encoding="utf-8")
        spacy_s, n_texts, spacy_rss = child(CHILD_SPACY, str(seeds))
        build_s, n_items, build_rss = child(CHILD_BUILD, str(root / "recipe.toml"),
                                            str(root / "out"), str(args.workers))
        stats = json.loads((root / "out" / "stats.json").read_text(encoding="utf-8"))
    made = {step["name"]: step["created"] for step in stats["steps"]
            if step["name"] in BUILDERS}
    rss_unit = 1024 if sys.platform != "darwin" else 1024 * 1024
    print(f"seeds: {args.n:,} from {len(rows):,} distinct in {origin}; workers {args.workers}")
    print("variants made: " + ", ".join(f"{name} {count:,}" for name, count in made.items()))
    print(f"variants made in all: {sum(made.values()):,}  (items in the build: {n_items:,})")
    print(f"{'':24}{'seconds':>10}{'items/s':>12}{'peak RSS MiB':>15}")
    print(f"{'raw nlp.pipe':24}{spacy_s:>10.1f}{n_texts / spacy_s:>12,.0f}"
          f"{spacy_rss / rss_unit:>15,.0f}")
    print(f"{'builders-on build':24}{build_s:>10.1f}{args.n / build_s:>12,.0f}"
          f"{build_rss / rss_unit:>15,.0f}")
    print(f"ratio build/nlp.pipe throughput: {(args.n / build_s) / (n_texts / spacy_s):.2f}")


if __name__ == "__main__":
    main()
