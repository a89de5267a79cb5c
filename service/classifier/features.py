"""Text normalization and hashed character/word n-gram features.

Every text goes through `normalize` and then through a vectorized rolling hash in numpy, so
one comment and a batch of thousands share the same code and produce the same numbers, and
nothing but the weight arrays needs to be stored in an artifact.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

# Beyond this many characters a comment tells the model nothing new; it bounds the cost of
# a 1 MB submission.
MAX_RAW_CHARS = 20_000
MAX_CHARS = 3_000

CHAR_NGRAMS = (2, 3, 4, 5)
WORD_NGRAMS = (1, 2)
N_BITS = 20
N_TEXT_FEATURES = 1 << N_BITS
# Whole tokens (text shape, links, commenter details, site context) get buckets of their own
# after the text n-grams', so a token never shares a weight with an n-gram.
TOKEN_BITS = 16
N_FEATURES = N_TEXT_FEATURES + (1 << TOKEN_BITS)

_MASK64 = (1 << 64) - 1
_BASE = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_BASE_INV = pow(_BASE, -1, 1 << 64)
_FIB = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(64 - N_BITS)
_CHAR_SALTS = {n: np.uint64((0x51AF0D5B7D3C9E21 * (n + 1)) & _MASK64) for n in CHAR_NGRAMS}
_WORD_SALT = np.uint64(0x94D049BB133111EB)
_BIGRAM_SALT = np.uint64(0xD6E8FEB86659FD93)
_META_SALT = np.uint64(0xA0761D6478BD642F)
# Texts are hashed side by side, each preceded by this many boundary marks: longer than the
# longest n-gram minus one, so no n-gram ever sees two texts, and the same text always yields
# the same features alone or in a batch. Marks at the edges act as start/end-of-text features.
_GAP = max(CHAR_NGRAMS) - 1
_MARK = "\x01"
_SEP = "\x00"

# Artifacts of the public corpora (anonymized mentions and links, retweet markers) carry no
# meaning in blog comments and must not become features.
_CORPUS_ARTIFACTS = (
    ("USER", re.compile(r"@USER\b")),
    ("URL", re.compile(r"(?<![\w/])URL\b")),
    ("RT", re.compile(r"\bRT\b:?(?=\s*@)")),
    ("&#", re.compile(r"&#[xX]?[0-9a-fA-F]+;")),
)
_CONTROL = re.compile(
    "[\x01-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\ud800-\udfff]"
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s\x00]+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|ru|cn|io|ly|co|me|tk|xyz|top|us|uk|de|es"
    r"|mx|ar|gl|be|to)\b(?:/[^\s\x00]*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "#": " "})
_LEET_WORD = re.compile(r"\b(?=\w*[a-z])(?=\w*[013457])[a-z013457]{3,}\b")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_REPEATS = re.compile(r"([^\x00])\1{2,}")
_NUMBER = re.compile(r"\d+")
_SPACES = re.compile(r"[^\S\x00]+")


def _number_placeholder(m: re.Match[str]) -> str:
    n = len(m.group(0))
    return "0" if n <= 2 else "00" if n <= 4 else "000"


def normalize_many(texts: Sequence[object]) -> list[str]:
    """Lowercase, accent-free texts with placeholders for links, e-mails and numbers.

    The whole batch is joined and goes through each regular expression once: per-call
    overhead, not the regexes, dominates for short comments.
    """
    out = _normalize_joined(texts)
    if len(out) != len(texts):
        # A text that still produced a separator: redo the batch one text at a time.
        out = [(one[0] if len(one := _normalize_joined([t])) == 1 else "") for t in texts]
    return out


def _normalize_joined(texts: Sequence[object]) -> list[str]:
    if not texts:
        return []
    joined = _SEP.join(_as_str(t)[:MAX_RAW_CHARS].replace(_SEP, " ") for t in texts)
    joined = _CONTROL.sub(" ", joined)
    for literal, pattern in _CORPUS_ARTIFACTS:
        if literal in joined:
            joined = pattern.sub(" ", joined)
    joined = html.unescape(joined)
    joined = _EMAIL.sub(" xemail ", joined)
    joined = _URL.sub(" xurl ", joined)
    joined = _HANDLE.sub(" ", joined)
    joined = unicodedata.normalize("NFKD", joined.casefold())
    joined = _COMBINING.sub("", joined).translate(_QUOTES)
    joined = _LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), joined)
    joined = _REPEATS.sub(r"\1\1", joined)
    joined = _NUMBER.sub(_number_placeholder, joined)
    joined = _SPACES.sub(" ", joined)
    return [t.strip()[:MAX_CHARS] for t in joined.split(_SEP)]


def normalize(text: object) -> str:
    """Normalize one text (see `normalize_many`)."""
    return normalize_many([text])[0]


def _as_str(text: object) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, bytes | bytearray):
        return bytes(text).decode("utf-8", "replace")
    return "" if text is None else str(text)


def meta_tokens(author: str = "", email: str = "", url: str = "") -> list[str]:
    """Tokens describing the commenter's details; only a site layer learns weights for them."""
    tokens: list[str] = []
    url, email, author = _as_str(url).strip(), _as_str(email).strip(), _as_str(author)
    if url:
        tokens.append("meta:url")
        host = _host(url)
        tokens.append("meta:url-tld:" + host.rsplit(".", 1)[-1][:12])
        tokens.append("meta:url-domain:" + _registered_domain(host))
    if email:
        tokens.append("meta:email")
        tokens.append("meta:email-domain:" + email.rsplit("@", 1)[-1].casefold()[:60])
    if author and _URL.search(author[:500]):
        tokens.append("meta:author-link")
    return tokens


