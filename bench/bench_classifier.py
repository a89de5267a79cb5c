"""Classifier benchmarks: protocols on the public sets, the seed corpus, speed and memory.

    .venv/bin/python bench/bench_classifier.py --data ../shared/data [--only youtube,sms,...]

Prints one block per benchmark and, with --json PATH, writes every figure to a file.
Everything is seeded; the same command gives the same figures.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import json
import string
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.classifier import Sample, load_current  # noqa: E402
from service.classifier import features as fx  # noqa: E402
from service.classifier.data import KINDS, Dataset, concat, load_file, load_path  # noqa: E402
from service.classifier.features import normalize_many  # noqa: E402
from service.classifier.model import HEADS, KIND_DESIGNS, SCORING_CHUNK, Classifier  # noqa: E402
from service.classifier.model import _tokens as model_tokens  # noqa: E402
from service.classifier.training import (  # noqa: E402
    RANDOM_STATE,
    SOURCE_SHARE,
    binary_metrics,
    expected_calibration_error,
    fit_base,
)
from service.moderation import Status, Thresholds, decide  # noqa: E402

ABUSE_KINDS = KINDS
QUIET: Callable[[str], None] = lambda message: None  # noqa: E731
# Overrides for experiments (--C, --seed-share, --kinds-design); the defaults are the shipped
# configuration.
OPTIONS: dict = {}


def _train(datasets: list[Dataset]) -> Classifier:
    return Classifier(fit_base(datasets, "bench", progress=QUIET, **OPTIONS).params)


def _probs(clf: Classifier, d: Dataset) -> np.ndarray:
    # Context tokens where the source records them (YouTube), as the service would pass them.
    contexts = d.contexts or [()] * len(d)
    samples = [Sample(t, context=tuple(c)) for t, c in zip(d.texts, contexts, strict=True)]
    return clf.predict_proba(samples)


def _subset(d: Dataset, idx: np.ndarray, name: str | None = None) -> Dataset:
    return Dataset(
        name=name or d.name,
        source=d.source,
        path=d.path,
        texts=[d.texts[i] for i in idx],
        spam=d.spam[idx],
        abuse=d.abuse[idx],
        groups=[d.groups[i] for i in idx] if d.groups else [],
        contexts=[d.contexts[i] for i in idx] if d.contexts else [],
        raw={k: [v[i] for i in idx] for k, v in d.raw.items()},
        kinds={k: d.kind(k)[idx] for k in KINDS},
    )


def _dedup(d: Dataset) -> Dataset:
    seen: dict[str, int] = {}
    for i, t in enumerate(normalize_many(d.texts)):
        seen.setdefault(t, i)
    return _subset(d, np.array(sorted(seen.values())))


def bench_youtube(data: Path) -> dict:
    """Leave one video out: train on four videos' comments, test on the fifth."""
    videos = load_path(data / "youtube_spam")
    scores = {}
    for i, test in enumerate(videos):
        clf = _train([v for j, v in enumerate(videos) if j != i])
        p = _probs(clf, test)[:, 0]
        scores[test.name] = {
            "f1": round(float(f1_score(test.spam, p >= 0.5)), 4),
            "roc_auc": round(float(roc_auc_score(test.spam, p)), 4),
        }
    mean_f1 = float(np.mean([s["f1"] for s in scores.values()]))
    mean_auc = float(np.mean([s["roc_auc"] for s in scores.values()]))
    return {"per_video": scores, "mean_f1": round(mean_f1, 4), "mean_roc_auc": round(mean_auc, 4)}


def bench_sms(data: Path) -> dict:
    """5-fold cross-validation on de-duplicated SMS texts."""
    (sms,) = load_path(data / "sms_spam")
    sms = _dedup(sms)
    y = sms.spam.astype(int)
    p = np.zeros(len(y))
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=RANDOM_STATE).split(y, y):
        p[te] = _probs(_train([_subset(sms, tr)]), _subset(sms, te))[:, 0]
    return {"rows_deduplicated": len(y), **binary_metrics(y, p)}


