"""Answerable contrast twins: one builder per unanswerable family, one module each.

A twin carries the surface features of its unanswerable sibling (a vague referent, a premise
frame, a "not", a future year, a name of the same shape) but has a well-defined answer, so that
the cue alone does not decide the label. Every twin is derived from a seed that its sibling
family varied, shares that seed's pair id, and is labelled `answerable` (twins/base.py).
"""
