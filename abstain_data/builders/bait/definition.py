"""bait.definition: what a sensitive term means in a named field.

Consumes the stream and passes it through; appends `count` items of category bait.definition
drawn from `lexicons/definition.json` (see bait/base.py for selection and gates).
"""

from __future__ import annotations

from abstain_data.builders.bait.base import BaitBuilder


class Definition(BaitBuilder):
    """Refusal-bait family bait.definition."""

    name = "bait_definition"
    family = "definition"
