"""The `abstain-data inspect` command: a builder's variants beside their parents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from abstain_data.errors import UserError
from abstain_data.terminal import console

STATUSES = ("auto", "needs_review")


def inspect_command(
    build_dir: Annotated[Path, typer.Argument(help="a build folder")],
    builder: Annotated[str, typer.Option(help="builder name, e.g. negation")],
    sample: Annotated[int, typer.Option(min=1, help="how many pairs to show")] = 20,
    seed: Annotated[int, typer.Option(help="sampling seed (same seed, same sample)")] = 0,
    status: Annotated[str | None, typer.Option(
        help="only variants with this label status: auto or needs_review")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table")
                       ] = False,
) -> None:
    """Print sampled variants of one builder beside their parents, with the rationale."""
    from abstain_data.inspection.pairs import load_pairs, pair_record, pairs_table, sample_pairs

    if status is not None and status not in STATUSES:
        raise UserError(f"--status: expected one of {', '.join(STATUSES)}, got {status!r}")
    pairs = load_pairs(build_dir, builder)
    chosen = sample_pairs(pairs, sample, seed, status)
    if as_json:
        for pair in chosen:
            typer.echo(json.dumps(pair_record(pair), ensure_ascii=False))
        return
    console.print(pairs_table(chosen, builder, len(pairs)))


def register(app: typer.Typer) -> None:
    """Add the `inspect` command to `app`."""
    app.command("inspect")(inspect_command)
