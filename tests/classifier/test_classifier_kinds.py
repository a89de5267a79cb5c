"""Kinds of abuse: label mapping per source, training, scoring within abuse, and the commands."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from service.classifier import Classifier, Sample, load_current
from service.classifier.cli import evaluate_command, score_command
from service.classifier.data import KINDS, DataError, load_file
from service.classifier.model import HEADS
from service.classifier.training import BaseFit, fit_base, oof_metrics

NAN = float("nan")

INSULTS = [
    "you are a pathetic idiot",
    "shut up you brainless moron",
    "what a clueless fool you are",
]
THREATS = ["I will find you and hurt you", "watch your back, I know where you live"]
ATTACKS = ["immigrants are vermin, deport them all", "those people are animals and a disease"]
HAM = ["I disagree with the council on bike lanes", "thanks, the recipe worked", "nice photos"]
SPAM = ["cheap pills at http://pills.example.com", "win a prize now, click here"]


# Distinct endings: normalization folds digits, so "text 1" and "text 2" would be one text.
ENDINGS = ("today", "again", "honestly", "frankly", "as usual", "for sure")


def _seed_rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for end in ENDINGS:
        rows += [(f"{t} {end}", "en", "abuse", "insult") for t in INSULTS]
        rows += [(f"{t} {end}", "en", "abuse", "threat") for t in THREATS]
        rows += [(f"{t} {end}", "en", "abuse", "identity_attack") for t in ATTACKS]
        rows += [(f"{t} {end}", "en", "ham", "everyday") for t in HAM]
        rows += [(f"{t} {end}", "en", "spam", "scam") for t in SPAM]
    return rows


def _write(path: Path, header: list[str], rows: list[tuple]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _nan_equal(a: np.ndarray, b: list[float]) -> bool:
    return all((math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(a, b, strict=True))


# -- label mapping ------------------------------------------------------------------------------


def test_seed_kind_column(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "seed.csv",
        ["text", "lang", "label", "kind"],
        [
            ("idiot", "en", "abuse", "insult"),
            ("hi", "en", "ham", "everyday"),
            ("buy", "en", "spam", "scam"),
        ],
    )
    d = load_file(path)
    assert d.kind("insult").tolist() == [1, 0, 0]
    assert d.kind("threat").tolist() == [0, 0, 0]
    assert d.describe()["kinds"]["insult"] == {"positive": 1, "negative": 2, "unlabeled": 0}


@pytest.mark.parametrize("kind", ["", "toxicity", "political"])
def test_seed_abuse_row_needs_a_known_kind(tmp_path: Path, kind: str) -> None:
    path = _write(
        tmp_path / "seed.csv", ["text", "lang", "label", "kind"], [("x", "en", "abuse", kind)]
    )
    with pytest.raises(DataError, match="row 1: an abuse row's kind must be one of insult"):
        load_file(path)


def test_seed_without_a_kind_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "seed.csv", ["text", "label"], [("x", "abuse")])
    with pytest.raises(DataError, match="needs a 'kind' column"):
        load_file(path)


def test_site_export_without_kinds_knows_only_that_ham_is_no_kind(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "site.csv", ["text", "label"], [("idiot", "reject"), ("hi", "approve")]
    )
    d = load_file(path)
    for kind in KINDS:
        assert _nan_equal(d.kind(kind), [NAN, 0.0])


def test_kind_columns(tmp_path: Path) -> None:
    path = tmp_path / "site.jsonl"
    path.write_text(
        '{"text": "a", "abuse": 1, "threat": 1, "insult": 0}\n{"text": "b", "abuse": 0}\n'
        '{"text": "c", "abuse": 1}\n'
    )
    d = load_file(path)
    assert _nan_equal(d.kind("threat"), [1.0, 0.0, NAN])
    assert _nan_equal(d.kind("insult"), [0.0, 0.0, NAN])
    path.write_text('{"text": "a", "abuse": 0, "threat": 1}\n')
    with pytest.raises(DataError, match="threat is 1 but abuse is not"):
        load_file(path)
    path.write_text('{"text": "a", "abuse": 1, "insult": "very"}\n')
    with pytest.raises(DataError, match="'insult' must hold 0/1"):
        load_file(path)


def test_olid_kinds(tmp_path: Path) -> None:
    path = tmp_path / "olid-training-v1.0.tsv"
    path.write_text(
        "id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c\n"
        "1\t@USER idiot\tOFF\tTIN\tIND\n"
        "2\tliberals are scum\tOFF\tTIN\tGRP\n"
        "3\tCNN is trash\tOFF\tTIN\tOTH\n"
        "4\tdamn it\tOFF\tUNT\tNULL\n"
        "5\tnice\tNOT\tNULL\tNULL\n"
    )
    d = load_file(path)
    assert _nan_equal(d.kind("insult"), [1.0, NAN, NAN, 0.0, 0.0])
    assert _nan_equal(d.kind("identity_attack"), [0.0, NAN, 0.0, 0.0, 0.0])
    assert _nan_equal(d.kind("threat"), [NAN, NAN, NAN, NAN, 0.0])
    path.write_text("id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c\n1\t@USER idiot\tOFF\tTIN\tNULL\n")
    with pytest.raises(DataError, match="subtask_c of a TIN tweet"):
        load_file(path)


def test_davidson_kinds(tmp_path: Path) -> None:
    path = tmp_path / "labeled_data.csv"
    path.write_text(
        ",count,hate_speech,offensive_language,neither,class,tweet\n"
        "0,3,3,0,0,0,hateful\n1,3,0,3,0,1,profane\n2,3,0,0,3,2,fine\n"
    )
    d = load_file(path)
    assert _nan_equal(d.kind("identity_attack"), [1.0, NAN, 0.0])
    assert _nan_equal(d.kind("insult"), [NAN, NAN, 0.0])
    assert _nan_equal(d.kind("threat"), [NAN, NAN, 0.0])


def test_spam_sets_are_no_kind(tmp_path: Path) -> None:
    path = tmp_path / "SMSSpamCollection"
    path.write_text("ham\tsee you later\nspam\tWIN a prize, txt 80082\n")
    d = load_file(path)
    for kind in KINDS:
        assert d.kind(kind).tolist() == [0, 0]


# -- training and scoring -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(
        tmp_path_factory.mktemp("kinds") / "seed.csv",
        ["text", "lang", "label", "kind"],
        _seed_rows(),
    )


@pytest.fixture(scope="module")
def given_fit(seed_file: Path) -> BaseFit:
    return fit_base([load_file(seed_file)], "t-kinds", progress=lambda m: None)


def _check_heads(fit: BaseFit, design: str) -> None:
    assert fit.params["heads"] == list(HEADS) and fit.params["kinds_design"] == design
    assert fit.params["coef"].shape[1] == len(HEADS)
    texts = (INSULTS[0], THREATS[0], ATTACKS[0], HAM[0], SPAM[0])
    probs = Classifier(fit.params).predict_proba([Sample(t) for t in texts])
    assert probs.shape == (len(texts), len(HEADS))
    assert np.all(probs[:, 2:] <= probs[:, 1:2] + 1e-12)  # no kind beyond abuse
    for row, kind in enumerate(KINDS):  # each kind's own example ranks first on its head
        assert np.argmax(probs[:, HEADS.index(kind)]) == row


def test_kinds_given_abuse(given_fit: BaseFit) -> None:
    _check_heads(given_fit, "given_abuse")
    metrics = oof_metrics(given_fit)
    assert set(metrics) == set(HEADS)
    for kind in KINDS:
        assert {"roc_auc", "ece"} <= set(metrics[kind]["all"])
        assert metrics[kind]["all"]["n"] == len(given_fit.training.texts)
        assert metrics[kind]["given_abuse"]["n"] == int(np.sum(given_fit.training.abuse == 1))


def test_kinds_capped(seed_file: Path) -> None:
    fit = fit_base(
        [load_file(seed_file)],
        "t-1",
        progress=lambda m: None,
        kinds_design="capped",
        calibrate=False,
    )
    _check_heads(fit, "capped")


def test_scores_carry_kinds_with_and_without_explanations(given_fit: BaseFit) -> None:
    clf = Classifier(given_fit.params)
    (plain,) = clf.score([Sample(THREATS[1])])
    (explained,) = clf.score([Sample(THREATS[1])], explain=True)
    assert list(plain.kinds) == list(KINDS)
    assert explained.kinds == pytest.approx(plain.kinds)
    assert explained.abuse_explanation


# -- commands -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kinds_models(given_fit: BaseFit, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from service.classifier.model import save

    out = tmp_path_factory.mktemp("models")
    fit = given_fit
    save(
        out,
        fit.params,
        {"kind": "base", "metrics": {"out_of_fold": oof_metrics(fit)}},
        promote=True,
    )
    return out


def test_score_prints_kinds(kinds_models: Path) -> None:
    lines = "\n".join(json.dumps({"text": t}) for t in (THREATS[0], HAM[0]))
    result = CliRunner().invoke(
        score_command, ["-", "--models-dir", str(kinds_models), "--explain"], input=lines
    )
    assert result.exit_code == 0, result.output
    threat, ham = (json.loads(line) for line in result.stdout.splitlines())
    assert set(threat["kinds"]) == set(KINDS)
    assert threat["kinds"]["threat"] > ham["kinds"]["threat"]
    assert all(v <= threat["abuse"] for v in threat["kinds"].values())
    assert threat["explanation"]["abuse"]


def test_evaluate_reports_each_kind(kinds_models: Path, seed_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        evaluate_command, [str(seed_file), "--models-dir", str(kinds_models)]
    )
    assert result.exit_code == 0, result.output
    for kind in KINDS:
        line = next(x for x in result.output.splitlines() if x.startswith(f"{kind}:"))
        for word in ("precision=", "recall=", "f1=", "roc_auc=", "pr_auc=", "ece="):
            assert word in line
    plain = _write(tmp_path / "site.csv", ["text", "label"], [("hi", "ham"), ("idiot", "abuse")])
    result = CliRunner().invoke(evaluate_command, [str(plain), "--models-dir", str(kinds_models)])
    assert result.exit_code == 0, result.output
    assert "insult: no insult labels in these files" in result.output


def test_site_retrain_teaches_spam_and_abuse_and_keeps_kind_heads(kinds_models: Path) -> None:
    from service.classifier import retrain

    before = load_current(kinds_models)
    # Distinct words, not numbers: normalization folds digits and retraining de-duplicates.
    places = ("parks", "roads", "schools", "libraries", "harbour", "museum")
    texts = [f"the {w} committee was rude {end}" for w in places for end in ENDINGS[:5]]
    hams = [f"{h} {end}" for h in HAM for end in ENDINGS]
    result = retrain(
        kinds_models,
        [Sample(t) for t in texts + hams],
        [0] * (len(texts) + len(hams)),
        [1] * len(texts) + [0] * len(hams),
        force=True,
        progress=lambda m: None,
        seed_path=kinds_models / "none.csv",
    )
    assert result.promoted, result.message
    after = load_current(kinds_models)
    for key in ("kinds_design", "heads"):
        assert after.params[key] == before.params[key]
    for j in range(2, len(HEADS)):
        assert np.array_equal(after.params["coef"][:, j], before.params["coef"][:, j])
    (old,), (new,) = before.score([Sample(texts[0])]), after.score([Sample(texts[0])])
    assert new.abuse > old.abuse
    # Given abuse, a kind moves with abuse: P(kind) = P(abuse) * P(kind | abuse).
    for kind in KINDS:
        assert new.kinds[kind] / new.abuse == pytest.approx(old.kinds[kind] / old.abuse, rel=1e-4)
