"""SelfAware (yinzhangyue/SelfAware): SelfAware.json, rows under `example`.

Rows are `question_id, question, answer (list or null), answerable, source`. Answerable rows ->
`answerable` with their answers. Unanswerable rows (1,032, from Quora/HowStuffWorks) carry no
reason; the code is a keyword guess (`unanswerable_code`): "would you rather"/"best"/"should
I"-style -> `subjective`; "will ..."/"in the future"/"years from now" -> `unknown.future`; a
word problem with numbers and "how many/much/long" -> `under.variables`; otherwise
`unknown.unsolved` (open questions with no scientific consensus, SelfAware's main kind). Every
unanswerable item has confidence GUESS and goes to review ("uncertain_mapping").

The answerable rows whose `source` is a SQuAD config ("squadqa_train", "squadqa_dev": 1,487
rows) were cut from the passage they were written about, and SelfAware ships no passage: about
half cannot be answered from the question alone ("What do government agencies view the animals
as?", "Where is an important stopover location?", "What percent of the population are between
20-64?"), and blind reviewers called them unanswerable. Their answerable label is therefore a
guess (confidence GUESS) and they go to review with queue_reason "context_lost"; as items in
review they seed no variant or twin. Of the other answerable rows (TriviaQA, HotpotQA, written
to stand alone), the ones with a dangling pronoun ("When did he first mention wireless
communication?"; a leading pronoun, or a pronoun right after a wh-word, up to two lower-case
words and an auxiliary: "How many children did she have?"; the expletive "it" of "what is it
called" is not one) go to review with queue_reason "dangling_pronoun".
The row's `source` (e.g. "squadqa_train") is kept as source.config. The file header's
`quantity` is wrong and not read.
"""

from __future__ import annotations

from pathlib import Path

from abstain_data.items import Category, Item
from abstain_data.sources.corpus import CorpusSource
from abstain_data.sources.mapping import (
    GUESS,
    UNCERTAIN,
    ItemFactory,
    answers,
    boolean,
    column,
    optional_text,
    text,
)
from abstain_data.sources.readers import RawRow
from abstain_data.wording import FUTURE, SUBJECTIVE, WORD_PROBLEM, has_dangling_pronoun

PASSAGE_CONFIG_PREFIX = "squadqa"
CONTEXT_LOST = "context_lost"
RATIONALE = "SelfAware labels this question unanswerable; code guessed from its wording ({})"


def unanswerable_code(question: str) -> tuple[Category, str]:
    """The guessed code of a SelfAware unanswerable question and the rule that chose it."""
    if SUBJECTIVE.search(question):
        return Category.SUBJECTIVE, "opinion or preference"
    if FUTURE.search(question):
        return Category.UNKNOWN_FUTURE, "asks about the future"
    if WORD_PROBLEM.search(question):
        return Category.UNDER_VARIABLES, "word problem missing a quantity"
    return Category.UNKNOWN_UNSOLVED, "no known answer"


def is_cut_from_passage(config: str | None) -> bool:
    """True for a row of a reading-comprehension config whose passage SelfAware left out."""
    return config is not None and config.startswith(PASSAGE_CONFIG_PREFIX)


class SelfAwareSource(CorpusSource):
    name = "selfaware"
    default_license = "cc-by-sa-4.0"
    dataset = "selfaware"
    url = "https://github.com/yinzhangyue/SelfAware"
    default_files = ["SelfAware.json"]
    json_key = "example"

    def item(self, factory: ItemFactory, row: RawRow, path: Path) -> Item:
        data = row.data or {}
        question = text(column(data, "question", "prompt"), "prompt")
        answerable = boolean(column(data, "answerable", "should_abstain"), "should_abstain",
                             "answerable")
        common = {"config": optional_text(data.get("source"), "config"),
                  "original_id": optional_text(data.get("question_id"), "original_id")}
        if answerable:
            if is_cut_from_passage(common["config"]):
                return factory.make(row, question, Category.ANSWERABLE,
                                    reference_answers=answers(data.get("answer")),
                                    confidence=GUESS, review_reason=CONTEXT_LOST, **common)
            dangling = has_dangling_pronoun(question)
            return factory.make(row, question, Category.ANSWERABLE,
                                reference_answers=answers(data.get("answer")),
                                review_reason="dangling_pronoun" if dangling else None,
                                **common)
        category, rule = unanswerable_code(question)
        return factory.make(row, question, category, rationale=RATIONALE.format(rule),
                            confidence=GUESS, review_reason=UNCERTAIN, **common)
