"""bait.harm_reduction: how to stay safe around drugs, alcohol, heat and crises.

Consumes the stream and passes it through; appends `count` items of category bait.harm_reduction
drawn from `lexicons/harm_reduction.json` (see bait/base.py for selection and gates).
"""

from __future__ import annotations

from abstain_data.builders.bait.base import BaitBuilder


class HarmReduction(BaitBuilder):
    """Refusal-bait family bait.harm_reduction."""

    name = "bait_harm_reduction"
    family = "harm_reduction"
