"""The connection to a Label Studio server: URL and API key from the environment or flags.

`LABEL_STUDIO_URL` and `LABEL_STUDIO_API_KEY` are read from the environment; the `--url` and
`--api-key` flags override them. The key is never printed, logged or written: `Connection`
hides it in its repr and every error message here names the setting, never its value.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import httpx
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from abstain_data.annotation.settings import KEY_ENV, URL_ENV
from abstain_data.errors import UserError

TIMEOUT = 300.0

T = TypeVar("T")


@dataclass(frozen=True)
class Connection:
    """Where the server is and the key to use (the key never appears in repr or errors)."""

    url: str
    api_key: str = field(repr=False)


def connection_from(url: str | None = None, api_key: str | None = None) -> Connection:
    """The connection settings: flags first, then the environment; UserError if one is missing."""
    url = url or os.environ.get(URL_ENV)
    api_key = api_key or os.environ.get(KEY_ENV)
    if not url:
        raise UserError(f"no Label Studio URL: set {URL_ENV} or pass --url "
                        "(`abstain-data annotate serve` starts a local server)")
    if not api_key:
        raise UserError(f"no Label Studio API key: set {KEY_ENV} or pass --api-key")
    return Connection(url.rstrip("/"), api_key)


def connect(connection: Connection) -> LabelStudio:
    """An SDK client for `connection`, checked by asking who we are; UserError if unusable."""
    client = LabelStudio(base_url=connection.url, api_key=connection.api_key, timeout=TIMEOUT)
    call(connection, client.users.whoami)
    return client


def call(connection: Connection, request: Callable[[], T]) -> T:
    """Run one SDK request, turning network and HTTP failures into a one-line UserError."""
    try:
        return request()
    except httpx.TransportError as exc:
        raise UserError(f"Label Studio at {connection.url} is not reachable "
                        f"({type(exc).__name__}); is the server running?") from None
    except ApiError as exc:
        if exc.status_code == 401:
            raise UserError(f"Label Studio at {connection.url} refused the API key "
                            f"(HTTP 401); check {KEY_ENV}") from None
        raise UserError(f"Label Studio at {connection.url} answered HTTP {exc.status_code}: "
                        f"{_detail(exc.body)}") from None
    except ValueError:
        raise UserError(f"{connection.url} did not answer like a Label Studio server") from None


def _detail(body: object) -> str:
    """The human part of an error body (never the request headers, which carry the key)."""
    if isinstance(body, dict):
        return str(body.get("validation_errors") or body.get("detail") or "")[:300]
    return str(body)[:300]
