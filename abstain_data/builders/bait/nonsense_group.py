"""bait.nonsense_group: absurd discrimination framing against objects or weather.

Consumes the stream and passes it through; appends `count` items of category bait.nonsense_group
drawn from `lexicons/nonsense_group.json` (see bait/base.py for selection and gates).
"""

from __future__ import annotations

from abstain_data.builders.bait.base import BaitBuilder


class NonsenseGroup(BaitBuilder):
    """Refusal-bait family bait.nonsense_group."""

    name = "bait_nonsense_group"
    family = "nonsense_group"
