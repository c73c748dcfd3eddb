"""The config's `sanity:` block (cross-key checks, the map variants it explains) and the names of
the methods and insertion/deletion configurations, kept free of torch for tables and figures."""

from __future__ import annotations

from delex.errors import ConfigError

# Names only (no Captum import here: the Snakefile reads this module at parse time).
METHODS = ("gradcam", "integrated_gradients", "smoothgrad", "lrp", "occlusion", "rise")
DELIBERATIVE = ("difficulty", "ambiguity")

# Figure and table labels of the map variants.
LABELS = {
    "gradcam": "Grad-CAM",
    "integrated_gradients": "IG",
    "smoothgrad": "SmoothGrad",
    "lrp": "LRP",
    "occlusion": "Occlusion",
    "rise": "RISE",
    "difficulty": "Difficulty (delib.)",
    "ambiguity": "Ambiguity (delib.)",
    "integrated_gradients_blur": "IG (blurred)",
    "smoothgrad_blur": "SmoothGrad (blurred)",
}

BLUR_SUFFIX = "_blur"

# Insertion/deletion configurations (SANITY.md), here so that tables and figures need no torch.
BASELINES = ("zero", "uniform", "blur")
MODES = ("pixel", "region")
CONFIGS = tuple((b, m) for m in MODES for b in BASELINES)  # paper order: (1) zero+pixel ... (6) blur+region


def config_name(baseline: str, mode: str) -> str:
    """Column name of an insertion/deletion configuration, e.g. "blur+region"."""
    return f"{baseline}+{mode}"


def check_sanity(config: dict) -> None:
    """Cross-key checks of `sanity` (the schema checks the types); raises ConfigError naming the key."""
    san = config.get("sanity") or {}
    if not san.get("enabled", False):
        return
    for m in san["methods"]:
        if m not in METHODS + DELIBERATIVE:
            raise ConfigError(f"sanity.methods: unknown {m!r}; choose from {METHODS + DELIBERATIVE}")
    if san.get("source", "chain") == "imagenet":
        root = (san.get("imagenet") or {}).get("root")
        if not root:
            raise ConfigError("sanity.imagenet.root: required when sanity.source is 'imagenet'")
        bad = [m for m in san["methods"] if m in DELIBERATIVE]
        if bad:
            raise ConfigError(
                f"sanity.methods: {bad} need the hardness predictor of the main chain (source: chain)"
            )
        for arch in san["archs"]:
            if arch not in ("vgg16", "resnet50"):
                raise ConfigError(f"sanity.archs: {arch!r}: ImageNet source supports vgg16 and resnet50")
        return check_blurred(san)
    for arch in san["archs"]:
        if arch not in config["explain"]["architectures"]:
            raise ConfigError(f"sanity.archs: {arch!r} is not trained (add it to explain.architectures)")
    for run in san["runs"]:
        if run not in config["runs"]:
            raise ConfigError(f"sanity.runs: run {run} is not in runs {config['runs']}")
    check_blurred(san)


def check_blurred(san: dict) -> None:
    for m in san["blurred"]:
        if m not in san["methods"]:
            raise ConfigError(f"sanity.blurred: {m!r} must also be listed in sanity.methods")


def variants(san: dict) -> list[str]:
    """Every map variant scored: each method, then the blurred copies (Figure 4)."""
    return list(san["methods"]) + [m + BLUR_SUFFIX for m in san["blurred"]]


def base_method(variant: str) -> str:
    return variant.removesuffix(BLUR_SUFFIX)
