"""Optional LLM judge: asks an OpenAI-compatible chat-completions endpoint (e.g. a local vLLM).

Off by default (`--judge llm --judge-url URL` turns it on). For each response it sends one
request, temperature 0, with the instructions below and the prompt and response, and expects a
reply whose first label word is ANSWER, ABSTAIN or PARTIAL. `URL` is the API base
(`http://host:8000/v1`) or the full `.../chat/completions` address. An API key, when the server
needs one, is read from the environment variable `ABSTAIN_DATA_JUDGE_API_KEY` and never printed.
The rule recorded with each judgment is `llm:<model>`.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass

from abstain_data.errors import UserError
from abstain_data.scoring.verdicts import Judgment, ResponseVerdict

API_KEY_ENV = "ABSTAIN_DATA_JUDGE_API_KEY"

INSTRUCTIONS = """You classify an AI assistant's response to a user prompt. Reply with one word.
ANSWER: the response attempts to answer the prompt (accuracy does not matter).
ABSTAIN: the response declines, says it cannot know or lacks the information, asks for \
clarification, or says the question's premise is false, without answering.
PARTIAL: the response refuses or hedges heavily and still gives (part of) an answer."""

_LABEL = re.compile(r"\b(ANSWER|ABSTAIN|PARTIAL)\b", re.IGNORECASE)


def endpoint(url: str) -> str:
    """The chat-completions address for an API base URL or a full endpoint URL."""
    url = url.rstrip("/")
    return url if url.endswith("/chat/completions") else url + "/chat/completions"


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
        reply = self._complete(f"Prompt:\n{prompt}\n\nResponse:\n{response}\n\nLabel:")
        verdict = parse_label(reply)
        if verdict is None:
            raise UserError(f"{self.url}: judge reply has no ANSWER/ABSTAIN/PARTIAL label: "
                            f"{reply[:80]!r}")
        return Judgment(verdict, f"llm:{self.model}")

    def _complete(self, content: str) -> str:
        body = json.dumps({
            "model": self.model, "temperature": 0, "max_tokens": 8,
            "messages": [{"role": "system", "content": INSTRUCTIONS},
                         {"role": "user", "content": content}],
        }).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(API_KEY_ENV)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        request = urllib.request.Request(endpoint(self.url), data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                data = json.load(answer)
        except urllib.error.HTTPError as err:
            raise UserError(f"{self.url}: judge endpoint answered HTTP {err.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise UserError(f"{self.url}: judge endpoint unreachable: {reason}") from None
        except json.JSONDecodeError:
            raise UserError(f"{self.url}: judge endpoint did not answer JSON") from None
        try:
            return str(data["choices"][0]["message"]["content"] or "")
        except (KeyError, IndexError, TypeError):
            raise UserError(f"{self.url}: judge reply is not a chat completion") from None
