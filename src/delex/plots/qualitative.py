"""Figure 3: deliberative visualisations - image, insecurities, the ambiguous class pair with example
images, and the attributes of the part they share."""

from __future__ import annotations

import numpy as np
import torch

from delex.groundtruth.triplets import common_parts
from delex.insecurity import pixel_ranks, upsample
from delex.parts import PART_NAMES, attribute_groups, part_family
from delex.plots.style import subplots


def pretty_attribute(name: str) -> str:
    """'has_wing_color::blue' -> 'wing color is blue'."""
    group, _, value = name.partition("::")
    group = group.removeprefix("has_").replace("_", " ")
    return f"{group} is {value.replace('_', ' ')}"


def shared_attributes(class_attributes: np.ndarray, names: list[str], a: int, b: int, parts, limit=4):
    """Attribute values of the shared parts most present in both classes (largest min percentage)."""
    lines, seen = [], set()
    for k in np.flatnonzero(parts):
        fam = part_family(PART_NAMES[k])
        if fam in seen:
            continue
        seen.add(fam)
        for group in attribute_groups(PART_NAMES[k]):
            both = np.minimum(class_attributes[a, group], class_attributes[b, group])
            best = group[int(np.argmax(both))]
            if both.max() > 0:
                lines.append((both.max(), pretty_attribute(names[best])))
    lines.sort(key=lambda t: -t[0])
    return [t for _, t in lines[:limit]]


def choose_insecurities(table, n_images: int, per_image: int = 2):
    """The images with most well-defined insecurities; their `per_image` most important ones."""
    ok = table[table["precision"].notna()]
    counts = ok.groupby("image").size().sort_values(ascending=False, kind="stable")
    picks = []
    for image in counts.index[:n_images]:
        rows = ok[ok["image"] == image].sort_values("importance", ascending=False).head(per_image)
        picks.append((int(image), rows.index.to_list()))
    return picks


def evaluated_region(low_map: np.ndarray, size: int, n_in: int) -> tuple[np.ndarray, np.ndarray]:
    """(upsampled map, region) of one insecurity exactly as evaluated: the n_in top-ranked pixels
    (ties by raster order) where the map is positive."""
    up = upsample(torch.from_numpy(np.asarray(low_map)[None]), size)
    region = ((pixel_ranks(up)[0] < n_in).reshape(size, size) & (up[0] > 0)).numpy()
    return up[0].numpy(), region


def _example(images, labels, is_train, cls, rng):
    idx = np.flatnonzero((labels == cls) & is_train)
    return images[rng.choice(idx)] if len(idx) else np.zeros_like(images[0])


def qualitative_figure(expl, table, data, dataset, selected, n_examples: int, coverage_index: int, seed=0):
    """Rows of [image + insecurity | class a example | class b example | shared attributes]."""
    rng = np.random.default_rng(seed)
    picks = choose_insecurities(table, n_examples)
    if not picks:  # say so instead of drawing empty axes
        fig, ax = subplots(figsize=(8, 1.6))
        ax.axis("off")
        ax.text(
            0.5,
            0.5,
            "No insecurity with part points to show: the difficulty attribution map of the\n"
            "explained images was nowhere positive (see the explanation log of this run).",
            ha="center",
            va="center",
            fontsize=10,
        )
        return fig
    n_rows = max(1, sum(len(r) for _, r in picks))
    fig, axes = subplots(
        n_rows, 4, figsize=(11, 2.7 * n_rows), squeeze=False, gridspec_kw={"width_ratios": [1, 1, 1, 1.5]}
    )
    names, attrs = dataset["display_names"], np.asarray(dataset["class_attributes"])
    size = data["images"].shape[-1]
    row = 0
    for image, ins_rows in picks:
        gi = int(expl["image_index"][image])
        img = data["images"][gi].transpose(1, 2, 0)
        for q in ins_rows:
            a, b = int(expl["ins_pair"][q, 0]), int(expl["ins_pair"][q, 1])
            up, region = evaluated_region(expl["ins_map"][q], size, int(expl["region_sizes"][coverage_index]))
            shared = common_parts(selected, a, b)
            ax = axes[row, 0]
            ax.imshow(img)
            ax.imshow(np.ma.masked_where(~region, up), cmap="autumn", alpha=0.55)
            ax.contour(region, levels=[0.5], colors="yellow", linewidths=1)
            pts = data["parts"][gi]
            vis = pts[:, 2] > 0
            ax.scatter(pts[vis & shared, 0], pts[vis & shared, 1], c="lime", s=22, edgecolors="k", lw=0.5)
            ax.scatter(pts[vis & ~shared, 0], pts[vis & ~shared, 1], c="white", s=8, edgecolors="k", lw=0.3)
            true = names[int(data["labels"][gi])]
            ax.set_title(f"{true}\ninsecurity ({expl['coverages'][coverage_index]:.0%})", fontsize=8)
            for j, cls in ((1, a), (2, b)):
                axes[row, j].imshow(
                    _example(data["images"], data["labels"], data["is_train"], cls, rng).transpose(1, 2, 0)
                )
                axes[row, j].set_title(f"class: {names[cls]}", fontsize=8)
            text = shared_attributes(attrs, dataset["attribute_names"], a, b, shared)
            parts = sorted({part_family(PART_NAMES[k]) for k in np.flatnonzero(shared)})
            body = "Shared parts: " + (", ".join(parts) if parts else "none in ground truth")
            body += "".join(f"\n- {t}" for t in text)
            axes[row, 3].text(0.0, 0.95, body, va="top", ha="left", fontsize=8, wrap=True)
            row += 1
    return finish_panels(
        fig, axes, "Deliberative explanations: insecurity, ambiguous classes, shared part (green dots)"
    )


def finish_panels(fig, axes, title: str):
    """Image panels without ticks or grid, the last column (text) without axes, a title."""
    for ax in axes.flat:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    for ax in axes[:, -1]:
        ax.axis("off")
    fig.suptitle(title)
    fig.tight_layout()
    return fig