def _host(url: str) -> str:
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.casefold()).split("/")[0].split("?")[0]
    return host.rsplit("@", 1)[-1].split(":")[0].removeprefix("www.")[:80]


def _registered_domain(host: str) -> str:
    """The last two labels (three under a two-letter country code's co/com/org)."""
    labels = [part for part in host.split(".") if part]
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gob", "gov", "ac", "edu"})
_UPPER = re.compile(r"[A-Z\u00c0-\u00de]")
_LETTER = re.compile(r"[^\W\d_]")
_RUN = re.compile(r"(.)\1{3,}")
_SHOUT = re.compile(r"[!?]{3,}")
_LENGTHS = ("0", "xs", "s", "m", "l", "xl")


def shape_tokens(texts: Sequence[object]) -> list[list[str]]:
    """Tokens for what normalization erases: length, capitals, repeated characters, links.

    They are model features with value 1 outside the text's norm, learned by the base model
    from every training source (links and capitals from YouTube and SMS spam, shouting from
    the abuse sets), so they count even before a site retrains.
    """
    out = []
    for raw in texts:
        text = _as_str(raw)[:MAX_RAW_CHARS]
        n = len(text.strip())
        tokens = ["shape:length:" + _bin(n, (1, 20, 80, 300, 1500), _LENGTHS)]
        letters = len(_LETTER.findall(text)) if n else 0
        if letters >= 12:
            caps = len(_UPPER.findall(text)) / letters
            tokens.append("shape:capitals:" + _bin(caps, (0.3, 0.7), ["low", "some", "most"]))
        if _RUN.search(text):
            tokens.append("shape:repeated-characters")
        if _SHOUT.search(text):
            tokens.append("shape:repeated-punctuation")
        links = [_host(m.group(0)) for m in _URL.finditer(text)]
        tokens.append("shape:links:" + _bin(len(links), (1, 2, 3), ["0", "1", "2", "3+"]))
        for domain in sorted({_registered_domain(h) for h in links})[:5]:
            tokens.append("link:domain:" + domain)
            tokens.append("link:tld:" + domain.rsplit(".", 1)[-1][:12])
        out.append(tokens)
    return out


def _bin(value: float, edges: Sequence[float], names: Sequence[str]) -> str:
    for edge, name in zip(edges, names, strict=False):
        if value < edge:
            return name
    return names[-1]


# How explanations name the tokens above (prefix -> words a moderator reads).
TOKEN_NAMES = {
    "shape:length:": "(length: {})",
    "shape:capitals:": "(capital letters: {})",
    "shape:repeated-characters": "(repeated characters)",
    "shape:repeated-punctuation": "(!!! or ???)",
    "shape:links:": "(links: {})",
    "link:domain:": "(link to {})",
    "link:tld:": "(link ending .{})",
    "meta:url-tld:": "(website ending .{})",
    "meta:url-domain:": "(website {})",
    "meta:url": "(gave a website)",
    "meta:email-domain:": "(e-mail at {})",
    "meta:email": "(gave an e-mail)",
    "meta:author-link": "(link in the name)",
    "history:": "(author's history here: {})",
    "wave:": "(similar recent comments: {})",
}


