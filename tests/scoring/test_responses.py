"""Reading responses: our JSONL, lm-eval --log_samples files and real inspect_ai logs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from inspect_ai.log import EvalConfig, EvalDataset, EvalLog, EvalSample, EvalSpec, write_eval_log
from inspect_ai.model import ModelOutput

from abstain_data.errors import UserError
from abstain_data.scoring.responses import read_responses


def _lines(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_our_jsonl(tmp_path: Path) -> None:
    path = _lines(tmp_path / "m.jsonl", [
        {"id": "a1", "response": "Paris.", "model": "m-7b"},
        {"id": "a2", "response": None, "model": "m-7b"},
    ])
    read = read_responses(path)
    assert (read.model, read.format) == ("m-7b", "jsonl")
    assert [(r.id, r.text, r.where) for r in read.responses] == [
        ("a1", "Paris.", f"{path}:1"), ("a2", "", f"{path}:2")]
    assert read_responses(path, model="renamed").model == "renamed"


def test_model_defaults_to_file_stem(tmp_path: Path) -> None:
    path = _lines(tmp_path / "llama-3-8b.jsonl", [{"id": "a1", "response": "x"}])
    assert read_responses(path).model == "llama-3-8b"


@pytest.mark.parametrize(("rows", "message"), [
    ([{"id": "a1"}], r"m.jsonl:1: response: missing"),
    ([{"id": "a1", "response": "x"}, {"response": "y"}], r"m.jsonl:2: id: missing"),
    ([{"id": "a1", "response": 3}], r"m.jsonl:1: response: expected a string"),
    ([{"id": "a1", "response": "x"}, {"id": "a1", "response": "y"}],
     r"m.jsonl:2: id: a1 already answered at .*m.jsonl:1"),
    ([{"id": "a1", "response": "x", "model": "p"}, {"id": "a2", "response": "y", "model": "q"}],
     r"one file per model, found p, q"),
])
def test_bad_jsonl_names_file_line_field(tmp_path: Path, rows: list[object],
                                         message: str) -> None:
    with pytest.raises(UserError, match=message):
        read_responses(_lines(tmp_path / "m.jsonl", rows))


def test_not_json_names_line(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text('{"id": "a1", "response": "x"}\n{oops\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"m.jsonl:2: invalid JSON"):
        read_responses(path)


def test_lm_eval_log_samples(tmp_path: Path) -> None:
    folder = tmp_path / "results" / "org__model-7b"
    folder.mkdir(parents=True)
    (folder / "results_2026-01-01T00-00-00.json").write_text(
        json.dumps({"model_name": "org/model-7b", "results": {}}), encoding="utf-8")
    samples = [
        {"doc_id": i, "doc": {"id": rid, "prompt": "p", "target": "answer"},
         "target": "answer", "arguments": {"gen_args_0": {"arg_0": "p"}},
         "resps": [[text]], "filtered_resps": [text], "filter": "none",
         "metrics": ["exact_match"], "doc_hash": "h", "prompt_hash": "h", "target_hash": "h"}
        for i, (rid, text) in enumerate([("a1", "Paris."), ("u1", "I can't know that.")])
    ]
    path = _lines(folder / "samples_abstain_2026-01-01T00-00-00.jsonl", samples)
    read = read_responses(path)
    assert (read.model, read.format) == ("org/model-7b", "lm_eval")
    assert [(r.id, r.text) for r in read.responses] == [
        ("a1", "Paris."), ("u1", "I can't know that.")]
    (folder / "results_2026-01-01T00-00-00.json").unlink()
    assert read_responses(path).model == "org__model-7b"


def test_lm_eval_sample_without_id(tmp_path: Path) -> None:
    path = _lines(tmp_path / "s.jsonl", [{"doc_id": 0, "doc": {"q": "x"}, "resps": [["a"]]}])
    with pytest.raises(UserError, match=r"s.jsonl:1: doc.id: missing"):
        read_responses(path)


@pytest.mark.parametrize("suffix", [".eval", ".json"])
def test_inspect_ai_logs(tmp_path: Path, suffix: str) -> None:
    spec = EvalSpec(created="2026-01-01T00:00:00+00:00", task="abstain",
                    dataset=EvalDataset(name="release"), model="openai/test-model",
                    config=EvalConfig())
    samples = [
        EvalSample(id=rid, epoch=1, input="p", target="",
                   output=ModelOutput.from_content("openai/test-model", text))
        for rid, text in [("a1", "Paris."), ("u1", "I can't know that.")]
    ]
    path = tmp_path / f"log{suffix}"
    write_eval_log(EvalLog(eval=spec, samples=samples, status="success"), str(path))
    read = read_responses(path)
    assert (read.model, read.format) == ("openai/test-model", "inspect_ai")
    assert [(r.id, r.text) for r in read.responses] == [
        ("a1", "Paris."), ("u1", "I can't know that.")]


def test_unreadable_inspect_log(tmp_path: Path) -> None:
    path = tmp_path / "broken.eval"
    path.write_bytes(b"not a zip")
    with pytest.raises(UserError, match=r"broken.eval: not a readable inspect_ai eval log"):
        read_responses(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"nope.jsonl: responses file not found"):
        read_responses(tmp_path / "nope.jsonl")


def test_lm_eval_multiple_choice_pick_is_the_verdict(tmp_path: Path) -> None:
    rows = [
        {"doc_id": 0, "doc": {"id": "a1"}, "target": 0,
         "resps": [[["-0.4", "True"]], [["-2.5", "False"]]],
         "filtered_resps": [["-0.4", "True"], ["-2.5", "False"]]},
        {"doc_id": 1, "doc": {"id": "u1"}, "target": 1,
         "resps": [[[-3.0, False]], [[-0.1, True]]],
         "filtered_resps": [[-3.0, False], [-0.1, True]]},
    ]
    read = read_responses(_lines(tmp_path / "samples_abstain_data_2026.jsonl", rows))
    assert [(r.id, r.choice) for r in read.responses] == [("a1", "answer"), ("u1", "abstain")]


def test_inspect_multiple_choice_pick_is_the_verdict(tmp_path: Path) -> None:
    spec = EvalSpec(created="2026-01-01T00:00:00+00:00", task="abstain",
                    dataset=EvalDataset(name="release"), model="mockllm/model",
                    config=EvalConfig())
    samples = [
        EvalSample(id=rid, epoch=1, input="p", target="A", choices=["Answer.", "Abstain."],
                   output=ModelOutput.from_content("mockllm/model", text))
        for rid, text in [("a1", "ANSWER: A"), ("u1", "ANSWER: B"), ("u2", "no idea")]
    ]
    path = tmp_path / "mc.eval"
    write_eval_log(EvalLog(eval=spec, samples=samples, status="success"), str(path))
    read = read_responses(path)
    assert [(r.id, r.choice, r.text) for r in read.responses] == [
        ("a1", "answer", "answer"), ("u1", "abstain", "abstain"), ("u2", None, "no idea")]
