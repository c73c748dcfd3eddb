"""Deliberative explanations (network insecurities) and sanity checks of explanation metrics."""

__version__ = "0.1.0"
