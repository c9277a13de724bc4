"""Score the shipped taggers against a blind review: `python -m abstain_data.tagging.evaluate`.

Consumes `labels/domain_review.jsonl` (one row per question and reviewer: the question's corpus
address and text hash, the reviewer's `domain` and `complexity`, `reviewer`) and the corpora
folder; produces a JSON report: the tagger's agreement with every reviewer judgement on domain
(overall, per the reviewers' domain, and among the tags not marked as guesses) and on
complexity, the largest confusions (reviewer's domain <- ours), and the reviewers' own pairwise
agreement, the ceiling the tagger is judged against.

The reviewed questions are odd rows of their files, which the training labels never use
(`train.py` trains on even rows only), so the review stays a fresh measurement of whatever model
is shipped. How they were drawn and reviewed is in `model/PROVENANCE.md`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from abstain_data.audit.labels import ReviewLabel
from abstain_data.audit.score import domain_block
from abstain_data.nlp import load_nlp
from abstain_data.tagging.classify import classify
from abstain_data.tagging.questions import LabelError, label_rows
from abstain_data.tagging.train import DEFAULT_CORPORA

REVIEW = Path(__file__).with_name("labels") / "domain_review.jsonl"
TOP_CONFUSIONS = 8


def evaluate(corpora: Path, review: Path = REVIEW) -> dict[str, Any]:
    """The report of the module docstring for the review file `review`; agreement is counted as
    `audit score` counts it (`audit.score.domain_block`)."""
    rows = label_rows(corpora, review)
    texts = sorted({text for _, text in rows})
    nlp = load_nlp("en_core_web_sm")
    tags = {text: classify(text, doc) for text, doc in zip(texts, nlp.pipe(texts), strict=True)}
    judgements = [({"domain": tags[text]["domain"].value,
                    "complexity": tags[text]["complexity"].value},
                   ReviewLabel(rid=f"{row['corpus']}/{row['file']}#{row['row']}",
                               reviewer=row["reviewer"], label=None, domain=row["domain"],
                               complexity=row["complexity"]))
                  for row, text in rows]
    block = domain_block(judgements)
    sure = [key["domain"] == label.domain for (key, label), (_, text) in zip(judgements, rows,
                                                                              strict=True)
            if not tags[text]["domain"].guessed]
    confusions = Counter({f"{said} <- {ours}": n for ours, counts in block["confusion"].items()
                          for said, n in counts.items() if said != ours})
    return {
        "review": review.name, "questions": len(texts), "judgements": len(rows),
        "judgements_by_corpus": dict(sorted(Counter(row["corpus"] for row, _ in rows).items())),
        "open_ended_share": _round(sum(r["complexity"] == "open_ended" for r, _ in rows)
                                   / len(rows)),
        "domain": {
            "agreement": _round(block["agreement"]),
            "per_reviewer_domain": {name: {"n": b["n"], "agreement": _round(b["agreement"])}
                                    for name, b in block["per_reviewer_domain"].items()},
            "not_guessed": {"n": len(sure), "agreement": _round(sum(sure) / len(sure))
                            if sure else None},
            "confusions": dict(confusions.most_common(TOP_CONFUSIONS)),
        },
        "complexity": {"agreement": _round(block["complexity"]["agreement"])},
        "reviewers": block["inter_reviewer"],
    }


def _round(share: float | None) -> float | None:
    return None if share is None else round(share, 4)


def main(argv: list[str] | None = None) -> int:
    """Print the report for the shipped models (one-line error for a bad review file)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--review", type=Path, default=REVIEW)
    args = parser.parse_args(argv)
    try:
        report = evaluate(args.corpora, args.review)
    except (LabelError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
