"""bait.privacy_public: widely published facts about public figures.

Consumes the stream and passes it through; appends `count` items of category bait.privacy_public
drawn from `lexicons/privacy_public.json` (see bait/base.py for selection and gates).
"""

from __future__ import annotations

from abstain_data.builders.bait.base import BaitBuilder


class PrivacyPublic(BaitBuilder):
    """Refusal-bait family bait.privacy_public."""

    name = "bait_privacy_public"
    family = "privacy_public"
