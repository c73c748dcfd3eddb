"""ImageNet validation images in the usual layout, for the paper's setting (torchvision VGG16 and
ResNet-50 weights):

    <root>/LOC_synset_mapping.txt      one "wnid description" line per class, in torchvision's
                                        class-index order (line k = class k)
    <root>/val/<wnid>/<stem>.JPEG      the validation images sorted into class folders
    <root>/bboxes/val/<stem>.xml       PASCAL-VOC boxes of ILSVRC2012_bbox_val (optional)

Images go through the same resize + centre crop as the main chain (delex.datasets.geometry) and so do
their boxes; the pointing game uses the first box of the image's own class (NaN if none).
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
from PIL import Image

from delex.datasets.geometry import ResizeCrop
from delex.errors import DataError

EXTENSIONS = (".jpeg", ".jpg", ".png")


def read_synsets(path: Path) -> list[str]:
    """wnids in class-index order from LOC_synset_mapping.txt."""
    if not path.is_file():
        raise DataError(f"{path}: the synset mapping (wnid per class index) is missing")
    wnids = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        wnid = line.split()[0]
        if not (wnid.startswith("n") and wnid[1:].isdigit()):
            raise DataError(f"{path}:{n}: expected a WordNet id like n01440764, got {wnid!r}")
        wnids.append(wnid)
    if len(set(wnids)) != len(wnids):
        raise DataError(f"{path}: a wnid is listed twice")
    return wnids


def read_box(path: Path, wnid: str) -> np.ndarray:
    """(4,) x, y, w, h of the first object of class wnid in a PASCAL-VOC xml; NaN if none."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DataError(f"{path}: not a valid annotation xml ({exc})") from exc
    for obj in root.iter("object"):
        if obj.findtext("name") != wnid:
            continue
        bb = obj.find("bndbox")
        try:
            x0, y0, x1, y1 = (float(bb.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax"))
        except (AttributeError, TypeError, ValueError) as exc:
            raise DataError(f"{path}: object {wnid} has no numeric bndbox") from exc
        return np.array([x0, y0, x1 - x0, y1 - y0])
    return np.full(4, np.nan)


def list_images(root: str | os.PathLike) -> list[tuple[Path, int, str]]:
    """(path, class index, wnid) of every validation image, sorted by path."""
    root = Path(root)
    wnids = read_synsets(root / "LOC_synset_mapping.txt")
    index = {w: k for k, w in enumerate(wnids)}
    val = root / "val"
    if not val.is_dir():
        raise DataError(f"{val}: the folder of validation images (val/<wnid>/...) is missing")
    out = []
    for folder in sorted(p for p in val.iterdir() if p.is_dir()):
        if folder.name not in index:
            raise DataError(f"{folder}: folder {folder.name!r} is not a wnid of LOC_synset_mapping.txt")
        out += [
            (f, index[folder.name], folder.name)
            for f in sorted(folder.iterdir())
            if f.suffix.lower() in EXTENSIONS
        ]
    if not out:
        raise DataError(f"{val}: no images found")
    return out


def load_imagenet_val(root: str | os.PathLike, transform: ResizeCrop, n: int | None = None, seed: int = 0):
    """The arrays of delex.datasets.prepare (images uint8 (N, 3, S, S), labels, boxes, is_train all
    False, image names) for n images drawn with a seeded generator (all when n is None)."""
    items = list_images(root)
    if n is not None:
        if n > len(items):
            raise DataError(f"{root}: {n} images requested, {len(items)} found")
        keep = np.sort(np.random.default_rng(seed).choice(len(items), n, replace=False))
        items = [items[i] for i in keep]
    s = transform.crop
    images = np.empty((len(items), 3, s, s), dtype=np.uint8)
    boxes = np.full((len(items), 4), np.nan)
    for k, (path, _, wnid) in enumerate(items):
        with Image.open(path) as im:
            img = im.convert("RGB")
        images[k] = np.asarray(transform.apply_image(img), dtype=np.uint8).transpose(2, 0, 1)
        xml = Path(root) / "bboxes" / "val" / f"{path.stem}.xml"
        if xml.is_file():
            boxes[k] = transform.apply_boxes(read_box(xml, wnid)[None], *img.size)[0]
    return {
        "images": images,
        "labels": np.array([c for _, c, _ in items], dtype=np.int64),
        "is_train": np.zeros(len(items), dtype=bool),
        "boxes": boxes,
        "image_names": np.array([p.name for p, _, _ in items]),
    }
