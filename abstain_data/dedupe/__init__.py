"""Dedupe: exact and near-duplicate detection over the item stream."""
