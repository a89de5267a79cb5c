"""The classifier's click commands (train, evaluate, score, thresholds, model): no app needed."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import click
import numpy as np

from . import default_models_dir
from .data import KINDS, DataError, Dataset, concat, load_path, read_unlabeled, sha256_file
from .model import (
    HEADS,
    LABELS,
    ModelError,
    Sample,
    artifact_path,
    list_versions,
    load_current,
    save,
    use_version,
)
from .training import DEFAULT_C, binary_metrics, fit_base, oof_metrics

_DECISIONS = {"published": "publish", "pending": "hold", "blocked": "block", "rejected": "block"}


def _models_dir_option(*aliases: str):
    return click.option(
        "--models-dir",
        *aliases,
        "models_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=default_models_dir,
        show_default="MODERATO_MODELS_DIR or <repo>/models",
        help="Folder holding the model artifacts and current.json.",
    )


models_dir_option = _models_dir_option()


def _load_data(paths: tuple[Path, ...]) -> list[Dataset]:
    datasets: list[Dataset] = []
    for path in paths:
        try:
            datasets.extend(load_path(path))
        except DataError as exc:
            raise click.BadParameter(str(exc), param_hint="FILE/--data") from None
    return datasets


def _load_model(models_dir: Path):
    try:
        return load_current(models_dir)
    except ModelError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("train")
@click.option(
    "--data",
    "data_paths",
    multiple=True,
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="A labeled file or a public data set folder; repeatable.",
)
@click.option(
    "--seed",
    "seed_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The project's seed corpus (data/seed.csv); weighted heavily.",
)
@_models_dir_option("--out")
@click.option("--version", "version", default=None, help="Version name (default base-<UTC time>).")
@click.option("--no-promote", is_flag=True, help="Write the artifact without making it current.")
def train_command(
    data_paths: tuple[Path, ...],
    seed_path: Path | None,
    models_dir: Path,
    version: str | None,
    no_promote: bool,
) -> None:
    """Train a base model from labeled files, save it to the models folder and promote it."""
    datasets = _load_data(data_paths + ((seed_path,) if seed_path else ()))
    for d in datasets:
        click.echo(f"loaded {d.name}: {len(d)} rows ({d.source})", err=True)
    version = version or "base-" + datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    if artifact_path(models_dir, version).exists():
        raise click.ClickException(f"{artifact_path(models_dir, version)} already exists")
    fit = fit_base(datasets, version, progress=lambda m: click.echo(m, err=True))
    metrics = oof_metrics(fit)
    metadata = {
        "kind": "base",
        "parent": None,
        "command": "moderato train "
        + " ".join(
            [f"--data {p}" for p in data_paths] + ([f"--seed {seed_path}"] if seed_path else [])
        ),
        "training_files": [d.describe() for d in datasets],
        "distinct_texts": len(fit.training.texts),
        "label_counts": {
            label: {
                "positive": int(np.nansum(fit.training.target(label) == 1)),
                "negative": int(np.nansum(fit.training.target(label) == 0)),
            }
            for label in HEADS
        },
        "kinds_design": fit.params["kinds_design"],
        "metrics": {"out_of_fold": metrics},
        "thresholds": _thresholds_dict(),
        "hyperparameters": {"C": DEFAULT_C, "feature_bits": fit.params["feature_bits"]},
    }
    path = save(models_dir, fit.params, metadata, promote=not no_promote)
    for label, per in metrics.items():
        a = per["all"]
        click.echo(
            f"{label}: out-of-fold F1 {a['f1']:.3f}  ROC AUC {a.get('roc_auc', float('nan')):.3f}"
            f"  ECE {a['ece']:.3f}"
        )
    click.echo(
        f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)"
        + ("" if no_promote else f"; {version} is now current")
    )


def _thresholds():
    from service.moderation import Thresholds

    try:
        return Thresholds.from_env()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def _thresholds_dict() -> dict[str, float]:
    return dataclasses.asdict(_thresholds())


@click.command("evaluate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@models_dir_option
def evaluate_command(files: tuple[Path, ...], models_dir: Path) -> None:
    """Print precision, recall, F1, ROC/PR AUC, ECE and confusion per label and abuse kind."""
    from service.moderation import blocks_as_spam

    datasets = _load_data(files)
    clf = _load_model(models_dir)
    thresholds = _thresholds()
    data = concat(datasets, name=", ".join(d.name for d in datasets))
    samples = _samples(data)
    probs = clf.predict_proba(samples)
    langs = _languages(datasets)
    click.echo(f"model {clf.version} on {data.name}: {len(data)} rows")
    for j, label in enumerate(LABELS):
        y = data.spam if label == "spam" else data.abuse
        m = ~np.isnan(y)
        if not m.any():
            click.echo(f"{label}: no labels in these files")
            continue
        hold = getattr(thresholds, f"{label}_hold")
        block = getattr(thresholds, f"{label}_block")
        _echo_metrics(label, y, probs[:, j], m, langs, hold)
        yy, pp = y[m].astype(int), probs[m, j]
        blocks = pp >= block
        if label == "spam":  # as the service decides: a bare comment is held, not blocked
            texts = np.asarray(data.texts, dtype=object)[m]
            blocks = np.array(
                [blocks_as_spam(p, thresholds, t) for p, t in zip(pp, texts, strict=True)]
            )
        click.echo(
            f"  confusion at hold {hold} / block {block} (rows: truth, columns: publish/hold/block)"
        )
        for truth, name in ((0, "negative"), (1, "positive")):
            t = yy == truth
            publish = int(np.sum(t & (pp < hold)))
            held = int(np.sum(t & (pp >= hold) & ~blocks))
            blocked = int(np.sum(t & blocks))
            click.echo(f"  {name:>9}: {publish:7d} {held:7d} {blocked:7d}")
    for kind in KINDS:
        y = data.kind(kind)
        m = ~np.isnan(y)
        if not (y[m] == 1).any():
            click.echo(f"{kind}: no {kind} labels in these files")
            continue
        _echo_metrics(kind, y, probs[:, HEADS.index(kind)], m, langs, 0.5, " (at 0.5)")


def _languages(datasets: Sequence[Dataset]) -> np.ndarray:
    """Each row's language where its file has a `lang` column, else ""."""
    return np.array(
        [lang for d in datasets for lang in (d.raw.get("lang") or [""] * len(d))], dtype=object
    )


