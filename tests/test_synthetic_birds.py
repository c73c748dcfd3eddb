"""Synthetic birds: written in the exact CUB layout, parsed back by the loader, deterministic."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from delex.datasets.cub_layout import IMAGE_ATTRIBUTE_LABELS, load_cub
from delex.datasets.synthetic_birds import (
    COLOURS,
    PART_FAMILIES,
    SyntheticBirdsConfig,
    attribute_groups_table,
    class_truth,
    generate,
    mimic_part,
    pair_parts,
    pair_units,
)
from delex.errors import ConfigError
from delex.parts import PART_NAMES, attribute_groups

CFG = SyntheticBirdsConfig(
    n_classes=4, n_families=2, images_per_class=6, image_size=64, seed=3, occlusion_prob=0.3
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "data"
    assert generate(out, CFG, progress=False) == out
    return out


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_layout_files(generated: Path):
    root = generated / "CUB_200_2011"
    for rel in [
        "images.txt",
        "classes.txt",
        "image_class_labels.txt",
        "train_test_split.txt",
        "bounding_boxes.txt",
        "parts/parts.txt",
        "parts/part_locs.txt",
        "attributes/certainties.txt",
        IMAGE_ATTRIBUTE_LABELS,
        "attributes/class_attribute_labels_continuous.txt",
        "synthetic_truth.json",
    ]:
        assert (root / rel).is_file(), rel
    assert (generated / "attributes.txt").read_text().splitlines()[0] == (
        "1 has_bill_shape::curved_(up_or_down)"
    )
    first = (root / "parts/part_locs.txt").read_text().splitlines()[0].split()
    assert len(first) == 5 and first[:2] == ["1", "1"] and "." in first[2]
    lines = (root / IMAGE_ATTRIBUTE_LABELS).read_text().splitlines()
    assert len(lines) == 24 * 312
    i, a, p, c, t = lines[0].split()
    assert (i, a) == ("1", "1") and p in "01" and c in "1234" and float(t) > 0
    assert not list(generated.parent.glob(".data.*"))  # no temporary folders left behind


def test_parsed_back_by_the_loader(generated: Path):
    ds = load_cub(generated)
    assert len(ds) == 24 and ds.n_classes == 4
    np.testing.assert_array_equal(ds.labels, np.repeat(np.arange(4), 6))
    np.testing.assert_array_equal(ds.class_ids, [1, 2, 3, 4])
    assert all(n.startswith(f"{k + 1:03d}.") for k, n in enumerate(ds.class_names))
    np.testing.assert_array_equal(np.bincount(ds.labels[ds.is_train]), [3, 3, 3, 3])
    assert ds.class_attributes.shape == (4, 312)
    assert ds.attribute_source == IMAGE_ATTRIBUTE_LABELS
    cont = np.loadtxt(ds.root / "attributes/class_attribute_labels_continuous.txt")
    np.testing.assert_allclose(ds.class_attributes, cont, atol=1e-8)
    # every image-level group is one-hot, so each group of each class sums to 100 %
    for _, ix, _ in attribute_groups_table():
        np.testing.assert_allclose(ds.class_attributes[:, list(ix)].sum(1), 100.0)
    img = Image.open(ds.image_path(0))
    assert img.size == (64, 64) and img.format == "JPEG"


def test_parts_and_boxes(generated: Path):
    ds = load_cub(generated)
    vis = ds.parts[..., 2] == 1
    assert not ds.parts[~vis][:, :2].any()
    assert ((ds.parts[vis][:, :2] >= 0) & (ds.parts[vis][:, :2] < 64)).all()
    left = [PART_NAMES.index(f"left {p}") for p in ("eye", "leg", "wing")]
    right = [PART_NAMES.index(f"right {p}") for p in ("eye", "leg", "wing")]
    assert not (vis[:, left].any(1) & vis[:, right].any(1)).any()  # the far side is never visible
    assert vis[:, PART_NAMES.index("back")].mean() > 0.6
    b = ds.boxes
    assert (b[:, 2:] > 10).all() and (b[:, :2] >= 0).all() and (b[:, :2] + b[:, 2:] <= 64).all()


def test_points_sit_on_their_parts(generated: Path):
    """Where a part is solid, the pixel at its point has the part's CUB colour (up to lighting)."""
    ds = load_cub(generated)
    rows = np.loadtxt(ds.root / IMAGE_ATTRIBUTE_LABELS, usecols=(0, 1, 2), dtype=np.int64)
    present = np.zeros((len(ds), 312), bool)
    present[rows[:, 0] - 1, rows[:, 1] - 1] = rows[:, 2] == 1
    names = ds.attribute_names
    checks = [
        ("crown", "has_crown_color", None),
        ("back", "has_back_color", "has_back_pattern"),
        ("breast", "has_breast_color", "has_breast_pattern"),
    ]
    errors = []
    for i in range(len(ds)):
        img = np.asarray(Image.open(ds.image_path(i)).convert("RGB"), dtype=float)
        for part, colour_group, pattern_group in checks:
            x, y, v = ds.parts[i, PART_NAMES.index(part)]
            pat = [n for j, n in enumerate(names) if present[i, j] and n.startswith(f"{pattern_group}::")]
            if not v or (pattern_group and pat != [f"{pattern_group}::solid"]):
                continue
            colour = next(
                n.split("::")[1]
                for j, n in enumerate(names)
                if present[i, j] and n.startswith(f"{colour_group}::")
            )
            errors.append(np.abs(img[int(y), int(x)] - COLOURS[colour]).max())
    assert len(errors) > 20
    assert np.median(errors) < 30 and np.mean(np.asarray(errors) < 60) > 0.9


