"""Labeled data: detect a file's format and map its labels onto spam / abuse and abuse kinds.

Every loader yields a `Dataset` whose `spam` and `abuse` columns are 1.0, 0.0, or NaN where
the source says nothing usable about that label (the row is then left out of that label's
training and evaluation, not counted as a negative). The same holds for each abuse kind
(`KINDS`); a source that records no kinds gets the one safe rule, "not abuse is no kind":
0.0 where abuse is 0.0, NaN elsewhere (see `Dataset.kind`).

Kind mapping per source (why: see models/MODEL_CARD.md, "Training data"):
- seed / generic files with a `kind` column: an abuse row's kind is positive, the other kinds
  negative; ham and spam rows are negative for every kind.
- OLID: NOT -> no kind; OFF+TIN+IND -> insult; OFF+TIN+OTH -> not an identity attack,
  insult unknown; OFF+TIN+GRP -> left out of insult and identity_attack (most of OLID's
  "groups" are political camps, which are not identities); OFF+UNT -> neither insult nor
  identity attack. Threat is never annotated: unknown.
- Davidson: hate -> identity_attack (insult and threat unknown); neither -> no kind;
  offensive -> unknown, like its abuse label.
- YouTube, SMS: not abuse, so no kind.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from . import context

NAN = float("nan")

# Texts longer than the default csv limit (128 KiB) are legitimate input to `score`.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


# The kinds of abuse the model scores, each a probability within abuse.
KINDS = ("insult", "threat", "identity_attack")


class DataError(ValueError):
    """A data file that cannot be read as any supported format, or has unusable labels."""


@dataclass(slots=True)
class Dataset:
    """Rows of one file with their spam/abuse targets and provenance."""

    name: str
    source: str  # youtube | sms | davidson | olid | seed | generic
    path: Path | None
    texts: list[str]
    spam: np.ndarray
    abuse: np.ndarray
    groups: list[str] = field(default_factory=list)  # e.g. video, or "lang/kind" in the seed
    authors: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    # Site-context tokens per row where the source records them (see Sample.context).
    contexts: list[list[str]] = field(default_factory=list)
    # Raw labels kept for benchmarks that use a source's own task (e.g. OLID OFF/NOT).
    raw: dict[str, list[str]] = field(default_factory=dict)
    # Abuse kind -> 1.0 / 0.0 / NaN per row, for sources that record kinds (see `kind`).
    kinds: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.texts)

    def kind(self, name: str) -> np.ndarray:
        """The target for one abuse kind: as recorded, else 0 where the row is not abuse."""
        if name in self.kinds:
            return self.kinds[name]
        return np.where(self.abuse == 0, 0.0, NAN)

    def describe(self) -> dict:
        """Provenance for model metadata: file, sha256, row and label counts."""
        return {
            "name": self.name,
            "source": self.source,
            "file": str(self.path) if self.path else None,
            "sha256": sha256_file(self.path) if self.path else None,
            "rows": len(self),
            "spam": _counts(self.spam),
            "abuse": _counts(self.abuse),
            "kinds": {k: _counts(self.kind(k)) for k in KINDS},
        }


def _counts(y: np.ndarray) -> dict[str, int]:
    return {
        "positive": int(np.sum(y == 1)),
        "negative": int(np.sum(y == 0)),
        "unlabeled": int(np.sum(np.isnan(y))),
    }


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def concat(datasets: Sequence[Dataset], name: str = "combined") -> Dataset:
    """One dataset holding the rows of all `datasets` (source: the first one's, or mixed)."""
    sources = {d.source for d in datasets}
    return Dataset(
        name=name,
        source=sources.pop() if len(sources) == 1 else "mixed",
        path=None,
        texts=[t for d in datasets for t in d.texts],
        spam=np.concatenate([d.spam for d in datasets]) if datasets else np.zeros(0),
        abuse=np.concatenate([d.abuse for d in datasets]) if datasets else np.zeros(0),
        groups=[g for d in datasets for g in (d.groups or [d.name] * len(d))],
        authors=[a for d in datasets for a in (d.authors or [""] * len(d))],
        emails=[a for d in datasets for a in (d.emails or [""] * len(d))],
        urls=[a for d in datasets for a in (d.urls or [""] * len(d))],
        contexts=[c for d in datasets for c in (d.contexts or [[] for _ in range(len(d))])],
        kinds={
            k: np.concatenate([d.kind(k) for d in datasets]) if datasets else np.zeros(0)
            for k in KINDS
        },
    )


# --- format detection -------------------------------------------------------------------


def load_path(path: str | Path) -> list[Dataset]:
    """Load a labeled file or one of the public data set folders (format detected)."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file or directory")
    if path.is_dir():
        return _load_folder(path)
    return [load_file(path)]


def _load_folder(folder: Path) -> list[Dataset]:
    youtube = sorted(folder.glob("Youtube0*.csv"))
    if youtube:
        return [load_file(p) for p in youtube]
    for name in ("SMSSpamCollection", "labeled_data.csv", "olid-training-v1.0.tsv", "seed.csv"):
        if (folder / name).is_file():
            return [load_file(folder / name)]
    raise DataError(
        f"{folder}: no known data set inside (expected Youtube0*.csv, SMSSpamCollection, "
        "labeled_data.csv or olid-training-v1.0.tsv)"
    )


def load_file(path: Path) -> Dataset:
    """Load one labeled file, detecting its format from its name and first line."""
    path = Path(path)
    try:
        head = path.read_bytes()[:4096].decode("utf-8-sig", "replace")
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from exc
    first = head.splitlines()[0] if head.strip() else ""
    low = first.lower()
    if path.suffix.lower() in (".jsonl", ".ndjson") or first.lstrip().startswith("{"):
        return _load_generic(path, _read_jsonl(path))
    if low.startswith('"comment_id"') or low.startswith("comment_id,"):
        return _load_youtube(path)
    if "hate_speech" in low and "offensive_language" in low and "tweet" in low:
        return _load_davidson(path)
    if low.startswith("id\ttweet\tsubtask_a"):
        return _load_olid_train(path)
    if low.startswith("id\ttweet") and (path.parent / "labels-levela.csv").is_file():
        return _load_olid_test(path, path.parent / "labels-levela.csv")
    if first.split("\t", 1)[0] in ("ham", "spam") and "\t" in first:
        return _load_sms(path)
    rows = _read_csv(path)
    return _load_generic(path, rows)


def _read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
    try:
        return list(csv.DictReader(io.StringIO(text), dialect=dialect))
    except csv.Error as exc:
        raise DataError(f"{path}: not a readable CSV file ({exc})") from exc


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", errors="replace") as fh:
        return _parse_jsonl(fh.read(), str(path))


def _parse_jsonl(content: str, name: str, *, required: str | None = None) -> list[dict]:
    """One JSON object per non-empty line; errors name the file and line."""
    rows = []
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{name}:{number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise DataError(f"{name}:{number}: each line must be a JSON object")
        if required is not None and required not in row:
            raise DataError(f"{name}:{number}: expected an object with a {required!r} key")
        rows.append(row)
    return rows


def _require(path: Path, rows: list[dict], columns: Iterable[str]) -> None:
    if not rows:
        raise DataError(f"{path}: no rows")
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}")


def _load_youtube(path: Path) -> Dataset:
    rows = _read_csv(path)
    _require(path, rows, ("CONTENT", "CLASS"))
    spam = np.array([_binary(path, r["CLASS"], "CLASS") for r in rows])
    return Dataset(
        name=f"youtube_spam/{path.name}",
        source="youtube",
        path=path,
        texts=[r["CONTENT"] for r in rows],
        spam=spam,
        abuse=np.zeros(len(rows)),
        groups=[path.stem] * len(rows),
        authors=[r.get("AUTHOR", "") for r in rows],
        contexts=_youtube_contexts(rows, spam),
    )


# The service looks for a spam wave among the last week's comments; the loader does the same.
WAVE_WINDOW = timedelta(days=7)


def _youtube_contexts(rows: list[dict[str, str]], spam: np.ndarray) -> list[list[str]]:
    """The context tokens each comment would have had on a site moderating this video.

    In time order: history counts the author's earlier comments (spam as rejected, ham as
    approved), the wave counts earlier comments of the last 7 days with a near fingerprint.
    Rows without a date (half of one file, all of them spam) take the date of the row before
    them in the file: leaving them without tokens would let the absence of a token give the
    label away.
    """
    times = _youtube_times(rows)
    fingerprints = [context.fingerprint(r["CONTENT"]) for r in rows]
    record: dict[str, list[int]] = {}  # author -> [approved, rejected]
    earlier: list[int] = []
    tokens: list[list[str]] = [[] for _ in rows]
    for i in sorted(range(len(rows)), key=lambda i: (times[i], i)):
        author = (rows[i].get("AUTHOR") or "").strip()
        if author:
            tokens[i] += context.history_tokens(*record.get(author, (0, 0)))
        recent = (fingerprints[j] for j in earlier if times[i] - times[j] <= WAVE_WINDOW)
        tokens[i] += context.wave_tokens(context.count_near(fingerprints[i], recent))
        earlier.append(i)
        if author:
            record.setdefault(author, [0, 0])[int(spam[i] == 1)] += 1
    return tokens


def _youtube_times(rows: list[dict[str, str]]) -> list[datetime]:
    parsed: list[datetime | None] = []
    for r in rows:
        try:
            parsed.append(datetime.fromisoformat((r.get("DATE") or "").strip()))
        except ValueError:
            parsed.append(None)
    known = [t for t in parsed if t is not None]
    last = known[0] if known else datetime(2000, 1, 1)
    times = []
    for t in parsed:
        last = t or last
        times.append(last)
    return times


def _load_sms(path: Path) -> Dataset:
    texts, spam = [], []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            label, _, text = line.rstrip("\n").partition("\t")
            if label not in ("ham", "spam"):
                raise DataError(f"{path}:{number}: label must be ham or spam, not {label!r}")
            texts.append(text)
            spam.append(1.0 if label == "spam" else 0.0)
    return Dataset(
        name=f"sms_spam/{path.name}",
        source="sms",
        path=path,
        texts=texts,
        spam=np.array(spam),
        abuse=np.zeros(len(texts)),
        groups=["sms"] * len(texts),
    )


def _load_davidson(path: Path) -> Dataset:
    rows = _read_csv(path)
    _require(path, rows, ("class", "tweet"))
    # 0 hate -> abuse; 2 neither -> not abuse; 1 "offensive" is mostly casual profanity in
    # tweets, which says little about abuse in blog comments: left out of training.
    mapping = {"0": 1.0, "1": NAN, "2": 0.0}
    abuse = []
    for number, r in enumerate(rows, 2):
        if r["class"] not in mapping:
            raise DataError(f"{path}:{number}: class must be 0, 1 or 2, not {r['class']!r}")
        abuse.append(mapping[r["class"]])
    abuse_arr = np.array(abuse)
    # Hate speech (slurs and attacks on race, religion, sexuality) is an identity attack;
    # whether a hateful tweet also insults someone or threatens is not annotated.
    unknown = np.where(abuse_arr == 0, 0.0, NAN)
    return Dataset(
        name=f"davidson_offensive/{path.name}",
        source="davidson",
        path=path,
        texts=[r["tweet"] for r in rows],
        spam=np.zeros(len(rows)),
        abuse=abuse_arr,
        groups=["davidson"] * len(rows),
        raw={"class": [r["class"] for r in rows]},
        kinds={"insult": unknown, "threat": unknown, "identity_attack": abuse_arr.copy()},
    )


def _olid_abuse(a: str, b: str) -> float:
    # Targeted offense (insults, threats, attacks on groups) is abuse; untargeted profanity
    # is left out rather than taught either way.
    if a == "NOT":
        return 0.0
    if a == "OFF" and b == "TIN":
        return 1.0
    return NAN


def _olid_kinds(a: str, b: str, c: str) -> tuple[float, float, float]:
    """(insult, threat, identity_attack) for one OLID row; OLID never annotates threats.

    GRP (a group as target) is left out of insult and identity_attack: most such tweets
    target a political camp (liberals, conservatives, antifa...), which is not an identity,
    and teaching them as identity attacks would push political disagreement towards abuse.
    OTH (an organization, event or issue) is no identity attack; whether it insults is moot.
    """
    if a == "NOT":
        return 0.0, 0.0, 0.0
    if b == "UNT":
        return 0.0, NAN, 0.0  # profanity aimed at no one insults no one
    if c == "IND":
        return 1.0, NAN, 0.0
    if c == "OTH":
        return NAN, NAN, 0.0
    return NAN, NAN, NAN


def _load_olid_train(path: Path) -> Dataset:
    rows = _read_csv(path)
    _require(path, rows, ("tweet", "subtask_a", "subtask_b"))
    for number, r in enumerate(rows, 2):
        if r["subtask_a"] not in ("OFF", "NOT"):
            raise DataError(f"{path}:{number}: subtask_a must be OFF or NOT")
        if r["subtask_a"] == "OFF" and r["subtask_b"] not in ("TIN", "UNT"):
            raise DataError(f"{path}:{number}: subtask_b of an OFF tweet must be TIN or UNT")
        if r["subtask_b"] == "TIN" and r.get("subtask_c") not in ("IND", "GRP", "OTH"):
            raise DataError(f"{path}:{number}: subtask_c of a TIN tweet must be IND, GRP or OTH")
    kinds = np.array(
        [_olid_kinds(r["subtask_a"], r["subtask_b"], r.get("subtask_c") or "") for r in rows]
    ).reshape(-1, len(KINDS))
    return Dataset(
        name=f"olid/{path.name}",
        source="olid",
        path=path,
        texts=[r["tweet"] for r in rows],
        spam=np.zeros(len(rows)),
        abuse=np.array([_olid_abuse(r["subtask_a"], r["subtask_b"]) for r in rows]),
        groups=["olid"] * len(rows),
        raw={"subtask_a": [r["subtask_a"] for r in rows]},
        kinds={k: kinds[:, j] for j, k in enumerate(KINDS)},
    )


def _load_olid_test(path: Path, labels_path: Path) -> Dataset:
    rows = _read_csv(path)
    _require(path, rows, ("id", "tweet"))
    with open(labels_path, encoding="utf-8") as fh:
        labels = {i: lab for i, lab in csv.reader(fh) if lab in ("OFF", "NOT")}
    missing = [r["id"] for r in rows if r["id"] not in labels]
    if missing:
        raise DataError(f"{path}: {len(missing)} ids have no label in {labels_path.name}")
    a = [labels[r["id"]] for r in rows]
    return Dataset(
        name=f"olid/{path.name}",
        source="olid",
        path=path,
        texts=[r["tweet"] for r in rows],
        spam=np.zeros(len(rows)),
        # Level A only: OFF here includes untargeted profanity, so abuse uses OFF as given.
        abuse=np.array([1.0 if x == "OFF" else 0.0 for x in a]),
        groups=["olid-test"] * len(rows),
        raw={"subtask_a": a},
    )


_TRUE = {"1", "1.0", "true", "yes", "y", "t"}
_FALSE = {"0", "0.0", "false", "no", "n", "f"}


def _binary(path: Path, value: object, column: str, *, allow_empty: bool = False) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float) and value in (0, 1):
        return float(value)
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE:
        return 1.0
    if text in _FALSE:
        return 0.0
    if allow_empty and text in ("", "nan", "none", "null"):
        return NAN
    raise DataError(f"{path}: column {column!r} must hold 0/1, got {value!r}")


# The seed corpus and moderator exports name their labels; these are the accepted names.
LABELS = {
    "ham": (0.0, 0.0),
    "ok": (0.0, 0.0),
    "approve": (0.0, 0.0),
    "approved": (0.0, 0.0),
    "spam": (1.0, 0.0),
    "abuse": (0.0, 1.0),
    "reject": (0.0, 1.0),
    "rejected": (0.0, 1.0),
}


def _load_generic(path: Path, rows: list[dict]) -> Dataset:
    if not rows:
        raise DataError(f"{path}: no rows")
    columns = set(rows[0])
    if "text" not in columns:
        raise DataError(
            f"{path}: unknown format: expected a 'text' column with 'label' or 'spam'/'abuse' "
            f"columns (found: {', '.join(sorted(map(str, columns)))[:200]})"
        )
    if "label" in columns:
        spam, abuse = [], []
        for number, r in enumerate(rows, 2):
            label = str(r.get("label") or "").strip().lower()
            if label not in LABELS:
                raise DataError(
                    f"{path}: row {number - 1}: label must be one of ham, spam, abuse "
                    f"(or approve, reject), got {r.get('label')!r}"
                )
            s, a = LABELS[label]
            spam.append(s)
            abuse.append(a)
    elif columns & {"spam", "abuse"}:
        spam = [_binary(path, r.get("spam"), "spam", allow_empty=True) for r in rows]
        abuse = [_binary(path, r.get("abuse"), "abuse", allow_empty=True) for r in rows]
    else:
        raise DataError(f"{path}: needs a 'label' column or 'spam'/'abuse' columns")
    abuse_arr = np.array(abuse, dtype=float)
    is_seed = path.name == "seed.csv" or {"lang", "kind"} <= columns
    if "label" in columns and "kind" in columns:
        kinds = _kinds_from_column(path, rows, abuse_arr)
    elif columns & set(KINDS):
        kinds = _kinds_from_columns(path, rows, abuse_arr)
    elif is_seed:
        raise DataError(f"{path}: the seed corpus needs a 'kind' column naming each abuse kind")
    else:
        kinds = {}  # no kinds recorded: "not abuse is no kind" (Dataset.kind)
    groups = [f"{r.get('lang') or '?'}/{r.get('kind') or '?'}" for r in rows]
    return Dataset(
        name=f"seed/{path.name}" if is_seed else path.name,
        source="seed" if is_seed else "generic",
        path=path,
        texts=[_text(r.get("text")) for r in rows],
        spam=np.array(spam, dtype=float),
        abuse=abuse_arr,
        groups=groups,
        authors=[_text(r.get("author")) for r in rows],
        emails=[_text(r.get("email")) for r in rows],
        urls=[_text(r.get("url")) for r in rows],
        raw={
            "label": [str(r.get("label") or "") for r in rows],
            "lang": [str(r.get("lang") or "") for r in rows],
            "kind": [str(r.get("kind") or "") for r in rows],
        },
        kinds=kinds,
    )


def _kinds_from_column(path: Path, rows: list[dict], abuse: np.ndarray) -> dict[str, np.ndarray]:
    """A `kind` column (the seed corpus): every abuse row names one of `KINDS`.

    Other rows' kinds (political, scam, ...) describe ham or spam: negatives for every kind.
    """
    out = {k: np.where(abuse == 0, 0.0, NAN) for k in KINDS}
    for i, r in enumerate(rows):
        if abuse[i] != 1:
            continue
        kind = str(r.get("kind") or "").strip().lower()
        if kind not in KINDS:
            raise DataError(
                f"{path}: row {i + 1}: an abuse row's kind must be one of {', '.join(KINDS)}, "
                f"got {r.get('kind')!r}"
            )
        for k in KINDS:
            out[k][i] = 1.0 if k == kind else 0.0
    return out


def _kinds_from_columns(path: Path, rows: list[dict], abuse: np.ndarray) -> dict[str, np.ndarray]:
    """One 0/1 column per kind (empty: unknown); a kind implies abuse."""
    out = {}
    for k in KINDS:
        y = np.array([_binary(path, r.get(k), k, allow_empty=True) for r in rows], dtype=float)
        bad = np.flatnonzero((y == 1) & (abuse != 1))
        if bad.size:
            raise DataError(
                f"{path}: row {bad[0] + 1}: {k} is 1 but abuse is not: a kind of abuse is abuse"
            )
        out[k] = np.where(np.isnan(y) & (abuse == 0), 0.0, y)
    return out


def _text(value: object) -> str:
    return "" if value is None else str(value)


def read_unlabeled(source: io.TextIOBase | Path, *, jsonl: bool | None = None) -> list[dict]:
    """Rows to score: CSV with a `text` column or JSONL with a `text` key."""
    if isinstance(source, Path):
        with open(source, encoding="utf-8-sig", errors="replace") as fh:
            content = fh.read()
        if jsonl is None:
            jsonl = source.suffix.lower() in (".jsonl", ".ndjson")
    else:
        content = source.read()
    if jsonl is None:
        jsonl = content.lstrip().startswith("{")
    name = str(source) if isinstance(source, Path) else "<stdin>"
    if jsonl:
        return _parse_jsonl(content, name, required="text")
    reader = csv.DictReader(io.StringIO(content))
    if reader.fieldnames is None or "text" not in reader.fieldnames:
        raise DataError(f"{name}: expected a CSV header with a 'text' column")
    return list(reader)
