"""Connection settings from the environment and flags; errors that never show the key."""

from __future__ import annotations

import pytest
from label_studio_server import LabelStudioServer

from abstain_data.annotation.client import KEY_ENV, URL_ENV, Connection, connect, connection_from
from abstain_data.annotation.server import free_port
from abstain_data.errors import UserError


def test_settings_come_from_the_environment_and_flags_override(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(URL_ENV, "http://127.0.0.1:1/")
    monkeypatch.setenv(KEY_ENV, "env-secret")
    assert connection_from() == Connection("http://127.0.0.1:1", "env-secret")
    assert connection_from("http://h:2", "flag-secret") == Connection("http://h:2", "flag-secret")
    assert "secret" not in repr(connection_from())


@pytest.mark.parametrize("missing", [URL_ENV, KEY_ENV])
def test_a_missing_setting_is_named(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    monkeypatch.setenv(URL_ENV, "http://127.0.0.1:1")
    monkeypatch.setenv(KEY_ENV, "k")
    monkeypatch.delenv(missing)
    with pytest.raises(UserError, match=missing):
        connection_from()


def test_a_wrong_key_is_refused_without_echoing_it(label_studio: LabelStudioServer) -> None:
    wrong = label_studio.api_key[:-6] + "AAAAAA"
    with pytest.raises(UserError, match="refused the API key") as caught:
        connect(Connection(label_studio.url, wrong))
    assert wrong not in str(caught.value) and KEY_ENV in str(caught.value)


def test_a_server_that_is_down_gives_one_clear_line() -> None:
    with pytest.raises(UserError, match=r"not reachable .*; is the server running\?") as caught:
        connect(Connection(f"http://127.0.0.1:{free_port()}", "secret-key"))
    assert "secret-key" not in str(caught.value) and "\n" not in str(caught.value)
