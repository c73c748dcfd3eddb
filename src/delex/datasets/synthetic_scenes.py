"""Synthetic scenes in the exact ADEChallengeData2016 layout: a small twin with known ambiguity.

A scene class is defined by how often each of ADE's objects appears in it (SCENES). Related scenes
share their frequent objects (bedroom and living room: wall, floor, ceiling, window; barnyard and
vegetable garden: earth, grass, tree, fence), so the ambiguity between them sits on known objects,
while a few objects (bed, sofa, animal, plant ...) tell them apart, and are sometimes missing or
borrowed, which keeps the classes confusable. A distinguishing object is frequent (>= 0.3) in one
scene of a related pair and at most borrowed (< 0.3) by the other, so the objects two related scenes
share frequently are the ones the frequency ground truth can select, and nothing else. Every object
looks the same in every scene (STYLE), as the frequency ground truth assumes: a wall is common to
bedroom and kitchen. Objects are textured regions in a plausible layout
(ceiling above wall above floor, furniture standing on the floor; sky above the horizon, ground
below), drawn with PIL ImageDraw into a label image that doubles as the annotation PNG.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw
from tqdm.auto import tqdm

from delex.datasets.ade_layout import FOLDER, N_OBJECTS, packaged_object_table
from delex.errors import ConfigError
from delex.io import atomic_dir

# ADE object indices (objectInfo150.csv) used by the generator.
WALL, BUILDING, SKY, FLOOR, TREE, CEILING, ROAD, BED, WINDOW, GRASS = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
CABINET, SIDEWALK, EARTH, TABLE, MOUNTAIN, PLANT, CURTAIN, CHAIR, CAR = 11, 12, 14, 16, 17, 18, 19, 20, 21
PAINTING, SOFA, HOUSE, SEA, MIRROR, RUG, ARMCHAIR, FENCE, ROCK, LAMP = 23, 24, 26, 27, 28, 29, 31, 33, 35, 37
BATHTUB, SAND, SINK, REFRIGERATOR, TOILET, STOVE, ANIMAL = 38, 47, 48, 51, 66, 72, 127

# Scene classes, in the order n_scenes takes them: (indoor?, {object: probability of appearing}).
SCENES: dict[str, tuple[bool, dict[int, float]]] = {
    "bedroom": (
        True,
        {WALL: 1, FLOOR: 1, CEILING: 0.85, WINDOW: 0.75, BED: 0.85, LAMP: 0.55, CURTAIN: 0.55, PAINTING: 0.15,
         RUG: 0.1, SOFA: 0.1, ARMCHAIR: 0.1},
    ),
    "living_room": (
        True,
        {WALL: 1, FLOOR: 1, CEILING: 0.85, WINDOW: 0.75, SOFA: 0.85, ARMCHAIR: 0.55, TABLE: 0.5,
         PAINTING: 0.6, LAMP: 0.15, RUG: 0.5, CURTAIN: 0.15, BED: 0.1},
    ),
    "street": (
        False,
        {SKY: 0.95, BUILDING: 0.95, ROAD: 1, SIDEWALK: 0.85, CAR: 0.75, TREE: 0.45, GRASS: 0.1},
    ),
    "highway": (
        False,
        {SKY: 1, ROAD: 1, CAR: 0.85, TREE: 0.5, GRASS: 0.7, MOUNTAIN: 0.3, FENCE: 0.2, BUILDING: 0.2},
    ),
    "barnyard": (
        False,
        {SKY: 0.95, EARTH: 0.9, GRASS: 0.8, TREE: 0.75, FENCE: 0.8, HOUSE: 0.6, ANIMAL: 0.6, PLANT: 0.15},
    ),
    "vegetable_garden": (
        False,
        {SKY: 0.85, EARTH: 0.95, PLANT: 0.9, GRASS: 0.6, TREE: 0.6, FENCE: 0.5, HOUSE: 0.15, ANIMAL: 0.1},
    ),
    "kitchen": (
        True,
        {WALL: 1, FLOOR: 1, CEILING: 0.8, CABINET: 0.95, STOVE: 0.75, REFRIGERATOR: 0.6, SINK: 0.7,
         WINDOW: 0.45, TABLE: 0.2, CHAIR: 0.25},
    ),
    "bathroom": (
        True,
        {WALL: 1, FLOOR: 1, CEILING: 0.6, SINK: 0.85, TOILET: 0.8, BATHTUB: 0.6, MIRROR: 0.8, CABINET: 0.4,
         WINDOW: 0.2},
    ),
    "dining_room": (
        True,
        {WALL: 1, FLOOR: 1, CEILING: 0.9, TABLE: 0.9, CHAIR: 0.9, WINDOW: 0.6, PAINTING: 0.5, LAMP: 0.3,
         CABINET: 0.3, RUG: 0.3},
    ),
    "coast": (
        False,
        {SKY: 1, SEA: 1, SAND: 0.85, ROCK: 0.55, MOUNTAIN: 0.35, TREE: 0.15, HOUSE: 0.1},
    ),
}  # fmt: skip

# Appearance: base RGB colour and texture of each object (per-image colour jitter added).
STYLE: dict[int, tuple[tuple[int, int, int], str]] = {
    WALL: ((200, 190, 170), "blotch"),
    FLOOR: ((150, 105, 65), "planks"),
    CEILING: ((235, 235, 225), "gradient"),
    WINDOW: ((150, 200, 235), "grid"),
    BED: ((190, 60, 70), "quilt"),
    LAMP: ((250, 220, 120), "flat"),
    CURTAIN: ((120, 60, 140), "vstripes"),
    PAINTING: ((60, 120, 90), "blotch"),
    RUG: ((170, 40, 40), "checks"),
    SOFA: ((60, 80, 170), "hstripes"),
    ARMCHAIR: ((90, 120, 60), "hstripes"),
    TABLE: ((110, 70, 40), "grain"),
    CHAIR: ((130, 80, 45), "grain"),
    CABINET: ((210, 200, 160), "panels"),
    STOVE: ((60, 60, 60), "dots"),
    REFRIGERATOR: ((225, 230, 235), "flat"),
    SINK: ((240, 240, 245), "flat"),
    TOILET: ((245, 245, 240), "flat"),
    BATHTUB: ((235, 240, 245), "hstripes"),
    MIRROR: ((180, 215, 225), "gradient"),
    SKY: ((120, 170, 230), "gradient"),
    BUILDING: ((150, 140, 135), "grid"),
    ROAD: ((80, 80, 85), "noise"),
    SIDEWALK: ((175, 170, 160), "checks"),
    CAR: ((200, 40, 40), "flat"),
    TREE: ((40, 110, 40), "blotch"),
    GRASS: ((80, 160, 60), "noise"),
    MOUNTAIN: ((110, 100, 110), "blotch"),
    FENCE: ((170, 130, 90), "vstripes"),
    EARTH: ((120, 85, 50), "noise"),
    HOUSE: ((170, 60, 45), "planks"),
    ANIMAL: ((230, 200, 170), "blotch"),
    PLANT: ((60, 140, 40), "dots"),
    SEA: ((30, 90, 160), "waves"),
    SAND: ((225, 205, 150), "noise"),
    ROCK: ((120, 115, 105), "blotch"),
}


# Families of related scenes. With `family_style` (off by default) shared objects look alike inside
# a family and differ between families (bedroom carpet vs bathroom tiles), so a shared object is
# evidence for the family's scenes against the other candidates. Off, because the frequency ground
# truth then disagrees with the images: it names the wall as common to bedroom and kitchen while
# the family looks make the wall tell them apart (README "ADE20K side" has the measurement).
FAMILY = {
    "bedroom": "home", "living_room": "home", "dining_room": "home", "kitchen": "wet", "bathroom": "wet",
    "street": "urban", "highway": "urban", "barnyard": "rural", "vegetable_garden": "rural", "coast": "shore",
}  # fmt: skip
FAMILY_STYLE: dict[str, dict[int, tuple[tuple[int, int, int], str]]] = {
    "home": {
        WALL: ((205, 180, 140), "blotch"),
        FLOOR: ((150, 100, 60), "planks"),
        CEILING: ((240, 230, 210), "flat"),
    },
    "wet": {
        WALL: ((215, 230, 240), "checks"),
        FLOOR: ((120, 125, 135), "checks"),
        CEILING: ((245, 245, 250), "flat"),
    },
    "urban": {
        SKY: ((110, 160, 235), "gradient"),
        GRASS: ((95, 135, 70), "noise"),
        TREE: ((30, 90, 45), "blotch"),
    },
    "rural": {
        SKY: ((175, 205, 215), "gradient"),
        GRASS: ((130, 190, 50), "hstripes"),
        TREE: ((70, 140, 30), "dots"),
    },
}


@dataclass(frozen=True)
class SyntheticScenesConfig:
    """Size of the twin: n_scenes of SCENES, images per scene, image height (width = aspect x height)."""

    n_scenes: int = 8
    images_per_scene: int = 45
    train_fraction: float = 0.6
    image_size: int = 120
    aspect: tuple[float, float] = (1.15, 1.45)
    mimic_prob: float = 0.0
    family_style: bool = False
    seed: int = 0

    def __post_init__(self) -> None:
        checks = {
            "n_scenes": 2 <= self.n_scenes <= len(SCENES),
            "images_per_scene": self.images_per_scene >= 2,
            "train_fraction": 0 < self.train_fraction < 1,
            "image_size": self.image_size >= 16,
            "aspect": len(self.aspect) == 2 and 0.5 <= self.aspect[0] <= self.aspect[1] <= 3,
            "mimic_prob": 0 <= self.mimic_prob <= 1,
        }
        bad = [k for k, ok in checks.items() if not ok]
        if bad:
            raise ConfigError(f"ade.dataset.synthetic.{bad[0]}: invalid value {getattr(self, bad[0])!r}")
        if self.mimic_prob > 0 and not self.family_style:
            raise ConfigError(
                "ade.dataset.synthetic.mimic_prob: borrows a family's look, so needs family_style: true"
            )

    @classmethod
    def from_mapping(cls, mapping: dict[str, Any] | None) -> SyntheticScenesConfig:
        """From the config's `ade.dataset.synthetic` mapping (unknown keys rejected by name)."""
        mapping = dict(mapping or {})
        if "aspect" in mapping:
            mapping["aspect"] = tuple(mapping["aspect"])
        try:
            return cls(**mapping)
        except TypeError as err:  # an unknown keyword
            raise ConfigError(f"ade.dataset.synthetic: {err}") from None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def scene_names(cfg: SyntheticScenesConfig) -> list[str]:
    return list(SCENES)[: cfg.n_scenes]


