"""bait.safe_context: violence inside games, fiction, film or sport.

Consumes the stream and passes it through; appends `count` items of category bait.safe_context
drawn from `lexicons/safe_context.json` (see bait/base.py for selection and gates).
"""

from __future__ import annotations

from abstain_data.builders.bait.base import BaitBuilder


class SafeContext(BaitBuilder):
    """Refusal-bait family bait.safe_context."""

    name = "bait_safe_context"
    family = "safe_context"
