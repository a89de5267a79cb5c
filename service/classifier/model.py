"""The scoring model: a linear layer over hashed n-grams, its artifact format and its loading.

An artifact is a skops file holding one plain dict of numpy arrays and scalars (no estimator
objects, no custom classes), so the list of types trusted on load is short and fixed:
`TRUSTED_TYPES`. The dict is then checked key by key before use.
"""

from __future__ import annotations

import json
import os
import platform
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
import skops
import skops.io as sio

from . import features as fx
from .data import KINDS

FORMAT = "moderato-hashed-linear"
# 2: one head per abuse kind after spam and abuse, and how kinds combine with abuse.
FORMAT_VERSION = 2
# The labels moderation decides on (thresholds, site retraining): columns 0 and 1.
LABELS = ("spam", "abuse")
# Every head of the linear layer, in column order: the labels, then the kinds of abuse.
HEADS = (*LABELS, *KINDS)
# How a kind head's calibrated output becomes P(kind), which never exceeds P(abuse):
# "given_abuse": the head is P(kind | abuse), trained on abusive rows; P(kind) = P(abuse) * it.
# "capped": the head is P(kind), trained on every row; P(kind) = min(it, P(abuse)).
KIND_DESIGNS = ("given_abuse", "capped")
DEFAULT_KIND_DESIGN = "given_abuse"
POINTER = "current.json"
# Comments hashed and scored together at most; larger batches are split (see `logits`).
SCORING_CHUNK = 1024

# Everything an artifact may contain, audited: skops refuses any other type on load.
TRUSTED_TYPES: tuple[str, ...] = (
    "builtins.dict",
    "builtins.list",
    "builtins.tuple",
    "builtins.str",
    "builtins.int",
    "builtins.float",
    "builtins.bool",
    "numpy.ndarray",
    "numpy.dtype",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
)

# How skops rebuilds each of those: plain containers, JSON scalars, arrays via numpy.load,
# and type references (the key types of a dict), themselves checked against TRUSTED_TYPES.
_TRUSTED_LOADERS = frozenset(
    {"DictNode", "ListNode", "TupleNode", "JsonNode", "NdArrayNode", "TypeNode"}
)

_REQUIRED = {
    "format": str,
    "format_version": int,
    "version": str,
    "heads": list,
    "kinds_design": str,
    "sklearn_version": str,
    "feature_bits": int,
    "char_ngrams": list,
    "word_ngrams": list,
    "idf": np.ndarray,
    "coef": np.ndarray,
    "intercept": np.ndarray,
    "calibration": np.ndarray,
}


class ModelError(Exception):
    """A model that cannot be used: missing, corrupted, untrusted or from another version."""


@dataclass(frozen=True, slots=True)
class Sample:
    """One comment to score."""

    text: str
    author: str = ""
    email: str = ""
    url: str = ""  # the author's website, if given
    # Tokens for the comment's situation on its site, e.g. "history:rejected:1" or "wave:2-4"
    # (see service.signals); hashed like the commenter's details.
    context: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scores:
    """Calibrated probabilities that a comment is spam, that it is abuse, and of each kind."""

    spam: float
    abuse: float
    # With explain=True: the n-grams that moved each score most, with their logit weight.
    spam_explanation: tuple[tuple[str, float], ...] = ()
    abuse_explanation: tuple[tuple[str, float], ...] = ()
    # Abuse kind (KINDS, in order) -> calibrated probability; each is at most `abuse`.
    kinds: dict[str, float] = field(default_factory=dict)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def library_versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "skops": skops.__version__,
    }


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))