def token_name(token: str) -> str:
    """A readable name for a shape, commenter or context token."""
    for prefix, template in TOKEN_NAMES.items():
        if token.startswith(prefix):
            return template.format(token[len(prefix) :])
    return f"({token})"


@dataclass(frozen=True, slots=True)
class Hashed:
    """Feature occurrences of a batch: one entry per n-gram occurrence, not yet aggregated.

    Kept as one (documents, buckets) pair of arrays per n-gram kind: scoring sums over the
    parts directly, which spares concatenating millions of entries for a large batch.
    """

    parts: tuple[tuple[np.ndarray, np.ndarray], ...]  # (int64 document, int64 bucket)
    n_docs: int
    # Commenter-detail tokens (documents, buckets): value 1 each, outside the text's norm, so
    # giving a website or an e-mail never dilutes what the text says.
    meta: tuple[np.ndarray, np.ndarray] | None = None
    # Only with spans=True, for explanations: where each n-gram sits in `text`.
    start: np.ndarray | None = None
    length: np.ndarray | None = None
    text: str = ""

    @property
    def doc(self) -> np.ndarray:
        return _cat([d for d, _ in self.parts])

    @property
    def bucket(self) -> np.ndarray:
        return _cat([b for _, b in self.parts])


def _cat(arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)


def _bucket(h: np.ndarray, salt: np.uint64) -> np.ndarray:
    x = h ^ salt  # the one copy; the rest works in place
    x *= _FIB
    x >>= _SHIFT
    return x.view(np.int64)  # < 2**N_BITS, so the same bits read as int64


def hash_texts(
    texts: Sequence[str], metas: Sequence[Sequence[str]] | None = None, *, spans: bool = False
) -> Hashed:
    """Hash the n-grams of already normalized texts; `metas` adds whole-token features."""
    n_docs = len(texts)
    gap = _MARK * _GAP
    joined = gap + gap.join(texts) + gap
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = codes.astype(np.uint64)
    total = codes.shape[0]
    region = np.fromiter((len(t) + _GAP for t in texts), dtype=np.int64, count=n_docs)
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), region)
    doc_of = np.concatenate((doc_of, np.full(total - doc_of.shape[0], -1, dtype=np.int64)))
    is_mark = codes == np.uint64(1)
    docs, buckets, offs, lens = [], [], [], []
    base = np.uint64(_BASE)
    h = codes  # hashes of the 1-grams; each longer n-gram extends the previous hash
    for n in range(2, max(CHAR_NGRAMS) + 1):
        m = total - n + 1
        if m <= 0:
            break
        h = h[:m] * base
        h += codes[n - 1 : n - 1 + m]
        if n not in CHAR_NGRAMS:
            continue
        keep = ~(is_mark[:m] & is_mark[n - 1 : n - 1 + m])
        docs.append(doc_of[:m][keep])
        buckets.append(_bucket(h[keep], _CHAR_SALTS[n]))
        if spans:
            offs.append(np.flatnonzero(keep))
            lens.append(np.full(docs[-1].shape[0], n, dtype=np.int64))
    w_docs, w_hash, w_start, w_len = _word_hashes(codes, doc_of)
    for k in WORD_NGRAMS:
        if k == 1:
            docs.append(w_docs)
            buckets.append(_bucket(w_hash, _WORD_SALT))
            if spans:
                offs.append(w_start)
                lens.append(w_len)
        elif w_docs.shape[0] > 1:
            same = w_docs[:-1] == w_docs[1:]
            pair = w_hash[:-1] * _BIGRAM_SALT + w_hash[1:]
            docs.append(w_docs[:-1][same])
            buckets.append(_bucket(pair[same], _BIGRAM_SALT))
            if spans:
                offs.append(w_start[:-1][same])
                lens.append((w_start[1:] + w_len[1:] - w_start[:-1])[same])
    meta = None
    if metas is not None:
        m_docs = [i for i, tokens in enumerate(metas) for _ in tokens]
        if m_docs:
            meta = (
                np.asarray(m_docs, dtype=np.int64),
                np.asarray([_hash_token(t) for ts in metas for t in ts], dtype=np.int64),
            )
    return Hashed(
        parts=tuple(zip(docs, buckets, strict=True)),
        n_docs=n_docs,
        meta=meta,
        start=_cat(offs) if spans else None,
        length=_cat(lens) if spans else None,
        text=joined if spans else "",
    )


