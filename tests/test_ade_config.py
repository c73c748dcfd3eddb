"""Bad `ade:` configuration is rejected before any job starts, with the key named."""

from __future__ import annotations

import pytest
from test_config import _dry_run, assert_rejected


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda c: c["ade"]["preprocess"].update(crop=200), "ade.preprocess.crop"),
        (lambda c: c["ade"]["dataset"].update(source="folder", path=None), "ade.dataset.path"),
        (lambda c: c["ade"]["train"].update(epochs=3), "ade.train.epochs"),
        (lambda c: c["ade"].update(top_fraction=2), "top_fraction"),
        (lambda c: c["ade"]["dataset"]["synthetic"].update(n_scenes=3), "ade.dataset.synthetic.n_scenes"),
    ],
)
def test_bad_ade_config_rejected_naming_key(tmp_path, mutate, needle):
    assert_rejected(tmp_path, mutate, needle)


@pytest.mark.parametrize("enabled", [True, False])
def test_ade_jobs_only_when_enabled(tmp_path, enabled):
    res = _dry_run(tmp_path, lambda c: c["ade"].update(enabled=enabled))
    assert res.returncode == 0, res.stderr[-2000:]
    stats = res.stdout.split("Job stats")[-1]
    for rule in ("ade_synthetic", "ade_train", "ade_explain", "ade_tables", "ade_figure4"):
        assert (rule in stats) == enabled, rule