def _echo_metrics(
    name: str,
    y: np.ndarray,
    p: np.ndarray,
    labeled: np.ndarray,
    langs: np.ndarray,
    threshold: float,
    suffix: str = "",
) -> None:
    """One label's figures on its labeled rows, then the same per language."""
    click.echo(_metrics_line(name, binary_metrics(y[labeled], p[labeled], threshold)) + suffix)
    for lang in sorted(set(langs[labeled].tolist()) - {""}):
        m = labeled & (langs == lang)
        click.echo(f"  {lang} " + _metrics_line(name, binary_metrics(y[m], p[m], threshold)))


def _samples(data: Dataset) -> list[Sample]:
    n = len(data)
    return [
        Sample(t, a, e, u)
        for t, a, e, u in zip(
            data.texts,
            data.authors or [""] * n,
            data.emails or [""] * n,
            data.urls or [""] * n,
            strict=True,
        )
    ]


@click.command("score")
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False, path_type=Path))
@models_dir_option
@click.option("--explain", is_flag=True, help="Add the words that weighed most on each score.")
def score_command(file: Path, models_dir: Path, explain: bool) -> None:
    """Score a CSV (text column) or JSONL (text key) file, or - for stdin; JSON lines out."""
    from service.moderation import decide

    try:
        if str(file) == "-":
            rows = read_unlabeled(sys.stdin)
        elif not file.is_file():
            raise click.BadParameter(f"{file}: no such file", param_hint="FILE")
        else:
            rows = read_unlabeled(file)
    except DataError as exc:
        raise click.BadParameter(str(exc), param_hint="FILE") from None
    clf = _load_model(models_dir)
    thresholds = _thresholds()
    samples = [
        Sample(*(_cell(row.get(k)) for k in ("text", "author", "email", "url"))) for row in rows
    ]
    out = sys.stdout
    for start in range(0, len(samples), 4096):
        batch = samples[start : start + 4096]
        for sample, scores in zip(batch, clf.score(batch, explain=explain), strict=True):
            decision = decide(scores.spam, scores.abuse, thresholds, text=sample.text)
            record: dict = {
                "spam": round(scores.spam, 4),
                "abuse": round(scores.abuse, 4),
                "kinds": {k: round(v, 4) for k, v in scores.kinds.items()},
                "decision": _DECISIONS[str(decision.status)],
            }
            if explain:
                record["explanation"] = {
                    "spam": [[k, v] for k, v in scores.spam_explanation],
                    "abuse": [[k, v] for k, v in scores.abuse_explanation],
                }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()


def _cell(value: object) -> str:
    if value is None:
        return ""
    return (
        value
        if isinstance(value, str)
        else json.dumps(value)
        if isinstance(value, dict | list)
        else str(value)
    )


