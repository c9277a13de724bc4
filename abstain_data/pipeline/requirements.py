"""Requires/provides: every item field a step reads must be filled by a step before it.

Consumes the planned steps in build order, each with the recipe key that put it there
("tagging", "builders.missing_specifics", ...), the steps the recipe switched off (by the key
that did it) and the fields every source states itself; produces nothing, or raises
`RequirementError` naming the recipe key to change, before any step runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from abstain_data.pipeline.step import Step


@dataclass(frozen=True)
class PlannedStep:
    """A step of the build and the recipe key that put it there."""

    key: str
    step: Step


class RequirementError(ValueError):
    """A required item field is filled by no step before the step that reads it."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


def check_requirements(planned: list[PlannedStep],
                       disabled: Mapping[str, type[Step]] | None = None,
                       given: Iterable[str] = ()) -> None:
    """Raise RequirementError at the first step whose `requires` no earlier step `provides`
    (nor `given`, the fields every source states): the error names the key of a later step that
    provides the field, else the key that disabled the step providing it, else the step's own."""
    provided = set(given)
    for position, entry in enumerate(planned):
        for name in sorted(entry.step.requires - provided):
            later = next((p for p in planned[position + 1:] if name in p.step.provides), None)
            if later is not None:
                raise RequirementError(
                    entry.key, f"{entry.step.name} requires item field {name!r}, which "
                    f"{later.step.name} ({later.key}) provides only after it; move it first")
            off = next((key for key, cls in (disabled or {}).items() if name in cls.provides),
                       None)
            if off is not None:
                raise RequirementError(
                    off, f"switches off {disabled[off].name}, which provides item field "
                    f"{name!r}, required by {entry.step.name} ({entry.key})")
            raise RequirementError(
                entry.key, f"{entry.step.name} requires item field {name!r}, which no step "
                "before it provides")
        provided |= entry.step.provides
