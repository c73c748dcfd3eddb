"""ImageNet-validation loader on the committed fixture (tests/fixtures/imagenet_tiny), and the
sanity block's config checks."""

from __future__ import annotations

import copy
import shutil

import numpy as np
import pytest
import yaml
from conftest import FIXTURES, REPO

from delex.datasets.geometry import ResizeCrop
from delex.errors import ConfigError, DataError
from delex.sanity.imagenet import load_imagenet_val, read_box
from delex.sanity.settings import check_sanity, variants

ROOT = FIXTURES / "imagenet_tiny"


def test_loader_labels_boxes_and_geometry():
    d = load_imagenet_val(ROOT, ResizeCrop(32, 24))
    assert d["images"].shape == (3, 3, 24, 24) and d["images"].dtype == np.uint8
    assert d["labels"].tolist() == [1, 1, 2]  # line index in LOC_synset_mapping.txt
    assert not d["is_train"].any()
    # image 1: 40x30 -> 43x32 (x 1.075, y 32/30), crop offset (9, 4); own-class box (4, 6)-(20, 24)
    np.testing.assert_allclose(
        d["boxes"][0], [0.0, 6 * 32 / 30 - 4, 20 * 1.075 - 9, (24 - 6) * 32 / 30], atol=1e-9
    )
    assert np.isnan(d["boxes"][2]).all()  # no annotation file: no box
    assert d["image_names"][2] == "ILSVRC2012_val_00000003.JPEG"


def test_loader_subset_is_seeded():
    a = load_imagenet_val(ROOT, ResizeCrop(32, 24), n=2, seed=3)
    b = load_imagenet_val(ROOT, ResizeCrop(32, 24), n=2, seed=3)
    assert a["image_names"].tolist() == b["image_names"].tolist() and len(a["labels"]) == 2


def test_first_box_of_the_own_class_is_used():
    xml = ROOT / "bboxes" / "val" / "ILSVRC2012_val_00000001.xml"
    np.testing.assert_array_equal(read_box(xml, "n01443537"), [4, 6, 16, 18])
    np.testing.assert_array_equal(read_box(xml, "n01440764"), [0, 0, 2, 2])
    assert np.isnan(read_box(xml, "n09999999")).all()


def test_loader_errors_name_the_file(tmp_path):
    shutil.copytree(ROOT, tmp_path / "in")
    (tmp_path / "in" / "val" / "n00000001").mkdir()
    with pytest.raises(DataError, match="n00000001"):
        load_imagenet_val(tmp_path / "in", ResizeCrop(32, 24))
    (tmp_path / "in" / "LOC_synset_mapping.txt").write_text("tench\n")
    with pytest.raises(DataError, match="LOC_synset_mapping.txt:1"):
        load_imagenet_val(tmp_path / "in", ResizeCrop(32, 24))


def _config():
    return yaml.safe_load((REPO / "config.yaml").read_text())


def test_sanity_config_checks():
    cfg = _config()
    check_sanity(cfg)
    assert variants(cfg["sanity"])[-2:] == ["integrated_gradients_blur", "smoothgrad_blur"]
    bad = copy.deepcopy(cfg)
    bad["sanity"]["runs"] = [7]
    with pytest.raises(ConfigError, match="sanity.runs"):
        check_sanity(bad)
    bad = copy.deepcopy(cfg)
    bad["sanity"]["blurred"] = ["lrp"]
    bad["sanity"]["methods"] = ["gradcam"]
    with pytest.raises(ConfigError, match="sanity.blurred"):
        check_sanity(bad)
    img = yaml.safe_load((REPO / "configs" / "imagenet_val.yaml").read_text())
    cfg["sanity"] = copy.deepcopy(img["sanity"])
    check_sanity(cfg)
    cfg["sanity"]["methods"].append("difficulty")
    with pytest.raises(ConfigError, match="hardness predictor"):
        check_sanity(cfg)