class Classifier:
    """A loaded model. Immutable after construction, so concurrent `score` calls are safe."""

    def __init__(self, params: dict, metadata: dict | None = None) -> None:
        self.params = params
        self.version: str = params["version"]
        self.metadata = metadata or {}
        self._idf = np.ascontiguousarray(params["idf"], dtype=np.float32)
        coef = np.asarray(params["coef"], dtype=np.float32)
        self._table, self._token_coef = _scoring_tables(self._idf, coef)
        self._coef = coef
        self._intercept = np.asarray(params["intercept"], dtype=np.float64)
        self._calibration = np.asarray(params["calibration"], dtype=np.float64)
        self._kinds_given_abuse = params.get("kinds_design", DEFAULT_KIND_DESIGN) == "given_abuse"
        arrays = [self._idf, self._table, self._token_coef]
        arrays += [v for v in params.values() if isinstance(v, np.ndarray)]
        for array in arrays:
            array.flags.writeable = False

    # -- scoring -------------------------------------------------------------------------

    def logits(self, samples: Sequence[Sample]) -> np.ndarray:
        """Uncalibrated logits, shape (n, len(HEADS)): the linear model's raw output."""
        if len(samples) <= SCORING_CHUNK:
            return self._logits(self._hash(samples))
        # A comment's logits do not depend on its neighbours, so a large batch goes in
        # chunks: smaller temporaries stay in cache and in the allocator's heap.
        chunks = range(0, len(samples), SCORING_CHUNK)
        return np.vstack([self.logits(samples[i : i + SCORING_CHUNK]) for i in chunks])

    def _hash(self, samples: Sequence[Sample], *, spans: bool = False) -> fx.Hashed:
        raw = [_field(s, "text") for s in samples]
        return fx.hash_texts(fx.normalize_many(raw), _tokens(samples, raw), spans=spans)

    def _logits(self, hashed: fx.Hashed) -> np.ndarray:
        """Logits of every head, shape (n, H): n-gram weights over the text's norm, plus
        the tokens' weights (value fx.TOKEN_VALUE each), plus the intercepts."""
        n, table = hashed.n_docs, self._table
        bounds = np.arange(n + 1)
        if n == 1:  # one comment: a plain sum beats building a matrix
            sums = table[hashed.bucket].sum(axis=0)[None, :]
        else:
            # Each part's documents come in order, so the parts stacked are the rows (part,
            # document) of one CSR count matrix, and one product gathers idf^2 and every
            # head's weight for all of them at once.
            parts = hashed.parts
            starts = [np.zeros(0, dtype=np.int64)]
            offset = 0
            for docs, buckets in parts:
                starts.append(np.searchsorted(docs, bounds[:-1]) + offset)
                offset += buckets.shape[0]
            counts = sp.csr_matrix(
                (
                    np.ones(offset),
                    np.concatenate([b for _, b in parts], dtype=np.int32, casting="same_kind"),
                    np.concatenate([*starts, [offset]]),
                ),
                shape=(len(parts) * n, table.shape[0]),
            )
            sums = (counts @ table).reshape(len(parts), n, table.shape[1]).sum(axis=0)
        norms = fx.text_norms(sums[:, 0])
        out = sums[:, 1:] / norms[:, None] + self._intercept
        if hashed.meta is not None:
            docs, buckets = hashed.meta
            buckets = buckets - fx.N_TEXT_FEATURES
            if n == 1:
                out += self._token_coef[buckets].sum(axis=0)
            else:
                out += _counts(docs, buckets, bounds, self._token_coef.shape[0]) @ self._token_coef
        return out

    def calibrate(self, logits: np.ndarray) -> np.ndarray:
        """Map raw logits (last axis: HEADS) to probabilities, each kind within abuse.

        Per-head Platt scaling, then each kind head becomes P(kind): P(abuse) times the head
        (P(kind | abuse)), or the head capped at P(abuse), as the artifact's design says.
        """
        a, c = self._calibration[:, 0], self._calibration[:, 1]
        p = _sigmoid(logits * a + c)
        abuse, kinds = p[..., 1:2], p[..., len(LABELS) :]
        kinds[...] = kinds * abuse if self._kinds_given_abuse else np.minimum(kinds, abuse)
        return p

    def predict_proba(self, samples: Sequence[Sample]) -> np.ndarray:
        """Probabilities, shape (n, len(HEADS)): columns spam, abuse, then KINDS."""
        if not samples:
            return np.zeros((0, len(HEADS)))
        probs = self.calibrate(self.logits(samples))
        if np.isfinite(probs).all():  # nearly always: the check costs less than the repair
            return probs
        return np.nan_to_num(probs, nan=0.5, posinf=1.0, neginf=0.0)

    def score(self, samples: Sequence[Sample], *, explain: bool = False) -> list[Scores]:
        """Scores for each sample, in order; never raises on odd text."""
        samples = list(samples)
        if not samples:
            return []
        if explain:
            return [self._explain(s) for s in samples]
        # Plain floats once for the whole batch: per-row numpy conversions cost more than
        # the scoring itself at tens of thousands of comments a second.
        # Columns, not rows: a list per row would be one more object per comment for the
        # garbage collector to walk.
        spam, abuse, *kinds = self.predict_proba(samples).T.tolist()
        return [
            Scores(s, a, kinds=dict(zip(KINDS, k, strict=True)))
            for s, a, *k in zip(spam, abuse, *kinds, strict=True)
        ]

    def _explain(self, sample: Sample, top: int = 6) -> Scores:
        """Scores plus the words that moved each logit most (calibrated logit units).

        Each character n-gram's weight is shared among the words it overlaps, so a moderator
        reads "idiot +2.1" rather than a list of fragments.
        """
        hashed = self._hash([sample], spans=True)
        (z,) = self._logits(hashed)
        p = self.calibrate(z)
        rows = self._table[hashed.bucket]
        norm = float(fx.text_norms(rows[:, 0].sum(keepdims=True))[0])
        # Explained: the labels moderation decides on (spam, abuse), not the kinds.
        contrib = rows[:, 1 : 1 + len(LABELS)] / norm * self._calibration[: len(LABELS), 0]
        text = hashed.text
        word_of = np.full(len(text) + 1, -1, dtype=np.int64)
        words: list[str] = []
        for match in _WORD.finditer(text):
            word_of[match.start() : match.end()] = len(words)
            words.append(match.group(0))
        tokens = _tokens([sample], [_field(sample, "text")])[0]
        heads = contrib.shape[1]
        totals = np.zeros((len(words) + len(tokens), heads))  # then one row per token
        if hashed.meta is not None:
            at = len(words) + np.arange(len(tokens))
            token_rows = hashed.meta[1] - fx.N_TEXT_FEATURES
            totals[at] = (
                self._token_coef[token_rows, : len(LABELS)] * self._calibration[: len(LABELS), 0]
            )
        for k, (s, n) in enumerate(zip(hashed.start.tolist(), hashed.length.tolist(), strict=True)):
            ids = np.unique(word_of[s : s + n])
            ids = ids[ids >= 0]
            if ids.size:
                totals[ids] += contrib[k] / ids.size
        words = [_GENERIC_NAME if w == fx.GENERIC_MARK else w for w in words]
        names = [*words, *(fx.token_name(t) for t in tokens)]
        result = []
        for j in range(heads):
            merged: dict[str, float] = {}
            for name, value in zip(names, totals[:, j].tolist(), strict=True):
                merged[name] = merged.get(name, 0.0) + value
            ranked = sorted(merged.items(), key=lambda kv: -abs(kv[1]))
            result.append(tuple((k, round(v, 3)) for k, v in ranked[:top] if v != 0.0))
        return Scores(float(p[0]), float(p[1]), result[0], result[1], kinds=_kinds(p))


