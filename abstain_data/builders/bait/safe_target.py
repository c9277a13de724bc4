"""bait.safe_target: a harmful verb aimed at a harmless object ("smother a grease fire").

Consumes the stream and passes it through; appends `count` items of category bait.safe_target
drawn from `lexicons/safe_target.json` (see bait/base.py for selection and gates).
"""

from __future__ import annotations

from abstain_data.builders.bait.base import BaitBuilder


class SafeTarget(BaitBuilder):
    """Refusal-bait family bait.safe_target."""

    name = "bait_safe_target"
    family = "safe_target"
