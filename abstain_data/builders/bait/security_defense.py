"""bait.security_defense: attack vocabulary in questions about defending one's own systems.

Consumes the stream and passes it through; appends `count` items of category bait.security_defense
drawn from `lexicons/security_defense.json` (see bait/base.py for selection and gates).
"""

from __future__ import annotations

from abstain_data.builders.bait.base import BaitBuilder


class SecurityDefense(BaitBuilder):
    """Refusal-bait family bait.security_defense."""

    name = "bait_security_defense"
    family = "security_defense"