def _kinds(p: np.ndarray) -> dict[str, float]:
    """One row of probabilities (HEADS order) as {kind: probability}; NaN reads as 0.5."""
    values = np.nan_to_num(p[len(LABELS) :], nan=0.5, posinf=1.0, neginf=0.0)
    return {kind: float(v) for kind, v in zip(KINDS, values.tolist(), strict=True)}


_WORD = re.compile(r"\w+|[^\w\s\x01]+")
# How an explanation names the mark that stands for any of fx.GENERIC_WORDS.
_GENERIC_NAME = "(all, them, todos, los...)"


def _tokens(samples: Sequence[Sample], raw: Sequence[str]) -> list[list[str]]:
    """Whole-token features of each sample: text shape, commenter details, site context."""
    out = fx.shape_tokens(raw)
    for s, tokens in zip(samples, out, strict=True):
        author, email, url = (
            getattr(s, "author", ""),
            getattr(s, "email", ""),
            getattr(s, "url", ""),
        )
        # Most comments come without details: skip the call when all three are "".
        if author or email or url or str not in (type(author), type(email), type(url)):
            tokens += fx.meta_tokens(_field(s, "author"), _field(s, "email"), _field(s, "url"))
        context = getattr(s, "context", ())
        if context:
            tokens += [t for t in context if isinstance(t, str)]
    return out


