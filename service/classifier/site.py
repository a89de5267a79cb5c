"""Retraining on one site's moderator decisions: a correction learned on top of the shipped model.

The promoted model's calibrated logit is kept as a fixed offset and a small, strongly
regularized correction over the same hashed n-grams (plus the commenter's details) is fitted
to the site's labels. The correction is folded back into the weights, so a retrained artifact
has the same format and speed as the shipped one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize

from . import features as fx
from .data import DataError, load_file
from .model import (
    HEADS,
    LABELS,
    Classifier,
    ModelError,
    Sample,
    artifact_path,
    load_artifact,
    load_current,
    make_params,
    save,
    utc_now,
)
from .training import RANDOM_STATE, binary_metrics

MIN_LABELS = 20
HELD_OUT_SHARE = 0.25
# Strength of the pull towards "no change": high enough that a handful of odd decisions do
# not rewrite the model, low enough that a phrase rejected again and again moves.
L2_PENALTY = 0.5
# How much worse than the current model a candidate may be and still be promoted.
# Log loss may grow by the larger of an absolute and a relative margin: on the seed corpus the
# shipped model's loss is tiny, and quadrupling it is a real regression.
TOLERANCE = {"log_loss": 0.01, "log_loss_relative": 0.25, "roc_auc": 0.02, "ham_held": 0.03}
HOLD = 0.5
FEATURE_CHUNK = 10_000


@dataclass
class RetrainResult:
    """What `retrain` did: the new version (if one was written) and why it was (not) promoted."""

    version: str
    promoted: bool
    message: str
    metrics: dict = field(default_factory=dict)


def default_seed_path(models_dir: Path) -> Path:
    beside = Path(models_dir).resolve().parent / "data" / "seed.csv"
    if beside.is_file():
        return beside
    return Path(__file__).resolve().parents[2] / "data" / "seed.csv"


def retrain(
    models_dir: Path,
    samples: Sequence[Sample],
    spam: Sequence[int],
    abuse: Sequence[int],
    *,
    force: bool = False,
    progress: Callable[[str], None] = print,
    seed_path: Path | None = None,
) -> RetrainResult:
    """Learn this site's standards from moderator labels on top of the promoted model."""
    models_dir = Path(models_dir)
    if not len(samples) == len(spam) == len(abuse):
        raise ValueError("samples, spam and abuse must have the same length")
    current = load_current(models_dir)
    base = _foundation(models_dir, current)
    samples, y = _deduplicate(samples, spam, abuse)
    counts = {
        "labels": len(samples),
        "spam": int(y[:, 0].sum()),
        "abuse": int(y[:, 1].sum()),
        "ham": int(np.sum(y.sum(axis=1) == 0)),
    }
    progress(f"{counts['labels']} distinct labeled comments: {counts}")
    if len(samples) < MIN_LABELS:
        return RetrainResult(
            "",
            False,
            f"not retrained: {len(samples)} distinct labeled comments, at least {MIN_LABELS} are "
            "needed for a held-out check",
            {"label_counts": counts},
        )
    train, test = _split(y)
    progress(f"fitting on {len(train)}, checking on {len(test)} held-out labels")
    candidate = _fit(base, [samples[i] for i in train], y[train], "candidate").classifier
    metrics: dict = {"label_counts": counts}
    reasons: list[str] = []
    metrics["held_out"] = _compare(
        current, candidate, [samples[i] for i in test], y[test], reasons, "held-out site labels"
    )
    seed_path = seed_path or default_seed_path(models_dir)
    try:
        seed = load_file(seed_path)
    except DataError as exc:
        progress(f"no regression check on the seed corpus: {exc}")
        metrics["seed"] = {"skipped": str(exc)}
    else:
        progress(f"checking against the seed corpus ({len(seed)} comments)")
        seed_samples = [Sample(t) for t in seed.texts]
        seed_y = np.column_stack((seed.spam, seed.abuse))
        metrics["seed"] = _compare(current, candidate, seed_samples, seed_y, reasons, "seed corpus")
    if reasons and not force:
        return RetrainResult(
            "",
            False,
            "not promoted: the retrained model is worse than "
            + current.version
            + " on "
            + "; ".join(reasons)
            + " (use force to promote anyway)",
            metrics,
        )
    version = _new_version(models_dir)
    progress(f"refitting on all {len(samples)} labels as {version}")
    final = _fit(base, samples, y, version)
    metadata = {
        "created": utc_now(),
        "kind": "site",
        "parent": current.version,
        "base": base.version,
        "label_counts": counts,
        "metrics": metrics,
        "forced": bool(reasons and force),
        "regularization": {"l2": L2_PENALTY, "held_out_share": HELD_OUT_SHARE},
        "training_files": current.metadata.get("training_files", []),
    }
    save(models_dir, final.params, metadata, promote=True)
    why = (
        ("promoted despite: " + "; ".join(reasons))
        if reasons
        else "promoted: no worse than " + current.version
    )
    return RetrainResult(version, True, f"{version} {why}", metrics)


