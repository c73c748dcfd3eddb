"""Loader of the CUB_200_2011 folder layout (official download, cub_mini, the synthetic twin).

Every id file is parsed vectorised (pandas) with a line-by-line fallback that only runs to name the
exact ``file:line`` of a malformed line. Classes are relabelled 0..K-1 over the classes present.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

from delex.errors import DataError
from delex.parts import N_ATTRIBUTES, N_PARTS, PART_NAMES

IMAGE_ATTRIBUTE_LABELS = "attributes/image_attribute_labels.txt"
CLASS_ATTRIBUTE_LABELS = "attributes/class_attribute_labels_continuous.txt"


@dataclass(frozen=True, eq=False)
class CubDataset:
    """A loaded CUB-layout dataset: per-image arrays (sorted by image id) and per-class attributes.

    Arrays are read-only; labels are 0-based and contiguous over the classes present (sorted by id).
    """

    root: Path
    image_ids: np.ndarray
    paths: tuple[str, ...]
    labels: np.ndarray
    class_ids: np.ndarray
    class_names: tuple[str, ...]
    is_train: np.ndarray
    boxes: np.ndarray
    parts: np.ndarray
    attribute_names: tuple[str, ...]
    class_attributes: np.ndarray
    attribute_source: str

    def __len__(self) -> int:
        return len(self.image_ids)

    @property
    def n_classes(self) -> int:
        """Number of classes present (K)."""
        return len(self.class_ids)

    def image_path(self, i: int) -> Path:
        """Absolute path of image `i` (row index, not the original image id)."""
        return self.root / "images" / self.paths[i]

    def display_name(self, k: int) -> str:
        """Human-readable name of class `k`: '001.Black_footed_Albatross' -> 'Black footed Albatross'."""
        name = self.class_names[k]
        head, sep, tail = name.partition(".")
        if sep and head.isdigit():
            name = tail
        return name.replace("_", " ")


def load_image(ds: CubDataset, i: int) -> Image.Image:
    """Read image `i` of `ds` as an RGB PIL image (CUB holds a few grayscale/CMYK JPEGs)."""
    path = ds.image_path(i)
    if not path.is_file():
        raise DataError(f"{path}: image file listed in images.txt is missing")
    with Image.open(path) as im:
        return im.convert("RGB")


def load_cub(root: str | os.PathLike, classes: Sequence[int] | None = None) -> CubDataset:
    """Load a CUB_200_2011 folder (or its parent); `classes` keeps a subset of original class ids."""
    root = resolve_root(root)
    image_ids, paths, _ = _read_id_text(_require(root / "images.txt", "the image list"), "image")
    if len(image_ids) == 0:
        raise DataError(f"{root / 'images.txt'}: lists no image")
    order = np.argsort(image_ids, kind="stable")
    image_ids, paths = image_ids[order], [paths[j] for j in order]

    class_table_ids, class_table_names, _ = _read_id_text(
        _require(root / "classes.txt", "the class names"), "class"
    )
    image_class = _image_classes(root, image_ids, class_table_ids)
    class_ids = _select_classes(image_class, class_table_ids, classes, root / "classes.txt")
    keep = np.isin(image_class, class_ids)
    image_ids, image_class = image_ids[keep], image_class[keep]
    paths = [p for p, k in zip(paths, keep, strict=True) if k]
    labels = np.searchsorted(class_ids, image_class).astype(np.int64)
    name_of = dict(zip(class_table_ids.tolist(), class_table_names, strict=True))

    attribute_names = _read_attribute_names(_find_attribute_names(root))
    class_attributes, source = _class_attributes(root, image_ids, labels, class_ids)
    return CubDataset(
        root=root,
        image_ids=_ro(image_ids),
        paths=tuple(paths),
        labels=_ro(labels),
        class_ids=_ro(class_ids),
        class_names=tuple(name_of[int(c)] for c in class_ids),
        is_train=_ro(_read_split(root, image_ids)),
        boxes=_ro(_read_boxes(root, image_ids)),
        parts=_ro(_read_parts(root, image_ids)),
        attribute_names=attribute_names,
        class_attributes=_ro(class_attributes),
        attribute_source=source,
    )


def resolve_root(root: str | os.PathLike) -> Path:
    """The CUB_200_2011 folder: `root` itself when it holds images.txt, else root/CUB_200_2011."""
    root = Path(root)
    for cand in (root, root / "CUB_200_2011"):
        if (cand / "images.txt").is_file():
            return cand
    raise DataError(
        f"{root}: no CUB_200_2011 layout here (images.txt, the image list, is in neither "
        f"{root} nor {root / 'CUB_200_2011'})"
    )


# --------------------------------------------------------------------------------------------------
# per-file readers


def _image_classes(root: Path, image_ids: np.ndarray, class_table_ids: np.ndarray) -> np.ndarray:
    """Original class id of every image, checked against classes.txt."""
    path = _require(root / "image_class_labels.txt", "the class of each image")
    values, lines = _read_numeric(path, 2, "<image_id> <class_id>")
    ids = _as_int(values, lines, path)
    rows = _lookup(image_ids, ids[:, 0], lines, path, "class label")
    cls, cls_lines = ids[rows, 1], lines[rows]
    unknown = ~np.isin(cls, class_table_ids)
    if unknown.any():
        j = int(np.flatnonzero(unknown)[0])
        raise DataError(f"{path}:{cls_lines[j]}: class id {cls[j]} is not listed in classes.txt")
    return cls


def _select_classes(
    image_class: np.ndarray, table_ids: np.ndarray, classes: Iterable[int] | None, path: Path
) -> np.ndarray:
    """Sorted original ids of the classes kept: those with images, optionally a requested subset."""
    present = np.unique(image_class)
    if classes is None:
        return present.astype(np.int64)
    wanted = np.unique(np.asarray(list(classes), dtype=np.int64))
    if wanted.size == 0:
        raise DataError(f"{path}: empty class subset requested")
    unknown = wanted[~np.isin(wanted, table_ids)]
    if unknown.size:
        raise DataError(f"{path}: requested class id(s) {unknown.tolist()} are not listed")
    empty = wanted[~np.isin(wanted, present)]
    if empty.size:
        raise DataError(f"{path.parent / 'images.txt'}: requested class id(s) {empty.tolist()} have no image")
    return wanted


def _read_split(root: Path, image_ids: np.ndarray) -> np.ndarray:
    """(N,) bool is_train in image order."""
    path = _require(root / "train_test_split.txt", "the train/test split")
    values, lines = _read_numeric(path, 2, "<image_id> <is_training_image>")
    ids = _as_int(values, lines, path)
    _check_binary(ids[:, 1], lines, path, "is_training_image")
    return ids[_lookup(image_ids, ids[:, 0], lines, path, "train/test flag"), 1].astype(bool)


def _read_boxes(root: Path, image_ids: np.ndarray) -> np.ndarray:
    """Boxes x, y, w, h in pixels; NaN when the optional bounding_boxes.txt is absent."""
    path = root / "bounding_boxes.txt"
    if not path.is_file():
        return np.full((len(image_ids), 4), np.nan)
    values, lines = _read_numeric(path, 5, "<image_id> <x> <y> <width> <height>")
    ids = _as_int(values[:, :1], lines, path)[:, 0]
    return values[_lookup(image_ids, ids, lines, path, "bounding box"), 1:].copy()


def _read_parts(root: Path, image_ids: np.ndarray) -> np.ndarray:
    """(N, 15, 3) part points x, y, visible; invisible parts get x = y = 0."""
    _check_part_names(root / "parts" / "parts.txt")
    path = _require(root / "parts" / "part_locs.txt", "the part locations")
    values, lines = _read_numeric(path, 5, "<image_id> <part_id> <x> <y> <visible>")
    ids = _as_int(values[:, [0, 1, 4]], lines, path)
    bad = (ids[:, 1] < 1) | (ids[:, 1] > N_PARTS)
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        raise DataError(f"{path}:{lines[j]}: part id {ids[j, 1]} outside 1..{N_PARTS}")
    _check_binary(ids[:, 2], lines, path, "visible")
    key = ids[:, 0] * (N_PARTS + 1) + ids[:, 1]
    want = (image_ids[:, None] * (N_PARTS + 1) + np.arange(1, N_PARTS + 1)[None, :]).ravel()
    rows = _lookup(want, key, lines, path, "part location", key_name="image*16+part key")
    parts = np.empty((len(image_ids) * N_PARTS, 3))
    parts[:, :2] = values[rows, 2:4]
    parts[:, 2] = ids[rows, 2]
    parts[parts[:, 2] == 0, :2] = 0.0
    return parts.reshape(len(image_ids), N_PARTS, 3)


def _check_part_names(path: Path) -> None:
    """The optional parts.txt must list CUB's 15 parts in CUB order."""
    if not path.is_file():
        return
    ids, names, lines = _read_id_text(path, "part")
    got = [n.strip().lower() for _, n in sorted(zip(ids.tolist(), names, strict=True))]
    if got != list(PART_NAMES):
        raise DataError(f"{path}: expected the 15 CUB parts {list(PART_NAMES)}, got {got}")


