"""CUB-200-2011 parts and the attribute groups that describe each part (METHOD.md section 5)."""

from __future__ import annotations

PART_NAMES: tuple[str, ...] = (
    "back",
    "beak",
    "belly",
    "breast",
    "crown",
    "forehead",
    "left eye",
    "left leg",
    "left wing",
    "nape",
    "right eye",
    "right leg",
    "right wing",
    "tail",
    "throat",
)
N_PARTS = len(PART_NAMES)
N_ATTRIBUTES = 312

# Attribute groups per part, as inclusive 1-based id ranges of attributes.txt. Each range is one
# attribute group (e.g. bill shape, bill length, bill colour); a part's similarity is averaged over them.
_GROUPS_1BASED: dict[str, tuple[tuple[int, int], ...]] = {
    "back": ((59, 73), (237, 240)),
    "beak": ((1, 9), (150, 152), (279, 293)),
    "belly": ((198, 212), (245, 248)),
    "breast": ((55, 58), (106, 120)),
    "crown": ((294, 308),),
    "forehead": ((153, 167),),
    "eye": ((136, 149),),
    "leg": ((264, 278),),
    "wing": ((10, 24), (213, 217), (309, 312)),
    "nape": ((183, 197),),
    "tail": ((74, 79), (80, 94), (168, 182), (241, 244)),
    "throat": ((121, 135),),
}


def part_family(part: str) -> str:
    """Left and right parts share attribute groups: 'left eye' -> 'eye'."""
    return part.replace("left ", "").replace("right ", "")


def attribute_groups(part: str) -> list[list[int]]:
    """0-based attribute indices of each attribute group describing `part`."""
    return [list(range(a - 1, b)) for a, b in _GROUPS_1BASED[part_family(part)]]


PART_GROUPS: tuple[tuple[tuple[int, ...], ...], ...] = tuple(
    tuple(tuple(g) for g in attribute_groups(p)) for p in PART_NAMES
)


def part_points(data: dict, variant: str):
    """Part points (N, 15, 3) on the input grid of prepared data: mapped like the image (paper) or
    squashed (released code)."""
    return data["parts"] if variant == "paper" else data["parts_released"]
