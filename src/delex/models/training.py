"""Joint training of a classifier and its hardness predictor (METHOD.md 4), GPU when present.

Phase 1 trains the classifier alone with cross-entropy (warm-up); the hardness predictor is then
initialised from the trained classifier's backbone and both are trained jointly: the classifier on the
hardness-weighted cross-entropy (weights s_i / mean(s), s detached), the predictor on the released
code's class-balanced linear loss (default) or binary cross-entropy with target 1 - p_true (p
detached); see `predictor_loss`. Model selection uses a validation split carved
from the training set, never the test set.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from delex.models.backbones import SplitClassifier, build_classifier, build_predictor

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@dataclass(frozen=True)
class TrainConfig:
    """Training schedule; defaults suit the CPU synthetic default."""

    epochs_warmup: int = 4
    epochs_joint: int = 8
    batch_size: int = 32
    lr: float = 2e-3
    predictor_lr: float = 1e-3
    weight_decay: float = 5e-4
    optimizer: str = "adamw"
    val_fraction: float = 0.15
    predictor_hidden: int = 64
    predictor_loss: str = "balanced_linear"
    augment: bool = True
    width: float = 0.125
    batch_norm: bool = True
    pretrained: bool = False
    dropout: float = 0.5


def resolve_device(name: str = "auto") -> torch.device:
    """'auto' picks CUDA when present, else CPU; an explicit 'cuda' without a GPU falls back to CPU."""
    if name in ("auto", "cuda") and torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")


def exact_float32(exact: bool = True) -> None:
    """Switch CUDA's TF32 convolutions and matmuls off (exact=True) or on.

    TF32 (the default for cuDNN convolutions on Ampere and newer) keeps 10 mantissa bits: measured on
    an H100, attribution maps then differ from the CPU's by up to 0.6 % of their range, enough to
    reorder near-tied pixels. Explanation jobs call this so CUDA and CPU agree to float32 rounding;
    training keeps TF32 for speed. No effect on the CPU.
    """
    torch.backends.cuda.matmul.allow_tf32 = not exact
    torch.backends.cudnn.allow_tf32 = not exact


def channels_last(x: torch.Tensor) -> torch.Tensor:
    """NHWC memory layout for a 4-D batch, the layout oneDNN's CPU convolutions run fastest in.

    Measured with `benchmarks/training_layout.py`: about 1.4x the training throughput of the
    default NCHW layout for VGG16 and ResNet-50 on one CPU thread. Values are unchanged; only
    the convolution algorithm (and so the float rounding) differs.
    """
    return x.contiguous(memory_format=torch.channels_last)


def channels_last_on(model: torch.nn.Module, device) -> torch.nn.Module:
    """The model's weights on device in NHWC layout (see `channels_last`); inputs may stay NCHW,
    convolutions then run in NHWC. Used by training, `load_models` and the sanity jobs alike."""
    return model.to(device, memory_format=torch.channels_last)


def normalise(images_uint8: torch.Tensor) -> torch.Tensor:
    """uint8 (B,3,S,S) -> float, ImageNet mean/std normalised."""
    mean = torch.tensor(IMAGENET_MEAN, device=images_uint8.device).view(1, 3, 1, 1)
    std = torch.tensor(IMAGENET_STD, device=images_uint8.device).view(1, 3, 1, 1)
    return (images_uint8.float() / 255.0 - mean) / std


def black_image(size: int, device: torch.device | str = "cpu") -> torch.Tensor:
    """The normalised all-black image (1,3,S,S): the integrated-gradients baseline."""
    return normalise(torch.zeros(1, 3, size, size, dtype=torch.uint8, device=device))


def validation_split(labels: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    """Stratified boolean mask of validation images (at least one per class with >= 2 images)."""
    rng = np.random.default_rng(seed)
    val = np.zeros(len(labels), dtype=bool)
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        n = int(round(fraction * len(idx)))
        n = min(max(n, 1 if len(idx) >= 2 else 0), len(idx) - 1)
        val[rng.choice(idx, size=n, replace=False)] = True
    return val


def _augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Random horizontal flips and up-to-8-pixel translations (reflect padding)."""
    b, _, s, _ = x.shape
    flip = torch.rand(b, generator=gen) < 0.5
    x = torch.where(flip.to(x.device).view(b, 1, 1, 1), x.flip(-1), x)
    pad = max(1, s // 14)
    xp = F.pad(x, (pad, pad, pad, pad), mode="reflect")
    dx, dy = torch.randint(0, 2 * pad + 1, (2,), generator=gen).tolist()
    return xp[:, :, dy : dy + s, dx : dx + s]


def _batches(n: int, batch_size: int, gen: torch.Generator | None):
    order = torch.randperm(n, generator=gen) if gen is not None else torch.arange(n)
    for i in range(0, n, batch_size):
        yield order[i : i + batch_size]


@torch.no_grad()
def predict(model, images_uint8: torch.Tensor, device, batch_size: int = 128) -> torch.Tensor:
    """Model outputs (logits, or predictor logits) for uint8 images, batched, on CPU."""
    model.eval()
    out = [
        model(normalise(images_uint8[i : i + batch_size].to(device))).cpu()
        for i in range(0, len(images_uint8), batch_size)
    ]
    return torch.cat(out)


PREDICTOR_LOSSES = ("bce", "balanced_linear")


def predictor_loss(s: torch.Tensor, p_true: torch.Tensor, kind: str) -> torch.Tensor:
    """Hardness-predictor loss that makes s large where the true-class probability p is small
    (METHOD.md 4): "bce", binary cross-entropy with target 1 - p; "balanced_linear", the released
    code's linear loss 1 - [s (1 - p) + (1 - s) p], averaged over hard (p < 0.5) and easy samples
    separately and then over the two groups, so a few hard samples weigh as much as many easy ones."""
    if kind == "bce":
        return F.binary_cross_entropy(s, 1.0 - p_true)
    if kind != "balanced_linear":
        raise ValueError(f"train.predictor_loss: unknown {kind!r}; choose from {PREDICTOR_LOSSES}")
    per = 1.0 - (s * (1.0 - p_true) + (1.0 - s) * p_true)
    hard = p_true < 0.5
    groups = [per[m].mean() for m in (hard, ~hard) if m.any()]
    return torch.stack(groups).mean()


def _optimizer(params, cfg: TrainConfig, lr: float):
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=cfg.weight_decay)
    return torch.optim.AdamW(params, lr=lr, weight_decay=cfg.weight_decay)


