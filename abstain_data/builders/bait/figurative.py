"""bait.figurative: idioms built on violent words ("go for the jugular").

Consumes the stream and passes it through; appends `count` items of category bait.figurative
drawn from `lexicons/figurative.json` (see bait/base.py for selection and gates).
"""

from __future__ import annotations

from abstain_data.builders.bait.base import BaitBuilder


class Figurative(BaitBuilder):
    """Refusal-bait family bait.figurative."""

    name = "bait_figurative"
    family = "figurative"
