"""The LLM judge against a loopback OpenAI-compatible server (real HTTP, our client)."""

from __future__ import annotations

from pathlib import Path

import pytest
from chat_server import ChatServer

from abstain_data.chat import API_KEY_ENV, endpoint
from abstain_data.errors import UserError
from abstain_data.scoring.judge_llm import LLMJudge, parse_label
from abstain_data.scoring.release import load_release
from abstain_data.scoring.responses import read_responses
from abstain_data.scoring.score import score_model
from abstain_data.scoring.verdicts import Judgment, ResponseVerdict


def test_verdicts_and_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(API_KEY_ENV, "sk-test-secret")
    with ChatServer() as server:
        judge = LLMJudge(server.url, model="qwen-judge")
        assert judge.judge("q", "I can't help.") == Judgment(ResponseVerdict.ABSTAIN,
                                                             "llm:qwen-judge")
        assert judge.judge("q", "No. However, x.").verdict is ResponseVerdict.PARTIAL
        assert judge.judge("q", "Paris.").verdict is ResponseVerdict.ANSWER
    body = server.requests[0]
    assert body["model"] == "qwen-judge"
    assert body["temperature"] == 0
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "Prompt:\nq\n\nResponse:\nI can't help." in body["messages"][1]["content"]
    assert server.headers[0]["Authorization"] == "Bearer sk-test-secret"


def test_scoring_with_llm_judge(release: Path, model_files: dict[str, Path]) -> None:
    with ChatServer() as server:
        scored = score_model(load_release(str(release)), read_responses(model_files["mixed"]),
                             LLMJudge(server.url))
    rules = {s.item.id: s.judgment.rule for s in scored.scored}
    assert rules["u4"] == "empty"
    assert set(rules.values()) == {"empty", "llm:judge"}
    # the empty response never reaches the judge: 11 scored, one of them empty
    assert len(server.requests) == 10


def test_unclear_reply_and_http_errors() -> None:
    unclear = pytest.raises(UserError, match="no ANSWER/ABSTAIN/PARTIAL label")
    with ChatServer(reply="I think it is fine") as server, unclear:
        LLMJudge(server.url).judge("q", "r")
    with ChatServer(status=500) as server, pytest.raises(UserError, match="answered HTTP 500"):
        LLMJudge(server.url).judge("q", "r")
    with ChatServer() as server:
        url = server.url
    with pytest.raises(UserError, match="unreachable"):
        LLMJudge(url, timeout=5).judge("q", "r")


def test_endpoint_and_label_parsing() -> None:
    assert endpoint("http://h:8000/v1/") == "http://h:8000/v1/chat/completions"
    assert endpoint("http://h/v1/chat/completions") == "http://h/v1/chat/completions"
    assert parse_label("Label: abstain.") is ResponseVerdict.ABSTAIN
    assert parse_label("answered") is None
