"""Loader of the ADEChallengeData2016 layout (official download, ade_sample, the synthetic twin).

Layout: images/{training,validation}/<id>.jpg, annotations/{training,validation}/<id>.png (8-bit,
pixel value = object index 1..150 of objectInfo150.csv, 0 = unlabelled), sceneCategories.txt
('<id> <scene>' per line) and objectInfo150.csv. Scene classes are the scenes of the *training* ids
in sceneCategories.txt (sorted by name, relabelled 0..C-1); images of other scenes are left out.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from PIL import Image

from delex.errors import DataError

N_OBJECTS = 150
SPLITS = ("training", "validation")
FOLDER = "ADEChallengeData2016"


@dataclass(frozen=True, eq=False)
class AdeDataset:
    """A loaded ADE-layout dataset: per-image arrays sorted by (split, id), and the scene classes."""

    root: Path
    image_ids: tuple[str, ...]
    splits: tuple[str, ...]
    labels: np.ndarray
    class_names: tuple[str, ...]
    object_names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.image_ids)

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def is_train(self) -> np.ndarray:
        return np.array([s == "training" for s in self.splits], dtype=bool)

    def image_path(self, i: int) -> Path:
        return self.root / "images" / self.splits[i] / f"{self.image_ids[i]}.jpg"

    def annotation_path(self, i: int) -> Path:
        return self.root / "annotations" / self.splits[i] / f"{self.image_ids[i]}.png"


def short_name(name: str) -> str:
    """'windowpane;window' -> 'windowpane' (ADE lists synonyms separated by ';')."""
    return name.split(";")[0]


def packaged_object_table() -> list[tuple[int, int, str]]:
    """(index, stuff flag, name) of ADE's 150 objects, from the copy shipped with the package."""
    text = resources.files("delex").joinpath("data/ade_objects150.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    return [(int(r["Idx"]), int(r["Stuff"]), r["Name"]) for r in rows]


def read_object_info(path: str | os.PathLike) -> tuple[str, ...]:
    """The 150 object names of objectInfo150.csv, in index order; DataError naming file:line."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: objectInfo150.csv is missing")
    with path.open(newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header or "Idx" not in header or "Name" not in header:
            raise DataError(f"{path}:1: header must name the columns Idx and Name, got {header}")
        ci, cn = header.index("Idx"), header.index("Name")
        names: dict[int, str] = {}
        for line, row in enumerate(reader, start=2):
            try:
                idx = int(row[ci])
                name = row[cn]
            except (IndexError, ValueError):
                raise DataError(f"{path}:{line}: malformed row {row}") from None
            if not 1 <= idx <= N_OBJECTS or idx in names:
                raise DataError(f"{path}:{line}: object index {idx} outside 1..{N_OBJECTS} or repeated")
            names[idx] = name
    if len(names) != N_OBJECTS:
        raise DataError(f"{path}: {len(names)} objects, expected {N_OBJECTS}")
    return tuple(names[i] for i in range(1, N_OBJECTS + 1))


def read_scene_categories(path: str | os.PathLike) -> dict[str, str]:
    """{image id: scene} from sceneCategories.txt; DataError naming file:line on a malformed line."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: sceneCategories.txt is missing")
    out: dict[str, str] = {}
    for line, text in enumerate(path.read_text().splitlines(), start=1):
        if not text.strip():
            continue
        parts = text.split()
        if len(parts) != 2:
            raise DataError(f"{path}:{line}: expected '<image id> <scene>', got {text!r}")
        if parts[0] in out:
            raise DataError(f"{path}:{line}: image id {parts[0]} listed twice")
        out[parts[0]] = parts[1]
    return out


def resolve_root(root: str | os.PathLike) -> Path:
    """The ADEChallengeData2016 folder itself, given it or its parent."""
    root = Path(root)
    if (root / FOLDER).is_dir():
        root = root / FOLDER
    if not (root / "sceneCategories.txt").exists() and not (root / "images").is_dir():
        raise DataError(f"{root}: not an {FOLDER} folder (no sceneCategories.txt, no images/)")
    return root


def load_ade(root: str | os.PathLike, scenes: list[str] | None = None) -> AdeDataset:
    """Load an ADEChallengeData2016 folder (or its parent); `scenes` keeps a subset of scene names.

    Every image under images/{training,validation} must be listed in sceneCategories.txt and have
    an annotation PNG; annotations are validated when read (load_annotation).
    """
    root = resolve_root(root)
    objects = read_object_info(root / "objectInfo150.csv")
    scene_of = read_scene_categories(root / "sceneCategories.txt")
    train_scenes = {s for i, s in scene_of.items() if i.startswith("ADE_train_")}
    classes = sorted(train_scenes)
    if scenes is not None:
        missing = sorted(set(scenes) - train_scenes)
        if missing:
            raise DataError(f"{root / 'sceneCategories.txt'}: no training image of scene(s) {missing}")
        classes = sorted(set(scenes))
    if not classes:
        raise DataError(f"{root / 'sceneCategories.txt'}: no training image listed, so no scene classes")
    index = {c: k for k, c in enumerate(classes)}
    ids, splits, labels = [], [], []
    for split in SPLITS:
        folder = root / "images" / split
        for img in sorted(folder.glob("*.jpg")) if folder.is_dir() else []:
            if img.stem not in scene_of:
                raise DataError(f"{img}: image not listed in {root / 'sceneCategories.txt'}")
            if scene_of[img.stem] not in index:
                continue
            ann = root / "annotations" / split / f"{img.stem}.png"
            if not ann.is_file():
                raise DataError(f"{ann}: annotation of {img} is missing")
            ids.append(img.stem)
            splits.append(split)
            labels.append(index[scene_of[img.stem]])
    if not ids:
        raise DataError(f"{root}: no image of the scene classes under images/{{training,validation}}")
    return AdeDataset(
        root=root,
        image_ids=tuple(ids),
        splits=tuple(splits),
        labels=np.asarray(labels, dtype=np.int64),
        class_names=tuple(classes),
        object_names=objects,
    )


def load_image(ds: AdeDataset, i: int) -> Image.Image:
    """Image `i` as RGB (ADE holds a few grayscale JPEGs)."""
    with Image.open(ds.image_path(i)) as im:
        return im.convert("RGB")


def load_annotation(ds: AdeDataset, i: int, size: tuple[int, int] | None = None) -> np.ndarray:
    """(H, W) uint8 object indices of image `i`, checked: 8-bit single channel, the image's size
    (`size` = (width, height), read from the image when not given) and values <= 150."""
    path = ds.annotation_path(i)
    with Image.open(path) as im:
        if im.mode not in ("L", "P"):
            raise DataError(f"{path}: annotation must be an 8-bit single-channel PNG, got mode {im.mode}")
        ann = np.asarray(im, dtype=np.uint8)
        ann_size = im.size
    if size is None:
        with Image.open(ds.image_path(i)) as img:
            size = img.size
    if tuple(ann_size) != tuple(size):
        raise DataError(
            f"{path}: annotation is {ann_size[0]}x{ann_size[1]}, its image is {size[0]}x{size[1]}"
        )
    top = int(ann.max()) if ann.size else 0
    if top > N_OBJECTS:
        raise DataError(f"{path}: object index {top} above {N_OBJECTS}")
    return ann


def object_presence(annotation: np.ndarray) -> np.ndarray:
    """(150,) bool: object k+1 has at least one pixel in the annotation."""
    counts = np.bincount(annotation.ravel(), minlength=N_OBJECTS + 1)
    return counts[1 : N_OBJECTS + 1] > 0