def bench_olid(data: Path) -> dict:
    """Train on OLID training data only (OFF vs NOT), test on the official level-A test set."""
    (train,) = load_path(data / "olid")
    train.abuse = np.array([1.0 if a == "OFF" else 0.0 for a in train.raw["subtask_a"]])
    test = load_file(data / "olid" / "testset-levela.tsv")
    fit = fit_base([train], "bench", progress=QUIET, **OPTIONS)
    p = _probs(Classifier(fit.params), test)[:, 1]
    y = test.abuse.astype(int)
    # A decision threshold chosen on the training set's out-of-fold predictions only.
    oof = fit.oof_probs["abuse"]
    ytr = fit.training.target("abuse").astype(int)
    grid = np.linspace(0.2, 0.7, 51)
    best = max(grid, key=lambda t: f1_score(ytr, oof >= t, average="macro"))
    return {
        "macro_f1_at_0.5": round(float(f1_score(y, p >= 0.5, average="macro")), 4),
        "threshold_from_train_oof": round(float(best), 3),
        "macro_f1_at_train_threshold": round(float(f1_score(y, p >= best, average="macro")), 4),
        "roc_auc": round(float(roc_auc_score(y, p)), 4),
    }


def _public(data: Path) -> list[Dataset]:
    out: list[Dataset] = []
    for folder in ("youtube_spam", "sms_spam", "davidson_offensive", "olid"):
        out.extend(load_path(data / folder))
    return out


def bench_seed(
    data: Path, seed_path: Path, earlier: Path | None = None, scores_out: Path | None = None
) -> dict:
    """5-fold CV on the seed corpus, each fold trained with all public sets plus the rest.

    With `earlier` (an earlier version of the seed file), its rows keep the folds they had
    when that file was measured alone, and the rows added since get five folds of their
    own, one joined to each: the earlier rows' figures then compare directly with the
    earlier model's. The report gains `earlier` (those rows only) and `added` (the rest).

    With `scores_out`, every row's out-of-fold scores go to that CSV (text, lang, label,
    kind, fold, then one column per head), for threshold studies without a new run.
    """
    seed = load_file(seed_path)
    public = _public(data)
    strata = _strata(seed)
    fold = _folds(strata)
    if earlier is not None:
        before = load_file(earlier)
        at = {text: i for i, text in enumerate(seed.texts)}
        missing = [t for t in before.texts if t not in at]
        if missing:
            raise SystemExit(f"{len(missing)} rows of {earlier} are not in {seed_path}")
        rows = np.array([at[t] for t in before.texts])
        added = np.ones(len(seed), dtype=bool)
        added[rows] = False
        fold[rows] = _folds(_strata(before))
        if added.any():
            fold[added] = _folds(strata[added])
    probs = _out_of_fold(public, seed, fold, "seed")
    if scores_out is not None:
        _write_scores(scores_out, seed, fold, probs)
    report = _seed_report(seed, probs)
    if earlier is not None:
        kept = np.flatnonzero(~added)
        report["earlier"] = _seed_report(_subset(seed, kept), probs[kept])["all"]
        report["added"] = _added_report(_subset(seed, np.flatnonzero(added)), probs[added])
    return report


