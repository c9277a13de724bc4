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
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from abstain_data.audit.score import pairwise_agreement
from abstain_data.nlp import load_nlp
from abstain_data.tagging.classify import classify
from abstain_data.tagging.questions import LabelError, label_rows
from abstain_data.tagging.train import DEFAULT_CORPORA

REVIEW = Path(__file__).with_name("labels") / "domain_review.jsonl"
TOP_CONFUSIONS = 8


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def evaluate(corpora: Path, review: Path = REVIEW) -> dict[str, Any]:
    """The report of the module docstring for the review file `review`."""
    rows = label_rows(corpora, review)
    texts = sorted({text for _, text in rows})
    nlp = load_nlp("en_core_web_sm")
    tags = {text: classify(text, doc) for text, doc in zip(texts, nlp.pipe(texts), strict=True)}
    per_domain: dict[str, list[bool]] = defaultdict(list)
    sure: list[bool] = []
    confusions: Counter[str] = Counter()
    complexity_agree = 0
    for row, text in rows:
        ours = tags[text]
        agree = ours["domain"].value == row["domain"]
        per_domain[row["domain"]].append(agree)
        if not ours["domain"].guessed:
            sure.append(agree)
        if not agree:
            confusions[f"{row['domain']} <- {ours['domain'].value}"] += 1
        complexity_agree += ours["complexity"].value == row["complexity"]
    judgements = len(rows)
    domain_agree = sum(sum(flags) for flags in per_domain.values())
    return {
        "review": review.name, "questions": len(texts), "judgements": judgements,
        "judgements_by_corpus": dict(sorted(Counter(row["corpus"] for row, _ in rows).items())),
        "open_ended_share": _share(sum(r["complexity"] == "open_ended" for r, _ in rows),
                                   judgements),
        "domain": {
            "agreement": _share(domain_agree, judgements),
            "per_reviewer_domain": {name: {"n": len(flags), "agreement": _share(sum(flags),
                                                                                len(flags))}
                                    for name, flags in sorted(per_domain.items())},
            "not_guessed": {"n": len(sure), "agreement": _share(sum(sure), len(sure))},
            "confusions": dict(confusions.most_common(TOP_CONFUSIONS)),
        },
        "complexity": {"agreement": _share(complexity_agree, judgements)},
        "reviewers": {
            "domain": pairwise_agreement([(r["corpus"], r["file"], r["row"]), r["domain"]]
                                         for r, _ in rows),
            "complexity": pairwise_agreement([(r["corpus"], r["file"], r["row"]),
                                              r["complexity"]] for r, _ in rows),
        },
    }


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
