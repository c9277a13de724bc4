"""Dedupe: exact and near-duplicate detection over the item stream (DESIGN.md section 7)."""
