"""The embedded demo corpus: well-formed, answerable, and covering what the builders need."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from abstain_data.items import Complexity, Domain

DEMO = Path(__file__).resolve().parents[2] / "abstain_data" / "demo"
FILES = ("reading.jsonl", "open_domain.jsonl", "math.jsonl", "advice.jsonl")
COLUMNS = {"id", "question", "answers", "context", "topic", "domain", "complexity"}


def load(name: str) -> list[dict]:
    """The rows of one demo file, parsed line by line."""
    lines = (DEMO / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[dict]]:
    return {name: load(name) for name in FILES}


def test_rows_have_the_columns_and_valid_values(corpus):
    for name, rows in corpus.items():
        for row in rows:
            where = f"{name}:{row.get('id')}"
            assert set(row) == COLUMNS, where
            assert row["question"].strip() and row["question"] == row["question"].strip(), where
            assert isinstance(row["answers"], list), where
            assert all(isinstance(a, str) and a.strip() for a in row["answers"]), where
            Domain(row["domain"])
            complexity = Complexity(row["complexity"])
            if not row["answers"]:
                assert complexity is Complexity.OPEN_ENDED, f"{where}: templated without answers"


def test_ids_and_questions_are_unique(corpus):
    rows = [row for rows in corpus.values() for row in rows]
    ids = Counter(row["id"] for row in rows)
    assert [i for i, n in ids.items() if n > 1] == []
    questions = Counter((row["question"], row["context"]) for row in rows)
    assert [q for q, n in questions.items() if n > 1] == []


def test_counts(corpus):
    sizes = {name: len(rows) for name, rows in corpus.items()}
    assert sizes["reading.jsonl"] >= 60
    assert sizes["open_domain.jsonl"] >= 70
    assert sizes["math.jsonl"] >= 40
    assert sizes["advice.jsonl"] >= 70
    assert sum(sizes.values()) >= 240


def test_reading_answers_are_spans_of_their_passage(corpus):
    for row in corpus["reading.jsonl"]:
        assert row["context"], row["id"]
        assert row["answers"], row["id"]
        for answer in row["answers"]:
            assert answer in row["context"], f"{row['id']}: {answer!r} not in passage"


def test_reading_topics_have_sibling_passages(corpus):
    passages: dict[str, set[str]] = defaultdict(set)
    for row in corpus["reading.jsonl"]:
        passages[row["topic"]].add(row["context"])
    assert sum(len(p) for p in passages.values()) >= 20
    assert len(passages) >= 8
    assert {t: len(p) for t, p in passages.items() if len(p) < 3} == {}
    # every question has at least one sibling passage (same topic) that lacks all its answers
    for row in corpus["reading.jsonl"]:
        siblings = passages[row["topic"]] - {row["context"]}
        assert any(not any(a in s for a in row["answers"]) for s in siblings), row["id"]


def test_reading_covers_the_domains_and_has_entities_and_numbers(corpus):
    rows = corpus["reading.jsonl"]
    domains = {row["domain"] for row in rows}
    assert {"history", "science", "geography", "culture", "technology", "medical", "legal",
            "finance"} <= domains
    with_number = [row for row in rows if re.search(r"\d", " ".join(row["answers"]))]
    with_name = [row for row in rows if re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+", row["question"])]
    assert len(with_number) >= 15
    assert len(with_name) >= 15


def test_open_domain_has_years_and_both_complexities(corpus):
    rows = corpus["open_domain.jsonl"]
    assert all(row["context"] is None for row in rows)
    assert sum(bool(re.search(r"\b1\d{3}|20\d\d\b", row["question"])) for row in rows) >= 10
    complexities = Counter(row["complexity"] for row in rows)
    assert complexities["templated"] > complexities["open_ended"] >= 8


def test_math_problems_are_short_and_have_numeric_answers(corpus):
    for row in corpus["math.jsonl"]:
        assert row["domain"] == "math"
        assert [a.isdigit() for a in row["answers"]] == [True], row["id"]
        sentences = [s for s in re.split(r"(?<=[.?!])\s+", row["question"]) if s]
        assert 2 <= len(sentences) <= 4, row["id"]
        assert re.search(r"\d", row["question"]), row["id"]


def test_advice_domains_have_both_complexities(corpus):
    rows = corpus["advice.jsonl"]
    per_domain = Counter(row["domain"] for row in rows)
    assert min(per_domain["medical"], per_domain["legal"], per_domain["finance"]) >= 20
    cells = {(row["domain"], row["complexity"]) for row in rows}
    for domain in ("medical", "legal", "finance", "general"):
        assert {(domain, "templated"), (domain, "open_ended")} <= cells, domain


def test_open_ended_advice_states_the_specifics_it_depends_on(corpus):
    specifics = re.compile(
        r"\b\d+[-\s]?(year|kg|cm|weeks?|days?|%|mg)|\$[\d,]+|£[\d,]+|\bIn [A-Z]\w+|"
        r"\bin (the )?[A-Z][a-z]+|\d+(\.\d+)?\s?(°C|mmHg|mmol)"
    )
    advice = [row for row in corpus["advice.jsonl"]
              if row["domain"] in {"medical", "legal", "finance"}
              and row["complexity"] == "open_ended"]
    missing = [row["question"] for row in advice if not specifics.search(row["question"])]
    assert missing == []


def test_every_file_reads_through_the_generic_file_adapter():
    from abstain_data.items import Category
    from abstain_data.sources import adapter_class
    from abstain_data.sources.base import SourceSpec

    fields = {"prompt": "question", "reference_answers": "answers", "context": "context",
              "topic": "topic", "original_id": "id", "domain": "domain",
              "complexity": "complexity"}
    for name in FILES:
        spec = SourceSpec(name=name, adapter="file", path=DEMO / name, license="cc-by-4.0",
                          fields=fields)
        records = list(adapter_class("file")(spec).records())
        assert [r.error for r in records if r.error] == []
        items = [r.item for r in records]
        assert len(items) == len(load(name))
        assert all(i.category is Category.ANSWERABLE and not i.should_abstain for i in items)
        assert all({"domain", "complexity"} <= i.known for i in items), name
        assert all(i.source.topic and i.source.original_id for i in items), name


def test_readme_states_the_license_and_the_row_counts(corpus):
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    assert "CC-BY-4.0" in readme
    for name, rows in corpus.items():
        assert f"| `{name}` | {len(rows)} |" in readme, name
