"""The build pipeline: the step contract, the build context, the ledger and the runner."""