@click.command("thresholds")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--max-ham-blocked",
    type=click.FloatRange(0, 1),
    default=0.005,
    show_default=True,
    help="Largest share of ham (neither spam nor abuse) that may be blocked.",
)
@click.option(
    "--max-ham-held",
    type=click.FloatRange(0, 1),
    default=0.05,
    show_default=True,
    help="Largest share of ham that may be kept from publication (held or blocked).",
)
@models_dir_option
def thresholds_command(
    files: tuple[Path, ...], max_ham_blocked: float, max_ham_held: float, models_dir: Path
) -> None:
    """Propose hold and block thresholds from labeled files and ham budgets, with the trade-off."""
    from service.moderation import is_bare

    from .thresholds import propose

    datasets = _load_data(files)
    clf = _load_model(models_dir)
    data = concat(datasets, name=", ".join(d.name for d in datasets))
    probs = clf.predict_proba(_samples(data))[:, : len(LABELS)]
    try:
        proposal = propose(
            np.column_stack((data.spam, data.abuse)),
            probs,
            max_ham_blocked=max_ham_blocked,
            max_ham_held=max_ham_held,
            spam_unblockable=np.array([is_bare(t) for t in data.texts], dtype=bool),
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"model {clf.version} on {data.name}: {len(data)} rows, {proposal.ham} ham")
    trained_on = {f.get("sha256") for f in clf.metadata.get("training_files", [])}
    for d in datasets:
        if d.path and sha256_file(d.path) in trained_on:
            click.echo(
                f"warning: {d.name} is part of {clf.version}'s training data; "
                "its figures are optimistic, use held-out comments",
                err=True,
            )
    for label in LABELS:
        click.echo(f"\n{label} ({proposal.positives[label]} positives)")
        click.echo(f"  {'threshold':>9}  {'ham at or above':>15}  {label + ' recall':>14}")
        for row in proposal.table[label]:
            marks = [
                name
                for name, t in (("hold", proposal.hold), ("block", proposal.block))
                if round(t[label], 3) == round(row.threshold, 3)
            ]
            recall = "n/a" if np.isnan(row.recall) else f"{row.recall:.1%}"
            click.echo(
                f"  {row.threshold:>9.3f}  {row.ham_share:>15.2%}  {recall:>14}"
                + (f"  <- proposed {' and '.join(marks)}" if marks else "")
            )
    click.echo(
        f"\nproposed (ham blocked at most {max_ham_blocked:.2%}, held or blocked at most "
        f"{max_ham_held:.2%}, both labels together):"
    )
    click.echo(f"  ham blocked {proposal.ham_blocked:.2%}, held or blocked {proposal.ham_held:.2%}")
    for label in LABELS:
        if proposal.positives[label]:
            click.echo(
                f"  {label} caught: {proposal.recall_blocked[label]:.1%} blocked, "
                f"{proposal.recall_held[label]:.1%} held or blocked"
            )
    for warning in proposal.warnings:
        click.echo(f"warning: {warning}", err=True)
    for name, value in proposal.as_thresholds().items():
        click.echo(f"MODERATO_{name.upper()}={value:g}")


@click.group("model")
def model_group() -> None:
    """List the trained model versions and choose which one the service loads."""


@model_group.command("list")
@models_dir_option
def list_models_command(models_dir: Path) -> None:
    """List the model versions in the models folder, the promoted one marked with *."""
    infos = list_versions(models_dir)
    if not infos:
        raise click.ClickException(f"no model artifacts in {models_dir} (run `moderato train`)")
    click.echo(f"{'':2}{'version':<24} {'kind':<5} {'created':<26} key metrics")
    for info in infos:
        figures = "  ".join(
            f"{label} F1 {m.get('f1', float('nan')):.3f} AUC {m.get('roc_auc', float('nan')):.3f}"
            for label, m in info.metrics.items()
            if label in LABELS
        )
        kinds = [
            f"{label} {m['roc_auc']:.3f}"
            for label, m in info.metrics.items()
            if label in KINDS and "roc_auc" in m
        ]
        if kinds:
            figures += "  kinds AUC " + " ".join(kinds)
        if figures:
            figures += f" ({info.metrics_source})"
        mark = "* " if info.current else "  "
        click.echo(f"{mark}{info.version:<24} {info.kind:<5} {info.created:<26} {figures or '-'}")
    if not any(info.current for info in infos):
        click.echo("no version is promoted: run `moderato model use VERSION`", err=True)


@model_group.command("use")
@click.argument("version")
@models_dir_option
def use_model_command(version: str, models_dir: Path) -> None:
    """Promote VERSION (or roll back to it) after checking that it loads."""
    try:
        clf = use_version(models_dir, version)
    except ModelError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{clf.version} is now current; restart the service to load it")


def _metrics_line(name: str, r: dict) -> str:
    """One label's figures from `binary_metrics`, as `evaluate` prints them."""
    auc = f"{r['roc_auc']:.3f}" if "roc_auc" in r else "n/a"
    pr = f"{r['pr_auc']:.3f}" if "pr_auc" in r else "n/a"
    return (
        f"{name}: n={r['n']} positives={r['positives']} precision={r['precision']:.3f} "
        f"recall={r['recall']:.3f} f1={r['f1']:.3f} roc_auc={auc} pr_auc={pr} "
        f"ece={r['ece']:.3f}"
    )
