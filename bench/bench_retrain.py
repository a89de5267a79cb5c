"""Site retraining at volume: time and peak memory of `retrain` on generated moderator labels.

    taskset -c 0 .venv/bin/python bench/bench_retrain.py --n 1000000 [--data DIR] [--json PATH]

Generates N labeled comments (ham, spam, abuse) by recombining and perturbing the seed
corpus and, when present, the public sets' texts, then runs the same `retrain` that
`moderato retrain` runs, on a copy of the promoted model in a temporary folder. Peak memory is
the process's maximum resident set (ru_maxrss), generation included: a server holds the
decisions in memory the same way. Run it on one core (taskset -c 0) to match the goal.
Each step prints its wall-clock and CPU time: on a shared machine the wall clock includes
waiting for the core, the CPU time is what one core of our own would take.
At 1,000,000 comments the peak is about 2.6 GB; the time goes mostly to normalizing and
hashing the texts (the same feature code scoring uses), see models/MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.classifier import Sample, load_current, retrain  # noqa: E402
from service.classifier.data import DataError, Dataset, load_file, load_path  # noqa: E402

GOALS = {"seconds": 180.0, "peak_gb": 4.0}
SHARE = {"ham": 0.7, "spam": 0.15, "abuse": 0.15}  # roughly a busy blog's moderation queue
_WORD = re.compile(r"\w+", re.UNICODE)


def _pools(data: Path | None, seed_path: Path) -> dict[str, list[str]]:
    """Texts per class: the seed corpus and, if available, the public sets."""
    datasets: list[Dataset] = [load_file(seed_path)]
    if data is not None:
        for name in ("youtube_spam", "sms_spam", "davidson_offensive", "olid"):
            try:
                datasets.extend(load_path(data / name))
            except DataError:
                continue
    pools: dict[str, list[str]] = {"ham": [], "spam": [], "abuse": []}
    for d in datasets:
        for text, spam, abuse in zip(d.texts, d.spam, d.abuse, strict=True):
            if abuse == 1:
                pools["abuse"].append(text)
            elif spam == 1:
                pools["spam"].append(text)
            elif spam == 0 or abuse == 0:
                pools["ham"].append(text)
    return pools


def generate(n: int, pools: dict[str, list[str]], seed: int = 0):
    """N comments: two texts of one class joined, a few words dropped, a few inserted."""
    rng = random.Random(seed)
    vocabulary = sorted({w for texts in pools.values() for t in texts for w in _WORD.findall(t)})
    samples: list[Sample] = []
    spam: list[int] = []
    abuse: list[int] = []
    classes = list(SHARE)
    weights = [SHARE[c] for c in classes]
    for kind in rng.choices(classes, weights, k=n):
        pool = pools[kind]
        words = (rng.choice(pool) + " " + rng.choice(pool)).split()[:60]
        for _ in range(min(2, len(words) - 1)):
            words.pop(rng.randrange(len(words)))
        for _ in range(2):
            words.insert(rng.randrange(len(words) + 1), rng.choice(vocabulary))
        samples.append(Sample(" ".join(words)))
        spam.append(int(kind == "spam"))
        abuse.append(int(kind == "abuse"))
    return samples, spam, abuse


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--seed", type=Path, default=REPO / "data" / "seed.csv")
    parser.add_argument("--models-dir", type=Path, default=REPO / "models")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    started = time.perf_counter()
    pools = _pools(args.data if args.data.is_dir() else None, args.seed)
    samples, spam, abuse = generate(args.n, pools)
    generated = time.perf_counter() - started
    chars = sum(len(s.text) for s in samples) / len(samples)
    print(
        f"generated {len(samples):,} comments in {generated:.1f} s "
        f"(mean {chars:.0f} characters; pools: "
        + ", ".join(f"{k} {len(v):,}" for k, v in pools.items())
        + f"); peak so far {_peak_gb():.2f} GB",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        models = Path(tmp) / "models"
        models.mkdir()
        current = load_current(args.models_dir)
        shutil.copy(args.models_dir / "current.json", models)
        for suffix in (".skops", ".json"):
            shutil.copy(args.models_dir / f"moderato-{current.version}{suffix}", models)
        del current
        t0, c0 = time.perf_counter(), time.process_time()
        marks: list[tuple[float, float, str]] = []

        def progress(message: str) -> None:
            marks.append((time.perf_counter() - t0, time.process_time() - c0, message))
            wall, cpu = marks[-1][:2]
            print(
                f"  {wall:7.1f} s (CPU {cpu:6.1f} s, peak {_peak_gb():.2f} GB)  {message}",
                flush=True,
            )

        result = retrain(
            models, samples, spam, abuse, force=True, progress=progress, seed_path=args.seed
        )
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - c0
    peak = _peak_gb()
    report = {
        "comments": args.n,
        "mean_chars": round(chars, 1),
        "generate_seconds": round(generated, 1),
        "retrain_seconds": round(seconds, 1),
        "retrain_cpu_seconds": round(cpu, 1),
        "peak_rss_gb": round(peak, 2),
        "promoted": result.promoted,
        "distinct": result.metrics.get("label_counts", {}).get("labels"),
        "metrics": {k: result.metrics.get(k) for k in ("held_out", "seed")},
        "steps": [[round(t, 1), round(c, 1), m] for t, c, m in marks],
        "goals": GOALS,
    }
    print(
        f"retrain on {args.n:,} comments: {seconds:.1f} s, CPU {cpu:.1f} s "
        f"(goal <= {GOALS['seconds']:.0f} s), "
        f"peak RSS {peak:.2f} GB (goal <= {GOALS['peak_gb']:.0f} GB); {result.message}"
    )
    for where in ("held_out", "seed"):
        for label, figures in result.metrics.get(where, {}).items():
            if label in ("spam", "abuse"):
                old, new = figures["current"], figures["candidate"]
                print(
                    f"  {where} {label}: log loss {old['log_loss']:.4f} -> {new['log_loss']:.4f}"
                    f", ROC AUC {old.get('roc_auc', float('nan')):.4f}"
                    f" -> {new.get('roc_auc', float('nan')):.4f}"
                )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
