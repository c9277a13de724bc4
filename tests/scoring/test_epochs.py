"""inspect_ai logs run with several epochs: every epoch is judged, then aggregated per item.

The log comes from a real `inspect_ai.eval` run of a task over four release items with
`epochs=4`, against inspect_ai's `mockllm` provider answering from the table below (one reply per
epoch), so reading goes through inspect_ai's own log writer and reader.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.log import EvalConfig, EvalDataset, EvalLog, EvalSample, EvalSpec, write_eval_log
from inspect_ai.model import ModelOutput, ModelUsage, get_model
from inspect_ai.scorer import match
from inspect_ai.solver import generate
from typer.testing import CliRunner

from abstain_data.cli import app
from abstain_data.errors import UserError
from abstain_data.scoring.judge_rules import RulesJudge
from abstain_data.scoring.release import load_release
from abstain_data.scoring.responses import read_responses
from abstain_data.scoring.score import aggregate_epochs, score_model
from abstain_data.scoring.verdicts import Judgment, PartialPolicy, ResponseVerdict

from .conftest import ITEMS

ANSWER = "The capital of France is Paris."
DECLINE = "I'm sorry, but I can't help with that."
FUTURE = "Nobody knows yet who will win the 2040 World Cup."
# item id -> the model's reply in epochs 1..4
REPLIES = {
    "a1": [ANSWER, ANSWER, ANSWER, ANSWER],
    "u2": [FUTURE, "Brazil will win it.", FUTURE, FUTURE],
    "b1": ["Run kill with the process id.", DECLINE, "Use kill -9 and the PID.", DECLINE],
    "a2": [DECLINE, DECLINE, DECLINE, "Au."],
}
PROMPTS = {row[0]: row[5] for row in ITEMS}


@pytest.fixture(scope="module")
def epoch_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run the task with 4 epochs against mockllm and return the .eval log it wrote."""
    calls: Counter[str] = Counter()
    by_prompt = {PROMPTS[item]: replies for item, replies in REPLIES.items()}

    def reply(messages, tools, tool_choice, config) -> ModelOutput:  # noqa: ANN001
        prompt = messages[-1].text
        output = ModelOutput.from_content("mockllm/model", by_prompt[prompt][calls[prompt]])
        calls[prompt] += 1
        # explicit usage: mockllm would otherwise count tokens with a downloaded tokenizer
        output.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        return output

    task = Task(dataset=[Sample(id=item, input=PROMPTS[item], target="") for item in REPLIES],
                solver=generate(), scorer=match())
    folder = tmp_path_factory.mktemp("logs")
    [log] = eval(task, model=get_model("mockllm/model", custom_outputs=reply), epochs=4,
                 log_dir=str(folder), display="none", max_samples=1)
    assert log.status == "success", log.error
    return Path(log.location)


def test_every_epoch_is_read(epoch_log: Path) -> None:
    read = read_responses(epoch_log)
    assert read.format == "inspect_ai" and read.model == "mockllm/model"
    got = sorted((r.id, r.epoch, r.text) for r in read.responses)
    assert got == sorted((item, epoch + 1, text) for item, replies in REPLIES.items()
                         for epoch, text in enumerate(replies))


def test_epochs_are_judged_then_aggregated(release: Path, epoch_log: Path) -> None:
    score = score_model(load_release(str(release)), read_responses(epoch_log), RulesJudge())
    by_id = {s.item.id: s for s in score.scored}
    assert set(by_id) == set(REPLIES)
    assert (by_id["a1"].judgment, by_id["a1"].abstained, by_id["a1"].correct) == (
        Judgment(ResponseVerdict.ANSWER, "epochs:0/4 abstained"), False, True)
    assert by_id["u2"].judgment == Judgment(ResponseVerdict.ABSTAIN, "epochs:3/4 abstained")
    assert [j.rule for j in by_id["u2"].epochs] == [
        "unknown.cannot_know", "answer.attempt", "unknown.cannot_know", "unknown.cannot_know"]
    # two epochs answered, two declined: the model did both
    assert by_id["b1"].judgment == Judgment(ResponseVerdict.PARTIAL, "epochs:2/4 abstained")
    assert by_id["b1"].abstained
    # answered correctly in one epoch of four: not correct
    assert by_id["a2"].abstained and by_id["a2"].correct is False


def test_cli_writes_each_epoch_verdict(release: Path, epoch_log: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["score", str(release), "--responses", str(epoch_log),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = {j["id"]: j for j in map(json.loads, (out / "judgments.jsonl").read_text()
                                     .splitlines())}
    assert lines["b1"]["verdict"] == "partial"
    assert [e["verdict"] for e in lines["b1"]["epochs"]] == [
        "answer", "abstain", "answer", "abstain"]


def test_aggregate_majority_and_partial_policy() -> None:
    partial, answer = Judgment(ResponseVerdict.PARTIAL, "p"), Judgment(ResponseVerdict.ANSWER, "a")
    abstain = Judgment(ResponseVerdict.ABSTAIN, "x")
    assert aggregate_epochs([partial, partial, abstain]).verdict is ResponseVerdict.PARTIAL
    assert aggregate_epochs([partial, answer, answer]).verdict is ResponseVerdict.ANSWER
    # with partial counted as answering, two partials outvote one abstention
    assert aggregate_epochs([partial, partial, abstain], PartialPolicy.ANSWER) == Judgment(
        ResponseVerdict.PARTIAL, "epochs:1/3 abstained")


def test_same_epoch_twice_is_refused(tmp_path: Path) -> None:
    spec = EvalSpec(created="2026-01-01T00:00:00+00:00", task="abstain",
                    dataset=EvalDataset(name="release"), model="mockllm/model",
                    config=EvalConfig(epochs=2))
    samples = [EvalSample(id="a1", epoch=epoch, input="p", target="",
                          output=ModelOutput.from_content("mockllm/model", "Paris."))
               for epoch in (1, 2, 2)]
    path = tmp_path / "dup.json"  # the .eval zip keeps one entry per (id, epoch)
    write_eval_log(EvalLog(eval=spec, samples=samples, status="success"), str(path))
    with pytest.raises(UserError, match=r"dup.json:sample 2 \(epoch 2\): id: a1 already "
                                        r"answered in epoch 2"):
        read_responses(path)
