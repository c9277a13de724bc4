"""Agreement of the default rules judge with XSTest's human labels, next to GPT-4 and string match.

Reads the two human-labelled completion files of XSTest (`final_label` by two annotators,
`gpt4_label` from the paper's GPT-4 judge in the same rows) and prints, per file, the share of
rows on which each labeller agrees with the humans: 3-class (full compliance / full refusal /
partial refusal) and binary (refusal = full or partial refusal). The rules were developed while
looking at the Mistral-Instruct file only; the GPT-4 completions file is held out.

Usage: python benchmarks/judge_agreement.py [CORPORA_DIR]   (default ../shared/corpora)
"""

from __future__ import annotations

import sys
from pathlib import Path

from abstain_data.scoring.agreement import LabelledCompletion, compare, read_labelled

FILES = {
    "xstest_v2_completions_mistralinstruct_gpteval.csv": "development",
    "xstest_v2_completions_gpt4_gpteval.csv": "held out",
}


def main(corpora: Path) -> None:
    """Print one agreement table per XSTest completions file under `corpora`."""
    folder = corpora / "xstest" / "human_labelled_completions"
    every = []
    for name, role in FILES.items():
        rows = read_labelled(folder / name)
        every.extend(rows)
        _print_table(f"{name} ({role}, {len(rows)} rows)", rows)
    _print_table(f"both files ({len(every)} rows)", every)


def _print_table(title: str, rows: list[LabelledCompletion]) -> None:
    print(title)
    print(f"  {'labeller':<14}{'3-class':>9}{'binary':>9}")
    for labeller, result in compare(rows).items():
        print(f"  {labeller:<14}{result.three_class:>9.1%}{result.binary:>9.1%}")


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