def test_truth_shared_parts(generated: Path):
    truth = json.loads((generated / "CUB_200_2011" / "synthetic_truth.json").read_text())
    probs = np.asarray(truth["attribute_probs"])
    assert probs.shape == (4, 312)
    for _, ix, _ in attribute_groups_table():
        np.testing.assert_allclose(probs[:, list(ix)].sum(1), 1.0)
    assert [f["class_ids"] for f in truth["families"]] == [[1, 2], [3, 4]]
    for fam in truth["families"]:
        members = np.asarray(fam["class_ids"]) - 1
        assert 2 <= len(fam["shared_parts"]) <= 3
        for part in PART_FAMILIES:
            cols = [i for g in attribute_groups(part) for i in g]
            rows = probs[np.ix_(members, cols)]
            same = np.array_equal(rows[0], rows[1])
            assert same == (part in fam["shared_parts"]), (fam["index"], part)


def test_pair_units_round_robin():
    """Known answer: 4 members meet in 3 rounds, every pair exactly once; odd n leaves one alone."""
    rounds = [sorted(sorted(u.tolist()) for u in pair_units(np.arange(4), k)) for k in range(3)]
    assert rounds == [[[0, 3], [1, 2]], [[0, 1], [2, 3]], [[0, 2], [1, 3]]]
    assert rounds[0] == sorted(sorted(u.tolist()) for u in pair_units(np.arange(4), 3))  # cycles
    odd = [sorted(sorted(u.tolist()) for u in pair_units(np.arange(3), k)) for k in range(3)]
    assert odd == [[[0], [1, 2]], [[0, 1], [2]], [[0, 2], [1]]]
    assert [u.tolist() for u in pair_units(np.array([5]), 0)] == [[5]]


def test_pairs_sharing_truth():
    """Under `sharing: pairs` a shared part is alike for exactly the pairs `pair_parts` names."""
    shared = ("back", "beak", "belly", "tail")
    cfg = SyntheticBirdsConfig(n_classes=8, n_families=2, sharing="pairs", shared_parts=shared)
    truth = class_truth(cfg)
    probs = np.asarray(truth["attribute_probs"])
    pairs = pair_parts(truth)
    # 2 families x 4 shared parts x 2 pairs per round; back and tail fall in the same round
    assert sum(map(len, pairs.values())) == 16
    assert pairs[(0, 3)] == ["back", "tail"] and pairs[(0, 1)] == ["beak"] and pairs[(4, 6)] == ["belly"]
    for a in range(8):
        for b in range(a + 1, 8):
            for part in PART_FAMILIES:
                cols = [i for g in attribute_groups(part) for i in g]
                same = np.array_equal(probs[a, cols], probs[b, cols])
                assert same == (part in pairs.get((a, b), [])), (a, b, part)
    family = class_truth(SyntheticBirdsConfig(n_classes=4, n_families=2, shared_parts=("back",)))
    assert pair_parts(family) == {(0, 1): ["back"], (2, 3): ["back"]}
    with pytest.raises(ConfigError, match="sharing"):
        SyntheticBirdsConfig(sharing="triples")


