"""rank_share: each record's share of the AUC, whose mean per label is the AUC itself."""

from __future__ import annotations

import numpy as np
import pytest

from abstain_data.cues.classifier import auc
from abstain_data.cues.filter import rank_share


def test_rank_shares_average_to_the_auc_and_rank_the_giveaways_first() -> None:
    rng = np.random.default_rng(0)
    labels = [bool(n % 3 == 0) for n in range(90)]
    scores = np.round(rng.random(90), 1) + np.array(labels) * 0.3  # ties on purpose
    shares = rank_share(labels, scores)
    for label in (True, False):
        mean = np.mean([s for s, lab in zip(shares, labels, strict=True) if lab is label])
        assert mean == pytest.approx(auc(labels, scores))
    for label, extreme in ((True, max), (False, min)):
        own = [n for n in range(90) if labels[n] is label]
        giveaway = extreme(own, key=lambda n: scores[n])
        assert shares[giveaway] == max(shares[n] for n in own)
