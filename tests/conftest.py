"""Shared test helpers: paths to the repository, its fixtures and ../shared/data (when present)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def cub_mini() -> Path:
    path = SHARED_DATA / "cub_mini"
    if not (path / "CUB_200_2011" / "images.txt").exists():
        pytest.skip("../shared/data/cub_mini is absent")
    return path