def bench_seed_repeats(
    data: Path, seed_path: Path, repeats: int, scores_out: Path | None = None
) -> dict:
    """The seed's 5-fold CV again with other shuffles: how much of a figure is the folds.

    The first repeat uses the folds of `--only seed`; each further one reshuffles. With
    -13, moving from -12's folds to its own moved the share of legitimate comments held or
    blocked from 5.7 % to 4.8 %, so one shuffle cannot say whether a goal of 5 % is met.
    With `scores_out` ("s.csv"), repeat r's scores go to "s-r.csv", as `--only seed` writes.
    """
    seed = load_file(seed_path)
    public = _public(data)
    strata = _strata(seed)
    labels = np.array(seed.raw["label"])
    runs = []
    for r in range(repeats):
        fold = _folds(strata, RANDOM_STATE + r)
        probs = _out_of_fold(public, seed, fold, f"repeat {r + 1}/{repeats}, seed")
        if scores_out is not None:
            _write_scores(scores_out.with_stem(f"{scores_out.stem}-{r + 1}"), seed, fold, probs)
        status = _statuses(probs, Thresholds(), seed.texts)
        kept = status != Status.PUBLISHED
        runs.append(
            {
                "ham_held_or_blocked": round(float(kept[labels == "ham"].mean()), 4),
                "ham_blocked": int(np.sum(status[labels == "ham"] == Status.BLOCKED)),
                "spam_kept_back": round(float(kept[labels == "spam"].mean()), 4),
                "abuse_kept_back": round(float(kept[labels == "abuse"].mean()), 4),
                "spam_roc_auc": binary_metrics(seed.spam, probs[:, 0])["roc_auc"],
                "abuse_roc_auc": binary_metrics(seed.abuse, probs[:, 1])["roc_auc"],
            }
        )
    summary = {
        key: {
            "mean": round(float(np.mean([run[key] for run in runs])), 4),
            "min": min(run[key] for run in runs),
            "max": max(run[key] for run in runs),
        }
        for key in runs[0]
    }
    return {"n": len(seed), "ham": int(np.sum(labels == "ham")), "runs": runs, "summary": summary}


def _out_of_fold(public: list[Dataset], seed: Dataset, fold: np.ndarray, what: str) -> np.ndarray:
    """Each seed row's scores from a model trained on the public sets and the other folds."""
    probs = np.zeros((len(seed), len(HEADS)))
    for k in range(5):
        print(f"  {what} fold {k + 1}/5", file=sys.stderr, flush=True)
        tr, te = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        probs[te] = _probs(_train([*public, _subset(seed, tr)]), _subset(seed, te))
    return probs


def _write_scores(path: Path, seed: Dataset, fold: np.ndarray, probs: np.ndarray) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["text", "lang", "label", "kind", "fold", *HEADS])
        for i, text in enumerate(seed.texts):
            raw = [seed.raw[c][i] for c in ("lang", "label", "kind")]
            out.writerow([text, *raw, int(fold[i]), *(f"{p:.6f}" for p in probs[i])])


def _strata(seed: Dataset) -> np.ndarray:
    return np.array(
        [
            f"{a}/{b}/{c}"
            for a, b, c in zip(seed.raw["lang"], seed.raw["label"], seed.raw["kind"], strict=True)
        ]
    )


def _folds(strata: np.ndarray, random_state: int = RANDOM_STATE) -> np.ndarray:
    """Each row's fold (0-4), stratified; a stratum too small for five folds is merged into
    its label and language."""
    counts = dict(zip(*np.unique(strata, return_counts=True), strict=True))
    strata = np.array([s if counts[s] >= 5 else s.rsplit("/", 1)[0] for s in strata])
    fold = np.zeros(len(strata), dtype=np.int64)
    splits = StratifiedKFold(5, shuffle=True, random_state=random_state).split(strata, strata)
    for k, (_, te) in enumerate(splits):
        fold[te] = k
    return fold


def _statuses(
    probs: np.ndarray, thresholds: Thresholds, texts: Sequence[str] | None = None
) -> np.ndarray:
    """Each row's first state (as a string) from its spam and abuse columns (and its text,
    where given, as the service decides)."""
    texts = texts if texts is not None else [None] * len(probs)
    return np.array(
        [
            str(decide(s, a, thresholds, text=t).status)
            for (s, a), t in zip(probs[:, :2].tolist(), texts, strict=True)
        ]
    )


def _added_report(rows: Dataset, probs: np.ndarray) -> dict:
    """How the default thresholds treat rows added since an earlier seed, by label."""
    status = _statuses(probs, Thresholds(), rows.texts)
    labels = np.array(rows.raw["label"])
    return {
        label: {
            "n": int(np.sum(labels == label)),
            "held_or_blocked": int(np.sum(status[labels == label] != Status.PUBLISHED)),
            "blocked": int(np.sum(status[labels == label] == Status.BLOCKED)),
        }
        for label in sorted(set(labels.tolist()))
    }


