"""A real Label Studio for the audit push/pull tests, started once per session.

LABEL_STUDIO_URL + LABEL_STUDIO_API_KEY if both are set; otherwise one started through
abstain_data.annotation.server on a free 127.0.0.1 port with a throwaway data dir and stopped
by PID at the end. Without either the tests skip, except when CI=true, where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from label_studio_sdk import LabelStudio

from abstain_data.annotation import server
from abstain_data.annotation.client import KEY_ENV, URL_ENV, Connection, connect
from abstain_data.errors import UserError


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    """The connection of the session's Label Studio server (see module docstring)."""
    url, key = os.environ.get(URL_ENV), os.environ.get(KEY_ENV)
    if url and key:
        yield Connection(url.rstrip("/"), key)
        return
    try:
        executable = server.find_executable()
    except UserError as exc:
        reason = f"no Label Studio server: set {URL_ENV} and {KEY_ENV}, or install one ({exc})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    running = server.start(tmp_path_factory.mktemp("label-studio"), executable=executable)
    try:
        server.wait_healthy(running)
        yield Connection(running.url, server.ensure_credentials(running).token)
    finally:
        server.stop(running.pid)


@pytest.fixture(scope="session")
def client(label_studio: Connection) -> LabelStudio:
    """An SDK client of the session server, checked by a first request."""
    return connect(label_studio)
