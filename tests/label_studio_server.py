"""The Label Studio server the tests share: one per session, for annotation and audit tests.

LABEL_STUDIO_URL + LABEL_STUDIO_API_KEY if both are set; otherwise one started through
abstain_data.annotation.server on a free 127.0.0.1 port with a throwaway data dir, and stopped by
PID at the end of the session. Without either the tests skip, except when CI=true, where they
fail: CI must always have a server.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ci import skip_or_fail

from abstain_data.annotation.client import Connection


@dataclass(frozen=True)
class LabelStudioServer:
    """A server the tests may use; `data_dir` is set when this session started it."""

    url: str
    api_key: str
    data_dir: Path | None = None

    @property
    def connection(self) -> Connection:
        return Connection(self.url, self.api_key)


def unavailable(reason: str) -> None:
    """Skip with `reason`, or fail when CI=true (CI always configures a server)."""
    skip_or_fail(reason)
