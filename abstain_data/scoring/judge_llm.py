"""Optional LLM judge: asks an OpenAI-compatible chat-completions endpoint (e.g. a local vLLM).

Off by default (`--judge llm --judge-url URL` turns it on). For each response it sends one
request, temperature 0, with the instructions below and the prompt and response, and expects a
reply whose first label word is ANSWER, ABSTAIN or PARTIAL. The endpoint, its URL forms and its
API key setting are those of `abstain_data.chat`.
The rule recorded with each judgment is `llm:<model>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from abstain_data.chat import ChatClient
from abstain_data.errors import UserError
from abstain_data.scoring.verdicts import Judgment, ResponseVerdict

INSTRUCTIONS = """You classify an AI assistant's response to a user prompt. Reply with one word.
ANSWER: the response attempts to answer the prompt (accuracy does not matter).
ABSTAIN: the response declines, says it cannot know or lacks the information, asks for \
clarification, or says the question's premise is false, without answering.
PARTIAL: the response refuses or hedges heavily and still gives (part of) an answer."""

_LABEL = re.compile(r"\b(ANSWER|ABSTAIN|PARTIAL)\b", re.IGNORECASE)


def parse_label(reply: str) -> ResponseVerdict | None:
    """The first ANSWER / ABSTAIN / PARTIAL word in `reply` as a verdict; None if absent."""
    found = _LABEL.search(reply)
    return None if found is None else ResponseVerdict(found.group(1).lower())


@dataclass(frozen=True)
class LLMJudge:
    """Judge by an OpenAI-compatible chat model at `url` (module doc)."""

    url: str
    model: str = "judge"
    timeout: float = 60.0
    name: str = "llm"

    def judge(self, prompt: str, response: str) -> Judgment:
        """Ask the endpoint for a verdict; UserError if it is unreachable or the reply unclear."""
        client = ChatClient(self.url, self.model, self.timeout, what="judge endpoint")
        reply = client.complete(INSTRUCTIONS,
                                f"Prompt:\n{prompt}\n\nResponse:\n{response}\n\nLabel:")
        verdict = parse_label(reply)
        if verdict is None:
            raise UserError(f"{self.url}: judge reply has no ANSWER/ABSTAIN/PARTIAL label: "
                            f"{reply[:80]!r}")
        return Judgment(verdict, f"llm:{self.model}")
