"""Blind audits of a build: samples for reviewers, their scoring, and the artifact audit."""
