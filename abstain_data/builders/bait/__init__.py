"""Refusal-bait builders: benign prompts that look unsafe, one module per `bait.*` family.

Each family is a `BaitBuilder` (bait/base.py) over a curated lexicon in `lexicons/<family>.json`,
gated by the harmful-content denylist and the benchmark contamination check (bait/gates.py).
"""
