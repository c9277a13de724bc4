"""bait.legal_info: legal knowledge phrased with crime vocabulary.

Consumes the stream and passes it through; appends `count` items of category bait.legal_info
drawn from `lexicons/legal_info.json` (see bait/base.py for selection and gates).
"""

from __future__ import annotations

from abstain_data.builders.bait.base import BaitBuilder


class LegalInfo(BaitBuilder):
    """Refusal-bait family bait.legal_info."""

    name = "bait_legal_info"
    family = "legal_info"
