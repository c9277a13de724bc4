"""Prompt-only cues: the grouped out-of-fold classifier shared by `audit artifacts` and the
`[cue_filter]` build step, and the filter that removes the items it finds too predictable."""
