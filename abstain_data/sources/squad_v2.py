"""SQuAD 2.0 (CC-BY-SA-4.0): the official JSON file at `path`, or the Hub dataset at `hub_id`.

The official file (`dev-v2.0.json`, `train-v2.0.json`, as downloaded from the SQuAD site) nests
`data[].paragraphs[].qas[]`: each question has `id`, `question`, `answers[{text,
answer_start}]`, `is_impossible` and, when impossible, `plausible_answers` (distractors, never
reference answers). It is read directly, one row per question, numbered from 1 in file order.
Any other `path` (a local dataset folder) and `hub_id` (`rajpurkar/squad_v2`) load with
`datasets.load_dataset`: features `id, title, context, question, answers{text, answer_start}`.

Either way a question without answers is unanswerable from its passage -> `ctx.missing`;
otherwise `answerable` with the distinct answer texts. The passage is the context and the
article `title` the topic (siblings share it; a topic stays in one release split).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from abstain_data.items import Category, Item
from abstain_data.sources.base import RowError
from abstain_data.sources.hub import HubCorpusSource
from abstain_data.sources.mapping import (
    FieldProblem,
    ItemFactory,
    answers,
    boolean,
    column,
    map_rows,
    optional_text,
    text,
)
from abstain_data.sources.readers import (
    RawRow,
    decode_utf8,
    file_error,
    file_revision,
    read_bytes,
)

RATIONALE = "SQuAD 2.0: the passage does not contain the answer"


class SquadV2Source(HubCorpusSource):
    name = "squad_v2"
    default_license = "cc-by-sa-4.0"
    url = "https://huggingface.co/datasets/rajpurkar/squad_v2"
    dataset = "squad_v2"

    def _official_file(self) -> Path | None:
        """The recipe's `path` when it names the official JSON file (a `.json` file)."""
        path = self.spec.path
        if self.spec.hub_id is None and path is not None and path.suffix.lower() == ".json":
            return path
        return None

    def rows(self) -> Iterator[Item | RowError]:
        path = self._official_file()
        if path is None:
            yield from super().rows()
            return
        factory = ItemFactory(self, self.dataset, self.url)
        yield from map_rows(read_official_json(path), str(path),
                            lambda row: self.item(factory, row))

    def item(self, factory: ItemFactory, row: RawRow) -> Item:
        """The Item of one SQuAD 2.0 row (a Hub row, or a question of the official file)."""
        data = row.data or {}
        spans = column(data, "answers", "reference_answers")
        if not isinstance(spans, dict) or "text" not in spans:
            raise FieldProblem("reference_answers", "answers must be {text, answer_start}")
        found = list(dict.fromkeys(answers(spans["text"])))
        return factory.make(
            row, text(column(data, "question", "prompt"), "prompt"),
            Category.ANSWERABLE if found else Category.CTX_MISSING,
            config=self.spec.config or "squad_v2", split=self.spec.split,
            original_id=optional_text(data.get("id"), "original_id"),
            topic=optional_text(data.get("title"), "topic"),
            context=text(column(data, "context", "context"), "context"),
            reference_answers=found,
            rationale=RATIONALE,
        )

    def revision(self) -> str | None:
        path = self._official_file()
        return super().revision() if path is None else file_revision([path])


def read_official_json(path: Path) -> Iterator[RawRow]:
    """One RawRow per question of an official SQuAD 2.0 JSON file, in the Hub's row shape.

    Consumes `path`; produces rows numbered from 1 ("question N") whose data is `id, title,
    context, question, answers{text}`; a question whose `is_impossible` disagrees with its
    answers is a RowError. A file without the `data/paragraphs/qas` nesting raises SourceError.
    """
    try:
        document = json.loads(decode_utf8(path, read_bytes(path)))
    except json.JSONDecodeError as exc:
        raise file_error(path, f"malformed JSON at line {exc.lineno}: {exc.msg}") from None
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise file_error(path, "not a SQuAD file: expected an object with a 'data' list",
                         field="data")
    index = 0
    for a, article in enumerate(document["data"]):
        for p, paragraph in enumerate(_list(path, article, "paragraphs", f"data[{a}]")):
            where = f"data[{a}].paragraphs[{p}]"
            for question in _list(path, paragraph, "qas", where):
                row = RawRow(index, index + 1, "question")
                index += 1
                try:
                    row.data = _flat_question(article, paragraph, question)
                except FieldProblem as exc:
                    row.error = row.fail(str(path), exc.field, str(exc))
                yield row
    if index == 0:
        raise file_error(path, "no questions in the file", field="data")


def _list(path: Path, parent: Any, key: str, where: str) -> list[Any]:
    """`parent[key]` when it is a list of objects; SourceError naming `where.key` otherwise."""
    value = parent.get(key) if isinstance(parent, dict) else None
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise file_error(path, f"expected a list of objects at {where}.{key}", field=key)
    return value


def _flat_question(article: dict[str, Any], paragraph: dict[str, Any],
                   question: dict[str, Any]) -> dict[str, Any]:
    """One question of the nested file as a Hub-shaped row; FieldProblem for bad answers."""
    spans = question.get("answers", [])
    if not isinstance(spans, list) or not all(isinstance(s, dict) and "text" in s
                                              for s in spans):
        raise FieldProblem("reference_answers", "answers must be a list of {text, answer_start}")
    texts = [span["text"] for span in spans]
    if "is_impossible" in question:
        impossible = boolean(question["is_impossible"], "should_abstain", "is_impossible")
        if impossible == bool(texts):
            raise FieldProblem("should_abstain", f"is_impossible is {impossible} but the "
                                                 f"question has {len(texts)} answers")
    return {"id": question.get("id"), "title": article.get("title"),
            "context": paragraph.get("context"), "question": question.get("question"),
            "answers": {"text": texts}}
