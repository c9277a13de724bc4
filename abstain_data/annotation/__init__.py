"""Annotation rounds in Label Studio: push the review queue, pull the votes back."""
