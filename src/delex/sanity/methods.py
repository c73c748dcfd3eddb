"""The explained methods: one post-processed (B, S, S) map per image for its ground-truth class.

Library where it is right (Captum: Grad-CAM, Integrated Gradients, SmoothGrad, Occlusion); by hand
where no library is (LRP: see delex.sanity.lrp; RISE: delex.sanity.rise); plus the deliberative maps
of METHOD.md (difficulty attribution and the top ambiguity map) as extra rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from captum.attr import IntegratedGradients, LayerAttribution, LayerGradCam, NoiseTunnel, Occlusion, Saliency

from delex import insecurity as ins
from delex.deliberative import ExplainSettings, attribution_maps
from delex.sanity.lrp import lrp
from delex.sanity.maps import postprocess, upsample_to
from delex.sanity.rise import rise, rise_masks
from delex.sanity.settings import DELIBERATIVE, METHODS


@dataclass(frozen=True)
class MethodSettings:
    """SANITY.md's settings; the config's `sanity.methods` may shrink them for the CPU default."""

    ig_steps: int = 50
    smoothgrad_samples: int = 10
    smoothgrad_sigma: float = 0.1
    occlusion_window: int = 8
    occlusion_stride: int = 8
    rise_masks: int = 5000
    rise_grid: int = 7
    rise_p: float = 0.1
    lrp_gamma: float = 0.25
    batch: int = 64
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_config(cls, cfg: dict) -> MethodSettings:
        keys = [k for k in cls.__dataclass_fields__ if k != "extra"]
        return cls(**{k: cfg[k] for k in keys if k in cfg})


def _gradcam(model, x, target, st):
    layer = model.features[-1]  # output of the last conv block (after its ReLU / the last Bottleneck)
    cam = LayerGradCam(model, layer).attribute(x, target=target, relu_attributions=False)
    return LayerAttribution.interpolate(cam, tuple(x.shape[-2:]), interpolate_mode="bilinear")


def _ig(model, x, target, st):
    ig = IntegratedGradients(model)  # riemann_right: alpha = i / n (Captum's default is Gauss-Legendre)
    return ig.attribute(
        x,
        torch.zeros_like(x),
        target=target,
        n_steps=st.ig_steps,
        method="riemann_right",
        internal_batch_size=st.batch,
    )


def _smoothgrad(model, x, target, st):
    nt = NoiseTunnel(Saliency(model))  # signed gradients: Saliency takes |grad| unless abs=False
    return nt.attribute(
        x,
        nt_type="smoothgrad",
        nt_samples=st.smoothgrad_samples,
        stdevs=st.smoothgrad_sigma,
        target=target,
        abs=False,
        nt_samples_batch_size=st.batch,
    )


def _occlusion(model, x, target, st):
    w, s = st.occlusion_window, st.occlusion_stride
    return Occlusion(model).attribute(
        x,
        sliding_window_shapes=(3, w, w),
        strides=(3, s, s),
        baselines=0.0,
        target=target,
        perturbations_per_eval=st.batch,
    )


def _deliberative(model, predictor, x, which: str):
    """Difficulty-attribution map (hardness score, gradient attribution, METHOD.md 3) or the ambiguity
    map of the two most probable classes (the top candidate pair), upsampled to the input."""
    st = ExplainSettings(score="hardness", attribution="gradient")
    class_maps, diff, probs = attribution_maps(model, predictor, x, st)
    if which == "difficulty":
        low = diff
    else:
        cand = ins.candidate_classes(probs, 2)
        cand_maps = class_maps.gather(1, cand[:, :, None, None].expand(-1, -1, *class_maps.shape[-2:]))
        low = ins.ambiguity_maps(cand_maps, diff)[:, 0]
    return upsample_to(low, x.shape[-1])


def explain_batch(method: str, model, x, target, st: MethodSettings, generator=None, predictor=None):
    """(B, S, S) post-processed map of `method` for x (B, 3, S, S) normalised and target (B,)."""
    model.eval()
    x = x.detach()
    if method == "gradcam":
        a = _gradcam(model, x, target, st)
    elif method == "integrated_gradients":
        a = _ig(model, x, target, st)
    elif method == "smoothgrad":
        if generator is not None:  # NoiseTunnel draws from the global generator: seed it from ours
            torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=generator)))
        a = _smoothgrad(model, x, target, st)
    elif method == "lrp":
        a = lrp(model, x, target, gamma=st.lrp_gamma)
    elif method == "occlusion":
        a = _occlusion(model, x, target, st)
    elif method == "rise":
        masks = rise_masks(st.rise_masks, x.shape[-1], st.rise_grid, st.rise_p, generator)
        a = rise(model, x, target, masks, st.rise_p, st.batch)
    elif method in DELIBERATIVE:
        if predictor is None:
            raise ValueError(f"method {method!r} needs the hardness predictor")
        a = _deliberative(model, predictor, x, method)
    else:
        raise ValueError(f"method: unknown {method!r}; choose from {METHODS + DELIBERATIVE}")
    return postprocess(a)
