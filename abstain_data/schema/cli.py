"""The `abstain-data schema` and `abstain-data validate` commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add `schema` and `validate` to the main app."""
    app.command("schema")(schema)
    app.command("validate", help=VALIDATE_HELP)(validate)


VALIDATE_HELP = (
    "Check items against the item schema and the cross-field rules.\n\n"
    "Prints one line per problem, FILE:ROW: field: message, where ROW is the 1-based line "
    "number in a JSONL file and the 0-based row index in a Parquet file, and field is a JSON "
    "path such as source.license or reference_answers[0]. Exits 1 if anything is invalid, "
    "else prints \"N items valid\" and exits 0."
)


def schema() -> None:
    """Print the item JSON Schema (Draft 2020-12) that every released item follows."""
    from abstain_data.schema.validate import SCHEMA_PATH, item_schema

    item_schema()  # checked against the metaschema before it is shown
    sys.stdout.write(SCHEMA_PATH.read_text(encoding="utf-8").rstrip("\n") + "\n")


def validate(
    file: Annotated[Path, typer.Argument(
        help="a .jsonl or .parquet file of items, or a build folder (its items.parquet)",
        show_default=False)],
) -> None:
    """Validate FILE and print its problems (see VALIDATE_HELP)."""
    from abstain_data.schema.files import read_item_file
    from abstain_data.schema.validate import validate_items

    read = read_item_file(file)
    problems = sorted([*read.problems, *validate_items(read.dicts, read.rows)],
                      key=lambda p: (p.row, p.field, p.message))
    for problem in problems:
        typer.echo(problem.line(str(read.path)))
    total = len(read.dicts) + len({p.row for p in read.problems})
    if problems:
        bad = len({p.row for p in problems})
        typer.echo(f"{bad} of {total} items invalid", err=True)
        raise typer.Exit(1)
    typer.echo(f"{total} items valid")
