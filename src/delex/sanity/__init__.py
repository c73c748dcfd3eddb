"""Sanity checks of explanation metrics (SANITY.md): explanation methods, batched perturbation
metrics, and the consistency / reliability analyses of "On the Coherency of Quantitative Evaluation
of Visual Explanations"."""
