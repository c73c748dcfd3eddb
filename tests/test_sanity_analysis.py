"""Correlation helpers against scipy, direction alignment, and the sanity tables on known scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from delex.sanity import analysis as A
from delex.sanity import tables as T
from delex.sanity.settings import CONFIGS, config_name


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(-10, 10), st.floats(-10, 10)), min_size=3, max_size=40))
def test_spearman_matches_scipy(pairs):
    x, y = np.array(pairs).T
    r = A.spearman(x, y)
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        assert np.isnan(r)
    else:
        assert r == pytest.approx(stats.spearmanr(x, y).statistic, nan_ok=True)


def test_point_biserial_matches_scipy_and_pearson():
    rng = np.random.default_rng(0)
    b = (rng.random(50) < 0.4).astype(float)
    y = rng.normal(size=50) + b
    r = A.point_biserial(b, y)
    assert r == pytest.approx(stats.pointbiserialr(b, y).statistic)
    assert r == pytest.approx(np.corrcoef(b, y)[0, 1])
    assert np.isnan(A.point_biserial(np.ones(10), np.arange(10.0)))
    with pytest.raises(ValueError):
        A.point_biserial(np.arange(5.0), np.arange(5.0))


def test_directions_are_aligned():
    x = np.arange(10.0)
    assert A.correlation("insertion", x, "deletion", x) == (pytest.approx(-1.0), "spearman")
    assert A.correlation("deletion", x, "road_morf", x)[0] == pytest.approx(1.0)
    assert A.correlation("avg_drop:bin50", x, "insertion", x)[0] == pytest.approx(-1.0)
    hit = (x > 4).astype(float)
    r, kind = A.correlation("insertion", x, "pointing", hit)
    assert kind == "point-biserial" and r > 0
    assert A.correlation("deletion", x, "pointing", hit)[0] == pytest.approx(-r)


def _scores(n=12, seed=0):
    rng = np.random.default_rng(seed)
    base = rng.random(n)
    rows = {}
    for kind in ("insertion", "deletion"):
        for i, (b, m) in enumerate(CONFIGS):
            rows[f"{kind}:{config_name(b, m)}"] = base + (0.01 * i if kind == "insertion" else -base * i)
    rows.update(
        {
            "avg_drop:real": -base,
            "avg_drop:bin50": base,
            "increase:real": (base > 0.5) * 1.0,
            "pointing:0px": (base > 0.5) * 1.0,
            "pointing:15px": (base > 0.3) * 1.0,
            "road_morf": -base,
            "road_lerf": base,
        }
    )
    df = pd.DataFrame(rows)
    df.insert(0, "variant", "m")
    df.insert(0, "run", 0)
    df.insert(0, "arch", "vgg16")
    return df


def test_consistency_and_reliability_tables():
    s = _scores()
    per = T.consistency_per_method(s, ["m"])
    assert len(per) == 12
    ins = per[per["kind"] == "insertion"][T.CONFIG_NAMES].to_numpy()
    np.testing.assert_allclose(ins, 1.0)  # monotone shifts of the same scores: rank-identical
    dele = per[per["kind"] == "deletion"].set_index("config")
    assert np.isnan(dele.loc["zero+pixel", "uniform+pixel"])  # zero+pixel is constant (0 * base)
    t1 = T.consistency_mean(per)
    assert (t1["n_methods"] == 1).all()
    t2 = T.reliability_table(s, ["m"]).set_index("pair")
    assert t2.loc["insertion & avg_drop", "m"] == pytest.approx(1.0)  # -(-base): aligned
    assert t2.loc["insertion & road_morf", "m"] == pytest.approx(1.0)
    assert t2.loc["insertion & pointing", "kind"] == "point-biserial"
    t3 = T.binarized_reliability(s, ["m"])
    assert t3.loc[0, "insertion"] == pytest.approx(-1.0)  # bin50 == base, negated as a drop
    a2 = T.average_drop_levels(s, ["m"])
    assert list(a2.columns[-2:]) == ["real", "bin50"]
