"""Loader of the CUB_200_2011 layout on the hand-made fixture and on the real cub_mini subset."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from delex.datasets.cub_layout import CLASS_ATTRIBUTE_LABELS, IMAGE_ATTRIBUTE_LABELS, load_cub, load_image
from delex.datasets.geometry import ResizeCrop
from delex.datasets.prepare import prepare
from delex.errors import DataError

FIXTURE = Path(__file__).parent / "fixtures" / "cub_tiny"
# real data: the `cub_mini` fixture of conftest.py (../shared/data/cub_mini, skipped when absent)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A writable copy of the fixture (for the error tests)."""
    dst = tmp_path / "cub_tiny"
    shutil.copytree(FIXTURE, dst)
    return dst


# ---- fixture -------------------------------------------------------------------------------------


def test_fixture_images_labels_and_relabelling():
    ds = load_cub(FIXTURE)
    assert ds.root == FIXTURE / "CUB_200_2011"
    np.testing.assert_array_equal(ds.image_ids, [1, 3, 4, 7, 9, 11])  # sorted by id
    np.testing.assert_array_equal(ds.class_ids, [2, 5, 7])  # 3 of the 7 classes in classes.txt
    np.testing.assert_array_equal(ds.labels, [2, 0, 1, 1, 2, 0])  # 0-based, contiguous
    assert ds.n_classes == 3 and len(ds) == 6
    assert ds.class_names == ("002.Beta_Gull", "005.Epsilon_Lark", "007.Eta_Owl")
    assert ds.display_name(1) == "Epsilon Lark"
    np.testing.assert_array_equal(ds.is_train, [True, True, True, False, False, False])
    assert ds.paths[0] == "007.Eta_Owl/Eta_Owl_0001.jpg"
    assert ds.image_path(0).is_file()
    img = load_image(ds, 0)
    assert img.mode == "RGB" and img.size == (12, 8)
    assert load_image(ds, 3).size == (8, 12)
    np.testing.assert_array_equal(ds.boxes[0], [1.0, 2.0, 10.0, 5.0])
    assert len(ds.attribute_names) == 312
    assert ds.attribute_names[0] == "has_bill_shape::curved_(up_or_down)"


def test_root_may_be_the_cub_folder_itself():
    a, b = load_cub(FIXTURE), load_cub(FIXTURE / "CUB_200_2011")
    np.testing.assert_array_equal(a.labels, b.labels)
    np.testing.assert_array_equal(a.class_attributes, b.class_attributes)


def test_crlf_file_is_parsed():
    raw = (FIXTURE / "CUB_200_2011" / "image_class_labels.txt").read_bytes()
    assert b"\r\n" in raw  # the fixture really exercises CRLF
    ds = load_cub(FIXTURE)
    np.testing.assert_array_equal(ds.class_ids[ds.labels], [7, 2, 5, 5, 7, 2])


def test_parts_and_invisible_points():
    ds = load_cub(FIXTURE)
    assert ds.parts.shape == (6, 15, 3) and ds.parts.dtype == np.float64
    vis = ds.parts[..., 2]
    assert set(np.unique(vis)) == {0.0, 1.0}
    # parts 7 (left eye) and 12 (right leg) are invisible everywhere; image 3 had x,y = 5,4 in file
    np.testing.assert_array_equal(vis[:, [6, 11]], 0)
    np.testing.assert_array_equal(ds.parts[:, [6, 11], :2], 0)
    assert vis.sum() == 6 * 13
    # image id 3 (row 1, 12x8): part k at ((3k) % 12, (5k) % 8)
    np.testing.assert_array_equal(ds.parts[1, 0], [3.0, 5.0, 1.0])
    np.testing.assert_array_equal(ds.parts[1, 14], [(3 * 15) % 12, (5 * 15) % 8, 1.0])


def test_class_attributes_from_image_labels_by_hand():
    ds = load_cub(FIXTURE)
    assert ds.attribute_source == IMAGE_ATTRIBUTE_LABELS
    ca = ds.class_attributes
    assert ca.shape == (3, 312)
    # rule: attribute a present in image i iff i divides a
    # class 2 = images {3, 11}: a=1 none, a=3 half, a=33 both
    assert (ca[0, 0], ca[0, 2], ca[0, 32]) == (0.0, 50.0, 100.0)
    # class 5 = images {4, 7}: a=4 half, a=28 both (image 4's line for a=28 is malformed/long)
    assert (ca[1, 0], ca[1, 3], ca[1, 27]) == (0.0, 50.0, 100.0)
    # class 7 = images {1, 9}: image 1 has everything up to 40, a=9 both
    assert (ca[2, 0], ca[2, 8], ca[2, 39]) == (50.0, 100.0, 50.0)
    np.testing.assert_array_equal(ca[:, 40:], 0.0)  # never labelled