def train(
    arch: str,
    images: np.ndarray,
    labels: np.ndarray,
    n_classes: int,
    cfg: TrainConfig,
    seed: int,
    device: str = "auto",
    progress: bool = True,
) -> tuple[SplitClassifier, torch.nn.Module, list[dict]]:
    """Train classifier + hardness predictor on the training images; returns the selected models and
    the per-epoch curve (list of dicts: epoch, phase, losses, train/val accuracy, seconds)."""
    dev = resolve_device(device)
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    val_mask = validation_split(labels, cfg.val_fraction, seed)
    x_tr = torch.from_numpy(images[~val_mask])
    y_tr = torch.from_numpy(labels[~val_mask]).long()
    x_va = torch.from_numpy(images[val_mask])
    y_va = torch.from_numpy(labels[val_mask]).long()

    model = build_classifier(arch, n_classes, cfg.width, cfg.batch_norm, cfg.pretrained, cfg.dropout)
    model = channels_last_on(model, dev)
    opt = _optimizer(model.parameters(), cfg, cfg.lr)
    total = cfg.epochs_warmup + cfg.epochs_joint
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=cfg.lr, total_steps=total * -(-len(x_tr) // cfg.batch_size), pct_start=0.2
    )
    predictor, popt = None, None
    best, best_key, curve = None, None, []
    bar = tqdm(range(total), desc=f"train {arch} seed {seed}", disable=not progress)
    for epoch in bar:
        joint = epoch >= cfg.epochs_warmup
        if joint and predictor is None:
            predictor = build_predictor(model, cfg.predictor_hidden).to(dev)
            popt = _optimizer(predictor.parameters(), cfg, cfg.predictor_lr)
        t0 = time.perf_counter()
        model.train()
        if predictor is not None:
            predictor.train()
        sums = {"loss": 0.0, "ploss": 0.0, "correct": 0, "n": 0}
        for idx in _batches(len(x_tr), cfg.batch_size, gen):
            x = normalise(x_tr[idx].to(dev))
            if cfg.augment:
                x = _augment(x, gen)
            x = channels_last(x)
            y = y_tr[idx].to(dev)
            logits = model(x)
            ce = F.cross_entropy(logits, y, reduction="none")
            if predictor is not None:
                s = torch.sigmoid(predictor(x))
                w = s.detach() / s.detach().mean().clamp_min(1e-6)
                loss = (w * ce).mean()
                p_true = logits.softmax(1).gather(1, y[:, None]).squeeze(1).detach()
                ploss = predictor_loss(s, p_true, cfg.predictor_loss)
                popt.zero_grad()
                ploss.backward()
                popt.step()
                sums["ploss"] += ploss.item() * len(idx)
            else:
                loss = ce.mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            sums["loss"] += loss.item() * len(idx)
            sums["correct"] += (logits.argmax(1) == y).sum().item()
            sums["n"] += len(idx)
        val_acc, val_ploss = evaluate(model, predictor, x_va, y_va, dev)
        row = {
            "epoch": epoch + 1,
            "phase": "joint" if joint else "warmup",
            "train_loss": sums["loss"] / sums["n"],
            "predictor_loss": sums["ploss"] / sums["n"] if joint else float("nan"),
            "train_acc": sums["correct"] / sums["n"],
            "val_acc": val_acc,
            "val_predictor_loss": val_ploss,
            "seconds": time.perf_counter() - t0,
        }
        curve.append(row)
        bar.set_postfix(loss=f"{row['train_loss']:.3f}", val_acc=f"{val_acc:.3f}")
        # Select among joint epochs only, so the returned pair was trained together.
        key = (val_acc, -val_ploss)
        if joint and (best_key is None or key > best_key):
            best_key = key
            best = (copy.deepcopy(model.state_dict()), copy.deepcopy(predictor.state_dict()))
    if best is None:  # no joint epoch configured: predictor from the final classifier, untrained
        predictor = build_predictor(model, cfg.predictor_hidden).to(dev)
    else:
        model.load_state_dict(best[0])
        predictor.load_state_dict(best[1])
    # Back to the default layout, so checkpoints and every later job see plain NCHW tensors.
    plain = torch.contiguous_format
    return model.eval().to("cpu", memory_format=plain), predictor.eval().to("cpu", memory_format=plain), curve


@torch.no_grad()
def evaluate(model, predictor, x_uint8, y, device) -> tuple[float, float]:
    """Validation accuracy and predictor BCE (NaN without predictor or images)."""
    if len(x_uint8) == 0:
        return float("nan"), float("nan")
    logits = predict(model, x_uint8, device)
    acc = (logits.argmax(1) == y).float().mean().item()
    if predictor is None:
        return acc, float("nan")
    s = torch.sigmoid(predict(predictor, x_uint8, device))
    p_true = logits.softmax(1).gather(1, y[:, None]).squeeze(1)
    return acc, F.binary_cross_entropy(s, 1.0 - p_true).item()