def _foundation(models_dir: Path, current: Classifier) -> Classifier:
    """The shipped model a site layer is learned on.

    A site's full label history is available at every retrain, so each correction starts
    from the base model again instead of piling onto the previous correction.
    """
    base_version = current.metadata.get("base")
    if current.metadata.get("kind") != "site" or not base_version:
        return current
    try:
        return load_artifact(artifact_path(models_dir, base_version), expected_version=base_version)
    except ModelError:
        return current


def _deduplicate(
    samples: Sequence[Sample], spam: Sequence[int], abuse: Sequence[int]
) -> tuple[list[Sample], np.ndarray]:
    # The latest decision about a text wins: moderators change their minds.
    latest: dict[tuple[str, str], int] = {}
    normalized = fx.normalize_many([s.text for s in samples])
    for i, text in enumerate(normalized):
        latest[(text, samples[i].url or "")] = i
    keep = sorted(latest.values())
    y = np.array([[int(bool(spam[i])), int(bool(abuse[i]))] for i in keep], dtype=float).reshape(
        -1, 2
    )
    return [samples[i] for i in keep], y


def _split(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A held-out share of each class (ham / spam / abuse), at least one when a class has two."""
    rng = np.random.default_rng(RANDOM_STATE)
    kind = np.where(y[:, 1] == 1, 2, np.where(y[:, 0] == 1, 1, 0))
    test: list[int] = []
    for k in range(3):
        idx = np.flatnonzero(kind == k)
        rng.shuffle(idx)
        n = int(round(len(idx) * HELD_OUT_SHARE)) if len(idx) >= 2 else 0
        test.extend(idx[: max(n, 1 if len(idx) >= 2 else 0)].tolist())
    test_arr = np.array(sorted(test), dtype=int)
    train = np.setdiff1d(np.arange(len(y)), test_arr)
    return train, test_arr


def _features(clf: Classifier, samples: Sequence[Sample]) -> tuple[sp.csr_matrix, np.ndarray]:
    # In chunks: hashing's temporary arrays are several times the matrix they produce.
    # Commenter details (meta tokens) have idf 1 in a base model that never saw them.
    matrices, logits = [], []
    for start in range(0, max(len(samples), 1), FEATURE_CHUNK):
        hashed = clf._hash(samples[start : start + FEATURE_CHUNK])
        matrices.append(fx.weighted_matrix(hashed, clf._idf))
        logits.append(clf._logits(hashed).reshape(-1, len(HEADS)))
    return sp.vstack(matrices, format="csr"), np.vstack(logits)


@dataclass(slots=True)
class _Fit:
    params: dict
    classifier: Classifier


def _fit(current: Classifier, samples: Sequence[Sample], y: np.ndarray, version: str) -> _Fit:
    X, logits = _features(current, samples)
    a, c = current._calibration[:, 0], current._calibration[:, 1]
    offset = logits * a + c
    # Only columns seen in these labels can move; solving in that small space is fast.
    cols = np.unique(X.indices)
    Xs = X[:, cols].tocsr()
    coef = np.array(current.params["coef"], dtype=np.float32, copy=True)
    intercept = np.array(current.params["intercept"], dtype=np.float64, copy=True)
    for j in range(len(LABELS)):
        delta, delta0 = _offset_logistic(Xs, y[:, j], offset[:, j], L2_PENALTY)
        coef[cols, j] += (delta / a[j]).astype(np.float32)
        intercept[j] += delta0 / a[j]
    # Moderator labels teach spam and abuse only; the kind heads pass through unchanged.
    params = make_params(
        version,
        current.params["idf"],
        coef,
        intercept,
        current.params["calibration"],
        kinds_design=current.params["kinds_design"],
    )
    return _Fit(params, Classifier(params))


def _offset_logistic(
    X: sp.csr_matrix, y: np.ndarray, offset: np.ndarray, l2: float
) -> tuple[np.ndarray, float]:
    """Minimize sum log-loss(y, offset + X d + d0) + l2/2 |d|^2 + l2/2 d0^2."""
    n_features = X.shape[1]
    sign = 2 * y - 1

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        d, d0 = theta[:-1], theta[-1]
        z = offset + X @ d + d0
        margin = sign * z
        loss = np.logaddexp(0.0, -margin).sum() + 0.5 * l2 * (d @ d + d0 * d0)
        g = -sign / (1.0 + np.exp(np.clip(margin, -50, 50)))
        grad = np.concatenate((X.T @ g + l2 * d, [g.sum() + l2 * d0]))
        return float(loss), grad

    result = minimize(
        objective, np.zeros(n_features + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    )
    return result.x[:-1], float(result.x[-1])


def _compare(
    current: Classifier,
    candidate: Classifier,
    samples: Sequence[Sample],
    y: np.ndarray,
    reasons: list[str],
    where: str,
) -> dict:
    if not samples:
        return {}
    p_old = current.predict_proba(samples)
    p_new = candidate.predict_proba(samples)
    out: dict = {}
    for j, label in enumerate(LABELS):
        yj = y[:, j]
        old = {**binary_metrics(yj, p_old[:, j], HOLD), "log_loss": _log_loss(yj, p_old[:, j])}
        new = {**binary_metrics(yj, p_new[:, j], HOLD), "log_loss": _log_loss(yj, p_new[:, j])}
        out[label] = {"current": old, "candidate": new}
        margin = max(TOLERANCE["log_loss"], TOLERANCE["log_loss_relative"] * old["log_loss"])
        if new["log_loss"] > old["log_loss"] + margin:
            reasons.append(
                f"{where}: {label} log loss {new['log_loss']:.3f} vs {old['log_loss']:.3f}"
            )
        if "roc_auc" in old and new["roc_auc"] < old["roc_auc"] - TOLERANCE["roc_auc"]:
            reasons.append(f"{where}: {label} ROC AUC {new['roc_auc']:.3f} vs {old['roc_auc']:.3f}")
    ham = y.sum(axis=1) == 0
    if ham.any():
        held_old = float(np.mean((p_old[ham] >= HOLD).any(axis=1)))
        held_new = float(np.mean((p_new[ham] >= HOLD).any(axis=1)))
        out["ham_held"] = {"current": round(held_old, 4), "candidate": round(held_new, 4)}
        if held_new > held_old + TOLERANCE["ham_held"]:
            reasons.append(f"{where}: legitimate comments held {held_new:.1%} vs {held_old:.1%}")
    return out


def _log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return round(float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))), 4)


def _new_version(models_dir: Path) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    version = f"site-{stamp}"
    n = 1
    while artifact_path(models_dir, version).exists():
        n += 1
        version = f"site-{stamp}-{n}"
    return version
