"""Figure 4: deliberative visualisations on scenes - image with one insecurity, the ambiguous scene
pair with example images, and the common objects (their union mask outlined in the image)."""

from __future__ import annotations

import numpy as np

from delex.datasets.ade_layout import short_name
from delex.plots.qualitative import _example, evaluated_region, finish_panels
from delex.plots.style import subplots


def choose_scene_insecurities(expl: dict, coverage_index: int, n: int) -> list[int]:
    """One insecurity per image for the n images with the largest best IoU: its best insecurity."""
    iou = np.nan_to_num(expl["ins_iou"][:, coverage_index], nan=-1.0)
    best: dict[int, int] = {}
    for q in np.argsort(-iou, kind="stable"):
        best.setdefault(int(expl["ins_image"][q]), int(q))
    return list(best.values())[:n]


def scene_figure(expl, data, dataset, selected, annotations, n_examples: int, coverage_index: int, seed=0):
    """Rows of [scene + insecurity | scene a example | scene b example | common objects]."""
    rng = np.random.default_rng(seed)
    picks = choose_scene_insecurities(expl, coverage_index, n_examples)
    if not picks:
        fig, ax = subplots(figsize=(8, 1.6))
        ax.axis("off")
        ax.text(0.5, 0.5, "No insecurity to show: the difficulty attribution map was nowhere positive.",
                ha="center", va="center")  # fmt: skip
        return fig
    fig, axes = subplots(
        len(picks),
        4,
        figsize=(11, 2.6 * len(picks)),
        squeeze=False,
        gridspec_kw={"width_ratios": [1, 1, 1, 1.3]},
    )
    names, objects = dataset["display_names"], dataset["object_names"]
    size = data["images"].shape[-1]
    cov = expl["coverages"][coverage_index]
    for row, q in enumerate(picks):
        gi = int(expl["image_index"][expl["ins_image"][q]])
        a, b = (int(c) for c in expl["ins_pair"][q])
        up, region = evaluated_region(expl["ins_map"][q], size, int(expl["region_sizes"][coverage_index]))
        common = np.flatnonzero(selected[:, a, b]) + 1  # object indices
        present = [k for k in common if (annotations[gi] == k).any()]
        mask = np.isin(annotations[gi], present)
        ax = axes[row, 0]
        ax.imshow(data["images"][gi].transpose(1, 2, 0))
        ax.imshow(np.ma.masked_where(~region, up), cmap="autumn", alpha=0.55)
        ax.contour(region, levels=[0.5], colors="yellow", linewidths=1)
        if mask.any():
            ax.contour(mask, levels=[0.5], colors="lime", linewidths=0.8, linestyles="--")
        iou = expl["ins_iou"][q, coverage_index]
        ax.set_title(f"{names[int(data['labels'][gi])]}\ninsecurity ({cov:.0%}), IoU {iou:.2f}", fontsize=8)
        for j, cls in ((1, a), (2, b)):
            ex = _example(data["images"], data["labels"], data["is_train"], cls, rng)
            axes[row, j].imshow(ex.transpose(1, 2, 0))
            axes[row, j].set_title(f"scene: {names[cls]}", fontsize=8)
        body = "Common objects:\n" + ("\n".join(f"- {short_name(objects[k - 1])}" for k in common) or "none")
        body += "\n\nin this image: " + (", ".join(short_name(objects[k - 1]) for k in present) or "none")
        axes[row, 3].text(0.0, 0.95, body, va="top", ha="left", fontsize=8, wrap=True)
    title = "Deliberative explanations on scenes: insecurity (yellow), common objects (green dashes)"
    return finish_panels(fig, axes, title)
