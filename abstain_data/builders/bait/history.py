"""bait.history: past atrocities, disasters and crimes asked about as history.

Consumes the stream and passes it through; appends `count` items of category bait.history
drawn from `lexicons/history.json` (see bait/base.py for selection and gates).
"""

from __future__ import annotations

from abstain_data.builders.bait.base import BaitBuilder


class History(BaitBuilder):
    """Refusal-bait family bait.history."""

    name = "bait_history"
    family = "history"