# ---------------------------------------------------------------------------------------------
# layout: objects drawn into a label image


# Objects an outdoor image can stand on, and what fills the top of one without sky.
GROUND = (SEA, EARTH, GRASS, ROAD)
BACKDROP = (MOUNTAIN, BUILDING, TREE, HOUSE)


def _sample_objects(scene: str, rng: np.random.Generator) -> set[int]:
    """Objects present in one image of `scene`, each drawn with its scene probability; an outdoor
    image without any ground object gets the scene's most frequent one (barnyard and vegetable
    garden: 2 % of images), so the layout never draws an object the scene did not sample."""
    indoor, probs = SCENES[scene]
    objs = {k for k, p in probs.items() if rng.random() < p}
    if not indoor and not objs & set(GROUND):
        objs.add(max((k for k in GROUND if k in probs), key=probs.__getitem__))
    return objs


def _indoor(d: ImageDraw.ImageDraw, w: int, h: int, objs: set[int], rng: np.random.Generator) -> None:
    top = int(h * rng.uniform(0.12, 0.22)) if CEILING in objs else 0
    floor_y = int(h * rng.uniform(0.62, 0.74))
    d.rectangle([0, 0, w, h], fill=WALL)
    if CEILING in objs:
        d.polygon([(0, 0), (w, 0), (w, top + rng.integers(-2, 3)), (0, top)], fill=CEILING)
    d.rectangle([0, floor_y, w, h], fill=FLOOR)
    if RUG in objs:
        x0 = rng.uniform(0.1, 0.4) * w
        d.polygon(
            [(x0, h * 0.86), (x0 + 0.5 * w, h * 0.86), (x0 + 0.55 * w, h), (x0 - 0.05 * w, h)], fill=RUG
        )
    wall_h = floor_y - top
    # wall objects, left to right in random order
    on_wall = [k for k in (WINDOW, PAINTING, MIRROR) if k in objs]
    rng.shuffle(on_wall)
    slots = np.linspace(0.05, 0.95, len(on_wall) + 1) * w
    for k, x0, x1 in zip(on_wall, slots[:-1], slots[1:], strict=True):
        span = x1 - x0
        bw = span * rng.uniform(0.5, 0.8) if k == WINDOW else span * rng.uniform(0.35, 0.6)
        bh = wall_h * (rng.uniform(0.45, 0.7) if k == WINDOW else rng.uniform(0.3, 0.45))
        bx = x0 + rng.uniform(0, span - bw)
        by = top + wall_h * rng.uniform(0.08, 0.2)
        d.rectangle([bx, by, bx + bw, by + bh], fill=k)
        if k == WINDOW and CURTAIN in objs:
            cw = bw * 0.25
            d.rectangle([bx - cw * 0.5, by - 2, bx + cw * 0.5, by + bh + 3], fill=CURTAIN)
            d.rectangle([bx + bw - cw * 0.5, by - 2, bx + bw + cw * 0.5, by + bh + 3], fill=CURTAIN)
    if CURTAIN in objs and WINDOW not in objs:  # drapes on the bare wall: curtains keep their SCENES rate
        cw, x0 = w * rng.uniform(0.06, 0.1), w * rng.uniform(0.05, 0.7)
        gap = w * rng.uniform(0.12, 0.25)
        for x in (x0, x0 + cw + gap):
            d.rectangle([x, top + wall_h * 0.05, x + cw, top + wall_h * 0.8], fill=CURTAIN)
    if CABINET in objs:  # wall cabinets above the worktop
        x0 = rng.uniform(0, 0.3) * w
        d.rectangle([x0, top + 2, x0 + rng.uniform(0.35, 0.6) * w, top + wall_h * 0.3], fill=CABINET)
    # furniture standing on the floor: (object, width, height) as fractions of the image
    sizes = {
        BED: (0.5, 0.3), SOFA: (0.42, 0.24), ARMCHAIR: (0.2, 0.22), TABLE: (0.32, 0.16), CHAIR: (0.1, 0.24),
        CABINET: (0.35, 0.22), STOVE: (0.2, 0.24), REFRIGERATOR: (0.17, 0.55), SINK: (0.2, 0.14),
        TOILET: (0.13, 0.2), BATHTUB: (0.42, 0.16), LAMP: (0.08, 0.35),
    }  # fmt: skip
    standing = [k for k in sizes if k in objs]
    rng.shuffle(standing)
    for k in standing:
        fw, fh = sizes[k]
        bw, bh = fw * w * rng.uniform(0.8, 1.2), fh * h * rng.uniform(0.8, 1.2)
        base = floor_y + rng.uniform(0.02, 0.2) * h
        bx = rng.uniform(0, w - bw)
        _furniture(d, k, bx, base - bh, bw, bh)


