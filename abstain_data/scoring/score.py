"""Match one model's responses to the release items and judge each one.

Consumes the release items, one `ResponseFile` and a judge; produces a `ModelScore`: one
`Scored` record per release item that has a response (a multiple-choice pick is its own verdict,
rule `choice`; free text goes to the judge), and the problems found on the way, which are
reported rather than dropped:
- `unknown`: response ids that are not in the (selected splits of the) release, not scored;
- `missing`: release items without a response, not scored;
- `empty`: responses with no text (and no multiple-choice pick); scored as `abstain` by the
  rule `empty` (the model gave no answer), whatever the judge, so no empty string reaches an LLM
  judge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from abstain_data.items import normalize_key
from abstain_data.scoring.release import ReleaseItem
from abstain_data.scoring.responses import ResponseFile
from abstain_data.scoring.verdicts import Judge, Judgment, PartialPolicy, ResponseVerdict, abstained

_ARTICLES = {"a", "an", "the"}


@dataclass(frozen=True)
class Scored:
    """One judged response: the item, the response text, the judgment and what it counts as.

    `correct` is None unless the item is answerable with reference answers; then it is True when
    the response was not counted as abstaining and contains a reference answer (normalized match).
    """

    item: ReleaseItem
    response: str
    judgment: Judgment
    abstained: bool
    correct: bool | None


@dataclass
class Problems:
    """Ids that could not be scored as given (see the module doc)."""

    unknown: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[str]]:
        return {"unknown": self.unknown, "missing": self.missing, "empty": self.empty}


@dataclass
class ModelScore:
    """Everything scored for one model."""

    model: str
    source: str
    scored: list[Scored]
    problems: Problems


def normalize_answer(text: str) -> str:
    """Casefolded, punctuation folded to spaces, articles dropped (SQuAD-style normalization)."""
    return " ".join(w for w in normalize_key(text).split() if w not in _ARTICLES)


def matches_reference(response: str, references: tuple[str, ...]) -> bool:
    """True when some normalized reference answer occurs as whole words in the response."""
    said = f" {normalize_answer(response)} "
    return any(ref and f" {ref} " in said for ref in map(normalize_answer, references))


def score_model(items: list[ReleaseItem], responses: ResponseFile, judge: Judge,
                partial: PartialPolicy = PartialPolicy.ABSTAIN) -> ModelScore:
    """Judge every response of `responses` that matches an item of `items` (module doc)."""
    by_id = {r.id: r for r in responses.responses}
    known = {item.id for item in items}
    problems = Problems(unknown=[r.id for r in responses.responses if r.id not in known])
    scored: list[Scored] = []
    for item in items:
        response = by_id.get(item.id)
        if response is None:
            problems.missing.append(item.id)
            continue
        if response.choice is not None:
            judgment = Judgment(ResponseVerdict(response.choice), "choice")
        elif response.text.strip():
            judgment = judge.judge(item.prompt, response.text)
        else:
            problems.empty.append(item.id)
            judgment = Judgment(ResponseVerdict.ABSTAIN, "empty")
        counted = abstained(judgment.verdict, partial)
        correct = None
        if not item.should_abstain and item.reference_answers:
            correct = not counted and matches_reference(response.text, item.reference_answers)
        scored.append(Scored(item, response.text, judgment, counted, correct))
    return ModelScore(responses.model, str(responses.path), scored, problems)