def _find_attribute_names(root: Path) -> Path:
    """attributes.txt beside the folder (official), inside it, or in attributes/."""
    cands = [root / "attributes.txt", root.parent / "attributes.txt", root / "attributes/attributes.txt"]
    for c in cands:
        if c.is_file():
            return c
    raise DataError(
        "missing attributes.txt (the 312 attribute names); looked in " + ", ".join(map(str, cands))
    )


def _read_attribute_names(path: Path) -> tuple[str, ...]:
    """The 312 names ordered by attribute id."""
    ids, names, _ = _read_id_text(path, "attribute")
    if sorted(ids.tolist()) != list(range(1, N_ATTRIBUTES + 1)):
        raise DataError(f"{path}: expected attribute ids 1..{N_ATTRIBUTES}, got {len(ids)} ids")
    order = np.argsort(ids)
    return tuple(names[j].strip() for j in order)


def _class_attributes(
    root: Path, image_ids: np.ndarray, labels: np.ndarray, class_ids: np.ndarray
) -> tuple[np.ndarray, str]:
    """(K, 312) percentages: from image-level labels when present, else the class-level file."""
    img_path = root / IMAGE_ATTRIBUTE_LABELS
    if img_path.is_file():
        return _from_image_labels(img_path, image_ids, labels, len(class_ids)), IMAGE_ATTRIBUTE_LABELS
    cls_path = root / CLASS_ATTRIBUTE_LABELS
    if cls_path.is_file():
        return _from_class_file(cls_path, class_ids), CLASS_ATTRIBUTE_LABELS
    raise DataError(
        f"missing attribute labels: neither {img_path} nor {cls_path} exists "
        "(one is needed for the per-part attribute distributions)"
    )


