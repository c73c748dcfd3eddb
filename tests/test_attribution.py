"""Attribution maps: logit products, closed-form Hessian blocks vs double backprop, IG vs Captum."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from delex.attribution.integrated import integrated_maps
from delex.attribution.maps import (
    difficulty_map,
    difficulty_map_released,
    entropy_map,
    hesitancy_map,
    logit_class_maps,
    score_logit_gradient,
    sigmoid_map,
    sigmoid_map_released,
    softmax_class_maps,
)
from delex.attribution.products import logit_attributions, weighted_attribution

TOL = 1e-8
N_CLASSES = 4


class Tiny(nn.Module):
    """A split network head(features(x)) small enough for per-location double backprop."""

    def __init__(self, head: nn.Module):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU())
        self.head = head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def _scale(net: nn.Module, factor: float) -> nn.Module:
    """Spread the toy logits over a few units so that no softmax saturates."""
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(factor)
    return net


@pytest.fixture(scope="module")
def nets() -> tuple[Tiny, Tiny, torch.Tensor, torch.Tensor]:
    """Classifier, hardness predictor, two 6x6 images (A is 4x4) and the black baseline."""
    torch.manual_seed(0)
    clf = Tiny(
        nn.Sequential(
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(16, 8),
            nn.ReLU(),
            nn.Linear(8, N_CLASSES),
        )
    )
    pred = Tiny(
        nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(4, 8),
            nn.ReLU(),
            nn.Linear(8, 1),
            nn.Flatten(0),
        )
    )
    clf, pred = _scale(clf.double().eval(), 2.0), _scale(pred.double().eval(), 3.0)
    with torch.no_grad():
        pred.head[4].bias.fill_(3.0)  # s away from 1/2, so the sigmoid curvature term matters
    x = torch.randn(2, 3, 6, 6, dtype=torch.float64)
    mean = torch.tensor([0.485, 0.456, 0.406], dtype=torch.float64)[:, None, None]
    std = torch.tensor([0.229, 0.224, 0.225], dtype=torch.float64)[:, None, None]
    x0 = ((0 - mean) / std).expand(1, 3, 6, 6)
    return clf, pred, x, x0


def _activations(net: Tiny, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return net.features(x)


def test_logit_attributions_equal_per_class_loop(nets):
    clf, pred, x, _ = nets
    A = _activations(clf, x)
    direction = torch.randn_like(A)
    for d in (None, direction):
        q, u = logit_attributions(clf.head, A, direction=d, chunk=3)
        dd = A if d is None else d
        a = A.clone().requires_grad_(True)
        logits = clf.head(a)
        for c in range(N_CLASSES):
            (g,) = torch.autograd.grad(logits[:, c].sum(), a, retain_graph=True)
            assert torch.allclose(q[:, c], (g * dd).sum(1), atol=1e-12, rtol=0)
        assert torch.allclose(u, logits.detach())
    A_s = _activations(pred, x)
    q_s, v = logit_attributions(pred.head, A_s)
    a = A_s.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(pred.head(a).sum(), a)
    assert q_s.shape == (2, 1, 4, 4) and v.shape == (2, 1)
    assert torch.allclose(q_s[:, 0], (g * A_s).sum(1), atol=1e-12, rtol=0)
    q_pos, _ = logit_attributions(pred.head, A_s, positive_grad=True)
    assert torch.allclose(q_pos[:, 0], (g.clamp(min=0) * A_s).sum(1), atol=1e-12, rtol=0)


def _exact_terms(g, A1: torch.Tensor, i: int, j: int) -> tuple[float, float]:
    """grad . a_l and a_l^T H a_l of scalar g at A1 (1,D,h,w); a_l = A1 masked to location (i,j)."""
    a_l = torch.zeros_like(A1)
    a_l[0, :, i, j] = A1[0, :, i, j]
    _, hv = torch.autograd.functional.hvp(g, A1, a_l)
    a = A1.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(g(a), a)
    return float((grad * a_l).sum()), float((hv * a_l).sum())


def _check_scores(scores: dict, A: torch.Tensor, errors: dict) -> None:
    """Compare closed-form first/second-order maps (B,h,w) with exact per-location derivatives."""
    for name, (g_of_b, first, second) in scores.items():
        for b in range(A.shape[0]):
            for i in range(A.shape[2]):
                for j in range(A.shape[3]):
                    f1, f2 = _exact_terms(g_of_b(b), A[b : b + 1], i, j)
                    e1 = abs(f1 - float(first[b, i, j]))
                    e2 = abs(0.5 * f2 - float(second[b, i, j]))
                    errors[name] = max(errors.get(name, 0.0), e1, e2)


def test_second_order_closed_forms_match_double_backprop(nets):
    clf, pred, x, _ = nets
    A, A_s = _activations(clf, x), _activations(pred, x)
    q, u = logit_attributions(clf.head, A)
    q_s, v = logit_attributions(pred.head, A_s)
    y = u.argmax(1)
    assert u.softmax(1).max() < 0.99  # the toy softmax is not saturated

    def prob(c):
        return lambda b: lambda a: torch.softmax(clf.head(a), 1)[0, c]

    scores = {}
    m1, m2 = softmax_class_maps(q, u, 1), softmax_class_maps(q, u, 2)
    for c in range(N_CLASSES):
        scores[f"softmax class {c}"] = (prob(c), m1[:, c], m2[:, c] - m1[:, c])
    h1, h2 = hesitancy_map(q, u, 1), hesitancy_map(q, u, 2)
    scores["hesitancy"] = (
        lambda b: lambda a: 1 - torch.softmax(clf.head(a), 1)[0, y[b]],
        h1,
        h2 - h1,
    )
    e1, e2 = entropy_map(q, u, 1), entropy_map(q, u, 2)

    def entropy(b):
        def g(a):
            logp = torch.log_softmax(clf.head(a), 1)
            return -(logp.exp() * logp).sum() / math.log(N_CLASSES)

        return g

    scores["entropy"] = (entropy, e1, e2 - e1)
    errors: dict = {}
    _check_scores(scores, A, errors)
    s1, s2 = sigmoid_map(q_s, v, 1), sigmoid_map(q_s, v, 2)
    hard = {"hardness (sigmoid)": (lambda b: lambda a: torch.sigmoid(pred.head(a))[0], s1, s2 - s1)}
    _check_scores(hard, A_s, errors)
    # raw logits: the Hessian block is exactly zero, so gradient-Hessian == gradient
    for c in range(N_CLASSES):
        for i in range(4):
            for j in range(4):
                _, f2 = _exact_terms(lambda a, c=c: clf.head(a)[0, c], A[:1], i, j)
                errors["raw logit block"] = max(errors.get("raw logit block", 0.0), abs(f2))
    print("max |closed form - double backprop|:", errors)
    assert max(errors.values()) < TOL, errors
    # the dispatcher agrees with the named maps
    assert torch.equal(difficulty_map("entropy", q, u, 2), e2)
    assert torch.equal(difficulty_map("hesitancy", q, u, 1), h1)
    assert torch.equal(difficulty_map("hardness", q_s, v[:, 0], 2), s2)


def test_score_gradients_and_released_variants(nets):
    clf, pred, x, _ = nets
    A, A_s = _activations(clf, x), _activations(pred, x)
    q, u = logit_attributions(clf.head, A)
    q_s, v = logit_attributions(pred.head, A_s)
    fns = {
        "hesitancy": lambda z: 1 - z.softmax(1).gather(1, u.argmax(1, keepdim=True))[:, 0],
        "entropy": lambda z: -(z.softmax(1) * z.log_softmax(1)).sum(1) / math.log(N_CLASSES),
    }
    for name, fn in fns.items():
        z = u.clone().requires_grad_(True)
        (gz,) = torch.autograd.grad(fn(z).sum(), z)
        w = score_logit_gradient(name, u)
        assert torch.allclose(w, gz, atol=1e-14)
        # first-order map == one weighted VJP (the map is linear in the per-class products)
        assert torch.allclose(weighted_attribution(clf.head, A, w), difficulty_map(name, q, u, 1))
        # released: positive part of ds/dA times A, plus 1/2 |a^T H a|
        a = A.clone().requires_grad_(True)
        (gA,) = torch.autograd.grad(fn(clf.head(a)).sum(), a)
        first = (gA.clamp(min=0) * A).sum(1)
        second = (difficulty_map(name, q, u, 2) - difficulty_map(name, q, u, 1)).abs()
        assert torch.allclose(difficulty_map_released(name, clf.head, A, 1), first, atol=1e-14)
        got = difficulty_map_released(name, clf.head, A, 2, q=q)
        assert torch.allclose(got, first + second, atol=1e-14)
    a = A_s.clone().requires_grad_(True)
    (gA,) = torch.autograd.grad(torch.sigmoid(pred.head(a)).sum(), a)
    s = torch.sigmoid(v[:, 0])[:, None, None]
    expect = (gA.clamp(min=0) * A_s).sum(1) + 0.5 * (s * (1 - s) * (1 - 2 * s)).abs() * q_s[:, 0] ** 2
    assert torch.allclose(sigmoid_map_released(pred.head, A_s, 2), expect, atol=1e-14)
    assert torch.allclose(sigmoid_map_released(pred.head, A_s, 1), (gA.clamp(min=0) * A_s).sum(1))
    s2 = sigmoid_map(q_s, v, 2, released=True) - sigmoid_map(q_s, v, 1)
    assert (s2 >= 0).all()
    assert (logit_class_maps(q) > 0).all() and torch.equal(logit_class_maps(q)[q > 1e-10], q[q > 1e-10])
    with pytest.raises(ValueError):
        softmax_class_maps(q, u, 3)


def _captum_map(forward, layer, x, x0, d_a, steps, target):
    """Captum InternalInfluence (right Riemann) times A(x) - A(x0), summed over channels."""
    from captum.attr import InternalInfluence

    infl = InternalInfluence(forward, layer).attribute(
        x, baselines=x0, target=target, n_steps=steps, method="riemann_right"
    )
    return (infl * d_a).sum(1)


def test_integrated_maps_match_captum(nets):
    clf, pred, x, x0 = nets
    steps = 20
    d_a = _activations(clf, x) - _activations(clf, x0.expand_as(x))
    d_s = _activations(pred, x) - _activations(pred, x0.expand_as(x))
    cls, hes = integrated_maps(clf, x, x0, steps, "hesitancy", alpha_chunk=6)
    cls_l, ent = integrated_maps(clf, x, x0, steps, "entropy", class_score="logit")
    _, hard = integrated_maps(clf, x, x0, steps, "hardness", predictor=pred, alpha_chunk=64)
    # Captum builds its alphas with float32 linspace: agreement to ~1e-8 relative, not 1e-15
    tol = dict(atol=1e-9, rtol=1e-6)
    for c in range(N_CLASSES):
        ref = _captum_map(lambda z: clf(z).softmax(1), clf.features, x, x0, d_a, steps, c)
        assert torch.allclose(cls[:, c], ref, **tol)
        ref = _captum_map(clf, clf.features, x, x0, d_a, steps, c)
        assert torch.allclose(cls_l[:, c], ref, **tol)

    def hesitancy(z):
        return 1 - clf(z).softmax(1).max(1).values

    def entropy(z):
        logits = clf(z)
        return -(logits.softmax(1) * logits.log_softmax(1)).sum(1) / math.log(N_CLASSES)

    assert torch.allclose(hes, _captum_map(hesitancy, clf.features, x, x0, d_a, steps, None), **tol)
    assert torch.allclose(ent, _captum_map(entropy, clf.features, x, x0, d_a, steps, None), **tol)
    ref = _captum_map(lambda z: torch.sigmoid(pred(z)), pred.features, x, x0, d_s, steps, None)
    assert torch.allclose(hard, ref, **tol)


def test_integrated_completeness_on_activation_path(nets):
    """On the straight activation path the maps sum to g(x) - g(x0) (Riemann error O(1/steps))."""
    clf, _, x, x0 = nets
    cls, ent = integrated_maps(clf, x, x0, 4000, "entropy", path="activation", alpha_chunk=4000)
    with torch.no_grad():
        u1, u0 = clf(x), clf(x0.expand_as(x))
    p1, p0 = u1.softmax(1), u0.softmax(1)

    def h(p):
        return -(p * p.log()).sum(1) / math.log(N_CLASSES)

    assert torch.allclose(cls.sum((2, 3)), p1 - p0, atol=1e-3)
    assert torch.allclose(ent.sum((1, 2)), h(p1) - h(p0), atol=1e-3)
