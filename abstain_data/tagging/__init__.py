"""Domain and complexity tagging: classifiers, their signals, and the step that applies them."""

from abstain_data.tagging.classify import Tag, classify, tag_complexity, tag_domain

__all__ = ["Tag", "classify", "tag_complexity", "tag_domain"]
