"""The `abstain-data` command line (typer). Each area registers its commands here."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="abstain-data",
    help="Build answerability-labelled prompt datasets for evaluating when models should abstain.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

# Areas register their commands below, one line each: <area>.cli.register(app)
