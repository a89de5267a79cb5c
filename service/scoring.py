"""The classifier as the web app sees it: loaded once per process, never on a request path."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from service.classifier import Classifier, ModelError, Sample, default_models_dir, load_current
from service.moderation import MODEL_UNAVAILABLE, Decision, Status, Thresholds, decide

log = logging.getLogger(__name__)

EXTENSION_KEY = "moderato.scorer"


@dataclass(frozen=True, slots=True)
class Verdict:
    spam: float | None
    abuse: float | None
    model_version: str | None
    decision: Decision


class Scorer:
    """Scores comments with the promoted model, or holds them all when no model could be loaded."""

    def __init__(self, classifier: Classifier | None, error: str | None = None) -> None:
        self.classifier = classifier
        self.error = error

    @property
    def version(self) -> str | None:
        return self.classifier.version if self.classifier else None

    def judge(self, sample: Sample, thresholds: Thresholds) -> Verdict:
        if self.classifier is None:
            return Verdict(None, None, None, Decision(Status.PENDING, MODEL_UNAVAILABLE))
        try:
            (scores,) = self.classifier.score([sample])
        except Exception:  # a scoring bug must not lose the comment: hold it for a person
            log.exception("scoring failed; holding the comment for a moderator")
            return Verdict(None, None, self.version, Decision(Status.PENDING, MODEL_UNAVAILABLE))
        decision = decide(scores.spam, scores.abuse, thresholds, text=sample.text)
        return Verdict(scores.spam, scores.abuse, self.version, decision)


def init_app(app: Flask) -> None:
    """Load the promoted model once for this process; on failure, log it and hold every comment."""
    if not app.config["MODERATO_LOAD_MODEL"]:
        app.extensions[EXTENSION_KEY] = Scorer(None, "model loading is disabled by configuration")
        return
    models_dir = Path(app.config["MODERATO_MODELS_DIR"] or default_models_dir())
    try:
        scorer = Scorer(load_current(models_dir))
        log.info("loaded model %s from %s", scorer.version, models_dir)
    except ModelError as exc:
        log.error(
            "no usable model in %s (%s): every comment will be held for a moderator",
            models_dir,
            exc,
        )
        scorer = Scorer(None, str(exc))
    app.extensions[EXTENSION_KEY] = scorer


def get_scorer() -> Scorer:
    return current_app.extensions[EXTENSION_KEY]
