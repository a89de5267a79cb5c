"""Artifacts: what loads, and the readable refusal of everything else."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from sklearn.linear_model import LogisticRegression

from service.classifier import Classifier, ModelError, Sample, load_current
from service.classifier.model import HEADS, TRUSTED_TYPES, load_artifact, make_params, save


def _tiny_params(version: str = "t-1") -> dict:
    from service.classifier.features import N_FEATURES

    return make_params(
        version,
        idf=np.ones(N_FEATURES, dtype=np.float32),
        coef=np.zeros((N_FEATURES, len(HEADS)), dtype=np.float32),
        intercept=np.array([-1.0, -2.0, 0.0, -1.0, 1.0]),
        calibration=np.tile([1.0, 0.0], (len(HEADS), 1)),
    )


def test_saved_artifact_round_trips(tmp_path: Path) -> None:
    save(tmp_path, _tiny_params(), {"kind": "test"}, promote=True)
    clf = load_current(tmp_path)
    assert clf.version == "t-1"
    meta = json.loads((tmp_path / "moderato-t-1.json").read_text())
    assert meta["created"].endswith("+00:00")
    assert set(meta["versions"]) == {"python", "sklearn", "numpy", "scipy", "skops"}
    (s,) = clf.score([Sample("x")])
    assert s.spam == pytest.approx(1 / (1 + np.e))
    # Given abuse: P(kind) = P(abuse) * P(kind | abuse), here sigmoid(-2) * sigmoid(b).
    abuse = 1 / (1 + np.e**2)
    assert s.kinds == pytest.approx(
        {
            "insult": abuse * 0.5,
            "threat": abuse / (1 + np.e),
            "identity_attack": abuse / (1 + 1 / np.e),
        }
    )


def test_no_promoted_model(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no promoted model"):
        load_current(tmp_path)


def test_pointer_to_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "current.json").write_text(json.dumps({"version": "gone-1"}))
    with pytest.raises(ModelError, match="missing"):
        load_current(tmp_path)


def test_garbled_pointer(tmp_path: Path) -> None:
    (tmp_path / "current.json").write_text("{not json")
    with pytest.raises(ModelError, match="not a valid model pointer"):
        load_current(tmp_path)


def test_truncated_file(models_copy: Path) -> None:
    clf = load_current(models_copy)
    path = models_copy / f"moderato-{clf.version}.skops"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="not a readable skops model|corrupted"):
        load_current(models_copy)


def test_foreign_file(tmp_path: Path) -> None:
    path = tmp_path / "moderato-x.skops"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(ModelError):
        load_artifact(path)


def test_wrong_scikit_learn_version(tmp_path: Path) -> None:
    params = _tiny_params()
    params["sklearn_version"] = "1.2.0"
    sio.dump(params, tmp_path / "moderato-t-1.skops")
    with pytest.raises(ModelError, match=r"scikit-learn 1\.2\.0"):
        load_artifact(tmp_path / "moderato-t-1.skops")


def test_other_data_in_a_skops_file(tmp_path: Path) -> None:
    sio.dump({"format": "something else"}, tmp_path / "m.skops")
    with pytest.raises(ModelError, match="not a Moderato model"):
        load_artifact(tmp_path / "m.skops")
    params = _tiny_params()
    params["coef"] = params["coef"][:10]
    sio.dump(params, tmp_path / "m2.skops")
    with pytest.raises(ModelError, match="shape"):
        load_artifact(tmp_path / "m2.skops")


def test_untrusted_object_is_refused(tmp_path: Path) -> None:
    params = _tiny_params()
    params["extra"] = LogisticRegression()
    sio.dump(params, tmp_path / "m.skops")
    with pytest.raises(ModelError, match="does not trust.*LogisticRegression"):
        load_artifact(tmp_path / "m.skops")


def test_trusted_types_are_plain_data() -> None:
    assert all(t.startswith(("builtins.", "numpy.")) for t in TRUSTED_TYPES)
    assert not any("function" in t or "object" in t for t in TRUSTED_TYPES)


def test_version_mismatch_with_pointer(models_copy: Path) -> None:
    clf = load_current(models_copy)
    other = models_copy / "moderato-other.skops"
    shutil.copy(models_copy / f"moderato-{clf.version}.skops", other)
    (models_copy / "current.json").write_text(json.dumps({"version": "other"}))
    with pytest.raises(ModelError, match="holds version"):
        load_current(models_copy)


def test_classifier_is_immutable(shipped: Classifier) -> None:
    with pytest.raises(ValueError):
        shipped._table[0, 1] = 1.0


def test_capped_kinds_never_exceed_abuse(tmp_path: Path) -> None:
    params = {**_tiny_params(), "kinds_design": "capped"}
    save(tmp_path, params, {}, promote=True)
    (s,) = load_current(tmp_path).score([Sample("x")])
    abuse = 1 / (1 + np.e**2)
    assert s.kinds["insult"] == pytest.approx(abuse)  # sigmoid(0) = 0.5, capped at P(abuse)
    assert s.kinds["threat"] == pytest.approx(abuse)
    assert s.kinds["identity_attack"] == pytest.approx(abuse)


def test_format_1_artifact_asks_for_a_retrain(tmp_path: Path) -> None:
    params = _tiny_params()
    params.update(format_version=1, coef=params["coef"][:, :2], intercept=params["intercept"][:2])
    params["calibration"] = params["calibration"][:2]
    del params["heads"], params["kinds_design"]
    sio.dump(params, tmp_path / "moderato-t-1.skops")
    with pytest.raises(ModelError, match=r"format version 1.*retrain with `moderato train`"):
        load_artifact(tmp_path / "moderato-t-1.skops")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"heads": ["spam", "abuse", "insult", "threat", "toxicity"]}, "retrain"),
        ({"heads": "spam,abuse"}, "'heads' missing or of the wrong type"),
        ({"kinds_design": "softmax"}, "unknown kinds design"),
    ],
)
def test_heads_are_checked_on_load(tmp_path: Path, change: dict, message: str) -> None:
    sio.dump({**_tiny_params(), **change}, tmp_path / "m.skops")
    with pytest.raises(ModelError, match=message):
        load_artifact(tmp_path / "m.skops")
