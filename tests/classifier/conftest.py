"""Fixtures for the classifier: the shipped model, a copy to retrain, the public data if present."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from service.classifier import Classifier, load_current

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def shipped_dir() -> Path:
    return REPO / "models"


@pytest.fixture(scope="session")
def shipped(shipped_dir: Path) -> Classifier:
    return load_current(shipped_dir)


@pytest.fixture
def models_copy(tmp_path: Path, shipped_dir: Path) -> Path:
    """A models folder holding only the promoted artifact, safe to retrain into."""
    target = tmp_path / "models"
    target.mkdir()
    shutil.copy(shipped_dir / "current.json", target)
    version = load_current(shipped_dir).version
    for suffix in (".skops", ".json"):
        shutil.copy(shipped_dir / f"moderato-{version}{suffix}", target)
    return target


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The team's copy of the public data sets; tests that need it skip without it."""
    path = Path(os.environ.get("MODERATO_SHARED_DATA", REPO.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.skip(f"public data sets not found at {path}")
    return path


@pytest.fixture(scope="session")
def seed_csv() -> Path:
    path = REPO / "data" / "seed.csv"
    if not path.is_file():
        pytest.skip("data/seed.csv is not present")
    return path