def _counts(docs: np.ndarray, buckets: np.ndarray, bounds: np.ndarray, width: int):
    """Occurrence counts as a CSR matrix; `docs` must be in ascending order."""
    indptr = np.searchsorted(docs, bounds)
    data = np.ones(buckets.shape[0])
    return sp.csr_matrix((data, buckets.astype(np.int32), indptr), shape=(len(bounds) - 1, width))


def _scoring_tables(idf: np.ndarray, coef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per text bucket [idf^2, coef * idf for each head], and the tokens' own weights.

    idf is folded into the weights once, so scoring gathers one row per n-gram; float64,
    so sums come out the same whichever order documents are added in.
    """
    n = fx.N_TEXT_FEATURES
    text_idf = idf[:n].astype(np.float64)
    table = np.empty((n, coef.shape[1] + 1))
    table[:, 0] = text_idf * text_idf
    table[:, 1:] = coef[:n] * text_idf[:, None]
    return table, coef[n:].astype(np.float64) * fx.TOKEN_VALUE


def _field(sample: object, name: str) -> str:
    value = getattr(sample, name, "")
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    return "" if value is None else str(value)


# --- artifacts -----------------------------------------------------------------------------


def make_params(
    version: str,
    idf: np.ndarray,
    coef: np.ndarray,
    intercept: np.ndarray,
    calibration: np.ndarray,
    *,
    kinds_design: str = DEFAULT_KIND_DESIGN,
) -> dict:
    """The dict stored in an artifact: coef (N_FEATURES, H), intercept (H,), calibration (H, 2)."""
    if kinds_design not in KIND_DESIGNS:
        raise ValueError(f"kinds_design must be one of {', '.join(KIND_DESIGNS)}")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "version": version,
        "heads": list(HEADS),
        "kinds_design": kinds_design,
        "sklearn_version": sklearn.__version__,
        "feature_bits": fx.N_BITS,
        "char_ngrams": list(fx.CHAR_NGRAMS),
        "word_ngrams": list(fx.WORD_NGRAMS),
        "feature_version": fx.FEATURE_VERSION,
        "idf": np.asarray(idf, dtype=np.float32),
        "coef": np.asarray(coef, dtype=np.float32),
        "intercept": np.asarray(intercept, dtype=np.float64),
        "calibration": np.asarray(calibration, dtype=np.float64),
    }


def artifact_path(models_dir: Path, version: str) -> Path:
    return Path(models_dir) / f"moderato-{version}.skops"


def metadata_path(models_dir: Path, version: str) -> Path:
    return Path(models_dir) / f"moderato-{version}.json"


def save(models_dir: Path, params: dict, metadata: dict, *, promote: bool) -> Path:
    """Write the artifact and its metadata; with promote, point `current.json` at it."""
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    version = params["version"]
    path = artifact_path(models_dir, version)
    tmp = path.with_suffix(".skops.tmp")
    sio.dump(params, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    os.replace(tmp, path)
    metadata = {"version": version, **metadata, "artifact": path.name}
    metadata.setdefault("created", utc_now())
    metadata.setdefault("versions", library_versions())
    _write_json(metadata_path(models_dir, version), metadata)
    if promote:
        promote_version(models_dir, version)
    return path


def promote_version(models_dir: Path, version: str) -> None:
    """Make `version` the model the service loads on its next start."""
    if not artifact_path(models_dir, version).is_file():
        raise ModelError(
            f"cannot promote {version}: {artifact_path(models_dir, version)} is missing"
        )
    _write_json(
        Path(models_dir) / POINTER,
        {
            "version": version,
            "artifact": artifact_path(models_dir, version).name,
            "promoted": utc_now(),
        },
    )


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False, default=_json_default) + "\n")
    os.replace(tmp, path)


def _json_default(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def current_version(models_dir: Path) -> str:
    """The promoted version named by `current.json`."""
    pointer = Path(models_dir) / POINTER
    if not pointer.is_file():
        raise ModelError(f"no promoted model: {pointer} does not exist (run `moderato train`)")
    try:
        version = json.loads(pointer.read_text())["version"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{pointer} is not a valid model pointer ({exc})") from exc
    if not isinstance(version, str) or not version or "/" in version or version.startswith("."):
        raise ModelError(f"{pointer} names an invalid version {version!r}")
    return version


def load_current(models_dir: Path) -> Classifier:
    """Load the promoted model; raises ModelError."""
    models_dir = Path(models_dir)
    version = current_version(models_dir)
    return load_artifact(artifact_path(models_dir, version), expected_version=version)


def load_artifact(path: Path, *, expected_version: str | None = None) -> Classifier:
    """Load and check one artifact file; raises ModelError with the reason."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"model file {path} is missing")
    try:
        found = stored_types(path)
    except Exception as exc:  # not a zip, no schema, bad JSON: all mean "not a model file"
        raise ModelError(f"{path} is not a readable skops model file ({exc})") from exc
    foreign = sorted(found - set(TRUSTED_TYPES))
    if foreign:
        raise ModelError(f"{path} contains types this service does not trust: {', '.join(foreign)}")
    try:
        params = sio.load(path, trusted=list(TRUSTED_TYPES))
    except Exception as exc:
        raise ModelError(
            f"{path} is corrupted or not a model file ({type(exc).__name__}: {exc})"
        ) from exc
    _check(path, params, expected_version)
    meta_file = path.with_suffix(".json")
    metadata = {}
    if meta_file.is_file():
        try:
            metadata = json.loads(meta_file.read_text())
        except ValueError:
            metadata = {}
    return Classifier(params, metadata)


def stored_types(path: Path) -> set[str]:
    """Every type named anywhere in a skops file's schema.

    skops trusts scikit-learn estimators and many numpy/scipy types by default; reading the
    schema ourselves means nothing outside `TRUSTED_TYPES` loads, default or not.
    """
    with zipfile.ZipFile(path) as archive:
        schema = json.loads(archive.read("schema.json"))
    found: set[str] = set()
    stack: list[object] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__class__" in node or "__module__" in node:
                found.add(f"{node.get('__module__')}.{node.get('__class__')}")
                if node.get("__loader__") not in _TRUSTED_LOADERS:
                    found.add(f"loader:{node.get('__loader__')}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _check(path: Path, params: object, expected_version: str | None) -> None:
    if not isinstance(params, dict) or params.get("format") != FORMAT:
        raise ModelError(f"{path} is not a Moderato model (unknown format)")
    # Before the keys: an older format lacks some of them, and "retrain" is the useful answer.
    if isinstance(params.get("format_version"), int) and params["format_version"] != FORMAT_VERSION:
        raise ModelError(
            f"{path} has format version {params['format_version']}, this service reads "
            f"{FORMAT_VERSION} (heads {', '.join(HEADS)}): retrain with `moderato train`"
        )
    for key, kind in _REQUIRED.items():
        if not isinstance(params.get(key), kind):
            raise ModelError(f"{path} is incomplete: {key!r} missing or of the wrong type")
    if params["heads"] != list(HEADS):
        raise ModelError(
            f"{path} scores {', '.join(map(str, params['heads']))}, this service expects "
            f"{', '.join(HEADS)}: retrain with `moderato train`"
        )
    if params["kinds_design"] not in KIND_DESIGNS:
        raise ModelError(f"{path}: unknown kinds design {params['kinds_design']!r}")
    if params["sklearn_version"] != sklearn.__version__:
        raise ModelError(
            f"{path} was written with scikit-learn {params['sklearn_version']}, this service runs "
            f"{sklearn.__version__}: install the pinned version or retrain"
        )
    if (
        params["feature_bits"] != fx.N_BITS
        or params["char_ngrams"] != list(fx.CHAR_NGRAMS)
        or params["word_ngrams"] != list(fx.WORD_NGRAMS)
        or params.get("feature_version", 1) != fx.FEATURE_VERSION  # absent: version 1
    ):
        raise ModelError(f"{path} was built for other text features than this service computes")
    shapes = {
        "idf": (fx.N_FEATURES,),
        "coef": (fx.N_FEATURES, len(HEADS)),
        "intercept": (len(HEADS),),
        "calibration": (len(HEADS), 2),
    }
    for key, shape in shapes.items():
        array = params[key]
        if array.shape != shape or not np.issubdtype(array.dtype, np.floating):
            raise ModelError(f"{path}: {key!r} has shape {array.shape}, expected {shape}")
        if not np.all(np.isfinite(array)):
            raise ModelError(f"{path}: {key!r} holds non-finite values")
    if expected_version is not None and params["version"] != expected_version:
        raise ModelError(
            f"{path} holds version {params['version']!r}, "
            f"but current.json names {expected_version!r}"
        )


# --- versions ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One artifact in a models folder, as `moderato model list` shows it."""

    version: str
    path: Path
    current: bool
    created: str  # ISO 8601 from the metadata, else the file's modification time
    kind: str  # base | site | ?
    parent: str | None
    # head -> {"f1": ..., "roc_auc": ...}, from the metrics the artifact was promoted on
    # (spam and abuse only in metadata written before the kinds of abuse existed)
    metrics: dict[str, dict[str, float]]
    metrics_source: str  # "out-of-fold" | "held-out site labels" | ""


def list_versions(models_dir: Path) -> list[VersionInfo]:
    """Every artifact in `models_dir`, oldest first, with its metadata's key figures.

    Reads only the JSON metadata beside each artifact: listing never unpickles anything.
    """
    models_dir = Path(models_dir)
    try:
        promoted = current_version(models_dir)
    except ModelError:
        promoted = None
    infos = []
    for path in models_dir.glob("moderato-*.skops"):
        version = path.name.removeprefix("moderato-").removesuffix(".skops")
        metadata = _read_metadata(metadata_path(models_dir, version))
        created = metadata.get("created")
        if not isinstance(created, str):
            created = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(
                timespec="seconds"
            )
        metrics, source = _key_metrics(metadata.get("metrics"))
        infos.append(
            VersionInfo(
                version=version,
                path=path,
                current=version == promoted,
                created=created,
                kind=str(metadata.get("kind") or "?"),
                parent=metadata.get("parent") if isinstance(metadata.get("parent"), str) else None,
                metrics=metrics,
                metrics_source=source,
            )
        )
    return sorted(infos, key=lambda info: (info.created, info.version))


def use_version(models_dir: Path, version: str) -> Classifier:
    """Promote an existing artifact after loading and checking it; raises ModelError."""
    models_dir = Path(models_dir)
    path = artifact_path(models_dir, version)
    known = [info.version for info in list_versions(models_dir)]
    if version not in known:
        raise ModelError(
            f"unknown version {version!r} in {models_dir}; available: "
            + (", ".join(known) if known else "none")
        )
    classifier = load_artifact(path, expected_version=version)
    promote_version(models_dir, version)
    return classifier


def _read_metadata(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _key_metrics(metrics: object) -> tuple[dict[str, dict[str, float]], str]:
    """F1 and ROC AUC per head: out-of-fold for a base model, held-out labels for a site one."""
    if not isinstance(metrics, dict):
        return {}, ""
    out: dict[str, dict[str, float]] = {}
    if isinstance(metrics.get("out_of_fold"), dict):
        source = "out-of-fold"
        per_label = {
            k: v.get("all") for k, v in metrics["out_of_fold"].items() if isinstance(v, dict)
        }
    elif isinstance(metrics.get("held_out"), dict):
        source = "held-out site labels"
        per_label = {
            k: v.get("candidate") for k, v in metrics["held_out"].items() if isinstance(v, dict)
        }
    else:
        return {}, ""
    for label in HEADS:
        figures = per_label.get(label)
        if isinstance(figures, dict):
            out[label] = {
                k: float(figures[k])
                for k in ("f1", "roc_auc")
                if isinstance(figures.get(k), int | float)
            }
    return out, source
