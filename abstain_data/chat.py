"""A minimal client for OpenAI-compatible chat-completions endpoints (vLLM, llama.cpp, OpenAI).

Used by the optional LLM judge (`scoring/judge_llm.py`) and the optional LLM tagger
(`tagging/llm.py`). `url` is the API base (`http://host:8000/v1`) or the full
`.../chat/completions` address. An API key, when the server needs one, is read from the
environment variable `ABSTAIN_DATA_JUDGE_API_KEY` (one setting for every endpoint the toolkit
calls) and never printed or recorded. Requests use temperature 0, so a deterministic server gives
the same replies on a rebuild.

Consumes a system text and a user text; produces the reply's text, or raises `UserError` with
one line naming the URL when the endpoint is unreachable, answers an HTTP error or does not
answer a chat completion.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass

from abstain_data.errors import UserError

API_KEY_ENV = "ABSTAIN_DATA_JUDGE_API_KEY"


def endpoint(url: str) -> str:
    """The chat-completions address for an API base URL or a full endpoint URL."""
    url = url.rstrip("/")
    return url if url.endswith("/chat/completions") else url + "/chat/completions"


@dataclass(frozen=True)
class ChatClient:
    """One model at one OpenAI-compatible endpoint; `what` names the caller in errors."""

    url: str
    model: str
    timeout: float = 60.0
    what: str = "endpoint"

    def complete(self, system: str, user: str, max_tokens: int = 8) -> str:
        """The model's reply to `user` under the instructions `system` (temperature 0)."""
        body = json.dumps({
            "model": self.model, "temperature": 0, "max_tokens": max_tokens,
            "messages": [{"role": "system", "content": system},
                         {"role": "user", "content": user}],
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
            raise UserError(f"{self.url}: {self.what} answered HTTP {err.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise UserError(f"{self.url}: {self.what} unreachable: {reason}") from None
        except json.JSONDecodeError:
            raise UserError(f"{self.url}: {self.what} did not answer JSON") from None
        try:
            return str(data["choices"][0]["message"]["content"] or "")
        except (KeyError, IndexError, TypeError):
            raise UserError(f"{self.url}: {self.what} reply is not a chat completion") from None
