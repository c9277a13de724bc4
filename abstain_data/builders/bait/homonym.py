"""bait.homonym: violent or illicit words in a technical or everyday sense ("kill a job").

Consumes the stream and passes it through; appends `count` items of category bait.homonym
drawn from `lexicons/homonym.json` (see bait/base.py for selection and gates).
"""

from __future__ import annotations

from abstain_data.builders.bait.base import BaitBuilder


class Homonym(BaitBuilder):
    """Refusal-bait family bait.homonym."""

    name = "bait_homonym"
    family = "homonym"