def _furniture(d: ImageDraw.ImageDraw, k: int, x: float, y: float, bw: float, bh: float) -> None:
    """One piece of furniture in its box (x, y, width, height), with a recognisable silhouette."""
    if k == BED:  # headboard + mattress
        d.rectangle([x, y, x + bw * 0.12, y + bh], fill=k)
        d.rectangle([x, y + bh * 0.4, x + bw, y + bh], fill=k)
    elif k in (SOFA, ARMCHAIR):  # back, seat, arms
        d.rectangle([x, y, x + bw, y + bh * 0.55], fill=k)
        d.rectangle([x - bw * 0.05, y + bh * 0.35, x + bw * 1.05, y + bh], fill=k)
    elif k in (TABLE, CHAIR):  # top and legs
        d.rectangle([x, y, x + bw, y + bh * 0.2], fill=k)
        d.rectangle([x + bw * 0.05, y, x + bw * 0.15, y + bh], fill=k)
        d.rectangle([x + bw * 0.85, y, x + bw * 0.95, y + bh], fill=k)
        if k == CHAIR:
            d.rectangle([x + bw * 0.75, y - bh * 0.8, x + bw * 0.95, y], fill=k)
    elif k == LAMP:  # shade on a pole
        d.polygon([(x, y + bh * 0.3), (x + bw, y + bh * 0.3), (x + bw * 0.75, y), (x + bw * 0.25, y)], fill=k)
        d.rectangle([x + bw * 0.4, y + bh * 0.3, x + bw * 0.6, y + bh], fill=k)
    elif k == TOILET:  # tank + bowl
        d.rectangle([x + bw * 0.55, y, x + bw, y + bh * 0.6], fill=k)
        d.ellipse([x, y + bh * 0.4, x + bw * 0.9, y + bh], fill=k)
    elif k in (SINK, BATHTUB):
        d.rounded_rectangle([x, y, x + bw, y + bh], radius=max(1.0, bh * 0.3), fill=k)
    else:
        d.rectangle([x, y, x + bw, y + bh], fill=k)


