"""Synthetic birds in the exact CUB_200_2011 layout: a small, learnable twin with known ambiguity.

Each class has a peaked distribution over the values of every part's CUB attribute groups (colour,
pattern, shape, length); classes of one *family* share the distributions of a few parts, so the
true ambiguity between them sits on known parts. Birds are drawn part by part with PIL ImageDraw
from sampled attribute values; pose, position, scale, background clutter and occluders vary freely
and carry no class information. Part points are the centres of the drawn parts.
"""

from __future__ import annotations

import colorsys
import json
import os
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from tqdm.auto import tqdm

from delex.errors import ConfigError
from delex.io import atomic_dir
from delex.parts import N_ATTRIBUTES, PART_NAMES, attribute_groups, part_family

PART_FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(part_family(p) for p in PART_NAMES))
SHAREABLE: tuple[str, ...] = ("back", "wing", "tail", "crown", "breast", "belly", "nape", "throat", "beak")
GENERA: tuple[str, ...] = (
    "Finch",
    "Warbler",
    "Tanager",
    "Sparrow",
    "Wren",
    "Thrush",
    "Vireo",
    "Oriole",
    "Bunting",
    "Grosbeak",
    "Flycatcher",
    "Kingbird",
)
COLOURS: dict[str, tuple[int, int, int]] = {
    "blue": (40, 90, 215),
    "brown": (115, 70, 35),
    "iridescent": (30, 170, 160),
    "purple": (125, 45, 160),
    "rufous": (185, 85, 40),
    "grey": (130, 130, 135),
    "yellow": (240, 210, 35),
    "olive": (125, 125, 40),
    "green": (45, 160, 60),
    "pink": (245, 150, 190),
    "orange": (250, 135, 20),
    "black": (22, 22, 22),
    "white": (245, 245, 240),
    "red": (210, 30, 30),
    "buff": (222, 192, 142),
}
CERTAINTIES = ("not visible", "guessing", "probably", "definitely")
_ADJECTIVE = {
    "back": "backed",
    "wing": "winged",
    "tail": "tailed",
    "crown": "crowned",
    "breast": "breasted",
    "belly": "bellied",
    "nape": "naped",
    "throat": "throated",
    "beak": "billed",
    "forehead": "fronted",
    "eye": "eyed",
    "leg": "legged",
}
_NAME_ORDER = (
    "crown",
    "wing",
    "back",
    "breast",
    "belly",
    "throat",
    "tail",
    "nape",
    "beak",
    "forehead",
    "eye",
    "leg",
)
_SS = 2  # supersampling factor of the renderer
_OCCLUDER, _BACKGROUND = 254, 255


@dataclass(frozen=True)
class SyntheticBirdsConfig:
    """Size and difficulty of the synthetic twin. `shared_parts` is either a (min, max) count of
    part families each family shares (drawn by the seed from SHAREABLE) or explicit family names."""

    n_classes: int = 20
    n_families: int = 5
    images_per_class: int = 60
    train_fraction: float = 0.5
    image_size: int = 128
    shared_parts: tuple = (2, 3)
    occlusion_prob: float = 0.2
    bird_scale: tuple = (0.32, 0.42)
    peak: float = 0.8
    sharing: str = "family"
    mimic_prob: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "shared_parts", tuple(self.shared_parts))
        object.__setattr__(self, "bird_scale", tuple(self.bird_scale))
        checks = {
            "n_classes": self.n_classes >= 2,
            "n_families": 1 <= self.n_families <= self.n_classes,
            "images_per_class": self.images_per_class >= 2,
            "train_fraction": 0.0 < self.train_fraction < 1.0,
            "image_size": self.image_size >= 32,
            "occlusion_prob": 0.0 <= self.occlusion_prob <= 1.0,
            "bird_scale": len(self.bird_scale) == 2
            and 0.1 <= self.bird_scale[0] <= self.bird_scale[1] <= 0.6,
            "peak": 0.0 < self.peak <= 1.0,
            "sharing": self.sharing in SHARING,
            "mimic_prob": 0.0 <= self.mimic_prob <= 1.0,
            "seed": self.seed >= 0,
            "shared_parts": _valid_shared(self.shared_parts),
        }
        bad = [k for k, ok in checks.items() if not ok]
        if bad:
            raise ConfigError(f"invalid synthetic_birds config value(s) {bad} in {self}")

    @classmethod
    def from_mapping(cls, mapping: dict[str, Any] | None) -> SyntheticBirdsConfig:
        """Build from a (YAML) mapping; unknown keys are rejected by name."""
        mapping = dict(mapping or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(mapping) - known)
        if unknown:
            raise ConfigError(f"unknown synthetic_birds config key(s) {unknown}; known: {sorted(known)}")
        return cls(**mapping)


SHARING = ("family", "pairs")


def _valid_shared(v: tuple) -> bool:
    """(min, max) counts within SHAREABLE, or distinct part-family names."""
    if all(isinstance(x, str) for x in v):
        return set(v) <= set(PART_FAMILIES) and len(set(v)) == len(v) < len(PART_FAMILIES)
    return len(v) == 2 and all(isinstance(x, int) for x in v) and 0 <= v[0] <= v[1] <= len(SHAREABLE)


# --------------------------------------------------------------------------------------------------
# attributes and the class-level truth


@lru_cache(maxsize=1)
def attribute_names() -> tuple[str, ...]:
    """CUB's 312 attribute names (package data, identical to the official attributes.txt)."""
    text = resources.files("delex").joinpath("data/cub_attributes.txt").read_text()
    names = tuple(line.split(maxsplit=1)[1] for line in text.splitlines() if line.strip())
    assert len(names) == N_ATTRIBUTES
    return names


