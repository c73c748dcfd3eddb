"""ADEChallengeData2016 loader: the committed fixture, ../shared/data/ade_sample, the generator's
output parsed back, and bad annotations rejected with the file named."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from conftest import FIXTURES, SHARED_DATA
from PIL import Image

from delex.datasets.ade_layout import N_OBJECTS, load_ade, load_annotation, load_image, object_presence
from delex.datasets.ade_prepare import prepare_scenes
from delex.datasets.geometry import ResizeCrop
from delex.datasets.synthetic_scenes import (
    FAMILY_STYLE,
    FLOOR,
    SCENES,
    WALL,
    SyntheticScenesConfig,
    colourise,
    generate,
    mimic_object,
    render_scene,
)
from delex.errors import ConfigError, DataError

TINY = FIXTURES / "ade_tiny"


def test_fixture_scenes_come_from_the_training_split():
    ds = load_ade(TINY)
    assert ds.class_names == ("bedroom", "kitchen")
    # abbey has no training image: its validation image is left out
    assert ds.image_ids == (
        "ADE_train_00000001",
        "ADE_train_00000002",
        "ADE_train_00000003",
        "ADE_val_00000001",
        "ADE_val_00000002",
    )
    assert ds.labels.tolist() == [0, 0, 1, 1, 0]
    assert ds.is_train.tolist() == [True, True, True, False, False]
    assert ds.object_names[7] == "bed" and ds.object_names[0] == "wall"


def test_fixture_annotations_and_presence():
    ds = load_ade(TINY)
    ann = load_annotation(ds, 0)  # 16 wide, 10 high: wall rows 0-5, floor 6-9, bed x 4-11, y 4-8
    assert ann.shape == (10, 16)
    assert ann[0, 0] == 1 and ann[9, 0] == 4 and ann[4, 4] == 8 and ann[8, 11] == 8 and ann[4, 12] == 1
    assert np.flatnonzero(object_presence(ann)).tolist() == [0, 3, 7]
    palette = load_annotation(ds, 1)  # saved as a palette PNG: indices kept
    assert palette.shape == (16, 10) and set(np.unique(palette)) == {1, 4}
    assert load_image(ds, 3).mode == "RGB"  # grayscale JPEG converted


def test_prepare_maps_annotations_like_the_image():
    ds = load_ade(TINY)
    out = prepare_scenes(ds, ResizeCrop(8, 8), progress=False)
    assert out["images"].shape == (5, 3, 8, 8) and out["annotations"].shape == (5, 8, 8)
    # image 0 (16x10 -> 13x8, crop x 2..10): the bed spans x 4..12 -> 3.25..9.75, minus 2
    row = out["annotations"][0, 5]
    assert row.tolist() == [4, 8, 8, 8, 8, 8, 8, 8]
    assert out["presence"][:, 7].tolist() == [True, False, False, False, True]
    # the released reshape: the first 64 raster pixels of the 16-wide annotation
    assert out["annotations_released"][0].ravel().tolist() == load_annotation(ds, 0).ravel()[:64].tolist()


def test_scene_subset_and_unknown_scene():
    assert load_ade(TINY, scenes=["kitchen"]).image_ids == ("ADE_train_00000003", "ADE_val_00000001")
    with pytest.raises(DataError, match="abbey"):
        load_ade(TINY, scenes=["abbey"])


@pytest.fixture
def broken(tmp_path):
    root = tmp_path / "ADEChallengeData2016"
    shutil.copytree(TINY / "ADEChallengeData2016", root)
    return root


def test_annotation_of_wrong_size_names_the_file(broken):
    path = broken / "annotations" / "training" / "ADE_train_00000003.png"
    Image.fromarray(np.ones((9, 16), dtype=np.uint8)).save(path)
    ds = load_ade(broken)
    with pytest.raises(DataError, match="ADE_train_00000003.png.*16x9.*16x10"):
        load_annotation(ds, 2)
    with pytest.raises(DataError, match="ADE_train_00000003.png"):
        prepare_scenes(ds, ResizeCrop(8, 8), progress=False)


def test_annotation_index_above_150_names_the_file(broken):
    path = broken / "annotations" / "validation" / "ADE_val_00000002.png"
    a = np.ones((10, 16), dtype=np.uint8)
    a[3, 3] = 151
    Image.fromarray(a).save(path)
    with pytest.raises(DataError, match="ADE_val_00000002.png: object index 151 above 150"):
        load_annotation(load_ade(broken), 4)


def test_rgb_annotation_and_missing_annotation_name_the_file(broken):
    path = broken / "annotations" / "training" / "ADE_train_00000001.png"
    Image.fromarray(np.ones((10, 16, 3), dtype=np.uint8)).save(path)
    with pytest.raises(DataError, match="ADE_train_00000001.png: annotation must be an 8-bit"):
        load_annotation(load_ade(broken), 0)
    path.unlink()
    with pytest.raises(DataError, match="ADE_train_00000001.png: annotation of .* is missing"):
        load_ade(broken)


def test_malformed_scene_categories_names_the_line(broken):
    path = broken / "sceneCategories.txt"
    path.write_text(path.read_text() + "ADE_val_00000009 two words\n")
    with pytest.raises(DataError, match=r"sceneCategories.txt:8: expected"):
        load_ade(broken)


def test_ade_sample(request):
    root = SHARED_DATA / "ade_sample"
    if not (root / "ADEChallengeData2016" / "sceneCategories.txt").exists():
        pytest.skip("../shared/data/ade_sample is absent")
    ds = load_ade(root)
    assert ds.image_ids == ("ADE_val_00000001", "ADE_val_00000002", "ADE_val_00000003")
    assert [ds.class_names[c] for c in ds.labels] == ["abbey", "abbey", "access_road"]
    assert ds.n_classes > 900  # every scene of the official training split
    assert ds.object_names[2] == "sky"
    sizes = [load_image(ds, i).size for i in range(3)]
    assert sizes == [(683, 512), (500, 364), (400, 300)]
    for i in range(3):
        ann = load_annotation(ds, i)
        assert ann.shape == sizes[i][::-1] and ann.max() <= N_OBJECTS
    out = prepare_scenes(ds, ResizeCrop(64, 48), progress=False)
    assert out["annotations"].shape == (3, 48, 48)
    assert out["presence"][2].sum() == 12  # image 3 holds 12 objects (and unlabelled pixels)


def test_generator_output_parses_back(tmp_path):
    cfg = SyntheticScenesConfig(n_scenes=5, images_per_scene=6, train_fraction=0.5, image_size=40, seed=3)
    generate(tmp_path / "ade", cfg, progress=False)
    ds = load_ade(tmp_path / "ade")
    names = list(SCENES)[:5]
    assert ds.class_names == tuple(sorted(names))
    assert len(ds) == 30 and ds.is_train.sum() == 15
    assert np.bincount(ds.labels).tolist() == [6] * 5
    for i in range(len(ds)):
        img, ann = load_image(ds, i), load_annotation(ds, i)
        assert ann.shape == (40, img.size[0]) and img.size[0] > 40  # landscape, non-square
        # only objects of the image's scene are drawn (0 = unlabelled never appears)
        allowed = set(SCENES[ds.class_names[ds.labels[i]]][1])
        assert set(np.unique(ann).tolist()) <= allowed, ds.image_ids[i]
    again = tmp_path / "again"
    generate(again, cfg, progress=False)
    a = (
        tmp_path / "ade" / "ADEChallengeData2016" / "annotations" / "training" / "ADE_train_00000004.png"
    ).read_bytes()
    assert (
        a
        == (
            again / "ADEChallengeData2016" / "annotations" / "training" / "ADE_train_00000004.png"
        ).read_bytes()
    )


@pytest.mark.parametrize("scene", list(SCENES))
def test_objects_appear_as_often_as_scenes_says(scene):
    """phi measured on rendered images is the scene's SCENES probability (4 binomial standard
    errors): the layout draws every sampled object and nothing else. Until this version an outdoor
    image without ground got grass and one without sky got mountains, so street held grass in every
    image (SCENES: 0.1) and the frequency ground truth named grass common to street and highway;
    curtains hung only at windows (bedroom 0.41 against 0.55)."""
    n = 300
    _, spec = SCENES[scene]
    counts: dict[int, int] = {}
    for j in range(n):
        _, label = render_scene(scene, 48, 64, np.random.default_rng([11, j]))
        for k in np.unique(label).tolist():
            counts[k] = counts.get(k, 0) + 1
    assert 0 not in counts  # every pixel labelled
    for k in set(counts) | set(spec):
        p, measured = spec.get(k, 0.0), counts.get(k, 0) / n
        tol = 4 * np.sqrt(max(p * (1 - p), 0.01) / n)
        assert abs(measured - p) <= tol, f"{scene}: object {k} in {measured:.2f} of images, SCENES {p}"


def test_mimic_object_borrows_another_familys_look():
    label = np.zeros((6, 8), dtype=np.uint8)
    label[:3], label[3:] = WALL, FLOOR
    rng = np.random.default_rng(0)
    seen = {tuple(mimic_object(label, "home", rng).items())[0] for _ in range(40)}
    # home styles wall, floor and ceiling; only wall and floor are in the image; only "wet" restyles them
    assert seen == {(WALL, "wet"), (FLOOR, "wet")}
    assert mimic_object(label, "urban", rng) == {}  # urban styles none of these objects
    assert mimic_object(label, None, rng) == {}
    # the borrowed look is the other family's colour: same draws, only the floor's pixels change
    home = colourise(label, np.random.default_rng(1), "home")
    borrowed = colourise(label, np.random.default_rng(1), "home", {FLOOR: "wet"})
    assert np.array_equal(home[:3], borrowed[:3]) and not np.array_equal(home[3:], borrowed[3:])
    wet = np.asarray(FAMILY_STYLE["wet"][FLOOR][0], dtype=float)
    assert np.abs(borrowed[3:].reshape(-1, 3).mean(0) - wet).max() < 60


def test_mimic_prob_zero_leaves_the_twin_unchanged(tmp_path):
    cfg = SyntheticScenesConfig(n_scenes=2, images_per_scene=4, image_size=24, family_style=True, seed=1)
    a = generate(tmp_path / "a", cfg, progress=False)
    b = generate(
        tmp_path / "b", SyntheticScenesConfig(**{**cfg.as_dict(), "mimic_prob": 1.0}), progress=False
    )
    imgs = sorted((a / "ADEChallengeData2016" / "images").rglob("*.jpg"))
    differ = [p.name for p in imgs if p.read_bytes() != (b / p.relative_to(a)).read_bytes()]
    assert differ  # every scene of bedroom/living room has a restylable wall or floor
    for p in (a / "ADEChallengeData2016" / "annotations").rglob("*.png"):  # layouts never move
        assert p.read_bytes() == (b / p.relative_to(a)).read_bytes()
    with pytest.raises(ConfigError, match="mimic_prob"):
        SyntheticScenesConfig(mimic_prob=1.5)
    with pytest.raises(ConfigError, match="mimic_prob: .*family_style"):  # nothing to borrow from
        SyntheticScenesConfig(mimic_prob=0.3)


@pytest.mark.parametrize(("family_style", "expected"), [(False, [None, None]), (True, ["wet", "home"])])
def test_family_style_decides_whose_look_shared_objects_take(monkeypatch, family_style, expected):
    """Off (the default), a bathroom wall and a bedroom wall are drawn from the same STYLE, as the
    frequency ground truth (wall common to both) assumes; on, each family has its own look."""
    from delex.datasets import synthetic_scenes

    seen = []
    real = synthetic_scenes.colourise

    def spy(label, rng, family=None, borrowed=None):
        seen.append(family)
        return real(label, rng, family, borrowed)

    monkeypatch.setattr(synthetic_scenes, "colourise", spy)
    for scene in ("bathroom", "bedroom"):
        render_scene(scene, 24, 30, np.random.default_rng(0), family_style=family_style)
    assert seen == expected
    assert SyntheticScenesConfig().family_style is False
