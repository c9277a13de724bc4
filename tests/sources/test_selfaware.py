"""SelfAware on the real file and on fixtures."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from abstain_data.items import Category, LabelStatus
from abstain_data.sources.selfaware import unanswerable_code
from abstain_data.wording import has_dangling_pronoun


def test_real_file_counts_and_review_routing(read, corpora: Path) -> None:
    items, errors = read("selfaware", corpora / "selfaware")
    assert errors == [] and len(items) == 3369
    answerable = [i for i in items if i.category is Category.ANSWERABLE]
    unanswerable = [i for i in items if i.should_abstain]
    assert len(answerable) == 2337 and len(unanswerable) == 1032
    assert all(i.reference_answers for i in answerable)
    assert all(i.label_status is LabelStatus.NEEDS_REVIEW and i.confidence == 0.5
               and i.rationale for i in unanswerable)
    cut = [i for i in answerable if i.source.config.startswith("squadqa")]
    assert len(cut) == 1487
    assert all(i.label_status is LabelStatus.NEEDS_REVIEW and i.confidence == 0.5
               and i.review == {"queue_reason": "context_lost"} for i in cut)
    standalone = [i for i in answerable if not i.source.config.startswith("squadqa")]
    dangling = [i for i in standalone if i.review == {"queue_reason": "dangling_pronoun"}]
    assert len(dangling) == 2
    assert Counter(i.label_status for i in standalone)[LabelStatus.SOURCE] == 848
    assert Counter(i.category for i in unanswerable)[Category.UNKNOWN_UNSOLVED] > 500
    assert {i.source.license for i in items} == {"cc-by-sa-4.0"}
    assert Counter(i.source.config for i in items)["SelfAware"] == 1032


@pytest.mark.parametrize(("question", "dangling"), [
    ("When did he first mention wireless communication?", True),
    ("How many children did she have?", True),
    ("These books became a foundational text for what library?", True),
    ("Where did it open?", True),
    ("What is it called when friends are favored over other people?", False),
    ("It is believed that animals evolved from what?", False),
    ("Who did Lisa have her first kiss with?", False),
    ("Who wrote Hamlet?", False),
])
def test_dangling_pronoun_detection(question: str, dangling: bool) -> None:
    assert has_dangling_pronoun(question) is dangling


@pytest.mark.parametrize(("question", "code"), [
    ("Would you rather have bad breath or smelly feet?", Category.SUBJECTIVE),
    ("Will the singularity happen in my lifetime?", Category.UNKNOWN_FUTURE),
    ("Paul made 3 dollars mowing lawns. How long would the money last him?",
     Category.UNDER_VARIABLES),
    ("Is the big rip related to the big bang only?", Category.UNKNOWN_UNSOLVED),
])
def test_unanswerable_code_guess(question: str, code: Category) -> None:
    assert unanswerable_code(question)[0] is code


def test_fixture_bad_answerable_flag(read, tmp_path: Path) -> None:
    path = tmp_path / "SelfAware.json"
    path.write_text(json.dumps({"quantity": 1, "example": [
        {"question_id": 1, "question": "Who wrote Hamlet?", "answer": ["Shakespeare"],
         "answerable": True, "source": "triviaqa_dev"},
        {"question_id": 2, "question": "Odd?", "answer": None, "answerable": "yes",
         "source": "SelfAware"},
    ]}))
    items, errors = read("selfaware", path)
    assert items[0].source.original_id == "1" and items[0].source.config == "triviaqa_dev"
    assert [(e.row, e.field) for e in errors] == [(2, "should_abstain")]
    assert "(list item 2)" in errors[0].message
