"""Questions of the real corpora and the demo corpus, addressed by (corpus, file, row).

The domain classifier's training labels (labels/domain_labels.jsonl) store only that address,
the labels and a hash of the text, never the text: the corpora keep their own licenses and are
not copied into the package. `row` is the 0-based data row of the file in file order (JSON list
index, CSV data row after the header, JSONL line), which is how the source adapters number rows.

Consumes the corpora folder (`../shared/corpora` layout) and the package's demo folder; produces
`(row, text)` pairs per file.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "demo"

# corpus -> file -> the column/key holding the question (the prompt the adapters use)
FILES: dict[str, dict[str, str]] = {
    "selfaware": {"SelfAware.json": "question"},
    "falseqa": {"train.csv": "question", "valid.csv": "question", "test.csv": "question"},
    "coconot": {"coconot_eval.jsonl": "prompt", "coconot_contrast_eval.jsonl": "prompt"},
    "xstest": {"xstest_prompts.csv": "prompt"},
    "umwp": {"StandardDataset.jsonl": "question"},
    "trustllm": {"exaggerated_safety.json": "prompt", "golden_advfactuality.json": "prompt",
                 "ood_detection.json": "prompt"},
    "unanswgen": {"Final_Unanswerable_Mutual_Exclusion.csv": "original_question",
                  "Final_Unanswerable_Number_Swap.csv": "original_question"},
    "demo": {"advice.jsonl": "question", "math.jsonl": "question",
             "open_domain.jsonl": "question", "reading.jsonl": "question"},
}


def text_hash(text: str) -> str:
    """A short sha256 of the stripped text: proves a stored label still points at its question."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def file_path(corpora: Path, corpus: str, name: str) -> Path:
    """Where `name` of `corpus` lives (the demo corpus ships in the package)."""
    return DEMO / name if corpus == "demo" else corpora / corpus / name


def read_questions(corpora: Path, corpus: str, name: str) -> Iterator[tuple[int, str]]:
    """`(row, question)` for every data row of one file, in file order."""
    path = file_path(corpora, corpus, name)
    key = FILES[corpus][name]
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            records = list(csv.DictReader(handle))
    elif path.suffix == ".jsonl":
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                   if line.strip()]
    else:
        data = json.loads(path.read_text(encoding="utf-8"))
        records = data["example"] if isinstance(data, dict) else data
    for row, record in enumerate(records):
        yield row, str(record[key]).strip()


class LabelError(ValueError):
    """A label row that does not match its corpus question."""


def label_rows(corpora: Path, labels: Path) -> list[tuple[dict, str]]:
    """Each row of the JSONL label file `labels` (corpus, file, row, text_sha256, ...) with the
    question text it addresses; LabelError names a row whose question is missing or changed."""
    rows = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    texts: dict[tuple[str, str], dict[int, str]] = {}
    out = []
    for number, row in enumerate(rows, start=1):
        key = (row["corpus"], row["file"])
        if key not in texts:
            texts[key] = dict(read_questions(corpora, *key))
        text = texts[key].get(row["row"])
        where = f"{labels.name}:{number}: {row['corpus']}/{row['file']} row {row['row']}"
        if text is None:
            raise LabelError(f"{where}: no such row")
        if text_hash(text) != row["text_sha256"]:
            raise LabelError(f"{where}: text_sha256 does not match the question (corpus changed?)")
        out.append((row, text))
    return out

