"""Errors a user can act on. The CLI prints them as one line (never a traceback) and exits 1."""

from __future__ import annotations


class UserError(Exception):
    """Bad input, bad settings or an unreachable service, described in one actionable line.

    The message names the file, row and field where there is one: "data/qa.csv:12: prompt: empty".
    """
