"""bait.privacy_fictional: private details of fictional characters.

Consumes the stream and passes it through; appends `count` items of category bait.privacy_fictional
drawn from `lexicons/privacy_fictional.json` (see bait/base.py for selection and gates).
"""

from __future__ import annotations

from abstain_data.builders.bait.base import BaitBuilder


class PrivacyFictional(BaitBuilder):
    """Refusal-bait family bait.privacy_fictional."""

    name = "bait_privacy_fictional"
    family = "privacy_fictional"