def _outdoor(d: ImageDraw.ImageDraw, w: int, h: int, objs: set[int], rng: np.random.Generator) -> None:
    horizon = h * rng.uniform(0.38, 0.52)
    # Only sampled objects are drawn, so phi measured on the twin is SCENES (a test checks it): no
    # sky -> a sampled backdrop fills the top, or the ground fills the frame (horizon at the top).
    top = SKY if SKY in objs else next((k for k in BACKDROP if k in objs), None)
    if top is None:
        horizon = 0.0
    else:
        d.rectangle([0, 0, w, h], fill=top)
    if MOUNTAIN in objs:
        for _ in range(int(rng.integers(1, 3))):
            cx, hw = rng.uniform(0, w), rng.uniform(0.25, 0.5) * w
            d.polygon([(cx - hw, horizon), (cx, horizon - rng.uniform(0.15, 0.3) * h), (cx + hw, horizon)],
                      fill=MOUNTAIN)  # fmt: skip
    ground = [k for k in (SEA, EARTH, GRASS) if k in objs]
    if ROAD in objs:  # road in front, sidewalk between road and the rest; else paving to the horizon
        ground = [k for k in ground if k != EARTH][:1] or [SIDEWALK if SIDEWALK in objs else ROAD]
    bands = np.sort(rng.uniform(horizon, h, len(ground) - 1)) if len(ground) > 1 else np.array([])
    ys = [horizon, *bands, h]
    for k, y0, y1 in zip(ground, ys[:-1], ys[1:], strict=True):
        d.rectangle([0, y0, w, y1 + 1], fill=k)
    if SAND in objs:
        y0 = horizon + rng.uniform(0.3, 0.5) * (h - horizon)
        d.polygon([(0, y0 + rng.uniform(-3, 3)), (w, y0 + rng.uniform(-3, 3)), (w, h), (0, h)], fill=SAND)
    if BUILDING in objs:
        x = rng.uniform(-0.1, 0.1) * w
        while x < w:
            bw = rng.uniform(0.18, 0.35) * w
            d.rectangle([x, horizon - rng.uniform(0.2, 0.4) * h, x + bw, horizon + 2], fill=BUILDING)
            x += bw + rng.uniform(0.0, 0.15) * w
    if HOUSE in objs:  # walls and a pitched roof
        bw, bh = rng.uniform(0.2, 0.3) * w, rng.uniform(0.15, 0.22) * h
        x = rng.uniform(0, w - bw)
        d.rectangle([x, horizon - bh, x + bw, horizon + 3], fill=HOUSE)
        d.polygon(
            [(x - 3, horizon - bh), (x + bw / 2, horizon - bh * 1.7), (x + bw + 3, horizon - bh)], fill=HOUSE
        )
    if TREE in objs:
        for _ in range(int(rng.integers(1, 4))):
            cx, r = rng.uniform(0, w), rng.uniform(0.06, 0.12) * h
            base = horizon + rng.uniform(0, 0.08) * h
            d.rectangle([cx - r * 0.2, base - r * 1.5, cx + r * 0.2, base], fill=TREE)
            d.ellipse([cx - r, base - r * 3.2, cx + r, base - r * 1.2], fill=TREE)
    if PLANT in objs:  # rows of crops on the earth
        for row in range(3):
            y = horizon + (0.2 + 0.25 * row) * (h - horizon)
            r = (1.5 + row) * h / 96
            for x in np.arange(rng.uniform(0, 8), w, 6 + 3 * row):
                d.ellipse([x - r, y - r, x + r, y + r], fill=PLANT)
    if ROAD in objs:
        top = horizon + rng.uniform(0.15, 0.35) * (h - horizon)
        vx = rng.uniform(0.3, 0.7) * w
        if SIDEWALK in objs:
            d.polygon([(vx - 8, top - 3), (vx + 8, top - 3), (w * 1.4, h), (-w * 0.4, h)], fill=SIDEWALK)
        d.polygon([(vx - 4, top), (vx + 4, top), (w * 1.1, h), (-w * 0.1, h)], fill=ROAD)
    if FENCE in objs:
        y = horizon + rng.uniform(0.05, 0.3) * (h - horizon)
        fh = rng.uniform(0.07, 0.12) * h
        d.rectangle([0, y - fh, w, y - fh * 0.75], fill=FENCE)
        for x in np.arange(rng.uniform(0, 6), w, 7):
            d.rectangle([x, y - fh * 1.2, x + 2, y], fill=FENCE)
    if ROCK in objs:
        for _ in range(int(rng.integers(1, 3))):
            cx, r = rng.uniform(0, w), rng.uniform(0.05, 0.1) * h
            cy = rng.uniform(horizon + r, h)
            d.ellipse([cx - 1.5 * r, cy - r, cx + 1.5 * r, cy + r * 0.6], fill=ROCK)
    if CAR in objs:
        for _ in range(int(rng.integers(1, 3))):
            cw, ch = rng.uniform(0.18, 0.28) * w, rng.uniform(0.08, 0.12) * h
            cx, cy = rng.uniform(0.1, 0.9) * w, rng.uniform(0.75, 0.95) * h
            d.rectangle([cx - cw / 2, cy - ch, cx + cw / 2, cy], fill=CAR)
            d.rectangle([cx - cw / 4, cy - ch * 1.7, cx + cw / 4, cy - ch], fill=CAR)
    if ANIMAL in objs:  # body, head, legs
        bw, bh = rng.uniform(0.16, 0.24) * w, rng.uniform(0.08, 0.12) * h
        cx, cy = rng.uniform(0.15, 0.85) * w, rng.uniform(0.7, 0.85) * h
        d.ellipse([cx - bw / 2, cy - bh, cx + bw / 2, cy], fill=ANIMAL)
        d.ellipse([cx + bw * 0.35, cy - bh * 1.5, cx + bw * 0.65, cy - bh * 0.6], fill=ANIMAL)
        for lx in (-0.35, -0.15, 0.15, 0.35):
            d.rectangle([cx + lx * bw - 1, cy - 2, cx + lx * bw + 1, cy + bh * 0.6], fill=ANIMAL)


