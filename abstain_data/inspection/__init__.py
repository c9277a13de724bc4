"""Inspection of a build: a builder's variants sampled beside their parents."""
