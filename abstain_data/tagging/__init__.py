"""Domain and complexity tagging: the taggers and the pipeline step that applies them."""

from abstain_data.tagging.complexity import tag_complexity
from abstain_data.tagging.domain import tag_domain

__all__ = ["tag_complexity", "tag_domain"]
