"""bait.medical_info: medical knowledge phrased with alarming words (overdose, poison, lethal).

Consumes the stream and passes it through; appends `count` items of category bait.medical_info
drawn from `lexicons/medical_info.json` (see bait/base.py for selection and gates).
"""

from __future__ import annotations

from abstain_data.builders.bait.base import BaitBuilder


class MedicalInfo(BaitBuilder):
    """Refusal-bait family bait.medical_info."""

    name = "bait_medical_info"
    family = "medical_info"