def _seed_report(seed: Dataset, probs: np.ndarray) -> dict:
    thresholds = Thresholds()
    status = _statuses(probs, thresholds, seed.texts)
    labels = np.array(seed.raw["label"])
    kinds = np.array(seed.raw["kind"])
    langs = np.array(seed.raw["lang"])
    report: dict = {}
    for lang in ("all", *sorted(set(langs.tolist()))):
        m = np.ones(len(langs), bool) if lang == "all" else langs == lang
        block: dict = {
            "spam": binary_metrics(seed.spam[m], probs[m, 0]),
            "abuse": binary_metrics(seed.abuse[m], probs[m, 1]),
        }
        ham = m & (labels == "ham")
        block["ham"] = {
            "n": int(ham.sum()),
            "held_share": round(float(np.mean(status[ham] == Status.PENDING)), 4),
            "blocked": int(np.sum(status[ham] == Status.BLOCKED)),
        }
        for kind in ("political", "everyday", "criticism"):
            km = ham & (kinds == kind)
            if km.any():
                a = probs[km, 1]
                block["ham"][kind] = {
                    "n": int(km.sum()),
                    "abuse_p50": round(float(np.percentile(a, 50)), 4),
                    "abuse_p90": round(float(np.percentile(a, 90)), 4),
                    "abuse_max": round(float(a.max()), 4),
                    "held_share": round(float(np.mean(status[km] != Status.PUBLISHED)), 4),
                    "blocked": int(np.sum(status[km] == Status.BLOCKED)),
                }
        # Per abuse kind: how much of each is caught, and how well the abuse score ranks
        # that kind above legitimate comments (ROC AUC against the same language's ham).
        block["abuse_kinds"] = {}
        for kind in ABUSE_KINDS:
            km = m & (labels == "abuse") & (kinds == kind)
            if not km.any():
                continue
            against = km | ham
            block["abuse_kinds"][kind] = {
                "n": int(km.sum()),
                "recall_at_hold": round(float(np.mean(probs[km, 1] >= thresholds.abuse_hold)), 4),
                "held_or_blocked": round(float(np.mean(status[km] != Status.PUBLISHED)), 4),
                "blocked": round(float(np.mean(status[km] == Status.BLOCKED)), 4),
                "abuse_p50": round(float(np.percentile(probs[km, 1], 50)), 4),
                "roc_auc_vs_ham": round(float(roc_auc_score(km[against], probs[against, 1])), 4),
            }
        # Each kind's own probability, P(kind), against every other comment of the language
        # (ham, spam and the other kinds): ranking, calibration, and recall at the abuse
        # hold threshold; "told_apart" ranks the kind against the other kinds of abuse only.
        block["kind_scores"] = {}
        abusive = m & (labels == "abuse")
        for kind in ABUSE_KINDS:
            col = HEADS.index(kind)
            y = seed.kind(kind)
            r = binary_metrics(y[m], probs[m, col], thresholds.abuse_hold)
            block["kind_scores"][kind] = {
                "n": r["n"],
                "positives": r["positives"],
                "roc_auc": r.get("roc_auc"),
                "pr_auc": r.get("pr_auc"),
                "ece": r["ece"],
                "recall_at_hold": r["recall"],
                "precision_at_hold": r["precision"],
                "told_apart_roc_auc": round(
                    float(roc_auc_score(y[abusive], probs[abusive, col])), 4
                )
                if 0 < y[abusive].sum() < abusive.sum()
                else None,
            }
        if lang == "all":
            block["kind_reliability"] = _reliability(
                np.concatenate([seed.kind(k) for k in ABUSE_KINDS]),
                np.concatenate([probs[:, HEADS.index(k)] for k in ABUSE_KINDS]),
            )
        for label in ("spam", "abuse"):
            pos = m & (labels == label)
            block[f"{label}_caught"] = {
                "n": int(pos.sum()),
                "held_or_blocked": round(float(np.mean(status[pos] != Status.PUBLISHED)), 4),
                "blocked": round(float(np.mean(status[pos] == Status.BLOCKED)), 4),
            }
        report[lang] = block
    report["abuse_hold_tradeoff"] = _hold_tradeoff(probs, labels, thresholds, seed.texts)
    blocked = np.flatnonzero((labels == "ham") & (status == Status.BLOCKED))
    report["blocked_ham"] = [
        {
            "text": seed.texts[i][:160],
            "kind": kinds[i],
            "spam": round(float(probs[i, 0]), 3),
            "abuse": round(float(probs[i, 1]), 3),
        }
        for i in blocked
    ]
    return report


