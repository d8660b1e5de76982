"""Chapter checks (filled in by the rendering layer)."""

from __future__ import annotations

from pathlib import Path

from esgpress.errors import Problem
from esgpress.model import Dataset


def check_content(root: Path, dataset: Dataset) -> list[Problem]:
    """Problems in the chapters of every edition."""
    return []
