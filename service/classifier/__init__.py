"""Spam and abuse scoring for comments: the only interface the rest of Moderato uses.

clf = load_current(default_models_dir())
[scores] = clf.score([Sample("Great post!")])   # Scores(spam=0.02, abuse=0.01, kinds={...})
"""

from __future__ import annotations

import os
from pathlib import Path

from .model import Classifier, ModelError, Sample, Scores, load_current
from .site import RetrainResult, retrain

__all__ = [
    "Classifier",
    "ModelError",
    "RetrainResult",
    "Sample",
    "Scores",
    "default_models_dir",
    "load_current",
    "retrain",
]


def default_models_dir() -> Path:
    """`MODERATO_MODELS_DIR`, else the repository's `models/` folder."""
    configured = os.environ.get("MODERATO_MODELS_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "models"