# Word characters: ASCII letters and digits; any non-ASCII code point (other scripts, emoji)
# also counts, since accents are already gone.
_WORD_TABLE = np.zeros(128, dtype=bool)
for _c in "abcdefghijklmnopqrstuvwxyz0123456789_":
    _WORD_TABLE[ord(_c)] = True


def _word_hashes(codes: np.ndarray, doc_of: np.ndarray):
    is_word = np.where(codes < 128, _WORD_TABLE[np.minimum(codes, 127).astype(np.int64)], True)
    edges = np.diff(np.concatenate(([False], is_word, [False])).astype(np.int8))
    w_start = np.flatnonzero(edges == 1)
    w_end = np.flatnonzero(edges == -1)
    if w_start.shape[0] == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, np.zeros(0, dtype=np.uint64), e, e
    total = codes.shape[0]
    powers = np.full(total + 1, _BASE, dtype=np.uint64)
    powers[0] = 1
    powers = np.cumprod(powers, dtype=np.uint64)
    inv = np.full(total + 1, _BASE_INV, dtype=np.uint64)
    inv[0] = 1
    inv = np.cumprod(inv, dtype=np.uint64)
    # prefix[k] = sum_{j<k} c[j] B^-(j+1), so sum_{s<=j<e} c[j] B^(e-1-j) = B^e (p[e] - p[s]):
    # a word's hash does not depend on where it sits.
    prefix = np.concatenate(([np.uint64(0)], np.cumsum(codes * inv[1:], dtype=np.uint64)))
    w_hash = powers[w_end] * (prefix[w_end] - prefix[w_start])
    return doc_of[w_start], w_hash, w_start, w_end - w_start


def _hash_token(token: str) -> int:
    h = 0
    for ch in token:
        h = (h * _BASE + ord(ch)) & _MASK64
    x = (((h ^ int(_META_SALT)) * int(_FIB)) & _MASK64) >> (64 - TOKEN_BITS)
    return N_TEXT_FEATURES + x


def occurrence_matrix(hashed: Hashed) -> sp.csr_matrix:
    """Counts of each feature per document (duplicates summed)."""
    ones = np.ones(hashed.doc.shape[0], dtype=np.float32)
    m = sp.csr_matrix((ones, (hashed.doc, hashed.bucket)), shape=(hashed.n_docs, N_FEATURES))
    m.sum_duplicates()
    return m


def weighted_matrix(hashed: Hashed, idf: np.ndarray) -> sp.csr_matrix:
    """The model's input: idf-weighted n-gram counts over each text's norm, plus meta tokens."""
    doc, bucket = hashed.doc, hashed.bucket
    w = idf[bucket].astype(np.float64)
    norms = np.sqrt(np.bincount(doc, weights=w * w, minlength=hashed.n_docs))
    norms[norms == 0] = 1.0
    data = w / norms[doc]
    if hashed.meta is not None:
        doc = np.concatenate((doc, hashed.meta[0]))
        bucket = np.concatenate((bucket, hashed.meta[1]))
        data = np.concatenate((data, np.ones(hashed.meta[0].shape[0])))
    shape = (hashed.n_docs, N_FEATURES)
    m = sp.csr_matrix((data.astype(np.float32), (doc, bucket)), shape=shape)
    m.sum_duplicates()
    return m


def compute_idf(hashed: Hashed) -> np.ndarray:
    """Smoothed inverse document frequency of each bucket, as float32."""
    counts = occurrence_matrix(hashed)
    df = np.bincount(counts.indices, minlength=N_FEATURES)
    n = hashed.n_docs
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    idf[N_TEXT_FEATURES:] = 1.0  # tokens are counted once, unweighted
    return idf.astype(np.float32)
