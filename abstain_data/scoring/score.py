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

Several epochs (inspect_ai logs run with `epochs > 1`): every epoch's response is judged on
its own, and the item gets one aggregated judgment (`aggregate_epochs`): the verdict that counts
as abstaining in more than half of the epochs decides (`answer` or `abstain`, the more common
of the abstaining verdicts when both `abstain` and `partial` occur); an even split is `partial`,
since the model both answered and declined. Its rule reads `epochs:k/n abstained`, and the
per-epoch judgments stay in `Scored.epochs`. The item is `correct` when more than half of its
epochs are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from abstain_data.items import normalize_key
from abstain_data.scoring.release import ReleaseItem
from abstain_data.scoring.responses import Response, ResponseFile
from abstain_data.scoring.verdicts import Judge, Judgment, PartialPolicy, ResponseVerdict, abstained

_ARTICLES = {"a", "an", "the"}


@dataclass(frozen=True)
class Scored:
    """One judged response: the item, the response text, the judgment and what it counts as.

    `correct` is None unless the item is answerable with reference answers; then it is True when
    the response was not counted as abstaining and contains a reference answer (normalized match).
    `epochs` holds the per-epoch judgments when the item was answered in several epochs (then
    `response` is the first epoch's text and `judgment` their aggregate).
    """

    item: ReleaseItem
    response: str
    judgment: Judgment
    abstained: bool
    correct: bool | None
    epochs: tuple[Judgment, ...] = ()


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


def aggregate_epochs(judgments: list[Judgment],
                     partial: PartialPolicy = PartialPolicy.ABSTAIN) -> Judgment:
    """One judgment for an item judged in several epochs (module doc)."""
    flags = [abstained(j.verdict, partial) for j in judgments]
    count, n = sum(flags), len(flags)
    if 2 * count == n:
        verdict = ResponseVerdict.PARTIAL
    else:
        side = [j.verdict for j, flag in zip(judgments, flags, strict=True)
                if flag == (2 * count > n)]
        verdict = Counter(side).most_common(1)[0][0]
    return Judgment(verdict, f"epochs:{count}/{n} abstained")


def score_model(items: list[ReleaseItem], responses: ResponseFile, judge: Judge,
                partial: PartialPolicy = PartialPolicy.ABSTAIN) -> ModelScore:
    """Judge every response of `responses` that matches an item of `items` (module doc)."""
    by_id: dict[str, list[Response]] = {}
    for response in responses.responses:
        by_id.setdefault(response.id, []).append(response)
    known = {item.id for item in items}
    problems = Problems(unknown=[r for r in by_id if r not in known])
    scored: list[Scored] = []
    for item in items:
        answers = by_id.get(item.id)
        if answers is None:
            problems.missing.append(item.id)
            continue
        judgments = [_judge_one(item, answer, judge) for answer in answers]
        if any(a.choice is None and not a.text.strip() for a in answers):
            problems.empty.append(item.id)
        correct = [_correct(item, a.text, abstained(j.verdict, partial))
                   for j, a in zip(judgments, answers, strict=True)]
        if len(answers) == 1:
            judgment, epochs = judgments[0], ()
        else:
            judgment, epochs = aggregate_epochs(judgments, partial), tuple(judgments)
        graded = [c for c in correct if c is not None]
        scored.append(Scored(item, answers[0].text, judgment, abstained(judgment.verdict, partial),
                             2 * sum(graded) > len(graded) if graded else None, epochs))
    return ModelScore(responses.model, str(responses.path), scored, problems)


def _judge_one(item: ReleaseItem, response: Response, judge: Judge) -> Judgment:
    """A multiple-choice pick is its own verdict; empty text abstains; free text is judged."""
    if response.choice is not None:
        return Judgment(ResponseVerdict(response.choice), "choice")
    if response.text.strip():
        return judge.judge(item.prompt, response.text)
    return Judgment(ResponseVerdict.ABSTAIN, "empty")


def _correct(item: ReleaseItem, text: str, counted: bool) -> bool | None:
    """Answer correctness of one response (see `Scored`); None for ungraded items."""
    if item.should_abstain or not item.reference_answers:
        return None
    return not counted and matches_reference(text, item.reference_answers)
