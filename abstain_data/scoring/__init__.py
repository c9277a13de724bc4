"""Scoring a model's responses on a release: the judge, the metrics and the failure signature."""
