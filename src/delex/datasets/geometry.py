"""Resize + centre-crop of images and the *same* mapping for points, boxes and label masks.

Coordinates are continuous pixels with (0, 0) the top-left corner of the top-left pixel, so a PIL
resize by a factor s maps x -> x * s exactly; the crop then subtracts (left, top).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class ResizeCrop:
    """Shorter side resized to `resize` (aspect kept), then a centre crop of `crop` x `crop`."""

    resize: int
    crop: int

    def __post_init__(self) -> None:
        if self.resize < 1 or self.crop < 1 or self.crop > self.resize:
            raise ValueError(f"need 1 <= crop <= resize, got resize={self.resize}, crop={self.crop}")

    def resized_size(self, width: int, height: int) -> tuple[int, int]:
        """(new_w, new_h) of the resized image: round(side * resize / shorter side)."""
        s = self.resize / min(width, height)
        return max(self.resize, round(width * s)), max(self.resize, round(height * s))

    def params(self, width: int, height: int) -> tuple[float, float, int, int]:
        """(scale_x, scale_y, left, top): x' = x * scale_x - left, y' = y * scale_y - top."""
        new_w, new_h = self.resized_size(width, height)
        return new_w / width, new_h / height, (new_w - self.crop) // 2, (new_h - self.crop) // 2

    def apply_image(self, img: Image.Image) -> Image.Image:
        """Bilinear resize (PIL) then centre crop; the exact geometry of `params`."""
        new_w, new_h = self.resized_size(*img.size)
        _, _, left, top = self.params(*img.size)
        out = img.resize((new_w, new_h), Image.Resampling.BILINEAR)
        return out.crop((left, top, left + self.crop, top + self.crop))

    def apply_points(self, parts: np.ndarray, width: int, height: int) -> np.ndarray:
        """Map (..., 3) x, y, visible; points leaving [0, crop) or already invisible -> (0, 0, 0)."""
        sx, sy, left, top = self.params(width, height)
        return _map_points(parts, sx, sy, left, top, self.crop, self.crop)

    def apply_boxes(self, boxes: np.ndarray, width: int, height: int) -> np.ndarray:
        """Map (N, 4) x, y, w, h boxes and clip them to the crop (NaN boxes stay NaN)."""
        sx, sy, left, top = self.params(width, height)
        b = np.asarray(boxes, dtype=np.float64)
        x0 = np.clip(b[..., 0] * sx - left, 0, self.crop)
        y0 = np.clip(b[..., 1] * sy - top, 0, self.crop)
        x1 = np.clip((b[..., 0] + b[..., 2]) * sx - left, 0, self.crop)
        y1 = np.clip((b[..., 1] + b[..., 3]) * sy - top, 0, self.crop)
        return np.stack([x0, y0, x1 - x0, y1 - y0], axis=-1)

    def apply_mask(self, mask: np.ndarray) -> np.ndarray:
        """Nearest-neighbour (H, W) label mask -> (crop, crop): each output pixel centre is pulled
        back through the same geometry and reads the source pixel it falls in."""
        h, w = mask.shape
        sx, sy, left, top = self.params(w, h)
        centres = np.arange(self.crop) + 0.5
        xs = np.clip(np.floor((centres + left) / sx).astype(np.int64), 0, w - 1)
        ys = np.clip(np.floor((centres + top) / sy).astype(np.int64), 0, h - 1)
        return mask[ys[:, None], xs[None, :]]


def squash_points(parts: np.ndarray, width: int, height: int, size: int) -> np.ndarray:
    """The authors' released mapping x * size / w, y * size / h (as if the image were squashed)."""
    return _map_points(parts, size / width, size / height, 0, 0, size, size)


def translate(images: np.ndarray, parts: np.ndarray, dx: int, dy: int) -> tuple[np.ndarray, np.ndarray]:
    """Shift (N, C, H, W) images and their (N, P, 3) points by (dx, dy) pixels (right/down positive).

    Uncovered borders repeat the edge pixels; points leaving the image become invisible (0, 0, 0).
    """
    h, w = images.shape[-2:]
    ys = np.clip(np.arange(h) - dy, 0, h - 1)
    xs = np.clip(np.arange(w) - dx, 0, w - 1)
    shifted = images[..., ys[:, None], xs[None, :]]
    return shifted, _map_points(parts, 1.0, 1.0, -dx, -dy, w, h)


def _map_points(
    parts: np.ndarray, sx: float, sy: float, left: float, top: float, width: int, height: int
) -> np.ndarray:
    """x' = x * sx - left, y' = y * sy - top; visible only if visible before and inside the frame."""
    p = np.asarray(parts, dtype=np.float64)
    x = p[..., 0] * sx - left
    y = p[..., 1] * sy - top
    vis = (p[..., 2] > 0) & (x >= 0) & (x < width) & (y >= 0) & (y < height)
    out = np.stack([np.where(vis, x, 0.0), np.where(vis, y, 0.0), vis.astype(np.float64)], axis=-1)
    return out


def reshape_mask(mask: np.ndarray, size: int) -> np.ndarray:
    """The authors' released "resize" of an ADE annotation: numpy's resize of the raster-order pixels
    into (size, size) (the first size*size labels, repeated when short), not a geometric mapping."""
    return np.resize(np.asarray(mask), (size, size))
