"""abstain-data: answerability-labelled prompt datasets for evaluating model abstention."""

__version__ = "0.1.0"
