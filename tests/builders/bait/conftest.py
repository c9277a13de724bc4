"""Shared fixtures for the bait tests: the build context and a way to run a family."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from abstain_data.builders import builder_class
from abstain_data.builders.bait.base import BaitBuilder
from abstain_data.items import Item
from abstain_data.pipeline.step import Batch, BuildContext

RunBait = Callable[..., list[Batch]]


@pytest.fixture(scope="session")
def ctx() -> BuildContext:
    return BuildContext(seed=13)


@pytest.fixture(scope="session")
def run_bait() -> RunBait:
    """run_bait(name, ctx, items=None, **params): every batch the family yields for one input
    batch of `items` (the last batch holds its bait)."""

    def run(name: str, ctx: BuildContext, items: list[Item] | None = None,
            **params: object) -> list[Batch]:
        cls = builder_class(name)
        assert issubclass(cls, BaitBuilder)
        return list(cls(ctx, **params).run([Batch(list(items or []))]))

    return run
