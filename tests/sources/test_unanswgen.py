"""UnAnswGen: answerable SQuAD seeds only, on the real files and a fixture."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from abstain_data.items import Category
from abstain_data.sources.unanswgen import passage_topic


def test_real_files_yield_answerable_seeds_only(read, corpora: Path) -> None:
    items, errors = read("unanswgen", corpora / "unanswgen")
    assert errors == []
    assert Counter(i.source.config for i in items) == {"mutual_exclusion": 3221,
                                                       "number_swap": 2255}
    assert {i.category for i in items} == {Category.ANSWERABLE}
    assert all(i.context and i.reference_answers for i in items)
    assert {i.source.license for i in items} == {"none-stated"}


def test_fixture_takes_the_original_question_not_the_generated_one(read, tmp_path: Path) -> None:
    passage = "Beyonce performed at the 2011 MTV Video Music Awards watched by 12.4 million."
    (tmp_path / "Final_Unanswerable_Number_Swap.csv").write_text(
        ",qid,context,original_question,original_answer_span,potential_UQ_question\n"
        f'0,56be,"{passage}",How many people watched?,12.4 million,How many 2013 people?\n'
        f'1,56bf,"{passage}",Who performed?,,Who did not perform?\n')
    items, errors = read("unanswgen", tmp_path,
                         options={"files": ["Final_Unanswerable_Number_Swap.csv"]})
    (item,) = items
    assert item.prompt == "How many people watched?" and item.reference_answers == ["12.4 million"]
    assert item.context == passage and item.source.topic == passage_topic(passage)
    assert item.source.original_id == "56be" and item.source.config == "number_swap"
    assert [(e.row, e.field) for e in errors] == [(3, "reference_answers")]
