"""How training weighs its sources."""

from __future__ import annotations

import numpy as np
import pytest

from service.classifier.training import SOURCE_SHARE, source_weights


@pytest.mark.parametrize("label", ["spam", "abuse"])
def test_each_source_gets_its_share_whatever_its_size(label: str) -> None:
    # A small seed file against public sets a hundred times larger.
    sources = np.array(["seed"] * 50 + ["olid"] * 5_000 + ["davidson"] * 9_000 + ["sms"] * 700)
    w = source_weights(sources, label)
    assert w.mean() == pytest.approx(1.0)
    totals = {s: w[sources == s].sum() for s in ("seed", "olid", "davidson", "sms")}
    shares = SOURCE_SHARE[label]
    expected = {s: shares[s] / sum(shares[t] for t in totals) for s in totals}
    for s, total in totals.items():
        assert total / w.sum() == pytest.approx(expected[s])