def test_class_attributes_match_an_independent_recount():
    ds = load_cub(FIXTURE)
    lines = (FIXTURE / "CUB_200_2011" / IMAGE_ATTRIBUTE_LABELS).read_text().splitlines()
    present: dict[tuple[int, int], set[int]] = {}
    cls_of = dict(zip(ds.image_ids.tolist(), ds.labels.tolist(), strict=True))
    for line in lines:
        i, a, p = (int(f) for f in line.split()[:3])
        if p:
            present.setdefault((cls_of[i], a - 1), set()).add(i)
    expect = np.zeros((3, 312))
    for (k, a), imgs in present.items():
        expect[k, a] = 100.0 * len(imgs) / np.sum(ds.labels == k)
    np.testing.assert_allclose(ds.class_attributes, expect)


def test_class_attribute_file_fallback(tiny: Path):
    (tiny / "CUB_200_2011" / IMAGE_ATTRIBUTE_LABELS).unlink()
    ds = load_cub(tiny)
    assert ds.attribute_source == CLASS_ATTRIBUTE_LABELS
    full = np.loadtxt(tiny / "CUB_200_2011" / CLASS_ATTRIBUTE_LABELS)
    np.testing.assert_array_equal(ds.class_attributes, full[[1, 4, 6]])  # rows of ids 2, 5, 7


def test_subset_selection():
    full = load_cub(FIXTURE)
    ds = load_cub(FIXTURE, classes=[7, 2])
    np.testing.assert_array_equal(ds.class_ids, [2, 7])
    np.testing.assert_array_equal(ds.image_ids, [1, 3, 9, 11])
    np.testing.assert_array_equal(ds.labels, [1, 0, 1, 0])
    np.testing.assert_array_equal(ds.class_attributes, full.class_attributes[[0, 2]])
    np.testing.assert_array_equal(ds.parts, full.parts[[0, 1, 4, 5]])


@pytest.mark.parametrize("classes, match", [([3], "no image"), ([99], "not listed"), ([], "empty")])
def test_bad_subset(classes, match):
    with pytest.raises(DataError, match=match):
        load_cub(FIXTURE, classes=classes)


def test_arrays_are_read_only():
    ds = load_cub(FIXTURE)
    with pytest.raises(ValueError):
        ds.parts[0, 0, 0] = 1.0


def test_optional_files(tiny: Path):
    (tiny / "CUB_200_2011" / "bounding_boxes.txt").unlink()
    (tiny / "CUB_200_2011" / "parts" / "parts.txt").unlink()
    ds = load_cub(tiny)
    assert np.isnan(ds.boxes).all() and ds.boxes.shape == (6, 4)


@pytest.mark.parametrize(
    "rel",
    [
        "CUB_200_2011/images.txt",
        "CUB_200_2011/image_class_labels.txt",
        "CUB_200_2011/train_test_split.txt",
        "CUB_200_2011/classes.txt",
        "CUB_200_2011/parts/part_locs.txt",
        "attributes.txt",
    ],
)
def test_missing_required_file_is_named(tiny: Path, rel: str):
    (tiny / rel).unlink()
    with pytest.raises(DataError, match=Path(rel).name.replace(".", r"\.")):
        load_cub(tiny)


def test_missing_attribute_labels_names_both_sources(tiny: Path):
    (tiny / "CUB_200_2011" / IMAGE_ATTRIBUTE_LABELS).unlink()
    (tiny / "CUB_200_2011" / CLASS_ATTRIBUTE_LABELS).unlink()
    with pytest.raises(DataError) as err:
        load_cub(tiny)
    assert "image_attribute_labels.txt" in str(err.value)
    assert "class_attribute_labels_continuous.txt" in str(err.value)


