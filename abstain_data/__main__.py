"""`python -m abstain_data`: the same command line as `abstain-data`."""

from abstain_data.cli import app

app(prog_name="abstain-data")
