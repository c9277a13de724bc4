"""Parsing shared by every step of a build: one spaCy parse per text (store.py)."""

from abstain_data.parsing.store import parse

__all__ = ["parse"]