def _hold_tradeoff(
    probs: np.ndarray, labels: np.ndarray, defaults: Thresholds, texts: Sequence[str]
) -> list[dict]:
    """What each abuse hold threshold would keep from publication, the rest at their defaults."""
    ham, abuse = labels == "ham", labels == "abuse"
    out = []
    for hold in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8):
        t = dataclasses.replace(defaults, abuse_hold=hold)
        kept = _statuses(probs, t, texts) != Status.PUBLISHED
        out.append(
            {
                "abuse_hold": hold,
                "ham_held_or_blocked": round(float(kept[ham].mean()), 4),
                "abuse_caught": round(float(kept[abuse].mean()), 4),
            }
        )
    return out


def bench_kinds_design(seed_path: Path) -> dict:
    """The two ways of keeping kinds within abuse, compared on the seed corpus alone.

    One training per design on the seed only; each head's probabilities are out-of-fold
    (3-fold, as calibration is fitted), P(kind) combined with the out-of-fold P(abuse).
    Per kind and language: ROC AUC and ECE of P(kind) against every other comment.
    """
    seed = load_file(seed_path)
    out: dict = {}
    for design in KIND_DESIGNS:
        fit = fit_base([seed], "bench", progress=QUIET, **{**OPTIONS, "kinds_design": design})
        langs = np.array([g.split("/", 1)[0] for g in fit.training.groups])
        block: dict = {}
        for kind in ABUSE_KINDS:
            y, p = fit.training.target(kind), fit.oof_probs[kind]
            block[kind] = {}
            for lang in ("all", *sorted(set(langs.tolist()))):
                m = ~np.isnan(y) & ~np.isnan(p) & ((langs == lang) if lang != "all" else True)
                r = binary_metrics(y[m], p[m])
                block[kind][lang] = {"n": r["n"], "roc_auc": r.get("roc_auc"), "ece": r["ece"]}
        out[design] = block
    return out


def _reliability(y: np.ndarray, p: np.ndarray, edges=(0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.01)) -> list:
    """Pooled over the kinds: in each probability band, rows, mean probability, positive rate."""
    out = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        band = (p >= lo) & (p < hi)
        if band.any():
            out.append(
                {
                    "band": f"{lo:.1f}-{min(hi, 1.0):.1f}",
                    "n": int(band.sum()),
                    "mean_p": round(float(p[band].mean()), 3),
                    "positive_rate": round(float(y[band].mean()), 3),
                }
            )
    return out


def bench_cross_source(data: Path, seed_path: Path | None) -> dict:
    """Train on one source, test on another: ROC AUC, the honest view of generalization."""
    yt = concat(load_path(data / "youtube_spam"), "youtube")
    (sms,) = load_path(data / "sms_spam")
    (dav,) = load_path(data / "davidson_offensive")
    (olid,) = load_path(data / "olid")
    seed = load_file(seed_path) if seed_path and seed_path.is_file() else None
    out: dict = {}

    def auc(train: list[Dataset], test: Dataset, column: int) -> float:
        p = _probs(_train(train), test)[:, column]
        y = test.spam if column == 0 else test.abuse
        m = ~np.isnan(y)
        return round(float(roc_auc_score(y[m], p[m])), 4)

    out["spam youtube->sms"] = auc([yt], sms, 0)
    out["spam sms->youtube"] = auc([sms], yt, 0)
    out["abuse davidson->olid"] = auc([dav], olid, 1)
    out["abuse olid->davidson"] = auc([olid], dav, 1)
    if seed is not None:
        public_only = _train([yt, sms, dav, olid])
        p = _probs(public_only, seed)
        out["spam public->seed"] = round(float(roc_auc_score(seed.spam, p[:, 0])), 4)
        out["abuse public->seed"] = round(float(roc_auc_score(seed.abuse, p[:, 1])), 4)
        ham = np.array(seed.raw["kind"]) == "political"
        out["public->seed political ham held (abuse>=0.5)"] = round(
            float(np.mean(p[ham, 1] >= 0.5)), 4
        )
        out["public->seed ECE spam/abuse"] = [
            round(expected_calibration_error(seed.spam, p[:, 0]), 4),
            round(expected_calibration_error(seed.abuse, p[:, 1]), 4),
        ]
    return out