@lru_cache(maxsize=1)
def attribute_groups_table() -> tuple[tuple[str, tuple[int, ...], tuple[str, ...]], ...]:
    """(group name, 0-based attribute indices, value names) of each of CUB's 28 groups."""
    groups: dict[str, list[int]] = {}
    for i, name in enumerate(attribute_names()):
        groups.setdefault(name.split("::")[0], []).append(i)
    names = attribute_names()
    return tuple((g, tuple(ix), tuple(names[i].split("::")[1] for i in ix)) for g, ix in groups.items())


@lru_cache(maxsize=1)
def group_part_family() -> dict[str, str]:
    """Group name -> part family for the groups that describe a part (parts.py table)."""
    first = {ix[0]: g for g, ix, _ in attribute_groups_table()}
    return {first[grp[0]]: fam for fam in PART_FAMILIES for grp in attribute_groups(fam)}


def class_truth(cfg: SyntheticBirdsConfig) -> dict[str, Any]:
    """The generating truth: families, shared parts and (K, 312) per-class attribute probabilities.

    Every group's probabilities sum to 1; shared parts have identical rows within a family, and the
    dominant values of all units (families' shared parts, classes' own parts) are distinct while the
    group has enough values. `sharing: pairs` shares each of a family's shared parts between two
    classes only (see `pair_units`), so different pairs of one family are alike on different parts.
    """
    rng = np.random.default_rng([cfg.seed, 0])
    fam_of = np.arange(cfg.n_classes) * cfg.n_families // cfg.n_classes
    shared = [_draw_shared(cfg, rng) for _ in range(cfg.n_families)]
    probs = np.zeros((cfg.n_classes, N_ATTRIBUTES))
    owner = group_part_family()
    for group, ix, values in attribute_groups_table():
        if group not in owner:
            continue
        # One dominant value per "unit": a family for its shared parts, a class for its own parts.
        # Values are spread over all units of the dataset (distinct while there are enough values),
        # so ambiguity comes from the family design, not from chance coincidences across families.
        # Shared units first, then own ones (this order fixes which value each unit gets per seed).
        units = [
            u
            for f in range(cfg.n_families)
            if owner[group] in shared[f]
            for u in shared_units(
                np.flatnonzero(fam_of == f), sorted(shared[f]).index(owner[group]), cfg.sharing
            )
        ]
        units += [
            np.array([c])
            for f in range(cfg.n_families)
            if owner[group] not in shared[f]
            for c in np.flatnonzero(fam_of == f)
        ]
        for members, dom in zip(units, _spread(len(values), len(units), rng), strict=True):
            probs[np.ix_(members, ix)] = _peaked(len(values), dom, cfg.peak, rng)
    _derived_probs(probs)
    names = _class_names(probs, fam_of, shared)
    families = [
        {
            "index": f,
            "name": _genus(f),
            "class_ids": (np.flatnonzero(fam_of == f) + 1).tolist(),
            "shared_parts": [p for p in PART_FAMILIES if p in shared[f]],
        }
        for f in range(cfg.n_families)
    ]
    return {
        "config": asdict(cfg),
        "part_families": list(PART_FAMILIES),
        "families": families,
        "class_family": fam_of.tolist(),
        "class_names": names,
        "attribute_probs": probs,
    }


