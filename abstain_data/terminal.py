"""What every command shares: the two consoles, and the one place an error becomes exit 1.

Commands raise `UserError` (from `abstain_data.errors`) for anything a user can act on;
`CommandGroup`, the class of the `abstain-data` app, prints it as `error: <message>` on stderr,
one line and no traceback, and exits 1. No command catches a `UserError` itself.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from abstain_data.errors import UserError

console = Console()
err_console = Console(stderr=True)


def print_error(message: str) -> None:
    """Print `error: message` on stderr as one line (no markup, no wrapping)."""
    err_console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)


class CommandGroup(TyperGroup):
    """The app's command group: a `UserError` raised by any command (or sub-app command)
    is printed by `print_error` and ends the program with exit code 1."""

    def invoke(self, ctx: typer.Context) -> Any:
        """Run the chosen command; turn a `UserError` into one stderr line and exit 1."""
        try:
            return super().invoke(ctx)
        except UserError as exc:
            print_error(str(exc))
            raise typer.Exit(1) from None