def bench_groups(models_dir: Path, probe_path: Path) -> dict:
    """The shipped model on the group probe (data/group-probe.csv): the same civil sentences
    and the same attacks about each of 19 groups per language. Is a civil sentence held for
    the group it names, and is an attack held whoever it targets?"""
    clf = load_current(models_dir)
    with open(probe_path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    probs = clf.predict_proba([Sample(r["text"]) for r in rows])
    kept = _statuses(probs, Thresholds(), [r["text"] for r in rows]) != Status.PUBLISHED
    langs, groups, labels = (np.array([r[c] for r in rows]) for c in ("lang", "group", "label"))
    out: dict = {}
    for lang in sorted(set(langs.tolist())):
        civil, attack = (langs == lang) & (labels == "ham"), (langs == lang) & (labels == "abuse")
        per_group = {}
        for group in dict.fromkeys(groups[langs == lang].tolist()):
            c, a = civil & (groups == group), attack & (groups == group)
            per_group[group] = {
                "civil_abuse_mean": round(float(probs[c, 1].mean()), 3),
                "civil_held": int(kept[c].sum()),
                "attacks_held": int(kept[a].sum()),
            }
        out[lang] = {
            "civil": int(civil.sum()),
            "civil_held": int(kept[civil].sum()),
            "civil_abuse_mean": round(float(probs[civil, 1].mean()), 3),
            "civil_abuse_max": round(float(probs[civil, 1].max()), 3),
            "attacks": int(attack.sum()),
            "attacks_held": int(kept[attack].sum()),
            "attacks_abuse_min": round(float(probs[attack, 1].min()), 3),
            "groups": per_group,
        }
    return out


# Disguises that spam and abuse use to get past word filters, applied to every word (or to
# the longest) of the held-out comments. Each is in the public sets too ("i n d i r e c t",
# "q.u.e.e.n", a Greek "ο" in "οh my god"), rarely.
_CYRILLIC = str.maketrans(
    "aceopxyisj", "\u0430\u0441\u0435\u043e\u0440\u0445\u0443\u0456\u0455\u0458"
)
_BOLD = {
    ord(c): chr(0x1D400 + i) for i, c in enumerate(string.ascii_uppercase + string.ascii_lowercase)
}
DISGUISES: dict[str, Callable[[str], str]] = {
    "zero-width space inside words": lambda t: " ".join(
        w[: len(w) // 2] + "\u200b" + w[len(w) // 2 :] if len(w) >= 4 else w for w in t.split(" ")
    ),
    "Cyrillic look-alike letters": lambda t: t.translate(_CYRILLIC),
    "longest word spelled out": lambda t: t.replace(w := max(t.split(" "), key=len), " ".join(w)),
    "mathematical bold letters": lambda t: t.translate(_BOLD),
}


def bench_disguise(models_dir: Path, heldout: Sequence[Path]) -> dict:
    """The promoted model on the held-out comments as written and disguised: the share of
    spam and abuse kept back (held or blocked), and of legitimate comments held."""
    clf = load_current(models_dir)
    rows = []
    for path in heldout:
        with open(path, newline="", encoding="utf-8") as fh:
            rows += list(csv.DictReader(fh))
    labels = np.array([r["label"] for r in rows])
    out = {"rows": len(rows), "ham": int(np.sum(labels == "ham"))}
    for name, disguise in {"as written": lambda t: t, **DISGUISES}.items():
        texts = [disguise(r["text"]) for r in rows]
        probs = clf.predict_proba([Sample(t) for t in texts])
        kept = _statuses(probs, Thresholds(), texts) != Status.PUBLISHED
        out[name] = {
            "spam_kept_back": round(float(kept[labels == "spam"].mean()), 3),
            "abuse_kept_back": round(float(kept[labels == "abuse"].mean()), 3),
            "ham_held": round(float(kept[labels == "ham"].mean()), 3),
        }
    return out


def bench_speed(models_dir: Path, seed_path: Path) -> dict:
    """Single-comment latency, batch throughput and memory of the promoted model."""
    tracemalloc.start()
    clf = load_current(models_dir)
    _, peak = tracemalloc.get_traced_memory()
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    texts = load_file(seed_path).texts
    samples = [Sample(t) for t in texts]
    for s in samples[:100]:
        clf.score([s])
    latencies = []
    for s in samples * 3:
        t0 = time.perf_counter()
        clf.score([s])
        latencies.append(time.perf_counter() - t0)
    ms = np.array(latencies) * 1e3
    batch = (samples * (50_000 // len(samples) + 1))[:50_000]
    clf.score(batch[:4096])  # warm up, as for single comments: first-batch costs are one-off
    t0, cpu0 = time.perf_counter(), time.process_time()
    for i in range(0, len(batch), 4096):
        clf.score(batch[i : i + 4096])
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    stages = _stage_rates(clf, batch)
    artifact = models_dir / f"moderato-{clf.version}.skops"
    return {
        "model": clf.version,
        "mean_comment_chars": round(float(np.mean([len(t) for t in texts])), 1),
        "single_p50_ms": round(float(np.percentile(ms, 50)), 3),
        "single_p99_ms": round(float(np.percentile(ms, 99)), 3),
        "batch_per_second": int(len(batch) / elapsed),
        # The same run over the process's CPU time: what one core does when nothing else
        # competes for it (the wall-clock figure drops on a shared, busy machine).
        "batch_per_cpu_second": int(len(batch) / cpu),
        # Each step of scoring alone, comments per CPU second, in the chunks scoring uses.
        "batch_stages_per_cpu_second": stages,
        "model_memory_mb": round(current / 1e6, 1),
        "load_peak_memory_mb": round(peak / 1e6, 1),
        "artifact_mb": round(artifact.stat().st_size / 1e6, 2),
        "pathological_ms": _pathological_ms(clf),
    }


# Comments built to make pattern matching slow, near the classifier's 20,000-character cap:
# runs of dotted or dashed words (a "domain" or an e-mail that never ends), hidden-link
# forms, unclosed spintax. Unbounded link and e-mail patterns took 0.3 to 7 s on these.
PATHOLOGICAL = {
    "dotted words, then .com": "a." * 9000 + "com",
    "dashed words": "a-" * 9000 + " www.example.com",
    "e-mail that never ends": "a." * 9000 + " @x",
    "ideographic dots": "a\u3002" * 9000,
    "bracketed dots": "a[.]" * 5000,
    "unclosed spintax": "{a|" * 6000,
    # Each a masked word to look up among the listed ones (the lookups are cached; cleared
    # before each run).
    "distinct masked words": " ".join(
        f"{a}{b}{c}*{d}{e}"
        for a, b, c, d, e in itertools.islice(
            itertools.product("abcdefghij", repeat=5), 0, 400_000, 97
        )
    )[: fx.MAX_RAW_CHARS],
}


def _pathological_ms(clf: Classifier) -> dict[str, float]:
    """Milliseconds to score each pathological comment alone (best of three)."""
    out = {}
    for name, text in PATHOLOGICAL.items():
        best = float("inf")
        for _ in range(3):
            fx._UNMASKED.clear()
            t0 = time.perf_counter()
            clf.score([Sample(text)])
            best = min(best, time.perf_counter() - t0)
        out[name] = round(best * 1e3, 1)
    return out


def _stage_rates(clf: Classifier, batch: list[Sample]) -> dict[str, int]:
    size = SCORING_CHUNK  # as `Classifier.logits` splits a batch
    chunks = [batch[i : i + size] for i in range(0, len(batch), size)]
    raws = [[s.text for s in chunk] for chunk in chunks]
    totals = dict.fromkeys(("normalize", "tokens", "hash", "logits"), 0.0)
    clock = time.process_time
    for chunk, raw in zip(chunks, raws, strict=True):
        t0 = clock()
        texts = fx.normalize_many(raw)
        t1 = clock()
        tokens = model_tokens(chunk, raw)
        t2 = clock()
        hashed = fx.hash_texts(texts, tokens)
        t3 = clock()
        clf._logits(hashed)
        t4 = clock()
        for name, seconds in zip(totals, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            totals[name] += seconds
    return {name: int(len(batch) / seconds) for name, seconds in totals.items()}


BENCHMARKS = ("youtube", "sms", "olid", "seed", "kinds", "cross", "speed", "groups", "disguise")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--seed", type=Path, default=REPO / "data" / "seed.csv")
    parser.add_argument("--models-dir", type=Path, default=REPO / "models")
    parser.add_argument(
        "--seed-folds-from",
        type=Path,
        default=None,
        help="seed: an earlier seed file whose rows keep their folds (compare with its model)",
    )
    parser.add_argument(
        "--seed-scores",
        type=Path,
        default=None,
        help="seed: write each row's out-of-fold scores to this CSV (seed-repeats: one per repeat)",
    )
    parser.add_argument(
        "--seed-repeats",
        type=int,
        default=3,
        help="seed-repeats: how many shuffles of the five folds",
    )
    parser.add_argument(
        "--only",
        default=",".join(BENCHMARKS),
        help="comma-separated; also seed-repeats (not by default: each repeat costs a seed run)",
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--C", type=float, default=None, help="experiment: regularization")
    parser.add_argument("--seed-share", type=float, default=None, help="experiment: seed weight")
    parser.add_argument(
        "--kinds-design", choices=KIND_DESIGNS, default=None, help="experiment: kind heads"
    )
    args = parser.parse_args()
    if args.C is not None:
        OPTIONS["C"] = args.C
    if args.kinds_design is not None:
        OPTIONS["kinds_design"] = args.kinds_design
    if args.seed_share is not None:
        shares = {label: dict(v) for label, v in SOURCE_SHARE.items()}
        for label in shares:
            rest = sum(x for k, x in shares[label].items() if k not in ("seed", "generic"))
            for k in shares[label]:
                if k in ("seed", "generic"):
                    shares[label][k] = args.seed_share / (1 - args.seed_share) * rest
        OPTIONS["shares"] = shares
    results: dict = {}
    runs = {
        "youtube": lambda: bench_youtube(args.data),
        "sms": lambda: bench_sms(args.data),
        "olid": lambda: bench_olid(args.data),
        "seed": lambda: bench_seed(args.data, args.seed, args.seed_folds_from, args.seed_scores),
        "seed-repeats": lambda: bench_seed_repeats(
            args.data, args.seed, args.seed_repeats, args.seed_scores
        ),
        "kinds": lambda: bench_kinds_design(args.seed),
        "cross": lambda: bench_cross_source(args.data, args.seed),
        "speed": lambda: bench_speed(args.models_dir, args.seed),
        "groups": lambda: bench_groups(args.models_dir, args.seed.parent / "group-probe.csv"),
        "disguise": lambda: bench_disguise(
            args.models_dir, sorted(args.seed.parent.glob("heldout-*.csv"))
        ),
    }
    for name in args.only.split(","):
        t0 = time.perf_counter()
        results[name] = runs[name]()
        print(f"== {name} ({time.perf_counter() - t0:.0f} s)")
        print(json.dumps(results[name], indent=2))
        sys.stdout.flush()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