def test_mimic_part_takes_another_familys_shared_part():
    cfg = SyntheticBirdsConfig(n_classes=4, n_families=2, shared_parts=("back", "tail"))
    truth = class_truth(cfg)
    probs = np.asarray(truth["attribute_probs"])
    rng = np.random.default_rng(0)
    for _ in range(20):
        values = {g: names[int(np.argmax(probs[0, list(ix)]))] for g, ix, names in attribute_groups_table()}
        before = dict(values)
        part, fam = mimic_part(values, 0, truth, probs, rng)
        assert fam == 1 and part in ("back", "tail")
        changed = {g for g in values if values[g] != before[g]}
        groups = {
            g
            for g, ix, _ in attribute_groups_table()
            if ix[0] in {i for r in attribute_groups(part) for i in r}
        }
        assert changed <= groups | {"has_upperparts_color"}  # derived from the back colour
        for g in groups:  # every value drawn is possible for family 1 on that part
            ix, names = next((ix, n) for gg, ix, n in attribute_groups_table() if gg == g)
            assert probs[2, ix[names.index(values[g])]] > 0
    alone = class_truth(SyntheticBirdsConfig(n_classes=2, n_families=1, shared_parts=("back",)))
    assert mimic_part({}, 0, alone, np.asarray(alone["attribute_probs"]), rng) is None  # no other family


def test_mimicry_recorded_and_default_untouched(generated: Path, tmp_path: Path):
    truth = json.loads((generated / "CUB_200_2011" / "synthetic_truth.json").read_text())
    assert "mimicry" not in truth  # mimic_prob 0: the twin is exactly what it was without the option
    mimic = generate(
        tmp_path / "m", SyntheticBirdsConfig(**{**CFG.__dict__, "mimic_prob": 1.0}), progress=False
    )
    m_truth = json.loads((mimic / "CUB_200_2011" / "synthetic_truth.json").read_text())
    assert [r["image_id"] for r in m_truth["mimicry"]] == list(range(1, 25))  # every image, in order
    fam = m_truth["class_family"]
    labels = np.repeat(np.arange(4), 6)
    for r in m_truth["mimicry"]:
        assert r["family"] != fam[labels[r["image_id"] - 1]]
        assert r["part"] in m_truth["families"][r["family"]]["shared_parts"]


def test_deterministic(generated: Path, tmp_path: Path):
    again = generate(tmp_path / "again", CFG, progress=False)
    assert _digest(again) == _digest(generated)
    other = generate(tmp_path / "other", SyntheticBirdsConfig(**{**CFG.__dict__, "seed": 4}), progress=False)
    assert _digest(other) != _digest(generated)
    # an existing output folder is replaced as a whole
    generate(tmp_path / "other", CFG, progress=False)
    assert _digest(tmp_path / "other") == _digest(generated)


def test_config_from_mapping():
    cfg = SyntheticBirdsConfig.from_mapping({"n_classes": 6, "shared_parts": ["back", "tail"]})
    assert cfg.n_classes == 6 and cfg.shared_parts == ("back", "tail")
    assert SyntheticBirdsConfig.from_mapping(None) == SyntheticBirdsConfig()
    with pytest.raises(ConfigError, match="bogus"):
        SyntheticBirdsConfig.from_mapping({"n_classes": 4, "bogus": 1})
    with pytest.raises(ConfigError, match="n_families"):
        SyntheticBirdsConfig(n_classes=4, n_families=5)
    with pytest.raises(ConfigError, match="shared_parts"):
        SyntheticBirdsConfig(shared_parts=("wingz",))