# ---------------------------------------------------------------------------------------------
# colour: a texture per object


def _texture(kind: str, w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """(h, w) texture in about [-1, 1] of one kind, with a random phase and period."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    p = rng.uniform(4.0, 7.0)
    ph = rng.uniform(0, 2 * np.pi)
    if kind in ("hstripes", "planks"):
        t = np.sign(np.sin(2 * np.pi * yy / p + ph))
        if kind == "planks":
            t = 0.5 * t + 0.5 * np.sign(np.sin(2 * np.pi * xx / (3 * p) + ph + 2 * (yy // p)))
        return t
    if kind == "vstripes":
        return np.sign(np.sin(2 * np.pi * xx / p + ph))
    if kind in ("checks", "quilt", "panels"):
        s = p if kind != "panels" else 2 * p
        t = np.sign(np.sin(np.pi * xx / s + ph) * np.sin(np.pi * yy / s + ph))
        return t if kind != "quilt" else 0.6 * t + 0.4 * np.sin(2 * np.pi * (xx + yy) / p)
    if kind == "grid":
        return np.where((xx % p < 1.2) | (yy % p < 1.2), -1.0, 0.4)
    if kind == "dots":
        return np.where(((xx % p) - p / 2) ** 2 + ((yy % p) - p / 2) ** 2 < (p / 4) ** 2, -1.0, 0.3)
    if kind == "gradient":
        return np.linspace(0.8, -0.8, h)[:, None].repeat(w, 1)
    if kind == "grain":
        return np.sin(2 * np.pi * (yy + 2 * np.sin(xx / 5)) / p)
    if kind == "waves":
        return np.sin(2 * np.pi * (yy + 1.5 * np.sin(2 * np.pi * xx / (3 * p))) / (p / 1.5))
    if kind == "blotch":
        small = rng.normal(size=(max(2, h // 6), max(2, w // 6)))
        return np.asarray(Image.fromarray(small.astype(np.float32)).resize((w, h), Image.Resampling.BICUBIC))
    if kind == "noise":
        return rng.normal(0, 0.6, size=(h, w))
    return np.zeros((h, w))  # flat


def colourise(
    label: np.ndarray, rng: np.random.Generator, family: str | None = None, borrowed: dict | None = None
) -> np.ndarray:
    """(h, w, 3) uint8 image of a label image: each object's jittered colour times its texture (the
    family's look for shared objects; `borrowed` {object: family} gives an object another family's
    look), an overall light level and pixel noise."""
    h, w = label.shape
    img = np.zeros((h, w, 3))
    light = rng.uniform(0.8, 1.15)
    styles = {**STYLE, **FAMILY_STYLE.get(family, {})}
    styles.update({k: FAMILY_STYLE[f][k] for k, f in (borrowed or {}).items()})
    for k in np.unique(label):
        base, kind = styles.get(int(k), ((128, 128, 128), "flat"))
        colour = np.clip(np.asarray(base, dtype=np.float64) + rng.normal(0, 15, 3), 0, 255)
        tex = _texture(kind, w, h, rng)
        m = label == k
        img[m] = colour * (1 + 0.18 * tex[m, None])
    img = img * light + rng.normal(0, 6, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def mimic_object(label: np.ndarray, family: str | None, rng: np.random.Generator) -> dict[int, str]:
    """{object: other family} for one object of the image that its family styles, drawn with the look
    another family gives it (bedroom floor in bathroom tiles): a designed insecurity, since the
    object is then evidence for that family's scenes, which share it. Empty if none qualifies."""
    present = set(np.unique(label).tolist())
    options = [
        (k, f)
        for k in sorted(FAMILY_STYLE.get(family, {}))
        if k in present
        for f in sorted(FAMILY_STYLE)
        if f != family and k in FAMILY_STYLE[f]
    ]
    if not options:
        return {}
    k, f = options[int(rng.integers(len(options)))]
    return {k: f}


