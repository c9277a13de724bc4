"""A loopback OpenAI-compatible chat-completions server for testing our chat client (judge, tagger).

It answers POST /v1/chat/completions like vLLM does, with a label chosen by a transparent rule on
the response text in the user message ("can't" -> ABSTAIN, "however" -> PARTIAL, else ANSWER),
and records every request body so tests can check what the client sent. `reply` overrides the
answer text, `respond` computes it from the request body; `status` makes it fail with that HTTP
status.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class ChatServer:
    """Serve on 127.0.0.1 (free port) while used as a context manager."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    reply: str | None = None
    respond: Callable[[dict[str, Any]], str] | None = None
    status: int = 200

    def __enter__(self) -> ChatServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                server.headers.append(dict(self.headers))
                if self.path != "/v1/chat/completions" or server.status != 200:
                    self.send_response(404 if server.status == 200 else server.status)
                    self.end_headers()
                    return
                respond = server.respond or _label
                content = server.reply if server.reply is not None else respond(body)
                data = json.dumps({
                    "id": "cmpl-1", "object": "chat.completion", "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": content}}],
                }).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def _label(body: dict[str, Any]) -> str:
    text = body["messages"][-1]["content"].split("Response:\n", 1)[-1].lower()
    if "can't" in text:
        return "ABSTAIN"
    if "however" in text:
        return "Partial."
    return "answer"
