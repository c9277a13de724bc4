"""What dedupe compares items by: their exact key, their label and their variant family."""

from __future__ import annotations

from abstain_data.items import Item, normalize_key


def exact_key(item: Item) -> tuple[str, str]:
    """Normalized prompt and context: equal keys are exact duplicates (whatever the label)."""
    return exact_text_key(item.prompt, item.context)


def exact_text_key(prompt: str, context: str | None) -> tuple[str, str]:
    """`exact_key` of a prompt and context held outside an Item (e.g. a released row)."""
    return normalize_key(prompt), normalize_key(context or "")


def label_key(item: Item) -> tuple[bool, str]:
    """The label an item carries: items with different label keys are never merged."""
    return item.should_abstain, item.category.value


def family(item: Item) -> str | None:
    """The variant family (the builder that made the item; None for source items)."""
    return None if item.transform is None else item.transform.builder


def order_key(item: Item, source_rank: dict[str, int]) -> tuple[int, int, str, str]:
    """The deterministic order of dedupe: the first item of a group by this key is kept.

    Items taken from sources come before builders' variants, sources in recipe order
    (`source_rank`: recipe source name -> position), so when two corpora carry the same prompt
    (TrustLLM's copy of XSTest v1) the one listed first in the recipe is kept; then by id and
    record, so the result never depends on batch size or stream order.
    """
    origin = item.record.split("#", 1)[0]
    is_variant = item.transform is not None
    return int(is_variant), source_rank.get(origin, len(source_rank)), item.id, item.record
