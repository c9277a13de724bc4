"""Helpers for the source adapter tests: run an adapter and split its records."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from abstain_data.items import Item
from abstain_data.sources import adapter_class
from abstain_data.sources.base import RowError, SourceSpec

Read = Callable[..., tuple[list[Item], list[RowError]]]


def read_source(adapter: str, path: Path | None = None, **spec: Any
                ) -> tuple[list[Item], list[RowError]]:
    """All items and row errors of the adapter `adapter` over `path` (SourceError propagates)."""
    source = adapter_class(adapter)(SourceSpec(name=spec.pop("name", adapter), adapter=adapter,
                                               path=path, **spec))
    items, errors = [], []
    for record in source.records():
        if record.error is not None:
            errors.append(record.error)
        else:
            items.append(record.item)
    return items, errors


@pytest.fixture
def read() -> Read:
    """`read(adapter, path, **spec)` -> (items, row errors)."""
    return read_source
