"""The bundled sample: the two Innovo Group filings the product was conceived from."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def sample_dir() -> Path:
    """Directory holding the bundled sample filings (inside the installed package)."""
    return Path(str(resources.files("workbench") / "data" / "sample"))


def sample_paths() -> list[Path]:
    """The sample filings, sorted."""
    return sorted(p for p in sample_dir().glob("*.txt"))