def _from_image_labels(path: Path, image_ids: np.ndarray, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Percent of each class's images with is_present = 1 (first 4 fields; extra fields tolerated)."""
    values, lines = _read_numeric(
        path, 4, "<image_id> <attribute_id> <is_present> <certainty_id> [<time>]", extra_ok=True
    )
    ids = _as_int(values[:, :3], lines, path)
    bad = (ids[:, 1] < 1) | (ids[:, 1] > N_ATTRIBUTES)
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        raise DataError(f"{path}:{lines[j]}: attribute id {ids[j, 1]} outside 1..{N_ATTRIBUTES}")
    _check_binary(ids[:, 2], lines, path, "is_present")
    pos = np.minimum(np.searchsorted(image_ids, ids[:, 0]), len(image_ids) - 1)
    ours = (ids[:, 2] == 1) & (image_ids[pos] == ids[:, 0])  # present, and an image we keep
    pairs = np.unique(pos[ours] * N_ATTRIBUTES + (ids[ours, 1] - 1))
    cls, attr = labels[pairs // N_ATTRIBUTES], pairs % N_ATTRIBUTES
    counts = np.bincount(cls * N_ATTRIBUTES + attr, minlength=n_classes * N_ATTRIBUTES)
    n_images = np.bincount(labels, minlength=n_classes).astype(np.float64)
    return 100.0 * counts.reshape(n_classes, N_ATTRIBUTES) / n_images[:, None]


def _from_class_file(path: Path, class_ids: np.ndarray) -> np.ndarray:
    """Rows of class_attribute_labels_continuous.txt for the classes present (row i = class id i)."""
    values, lines = _read_numeric(path, N_ATTRIBUTES, f"{N_ATTRIBUTES} percentages")
    if len(values) < class_ids.max():
        raise DataError(f"{path}: {len(values)} rows, but class id {class_ids.max()} needs a row")
    bad = (values < 0) | (values > 100)
    if bad.any():
        j = int(np.flatnonzero(bad.any(axis=1))[0])
        raise DataError(f"{path}:{lines[j]}: percentage outside 0..100")
    return values[class_ids - 1].copy()


# --------------------------------------------------------------------------------------------------
# generic parsing helpers


def _require(path: Path, purpose: str) -> Path:
    """`path` if it is a file, else a DataError naming it and what it is for."""
    if not path.is_file():
        raise DataError(f"missing required file {path} ({purpose})")
    return path


def _read_text(path: Path) -> str:
    """File text with CRLF and stray CR normalised to LF."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"{path}: not UTF-8 text ({e})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_id_text(path: Path, what: str) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Parse '<id> <text>' lines (small files): ids, texts and 1-based line numbers; ids unique."""
    ids, texts, lines = [], [], []
    for n, line in enumerate(_read_text(path).split("\n"), start=1):
        fields = line.strip().split(maxsplit=1)
        if not fields:
            continue
        if len(fields) < 2 or not _is_int(fields[0]):
            raise DataError(f"{path}:{n}: expected '<{what}_id> <name>', got {line!r}")
        ids.append(int(fields[0]))
        texts.append(fields[1].strip())
        lines.append(n)
    ids_a, lines_a = np.asarray(ids, dtype=np.int64), np.asarray(lines, dtype=np.int64)
    _check_unique(ids_a, lines_a, path, f"{what} id")
    return ids_a, texts, lines_a


def _read_numeric(path: Path, ncols: int, fmt: str, extra_ok: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(n, ncols) float64 rows and their 1-based line numbers; blank lines skipped.

    Lines with more than `ncols` fields are an error unless `extra_ok` (then extras are ignored).
    """
    text = _read_text(path)
    fast = _read_numeric_fast(text, ncols, extra_ok)
    if fast is not None:
        return fast
    return _read_numeric_slow(text, ncols, fmt, extra_ok, path)


def _read_numeric_fast(text: str, ncols: int, extra_ok: bool) -> tuple[np.ndarray, np.ndarray] | None:
    """Vectorised parse; None when anything looks off (the slow path then names the bad line)."""
    spare = 3 if extra_ok else 1
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=r"\s+",
            header=None,
            names=list(range(ncols + spare)),
            dtype=np.float64,
            skip_blank_lines=False,
            engine="c",
        )
    except (ValueError, pd.errors.ParserError):
        return None
    values = frame.to_numpy()
    blank = np.isnan(values).all(axis=1)
    need = values[~blank, :ncols]
    if not np.isfinite(need).all():
        return None
    if not extra_ok and not np.isnan(values[~blank, ncols:]).all():
        return None
    return np.ascontiguousarray(need), np.flatnonzero(~blank).astype(np.int64) + 1


def _read_numeric_slow(
    text: str, ncols: int, fmt: str, extra_ok: bool, path: Path
) -> tuple[np.ndarray, np.ndarray]:
    """Line-by-line parse that names the first malformed line."""
    rows, lines = [], []
    for n, line in enumerate(text.split("\n"), start=1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) < ncols or (len(fields) > ncols and not extra_ok):
            raise DataError(f"{path}:{n}: expected {fmt}, got {len(fields)} fields: {line[:80]!r}")
        try:
            row = [float(f) for f in fields[:ncols]]
        except ValueError:
            raise DataError(f"{path}:{n}: non-numeric field, expected {fmt}: {line[:80]!r}") from None
        if not all(math.isfinite(v) for v in row):
            raise DataError(f"{path}:{n}: non-finite number, expected {fmt}: {line[:80]!r}")
        rows.append(row)
        lines.append(n)
    return np.asarray(rows, dtype=np.float64).reshape(-1, ncols), np.asarray(lines, dtype=np.int64)


def _as_int(values: np.ndarray, lines: np.ndarray, path: Path) -> np.ndarray:
    """Integer view of id/flag columns; a non-integral value names its line."""
    bad = values != np.round(values)
    if bad.any():
        j = int(np.flatnonzero(bad.any(axis=1))[0])
        raise DataError(f"{path}:{lines[j]}: expected an integer id/flag, got {values[j].tolist()}")
    return values.astype(np.int64)


def _check_binary(col: np.ndarray, lines: np.ndarray, path: Path, name: str) -> None:
    """Flags must be 0 or 1; the first offending line is named."""
    bad = (col != 0) & (col != 1)
    if bad.any():
        j = int(np.flatnonzero(bad)[0])
        raise DataError(f"{path}:{lines[j]}: {name} must be 0 or 1, got {col[j]}")


def _check_unique(ids: np.ndarray, lines: np.ndarray, path: Path, name: str) -> None:
    """Ids must be unique; the line of the first repeat is named."""
    order = np.argsort(ids, kind="stable")
    dup = np.flatnonzero(ids[order][1:] == ids[order][:-1])
    if dup.size:
        j = order[dup[0] + 1]
        raise DataError(f"{path}:{lines[j]}: duplicate {name} {ids[j]}")


def _lookup(
    wanted: np.ndarray,
    ids: np.ndarray,
    lines: np.ndarray,
    path: Path,
    what: str,
    key_name: str = "image id",
) -> np.ndarray:
    """Row index in the file of each wanted id; duplicates and missing ids are errors."""
    _check_unique(ids, lines, path, key_name)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    pos = np.clip(np.searchsorted(sorted_ids, wanted), 0, max(len(ids) - 1, 0))
    found = sorted_ids[pos] == wanted if len(ids) else np.zeros(len(wanted), bool)
    if not found.all():
        missing = wanted[~found]
        if key_name != "image id":
            missing = np.unique(missing // (N_PARTS + 1))
        raise DataError(
            f"{path}: no {what} for image id(s) {missing[:5].tolist()}"
            + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        )
    return order[pos]


def _is_int(s: str) -> bool:
    try:
        int(s)
    except ValueError:
        return False
    return True


def _ro(a: np.ndarray) -> np.ndarray:
    """Contiguous read-only array (the dataset is immutable)."""
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a
