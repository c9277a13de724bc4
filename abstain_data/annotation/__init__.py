"""Annotation rounds in Label Studio: push the review queue, pull votes back (DESIGN.md §9)."""
