"""Tagging throughput on top of the shared parse, and agreement before/after on held-out labels.

Reads the hand-labelled questions (abstain_data/tagging/labels/domain_labels.jsonl) from the
corpora folder and the demo corpus, parses them once with the shared spaCy pipeline (timed
apart: that parse is shared with the other steps), then prints:
- questions/s of `classify` (domain and complexity together, features included) on one core,
  measured with the process CPU clock over repeated passes, next to the parse's questions/s,
  and of the word vector lookup alone (`vectors.py`, a part of those features);
- agreement with the hand labels on the held-out rows (never trained or tuned on) for the
  keyword/rule baseline and for the classifiers, per domain, and the largest confusions of both.

    python benchmarks/tagging_bench.py [--corpora ../shared/corpora] [--seconds 3] [--n N]

`--n` keeps the first N labelled questions (a tiny run for the smoke test).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from abstain_data.nlp import load_nlp
from abstain_data.tagging.classify import classify
from abstain_data.tagging.complexity import rule_complexity
from abstain_data.tagging.domain import keyword_domain
from abstain_data.tagging.features import words
from abstain_data.tagging.train import DEFAULT_CORPORA, load_labelled
from abstain_data.tagging.vectors import MATRIX_FILE, load_vectors


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--n", type=int, default=None, help="use the first N labelled questions")
    args = parser.parse_args()
    questions = load_labelled(args.corpora)[:args.n]
    nlp = load_nlp("en_core_web_sm")
    start = time.process_time()
    docs = list(nlp.pipe(q.text for q in questions))
    parse_rate = len(docs) / (time.process_time() - start)
    classify(questions[0].text, docs[0])  # load the models before timing
    passes, start = 0, time.process_time()
    while time.process_time() - start < args.seconds:
        for question, doc in zip(questions, docs, strict=True):
            classify(question.text, doc)
        passes += 1
    tag_rate = passes * len(questions) / (time.process_time() - start)
    vectors = load_vectors()
    passes, start = 0, time.process_time()
    while time.process_time() - start < args.seconds / 3:
        for question in questions:
            vectors.prompt_vector(words(question.text))
        passes += 1
    vector_rate = passes * len(questions) / (time.process_time() - start)
    print(f"questions: {len(questions)} labelled, "
          f"{sum(q.split == 'heldout' for q in questions)} held out")
    print(f"shared parse (nlp.pipe): {parse_rate:,.0f} questions/s per core")
    print(f"classify on top of it:   {tag_rate:,.0f} questions/s per core")
    print(f"ratio classify/parse throughput: {tag_rate / parse_rate:.2f}")
    print(f"word vectors alone:      {vector_rate:,.0f} questions/s per core "
          f"({len(vectors.index):,} words x {vectors.dims}, "
          f"{MATRIX_FILE.stat().st_size / 1e6:.1f} MB)")

    heldout = [(q, d) for q, d in zip(questions, docs, strict=True) if q.split == "heldout"]
    before = [keyword_domain(q.text, d).value for q, d in heldout]
    tags = [classify(q.text, d) for q, d in heldout]
    after = [t["domain"].value for t in tags]
    truth = [q.domain for q, _ in heldout]
    print("\nheld-out domain agreement  before (keywords)  after (classifier)")
    for label in sorted(set(truth)):
        idx = [i for i, t in enumerate(truth) if t == label]
        print(f"  {label:<12} n={len(idx):<4} {_share(before, truth, idx):>10} "
              f"{_share(after, truth, idx):>18}")
    everything = list(range(len(truth)))
    print(f"  {'all':<12} n={len(truth):<4} {_share(before, truth, everything):>10} "
          f"{_share(after, truth, everything):>18}")
    confident = [i for i, t in enumerate(tags) if not t["domain"].guessed]
    print(f"  not guessed  n={len(confident):<4} {'':>10} {_share(after, truth, confident):>18}")
    for name, predicted in (("before", before), ("after", after)):
        confusions = Counter(f"{t} -> {p}" for t, p in zip(truth, predicted, strict=True)
                             if t != p)
        print(f"largest confusions {name} (label -> tag): "
              + ", ".join(f"{k} {v}" for k, v in confusions.most_common(8)))
    c_truth = [q.complexity for q, _ in heldout]
    c_before = [rule_complexity(q.text, d).value for q, d in heldout]
    c_after = [t["complexity"].value for t in tags]
    print(f"\nheld-out complexity agreement: before (rules) {_share(c_before, c_truth, everything)}"
          f", after (classifier) {_share(c_after, c_truth, everything)}, open-ended share "
          f"{sum(c == 'open_ended' for c in c_truth) / len(c_truth):.1%}")


def _share(predicted: list[str], truth: list[str], idx: list[int]) -> str:
    """Agreement on the rows `idx`, as a percentage."""
    if not idx:
        return "-"
    return f"{sum(predicted[i] == truth[i] for i in idx) / len(idx):.1%}"


if __name__ == "__main__":
    main()