def render_scene(
    scene: str,
    height: int,
    width: int,
    rng: np.random.Generator,
    mimic: np.random.Generator | None = None,
    family_style: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """(image (h, w, 3) uint8, annotation (h, w) uint8) of one image of `scene`; with `mimic`, one
    family-styled object takes another family's look (`mimic_object`); without `family_style`, every
    object has one look in every scene (STYLE)."""
    indoor, _ = SCENES[scene]
    family = FAMILY.get(scene) if family_style else None
    objs = _sample_objects(scene, rng)
    lab = Image.new("L", (width, height), 0)
    d = ImageDraw.Draw(lab)
    (_indoor if indoor else _outdoor)(d, width, height, objs, rng)
    label = np.asarray(lab, dtype=np.uint8)
    borrowed = mimic_object(label, family, mimic) if mimic is not None else {}
    return colourise(label, rng, family, borrowed), label


# ---------------------------------------------------------------------------------------------
# writing the ADE layout


def generate(out_dir: str | Path, cfg: SyntheticScenesConfig | None = None, progress: bool = True) -> Path:
    """Write the twin to `out_dir`/ADEChallengeData2016 atomically (a killed run leaves nothing)."""
    cfg = cfg or SyntheticScenesConfig()
    with atomic_dir(out_dir) as tmp:
        _write_dataset(Path(tmp) / FOLDER, cfg, progress)
    return Path(out_dir)


def _write_dataset(root: Path, cfg: SyntheticScenesConfig, progress: bool) -> None:
    for sub in ("images", "annotations"):
        for split in ("training", "validation"):
            (root / sub / split).mkdir(parents=True)
    scenes = scene_names(cfg)
    n_train = min(max(round(cfg.train_fraction * cfg.images_per_scene), 1), cfg.images_per_scene - 1)
    counters = {"training": 0, "validation": 0}
    pixels = np.zeros(N_OBJECTS + 1)
    images_with = {s: np.zeros(N_OBJECTS + 1, dtype=np.int64) for s in counters}
    lines = []
    jobs = [(c, j) for j in range(cfg.images_per_scene) for c in range(len(scenes))]  # scenes interleaved
    for c, j in tqdm(jobs, desc="synthetic scenes", disable=not progress):
        rng = np.random.default_rng([cfg.seed, c, j])
        aspect = rng.uniform(*cfg.aspect)
        # mimicry draws from its own stream, so mimic_prob 0 leaves every image as it was
        mrng = np.random.default_rng([cfg.seed, c, j, 1])
        mimic = mrng if cfg.mimic_prob > 0 and mrng.random() < cfg.mimic_prob else None
        width = round(cfg.image_size * aspect)
        img, ann = render_scene(scenes[c], cfg.image_size, width, rng, mimic, cfg.family_style)
        split = "training" if j < n_train else "validation"
        counters[split] += 1
        stem = f"ADE_{'train' if split == 'training' else 'val'}_{counters[split]:08d}"
        Image.fromarray(img).save(root / "images" / split / f"{stem}.jpg", format="JPEG", quality=92)
        Image.fromarray(ann, mode="L").save(root / "annotations" / split / f"{stem}.png")
        counts = np.bincount(ann.ravel(), minlength=N_OBJECTS + 1)
        pixels += counts
        images_with[split] += counts > 0
        lines.append(f"{stem} {scenes[c]}")
    (root / "sceneCategories.txt").write_text("".join(f"{t}\n" for t in sorted(lines)))
    ratio = pixels / pixels.sum()
    rows = ["Idx,Ratio,Train,Val,Stuff,Name"]
    for idx, stuff, name in packaged_object_table():
        rows.append(f"{idx},{ratio[idx]:.4f},{images_with['training'][idx]},{images_with['validation'][idx]},"
                    f"{stuff},{name}")  # fmt: skip
    (root / "objectInfo150.csv").write_text("\n".join(rows))
    (root / "README_synthetic.txt").write_text(
        "Synthetic scenes (delex): a generated twin of ADEChallengeData2016 in the official layout.\n"
        f"Scenes and object probabilities: delex.datasets.synthetic_scenes.SCENES; config {cfg.as_dict()}\n"
    )