def _edit_line(path: Path, lineno: int, text: str) -> None:
    lines = path.read_text().splitlines()
    lines[lineno - 1] = text
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    "rel, lineno, text, where",
    [
        ("train_test_split.txt", 3, "7 x", "train_test_split.txt:3"),
        ("train_test_split.txt", 2, "3 2", "train_test_split.txt:2"),
        ("parts/part_locs.txt", 5, "11 11 1.0", "part_locs.txt:5"),
        ("parts/part_locs.txt", 6, "11 16 1.0 2.0 1", "part_locs.txt:6"),
        ("bounding_boxes.txt", 2, "3 1.0 2.0 3.0 4.0 5.0", "bounding_boxes.txt:2"),
        ("image_class_labels.txt", 4, "4 9", "image_class_labels.txt:4"),
        ("images.txt", 2, "three 002.Beta_Gull/x.jpg", "images.txt:2"),
        ("train_test_split.txt", 4, "3 1", "train_test_split.txt:4"),  # duplicate id 3
        (IMAGE_ATTRIBUTE_LABELS, 7, "1 7 1", "image_attribute_labels.txt:7"),
    ],
)
def test_malformed_line_names_file_and_line(tiny: Path, rel, lineno, text, where):
    _edit_line(tiny / "CUB_200_2011" / rel, lineno, text)
    with pytest.raises(DataError, match=where.replace(".", r"\.")):
        load_cub(tiny)


def test_missing_row_for_an_image_is_named(tiny: Path):
    path = tiny / "CUB_200_2011" / "parts" / "part_locs.txt"
    lines = [x for x in path.read_text().splitlines() if not x.startswith("7 3 ")]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"part_locs\.txt.*image id\(s\) \[7\]"):
        load_cub(tiny)


def test_prepare_maps_points_with_the_image(tmp_path: Path):
    ds = load_cub(FIXTURE)
    t = ResizeCrop(16, 12)
    out = prepare(ds, t, indices=[1, 3], progress=False)
    assert out["images"].shape == (2, 3, 12, 12) and out["images"].dtype == np.uint8
    np.testing.assert_array_equal(out["image_ids"], [3, 7])
    np.testing.assert_array_equal(out["labels"], [0, 1])
    np.testing.assert_array_equal(out["orig_size"], [[12, 8], [8, 12]])
    # image 3 is 12x8 -> 24x16, left = 6, top = 2: back (3, 5) -> (0, 8)
    np.testing.assert_allclose(out["parts"][0, 0], [0.0, 8.0, 1.0])
    np.testing.assert_allclose(out["parts_released"][0, 0], [3 * 12 / 12, 5 * 12 / 8, 1.0])
    np.testing.assert_allclose(out["boxes"][0], [0.0, 2.0, 12.0, 10.0])
    ref = t.apply_image(Image.open(ds.image_path(1)).convert("RGB"))
    np.testing.assert_array_equal(out["images"][0], np.asarray(ref).transpose(2, 0, 1))


# ---- real data (cub_mini) --------------------------------------------------------------------------


def test_cub_mini_counts_and_class_attributes(cub_mini: Path):
    ds = load_cub(cub_mini)
    assert len(ds) == 659 and ds.n_classes == 12
    np.testing.assert_array_equal(ds.class_ids, np.arange(1, 13))
    np.testing.assert_array_equal(ds.image_ids, np.arange(1, 660))
    assert ds.display_name(0) == "Black footed Albatross"
    assert ds.attribute_source == CLASS_ATTRIBUTE_LABELS
    full = np.loadtxt(ds.root / CLASS_ATTRIBUTE_LABELS)
    assert full.shape == (200, 312)
    np.testing.assert_allclose(ds.class_attributes, full[:12], rtol=0, atol=1e-12)
    raw = np.loadtxt(ds.root / "image_class_labels.txt", dtype=np.int64)
    np.testing.assert_array_equal(np.bincount(ds.labels), np.bincount(raw[:, 1])[1:])


def test_cub_mini_part_visibility_consistent(cub_mini: Path):
    ds = load_cub(cub_mini)
    raw = np.loadtxt(ds.root / "parts" / "part_locs.txt")
    assert len(raw) == 659 * 15
    per_part = np.bincount(raw[:, 1].astype(int) - 1, weights=raw[:, 4], minlength=15)
    np.testing.assert_array_equal(ds.parts[..., 2].sum(axis=0), per_part)
    hidden = ds.parts[..., 2] == 0
    assert not ds.parts[hidden][:, :2].any()
    sizes = np.array([Image.open(ds.image_path(i)).size for i in range(0, 659, 7)])
    pts = ds.parts[::7]
    vis = pts[..., 2] == 1
    assert (pts[..., 0][vis] <= np.repeat(sizes[:, :1], 15, 1)[vis]).all()
    assert (pts[..., 1][vis] <= np.repeat(sizes[:, 1:], 15, 1)[vis]).all()


def test_cub_mini_subset(cub_mini: Path):
    ds = load_cub(cub_mini / "CUB_200_2011", classes=[12, 1])
    np.testing.assert_array_equal(ds.class_ids, [1, 12])
    assert set(np.unique(ds.labels)) == {0, 1}
    assert ds.class_names[1] == "012.Yellow_headed_Blackbird"