def pair_units(members: np.ndarray, k: int) -> list[np.ndarray]:
    """Units of the k-th shared part under `sharing: pairs`: the pairs of round k % (n - 1) of a
    round-robin schedule of the family's n members (circle method; odd n adds a bye, who keeps the
    part to itself), so every two members of a family share some part and each part ties pairs."""
    m = list(members) + ([-1] if len(members) % 2 else [])
    n = len(m)
    if n < 2:
        return [np.array(members)]
    r = k % (n - 1)
    order = [m[0]] + m[1:][r:] + m[1:][:r]  # rotate all but the first
    pairs = [(order[i], order[n - 1 - i]) for i in range(n // 2)]
    return [np.array([c for c in p if c >= 0]) for p in pairs]


def shared_units(members: np.ndarray, k: int, sharing: str) -> list[np.ndarray]:
    """Groups of a family's classes that are alike on its k-th shared part (sorted by name): the
    whole family, or the pairs of `pair_units`."""
    return [members] if sharing == "family" else pair_units(members, k)


def pair_parts(truth: dict) -> dict[tuple[int, int], list[str]]:
    """(a, b) 0-based classes, a < b -> the part families they share (both sharing modes)."""
    sharing = truth["config"].get("sharing", "family")
    out: dict[tuple[int, int], list[str]] = {}
    for fam in truth["families"]:
        members = np.asarray(fam["class_ids"]) - 1
        for k, part in enumerate(sorted(fam["shared_parts"])):
            for u in shared_units(members, k, sharing):
                for i, a in enumerate(u):
                    for b in u[i + 1 :]:
                        out.setdefault((int(min(a, b)), int(max(a, b))), []).append(part)
    return out


def _draw_shared(cfg: SyntheticBirdsConfig, rng: np.random.Generator) -> set[str]:
    """The part families one family shares (explicit, or drawn by the seed)."""
    if all(isinstance(x, str) for x in cfg.shared_parts):
        return set(cfg.shared_parts)
    n = int(rng.integers(cfg.shared_parts[0], cfg.shared_parts[1] + 1))
    return {SHAREABLE[i] for i in rng.choice(len(SHAREABLE), size=n, replace=False)}


def _spread(n: int, k: int, rng: np.random.Generator) -> list[int]:
    """`k` dominant values out of `n`: a random permutation, repeated only when k > n."""
    reps = -(-k // n)
    return np.concatenate([rng.permutation(n) for _ in range(reps)])[:k].tolist()


def _peaked(n: int, dominant: int, peak: float, rng: np.random.Generator) -> np.ndarray:
    """`peak` on the dominant value, the rest split over two other random values."""
    p = np.zeros(n)
    p[dominant] = peak
    others = np.delete(np.arange(n), dominant)
    alt = rng.choice(others, size=min(2, len(others)), replace=False)
    p[alt] += (1.0 - peak) / len(alt)
    return p


def _derived_probs(probs: np.ndarray) -> None:
    """Distributions of the groups that are functions of part values (see `_derived_values`)."""
    g = {name: list(ix) for name, ix, _ in attribute_groups_table()}
    vals = {name: v for name, _, v in attribute_groups_table()}
    for target, source in (
        ("has_upperparts_color", "has_back_color"),
        ("has_underparts_color", "has_belly_color"),
        ("has_primary_color", "has_wing_color"),
    ):
        assert vals[target] == vals[source]
        probs[:, g[target]] = probs[:, g[source]]
    plain = (probs[:, g["has_crown_color"]] * probs[:, g["has_nape_color"]]).sum(axis=1)
    head = g["has_head_pattern"]
    probs[:, head[vals["has_head_pattern"].index("plain")]] = plain
    probs[:, head[vals["has_head_pattern"].index("capped")]] = 1.0 - plain
    probs[:, g["has_size"][vals["has_size"].index("small_(5_-_9_in)")]] = 1.0
    probs[:, g["has_shape"][vals["has_shape"].index("perching-like")]] = 1.0


def _genus(f: int) -> str:
    """Family name: a songbird genus, numbered once the list runs out."""
    return GENERA[f] if f < len(GENERA) else f"Genus{f + 1}"


def _class_names(probs: np.ndarray, fam_of: np.ndarray, shared: list[set[str]]) -> list[str]:
    """Folder-style names '001.Red_crowned_Finch' from a distinctive non-shared part colour."""
    table = {g: (list(ix), v) for g, ix, v in attribute_groups_table()}
    names: list[str] = []
    for c in range(len(fam_of)):
        f = int(fam_of[c])
        mates = np.flatnonzero(fam_of == f)
        label = f"Variant{c + 1}"
        for part in _NAME_ORDER:
            if part in shared[f]:
                continue
            ix, values = table[_colour_group(part)]
            dom = probs[:, ix].argmax(axis=1)
            if np.sum(dom[mates] == dom[c]) == 1:
                label = f"{values[dom[c]].capitalize()}_{_ADJECTIVE[part]}"
                break
        name = f"{label}_{_genus(f)}"
        if any(n.split(".", 1)[1] == name for n in names):
            name = f"{name}_{c + 1}"
        names.append(f"{c + 1:03d}.{name}")
    return names


def _colour_group(part: str) -> str:
    """The colour group that names a part (tail -> upper tail, beak -> bill)."""
    return {"tail": "has_upper_tail_color", "beak": "has_bill_color"}.get(part, f"has_{part}_color")


# --------------------------------------------------------------------------------------------------
# per-image sampling


def _draw_value(probs_row: np.ndarray, ix, names, rng: np.random.Generator) -> str:
    """One value name of a group (attribute indices ix) drawn from a class's probabilities."""
    cdf = np.cumsum(probs_row[list(ix)])
    return names[min(int(np.searchsorted(cdf, rng.random() * cdf[-1])), len(names) - 1)]


def sample_values(probs_row: np.ndarray, rng: np.random.Generator) -> dict[str, str]:
    """One value name per attribute group from a class's probabilities (derived groups follow)."""
    owner = group_part_family()
    out = {
        g: _draw_value(probs_row, ix, names, rng) for g, ix, names in attribute_groups_table() if g in owner
    }
    out.update(_derived_values(out))
    return out


def mimic_part(
    values: dict[str, str], c: int, truth: dict, probs: np.ndarray, rng: np.random.Generator
) -> tuple[str, int] | None:
    """Give the bird of class c one part of another family: a part that family shares, resampled
    from a member's distribution (in place). The image then shows, on that part, evidence for the
    other family's classes, which are alike there: a designed insecurity. Returns (part, family)."""
    fam = truth["class_family"][c]
    options = [(p, f["index"]) for f in truth["families"] if f["index"] != fam for p in f["shared_parts"]]
    if not options:
        return None
    part, g = options[int(rng.integers(len(options)))]
    members = truth["families"][g]["class_ids"]
    donor = probs[members[int(rng.integers(len(members)))] - 1]
    owner = group_part_family()
    for group, ix, names in attribute_groups_table():
        if owner.get(group) == part:
            values[group] = _draw_value(donor, ix, names, rng)
    values.update(_derived_values(values))
    return part, g


def _derived_values(v: dict[str, str]) -> dict[str, str]:
    """Groups not tied to a part, as functions of part values (no extra information)."""
    return {
        "has_upperparts_color": v["has_back_color"],
        "has_underparts_color": v["has_belly_color"],
        "has_primary_color": v["has_wing_color"],
        "has_head_pattern": "plain" if v["has_crown_color"] == v["has_nape_color"] else "capped",
        "has_size": "small_(5_-_9_in)",
        "has_shape": "perching-like",
    }


def attribute_vector(values: dict[str, str]) -> np.ndarray:
    """(312,) 0/1 vector with the chosen value of every group set."""
    vec = np.zeros(N_ATTRIBUTES, dtype=np.int64)
    for group, ix, names in attribute_groups_table():
        vec[ix[names.index(values[group])]] = 1
    return vec


# --------------------------------------------------------------------------------------------------
# bird geometry (local units, bird facing right, y down; body ellipse centred at the origin)

_HEAD, _HEAD_R = np.array([0.41, -0.27]), 0.20
_SECTORS = {"forehead": (-55, 5), "throat": (5, 125), "nape": (125, 235), "crown": (235, 305)}
_SECTOR_ANCHOR = {"forehead": -32, "throat": 65, "nape": 180, "crown": 270}
_EYE, _EYE_R = _HEAD + np.array([0.045, -0.02]), 0.05
_WINGS = {  # length, width, profile exponents a, b
    "rounded-wings": (0.60, 0.22, 0.5, 0.5),
    "pointed-wings": (0.72, 0.20, 0.45, 1.1),
    "broad-wings": (0.62, 0.27, 0.6, 0.45),
    "tapered-wings": (0.74, 0.21, 0.3, 1.7),
    "long-wings": (0.92, 0.19, 0.5, 0.9),
}
_BILL_LENGTH = {"shorter_than_head": 0.16, "about_the_same_as_head": 0.27, "longer_than_head": 0.42}


def _ellipse(c, rx: float, ry: float, n: int = 40) -> np.ndarray:
    """Ellipse polygon centred at `c`."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.stack([c[0] + rx * np.cos(t), c[1] + ry * np.sin(t)], axis=1)


def _sector(c, r: float, a0: float, a1: float) -> np.ndarray:
    """Pie slice of a circle between angles a0..a1 (degrees, clockwise as y points down)."""
    t = np.deg2rad(np.linspace(a0, a1, max(4, int(abs(a1 - a0) / 8))))
    arc = np.stack([c[0] + r * np.cos(t), c[1] + r * np.sin(t)], axis=1)
    return np.vstack([np.asarray(c)[None], arc])


def _polar(c, r: float, deg: float) -> np.ndarray:
    """Point at radius r and angle `deg` (degrees) around `c`."""
    return np.asarray(c) + r * np.array([np.cos(np.deg2rad(deg)), np.sin(np.deg2rad(deg))])


def _frame(origin, direction, uv: np.ndarray) -> np.ndarray:
    """Points given along (u) and across (v, to the right of u) an axis -> local coordinates."""
    d = np.asarray(direction, float) / np.linalg.norm(direction)
    n = np.array([-d[1], d[0]])
    uv = np.atleast_2d(uv)
    return np.asarray(origin) + uv[:, :1] * d + uv[:, 1:2] * n


def _wing(shape: str) -> tuple[np.ndarray, np.ndarray]:
    """Wing polygon from the shoulder backwards (profile by wing shape) and its anchor."""
    length, width, a, b = _WINGS[shape]
    t = np.linspace(0, 1, 24)
    f = t**a * (1 - t) ** b
    hw = 0.5 * width * f / f.max()
    u = t * length
    uv = np.vstack([np.stack([u, -hw], 1), np.stack([u, hw], 1)[::-1]])
    origin, direction = (0.24, -0.04), (-1.0, 0.13)
    return _frame(origin, direction, uv), _frame(origin, direction, [[0.42 * length, 0.0]])[0]


def _tail(shape: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tail polygon, its anchor, and the under-tail band clip (lower side of the tail)."""
    hb = 0.08
    L = {"rounded_tail": 0.45, "fan-shaped_tail": 0.45, "pointed_tail": 0.56}.get(shape, 0.5)
    if shape == "rounded_tail":
        arc = [[0.72 * L + 0.13 * np.cos(a), 0.13 * np.sin(a)] for a in np.linspace(-1.5, 1.5, 9)]
        uv = [[0, -hb], *arc, [0, hb]]
    elif shape == "fan-shaped_tail":
        arc = [[0.7 * L + 0.25 * np.cos(a), 0.25 * np.sin(a)] for a in np.linspace(-1.1, 1.1, 9)]
        uv = [[0, -0.6 * hb], *arc, [0, 0.6 * hb]]
    else:
        uv = {
            "squared_tail": [[0, -hb], [L, -0.12], [L, 0.12], [0, hb]],
            "pointed_tail": [[0, -hb], [0.55 * L, -0.12], [L, 0], [0.55 * L, 0.12], [0, hb]],
            "forked_tail": [[0, -hb], [L, -0.16], [0.68 * L, 0], [L, 0.16], [0, hb]],
            "notched_tail": [[0, -hb], [L, -0.13], [0.88 * L, 0], [L, 0.13], [0, hb]],
        }[shape]
    origin, direction = (-0.30, -0.02), (-1.0, -0.15)
    band = _frame(origin, direction, [[-0.1, 0.035], [1.2, 0.035], [1.2, 0.5], [-0.1, 0.5]])
    anchor = _frame(origin, direction, [[0.6 * L, -0.03]])[0]
    return _frame(origin, direction, np.asarray(uv, float)), anchor, band


def _beak(shape: str, length: str) -> tuple[np.ndarray, np.ndarray]:
    """Beak polygon at the front of the head (shape x length) and its anchor."""
    L = _BILL_LENGTH[length]
    if shape in ("curved_(up_or_down)", "specialized"):
        bend, h = (0.35, 0.045) if shape.startswith("curved") else (-0.28, 0.06)
        u = np.linspace(0, L, 12)
        c = bend * u**2 / L
        hw = h * (1 - 0.85 * u / L)
        uv = np.vstack([np.stack([u, c - hw], 1), np.stack([u, c + hw], 1)[::-1]])
        mid = [0.45 * L, bend * (0.45 * L) ** 2 / L]
    else:
        uv, mid = {
            "all-purpose": ([[0, -0.06], [L, 0.01], [0, 0.06]], [0.35 * L, 0.0]),
            "cone": ([[0, -0.085], [0.8 * L, 0.0], [0, 0.085]], [0.3 * L, 0.0]),
            "dagger": ([[0, -0.045], [1.1 * L, 0.0], [0, 0.045]], [0.4 * L, 0.0]),
            "needle": ([[0, -0.028], [1.3 * L, 0.0], [0, 0.028]], [0.4 * L, 0.0]),
            "hooked": (
                [[0, -0.06], [0.75 * L, -0.02], [L, 0.02], [0.96 * L, 0.075], [0.8 * L, 0.03], [0, 0.06]],
                [0.4 * L, 0.0],
            ),
            "hooked_seabird": (
                [
                    [0, -0.045],
                    [1.05 * L, -0.03],
                    [1.2 * L, 0.0],
                    [1.16 * L, 0.065],
                    [1.05 * L, 0.02],
                    [0, 0.045],
                ],
                [0.45 * L, 0.0],
            ),
            "spatulate": (
                [
                    [0, -0.05],
                    [0.3 * L, -0.035],
                    [L, -0.055],
                    [L + 0.02, 0],
                    [L, 0.055],
                    [0.3 * L, 0.035],
                    [0, 0.05],
                ],
                [0.45 * L, 0.0],
            ),
        }[shape]
    origin, direction = _HEAD + np.array([0.17, 0.03]), (1.0, 0.08)
    return (
        _frame(origin, direction, np.asarray(uv, float)),
        _frame(origin, direction, np.asarray([mid], float))[0],
    )


def _leg() -> tuple[np.ndarray, np.ndarray]:
    """The near leg with toes on the branch, and its anchor (mid-leg)."""
    leg = [
        [0.02, 0.18],
        [0.06, 0.18],
        [0.10, 0.47],
        [0.19, 0.475],
        [0.19, 0.5],
        [-0.02, 0.5],
        [-0.02, 0.475],
        [0.06, 0.47],
    ]
    return np.asarray(leg, float), np.array([0.067, 0.36])


# --------------------------------------------------------------------------------------------------
# rendering


@dataclass
class _Canvas:
    """Supersampled colour canvas with a parallel label map (which part each pixel shows)."""

    rgb: np.ndarray  # (H, W, 3) float32
    label: np.ndarray  # (H, W) uint8: part index, _OCCLUDER or _BACKGROUND
    textures: _Textures

    def fill(
        self,
        poly: np.ndarray,
        colour,
        label: int,
        pattern: str = "solid",
        clip: np.ndarray | None = None,
        outline: float = 0.0,
    ) -> None:
        """Fill a polygon (pixel coords), optionally clipped by another polygon, with a texture."""
        h, w = self.label.shape
        x0, y0 = np.maximum(np.floor(poly.min(0)).astype(int) - 1, 0)
        x1, y1 = np.minimum(np.ceil(poly.max(0)).astype(int) + 2, (w, h))
        if x1 <= x0 or y1 <= y0:
            return
        mask = _poly_mask(poly - (x0, y0), (x1 - x0, y1 - y0))
        if clip is not None:
            mask &= _poly_mask(clip - (x0, y0), (x1 - x0, y1 - y0))
        base = np.asarray(colour, np.float32)
        region = self.rgb[y0:y1, x0:x1]
        tex = self.textures.get(pattern)
        if tex is None:
            region[mask] = base
        else:
            second = _second_colour(base, pattern)
            region[mask] = np.where(tex[y0:y1, x0:x1][mask][:, None], second, base)
        if outline > 0:
            edge = _poly_mask(poly - (x0, y0), (x1 - x0, y1 - y0), width=max(1, round(outline)))
            region[edge & mask] = base * 0.45
        self.label[y0:y1, x0:x1][mask] = label


def _poly_mask(poly: np.ndarray, size: tuple[int, int], width: int = 0) -> np.ndarray:
    """Boolean mask of a filled polygon (or of its outline of `width` px) in a size box."""
    img = Image.new("L", size, 0)
    pts = [tuple(p) for p in poly.tolist()]
    draw = ImageDraw.Draw(img)
    if width:
        draw.polygon(pts, outline=1, width=width)
    else:
        draw.polygon(pts, fill=1)
    return np.asarray(img, dtype=bool)


def _second_colour(base: np.ndarray, pattern: str) -> np.ndarray:
    """Spot/stripe colour: dark on light parts, light on dark parts; a shifted hue for multi."""
    if pattern == "multi-colored":
        h, s, v = colorsys.rgb_to_hsv(*(base / 255.0))
        r, g, b = colorsys.hsv_to_rgb((h + 0.45) % 1.0, max(s, 0.6), max(v, 0.6))
        return np.array([r, g, b], np.float32) * 255
    lum = 0.3 * base[0] + 0.59 * base[1] + 0.11 * base[2]
    return base * 0.3 if lum > 100 else base * 0.35 + 0.65 * 235


class _Textures:
    """Spot, stripe and blotch masks, scale tied to the bird, random phase and angle; each computed
    on first use and only inside the bird's box (elsewhere False)."""

    def __init__(self, size: int, unit: float, box: np.ndarray, rng: np.random.Generator) -> None:
        a = rng.uniform(0, np.pi)
        self._rot, self._phase = (np.cos(a), np.sin(a)), rng.uniform(0, 10, 2)
        self._size, self._unit = size, unit
        (self._x0, self._y0), (self._x1, self._y1) = np.clip(box.astype(int), 0, size)
        self._cache: dict[str, np.ndarray] = {}

    def get(self, pattern: str) -> np.ndarray | None:
        if pattern not in ("spotted", "striped", "multi-colored"):
            return None
        if pattern not in self._cache:
            out = np.zeros((self._size, self._size), dtype=bool)
            y, x = np.mgrid[self._y0 : self._y1, self._x0 : self._x1].astype(np.float32)
            c, s = self._rot
            u = (x * c + y * s) / self._unit + self._phase[0]
            v = (-x * s + y * c) / self._unit + self._phase[1]
            out[self._y0 : self._y1, self._x0 : self._x1] = _pattern(pattern, u, v)
            self._cache[pattern] = out
        return self._cache[pattern]


def _pattern(pattern: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Binary texture in bird units (u, v): offset rows of spots, stripes or large blotches."""
    if pattern == "spotted":
        su, sv = u / 0.075, v / 0.075
        su = su + 0.5 * (np.floor(sv) % 2)
        return (su - np.floor(su) - 0.5) ** 2 + (sv - np.floor(sv) - 0.5) ** 2 < 0.09
    if pattern == "striped":
        return np.sin(2 * np.pi * u / 0.065) > 0.3
    return np.sin(2 * np.pi * u / 0.22) * np.sin(2 * np.pi * v / 0.22) > 0.15


def _background(size: int, rng: np.random.Generator) -> np.ndarray:
    """Gradient plus blurred clutter of muted random colours (no class information), drawn at
    the output size and upsampled to the supersampled canvas."""

    def muted() -> tuple[int, int, int]:
        r, g, b = colorsys.hsv_to_rgb(rng.random(), rng.uniform(0.08, 0.45), rng.uniform(0.3, 0.92))
        return int(r * 255), int(g * 255), int(b * 255)

    top, bottom = np.array(muted(), np.float32), np.array(muted(), np.float32)
    t = np.linspace(0, 1, size, dtype=np.float32)[:, None, None]
    img = Image.fromarray(np.broadcast_to(top * (1 - t) + bottom * t, (size, size, 3)).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(4, 11))):
        cx, cy = rng.uniform(0, size, 2)
        if rng.random() < 0.6:
            rx, ry = rng.uniform(0.04, 0.2, 2) * size
            draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=muted())
        else:
            dx, dy = rng.normal(0, 0.35 * size, 2)
            draw.line(
                [cx, cy, cx + dx, cy + dy], fill=muted(), width=max(1, int(rng.uniform(0.01, 0.035) * size))
            )
    img = img.filter(ImageFilter.GaussianBlur(radius=size / 180))
    img = img.resize((size * _SS, size * _SS), Image.Resampling.BILINEAR)
    return np.asarray(img, dtype=np.float32).copy()


def render_bird(
    values: dict[str, str], size: int, occlusion_prob: float, bird_scale: tuple, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw one bird: (size, size, 3) uint8 image, (15, 3) part points, (4,) box x, y, w, h."""
    S = size * _SS
    facing_right = bool(rng.random() < 0.5)
    scale = rng.uniform(*bird_scale) * S  # body length is about 2 scale units
    angle = np.deg2rad(rng.uniform(-14, 14))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    lin = rot @ np.diag([scale if facing_right else -scale, scale])
    extent = np.array([[-0.9, -0.5], [1.05, -0.5], [1.05, 0.52], [-0.9, 0.52]]) @ lin.T
    lo, hi = -extent.min(0) - 0.03 * S, S - extent.max(0) + 0.03 * S
    centre = np.where(lo < hi, rng.uniform(np.minimum(lo, hi), np.maximum(lo, hi)), S / 2)

    def px(p):
        return np.atleast_2d(p) @ lin.T + centre

    box = np.stack([extent.min(0) - 0.1 * scale, extent.max(0) + 0.1 * scale]) + centre
    canvas = _Canvas(
        _background(size, rng), np.full((S, S), _BACKGROUND, np.uint8), _Textures(S, scale, box, rng)
    )
    light = rng.uniform(0.9, 1.1)
    col = {
        g: np.clip(np.array(COLOURS[v], np.float32) * light, 0, 255)
        for g, v in values.items()
        if v in COLOURS
    }
    pat = {p: values[f"has_{p}_pattern"] for p in ("back", "belly", "breast", "tail", "wing")}
    branch = np.array([[-4.0, 0.485], [4.0, 0.485], [4.0, 0.545], [-4.0, 0.545]])
    bc = (
        np.array(
            colorsys.hsv_to_rgb(rng.uniform(0.05, 0.12), rng.uniform(0.2, 0.5), rng.uniform(0.25, 0.5)),
            np.float32,
        )
        * 255
    )
    canvas.fill(px(branch), bc, _BACKGROUND)

    near = "right" if facing_right else "left"
    idx = {p: i for i, p in enumerate(PART_NAMES)}
    anchors: dict[str, np.ndarray] = {}
    ol = 0.7 * _SS

    tail, anchors["tail"], band = _tail(values["has_tail_shape"])
    canvas.fill(px(tail), col["has_upper_tail_color"], idx["tail"], pat["tail"], outline=ol)
    canvas.fill(px(tail), col["has_under_tail_color"], idx["tail"], pat["tail"], clip=px(band))
    leg, anchors[f"{near} leg"] = _leg()
    canvas.fill(px(leg), col["has_leg_color"], idx[f"{near} leg"], outline=ol)

    body = _ellipse((0.0, 0.0), 0.42, 0.26)
    canvas.fill(px(body), col["has_belly_color"], idx["belly"], pat["belly"], outline=ol)
    canvas.fill(
        px(_ellipse((0.27, 0.06), 0.21, 0.21)),
        col["has_breast_color"],
        idx["breast"],
        pat["breast"],
        clip=px(body),
    )
    above = np.array([[-1, -1], [1, -1], [1, -0.065], [-1, -0.055]], float)
    canvas.fill(px(above), col["has_back_color"], idx["back"], pat["back"], clip=px(body))
    anchors.update(
        back=np.array([-0.02, -0.20]), belly=np.array([-0.10, 0.19]), breast=np.array([0.29, 0.08])
    )

    for part, (a0, a1) in _SECTORS.items():
        canvas.fill(px(_sector(_HEAD, _HEAD_R, a0, a1)), col[f"has_{part}_color"], idx[part])
        anchors[part] = _polar(_HEAD, 0.68 * _HEAD_R, _SECTOR_ANCHOR[part])
    _outline(canvas, px(_ellipse(_HEAD, _HEAD_R, _HEAD_R)), ol)
    canvas.fill(px(_ellipse(_EYE, _EYE_R, _EYE_R)), col["has_eye_color"], idx[f"{near} eye"])
    canvas.fill(px(_ellipse(_EYE, 0.5 * _EYE_R, 0.5 * _EYE_R)), (8, 8, 8), idx[f"{near} eye"])
    anchors[f"{near} eye"] = _EYE

    beak, anchors["beak"] = _beak(values["has_bill_shape"], values["has_bill_length"])
    canvas.fill(px(beak), col["has_bill_color"], idx["beak"], outline=ol)
    wing, anchors[f"{near} wing"] = _wing(values["has_wing_shape"])
    canvas.fill(px(wing), col["has_wing_color"], idx[f"{near} wing"], pat["wing"], outline=ol)

    bird = canvas.label < _OCCLUDER
    if rng.random() < occlusion_prob:
        _occluder(canvas, px(anchors[str(rng.choice(sorted(anchors)))])[0], scale, rng)
    points = _visible_points(canvas.label, {idx[p]: px(a)[0] for p, a in anchors.items()})
    img = np.asarray(Image.fromarray(np.clip(canvas.rgb, 0, 255).astype(np.uint8)).reduce(_SS))
    noisy = img + rng.normal(0, 3.0, img.shape)
    return np.clip(np.round(noisy), 0, 255).astype(np.uint8), points, _box(bird)


def _outline(canvas: _Canvas, poly: np.ndarray, width: float) -> None:
    """A dark outline along a polygon, drawn only over bird pixels (keeps labels)."""
    h, w = canvas.label.shape
    edge = _poly_mask(poly, (w, h), width=max(1, round(width))) & (canvas.label < _OCCLUDER)
    canvas.rgb[edge] = 0.5 * canvas.rgb[edge] * 0.45 + 0.5 * 30


def _occluder(canvas: _Canvas, at: np.ndarray, scale: float, rng: np.random.Generator) -> None:
    """A cluster of leaves over a random part of the bird (label _OCCLUDER)."""
    centre = at + rng.normal(0, 0.08 * scale, 2)
    for _ in range(int(rng.integers(3, 7))):
        c = centre + rng.normal(0, 0.12 * scale, 2)
        rx, ry = rng.uniform(0.07, 0.15, 2) * scale
        rgb = (
            np.array(
                colorsys.hsv_to_rgb(rng.uniform(0.15, 0.4), rng.uniform(0.3, 0.7), rng.uniform(0.25, 0.6)),
                np.float32,
            )
            * 255
        )
        canvas.fill(_ellipse(c, rx, ry, 24), rgb, _OCCLUDER)


def _visible_points(label: np.ndarray, anchors: dict[int, np.ndarray]) -> np.ndarray:
    """(15, 3) points in output pixels: visible iff the anchor pixel shows its own part.

    An anchor covered by another bird part moves to the nearest pixel of its part; one under the
    occluder or outside the image is invisible (x = y = 0).
    """
    h, w = label.shape
    out = np.zeros((len(PART_NAMES), 3))
    for part, (x, y) in anchors.items():
        if not (0 <= x < w and 0 <= y < h):
            continue
        seen = label[int(y), int(x)]
        if seen == _OCCLUDER:
            continue
        if seen != part:
            ys, xs = np.nonzero(label == part)
            if len(xs) == 0:
                continue
            j = int(np.argmin((xs + 0.5 - x) ** 2 + (ys + 0.5 - y) ** 2))
            x, y = xs[j] + 0.5, ys[j] + 0.5
        out[part] = (x / _SS, y / _SS, 1.0)
    return out


def _box(mask: np.ndarray) -> np.ndarray:
    """Bounding box x, y, w, h (output pixels, integers) of a supersampled mask."""
    ys, xs = np.nonzero(mask)
    x0, y0 = np.floor(xs.min() / _SS), np.floor(ys.min() / _SS)
    x1, y1 = np.ceil((xs.max() + 1) / _SS), np.ceil((ys.max() + 1) / _SS)
    return np.array([x0, y0, x1 - x0, y1 - y0])


# --------------------------------------------------------------------------------------------------
# writing the CUB layout


def generate(
    out_dir: str | os.PathLike, cfg: SyntheticBirdsConfig | None = None, progress: bool = True
) -> Path:
    """Write the synthetic dataset to `out_dir` (CUB_200_2011/ + attributes.txt) atomically.

    Everything is built in a temporary folder beside `out_dir` and renamed at the end, so a killed
    run leaves nothing named `out_dir`; an existing `out_dir` is replaced.
    """
    cfg = cfg or SyntheticBirdsConfig()
    with atomic_dir(out_dir) as tmp:
        _write_dataset(tmp, cfg, progress)
    out = Path(out_dir)
    return out


def _write_dataset(base: Path, cfg: SyntheticBirdsConfig, progress: bool) -> None:
    """Render every image and write all CUB files into `base`."""
    root = base / "CUB_200_2011"
    for sub in ("images", "parts", "attributes"):
        (root / sub).mkdir(parents=True)
    truth = class_truth(cfg)
    names, probs = truth["class_names"], truth["attribute_probs"]
    n = cfg.n_classes * cfg.images_per_class
    labels = np.repeat(np.arange(cfg.n_classes), cfg.images_per_class)
    is_train = _split(cfg)
    attrs = np.zeros((n, N_ATTRIBUTES), dtype=np.int64)
    parts = np.zeros((n, len(PART_NAMES), 3))
    boxes = np.zeros((n, 4))
    visible_family = np.zeros((n, len(PART_FAMILIES)), dtype=bool)
    paths, mimicry = [], []
    for i in tqdm(range(n), desc="synthetic birds", disable=not progress):
        c = int(labels[i])
        rng = np.random.default_rng([cfg.seed, 1, i + 1])
        values = sample_values(probs[c], rng)
        mrng = np.random.default_rng([cfg.seed, 3, i + 1])  # its own stream: mimic_prob 0 changes nothing
        if cfg.mimic_prob > 0 and mrng.random() < cfg.mimic_prob:
            done = mimic_part(values, c, truth, probs, mrng)
            if done:
                mimicry.append({"image_id": i + 1, "part": done[0], "family": done[1]})
        img, parts[i], boxes[i] = render_bird(values, cfg.image_size, cfg.occlusion_prob, cfg.bird_scale, rng)
        attrs[i] = attribute_vector(values)
        for j, p in enumerate(PART_NAMES):
            visible_family[i, PART_FAMILIES.index(part_family(p))] |= parts[i, j, 2] > 0
        folder = names[c]
        stem = "_".join(w.capitalize() for w in folder.split(".", 1)[1].split("_"))
        paths.append(f"{folder}/{stem}_{i % cfg.images_per_class + 1:04d}_{i + 1}.jpg")
        (root / "images" / folder).mkdir(exist_ok=True)
        Image.fromarray(img).save(root / "images" / paths[-1], format="JPEG", quality=90)

    ids = np.arange(1, n + 1)
    _lines(root / "images.txt", (f"{i} {p}" for i, p in zip(ids, paths, strict=True)))
    _lines(root / "classes.txt", (f"{k + 1} {nm}" for k, nm in enumerate(names)))
    _lines(root / "image_class_labels.txt", (f"{i} {c + 1}" for i, c in zip(ids, labels, strict=True)))
    _lines(root / "train_test_split.txt", (f"{i} {int(t)}" for i, t in zip(ids, is_train, strict=True)))
    _lines(
        root / "bounding_boxes.txt",
        (f"{i} {b[0]:.1f} {b[1]:.1f} {b[2]:.1f} {b[3]:.1f}" for i, b in zip(ids, boxes, strict=True)),
    )
    _lines(root / "parts" / "parts.txt", (f"{j + 1} {p}" for j, p in enumerate(PART_NAMES)))
    _lines(
        root / "parts" / "part_locs.txt",
        (
            f"{i} {j + 1} {x:.1f} {y:.1f} {int(v)}"
            for i, pp in zip(ids, parts, strict=True)
            for j, (x, y, v) in enumerate(pp)
        ),
    )
    _lines(base / "attributes.txt", (f"{a + 1} {nm}" for a, nm in enumerate(attribute_names())))
    _lines(root / "attributes" / "certainties.txt", (f"{k + 1} {c}" for k, c in enumerate(CERTAINTIES)))
    _write_image_attributes(
        root / "attributes" / "image_attribute_labels.txt", attrs, visible_family, cfg.seed
    )
    percent = np.stack([100.0 * attrs[labels == k].mean(0) for k in range(cfg.n_classes)])
    _lines(
        root / "attributes" / "class_attribute_labels_continuous.txt",
        (" ".join(_py2_float(v) for v in row) for row in percent),
    )
    (root / "README").write_text(_README)
    truth = {**truth, "attribute_probs": probs.tolist(), "n_images": n}
    if cfg.mimic_prob > 0:
        truth["mimicry"] = mimicry
    (root / "synthetic_truth.json").write_text(json.dumps(truth, indent=1, sort_keys=True) + "\n")


def _split(cfg: SyntheticBirdsConfig) -> np.ndarray:
    """Exactly round(train_fraction * images_per_class) training images per class, seeded."""
    rng = np.random.default_rng([cfg.seed, 2])
    m = cfg.images_per_class
    k = min(max(round(cfg.train_fraction * m), 1), m - 1)
    flags = [np.isin(np.arange(m), rng.choice(m, size=k, replace=False)) for _ in range(cfg.n_classes)]
    return np.concatenate(flags)


def _write_image_attributes(path: Path, attrs: np.ndarray, visible_family: np.ndarray, seed: int) -> None:
    """'<img> <attr> <is_present> <certainty> <time>'; certainty 1 (not visible) for hidden parts."""
    owner = group_part_family()
    fam_of_attr = np.full(N_ATTRIBUTES, -1)
    for group, ix, _ in attribute_groups_table():
        if group in owner:
            fam_of_attr[list(ix)] = PART_FAMILIES.index(owner[group])
    vis = np.where(fam_of_attr[None, :] >= 0, visible_family[:, np.maximum(fam_of_attr, 0)], True)
    certainty = np.where(vis, 4, 1)
    times = np.random.default_rng([seed, 3]).gamma(2.0, 2.0, attrs.shape)
    n = attrs.shape[0]
    with path.open("w") as fh:
        for i in range(n):
            fh.write(
                "".join(
                    f"{i + 1} {a + 1} {attrs[i, a]} {certainty[i, a]} {times[i, a]:.4f}\n"
                    for a in range(N_ATTRIBUTES)
                )
            )


def _lines(path: Path, lines) -> None:
    """Write one line per item, LF-terminated."""
    path.write_text("".join(f"{line}\n" for line in lines))


def _py2_float(v: float) -> str:
    """CUB's number style (Python 2 str of a float): 12 significant digits, '0.0' for zero."""
    s = f"{v:.12g}"
    return s if any(ch in s for ch in ".en") else s + ".0"


_README = """Synthetic birds (delex): a generated twin of CUB-200-2011 in the official layout.
Same files and formats as the original archive; see synthetic_truth.json for the generating
families, the parts each family shares and the per-class attribute probabilities.
"""
