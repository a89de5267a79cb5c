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

from .lexicon import (
    ADDRESSEE,
    ADDRESSEE_ES,
    AIM_WINDOW,
    ANIMALS,
    BEING_PLURAL,
    COMING_BACK,
    CONJUNCTION,
    DEHUMANIZING,
    EXPEL_WINDOW,
    EXPELLED,
    EXPELLING,
    HARM_URGED,
    HARM_URGED_WORDS,
    HARM_WISHED_EN,
    HARM_WISHED_ES,
    HARM_WISHED_ES_YOU,
    HARMLESS_AFTER,
    HOMELAND,
    INSULT,
    INTIMIDATION,
    MILD_INSULT,
    NEGATION,
    PROFANITY,
    SECOND_PERSON,
    SLUR,
    VIOLENCE,
    WHOSE,
    WISH_WINDOW,
    WISHING,
)

# Beyond this many characters a comment tells the model nothing new; it bounds the cost of
# a 1 MB submission.
MAX_RAW_CHARS = 20_000
MAX_CHARS = 3_000

# Stored in every artifact: a model only scores the features it was trained on. Bump it with
# any change to what normalization, shape tokens or hashing produce.
FEATURE_VERSION = 14
CHAR_NGRAMS = (2, 3, 4, 5)
WORD_NGRAMS = (1, 2)
N_BITS = 20
N_TEXT_FEATURES = 1 << N_BITS
# Whole tokens (text shape, links, commenter details, site context) get buckets of their own
# after the text n-grams', so a token never shares a weight with an n-gram.
TOKEN_BITS = 16
N_FEATURES = N_TEXT_FEATURES + (1 << TOKEN_BITS)
# A token's value in the model input. Small beside a text's n-grams (norm 1 together), so the
# regularization keeps a token from outweighing what the text says: at value 1, "has no link"
# alone pushed SMS spam to ham (SMS F1 0.929; 0.954 at this value).
TOKEN_VALUE = 0.15
# A text's n-grams are divided by its norm (the root of their idf-squared sum), but never by
# less than the root of NORM_FLOOR, about the norm of a 45-character comment. Divided by its
# own small norm, each word of a four-word comment weighed as much as a long comment's whole
# text, so one word decided it: "What a stupid law." was blocked (abuse 0.99, "stupid" +4.5
# logits), "Vote them all out." held (0.65). With the floor a short comment says less, both
# ways: 2026.11.28-21 holds the first (0.94), publishes the second (0.38) and still blocks
# "You idiot." (0.99); figures in models/MODEL_CARD.md, "What changed in -21".
NORM_FLOOR = 6000.0


def text_norms(squares: np.ndarray) -> np.ndarray:
    """Each text's norm from the sum of its n-grams' squared weights, at least the floor's
    (so never 0, even for a text without n-grams)."""
    return np.sqrt(np.maximum(squares, NORM_FLOOR))


_MASK64 = (1 << 64) - 1
_BASE = 0x100000001B3  # odd, so it has an inverse modulo 2**64
_BASE_INV = pow(_BASE, -1, 1 << 64)
_FIB = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(64 - N_BITS)
_CHAR_SALTS = {n: np.uint64((0x51AF0D5B7D3C9E21 * (n + 1)) & _MASK64) for n in CHAR_NGRAMS}
_WORD_SALT = np.uint64(0x94D049BB133111EB)
_BIGRAM_SALT = np.uint64(0xD6E8FEB86659FD93)
_META_SALT = np.uint64(0xA0761D6478BD642F)
_CLASS_SALT = np.uint64(0xE7037ED1A0B428DB)
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
    # Starting with the literal lets the scan jump to each "RT" (with \b first it read every
    # character of every batch that held an "RT" anywhere: most of them).
    ("RT", re.compile(r"RT(?<=\bRT)\b:?(?=\s*@)")),
    ("&#", re.compile(r"&#[xX]?[0-9a-fA-F]+;")),
)
_CONTROL = re.compile("[\x01-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202f\ud800-\udfff]")
_TLDS = (
    "com|net|org|info|biz|ru|cn|io|ly|co|me|tk|xyz|top|us|uk|de|es|mx|ar|gl|be|to|gov|edu|eu|cl|pe"
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s\x00]+"
    # Bounded: a label of at most 63 characters (as in DNS), at most 10 labels. Unbounded,
    # each word of "a.a.a.a..." or "a-a-a-..." started a scan to the end of the run, and a
    # 20,000-character comment of them took seconds to read (bench_classifier.py --only
    # speed: pathological_ms). (?=[\w-]{1,63}\.) rejects early a word no dot follows.
    r"|\b(?=[\w-]{1,63}\.)[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.(?:" + _TLDS + r")\b"
    r"(?:/[^\s\x00]*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b(?=[\w.+-]{1,64}@)[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")
_HANDLE = re.compile(r"(?<!\w)@\w+")
# Links written so that filters miss them: "bit[.]ly", "example(dot)com", "hxxps://",
# ideographic or fullwidth dots, "example dot com". They are read as links, so they count as
# links do, not as unknown words.
_DOT_IN_LINK = re.compile(
    r"(?<=[^\W_])\s?(?:[\[({](?:\.|dot|punto)[\])}]|[\u3002\uff0e\uff61])\s?(?=[^\W_])"
    r"|(?<=[^\W_]) (?:dot|punto) (?=(?:" + _TLDS + r")\b)",
    re.IGNORECASE,
)
_HXXP = re.compile(r"\bhxxp(s?)(?=://)", re.IGNORECASE)
# Cheap tests that every such text passes: one regex for the bracketed forms, starting with
# a small character set, and substrings, which str.find looks for fast. Only the texts they
# pick meet the patterns above (one regex alternation with IGNORECASE for all the forms cost
# a sixth of normalization's time).
_OBFUSCATION_HINTS: tuple[re.Pattern | str, ...] = (
    re.compile(r"[\])}](?:(?<=\.[\])}])|(?<=[dD][oO][tT][\])}])|(?<=[nN][tT][oO][\])}]))"),
    *("\u3002", "\uff0e", "\uff61", "xxp", " dot ", " punto "),
)


def _has_hint(text: str, hints: Sequence[re.Pattern | str]) -> bool:
    return any((h in text) if isinstance(h, str) else h.search(text) for h in hints)


def _deobfuscate_links(text: str) -> str:
    """`text` with its hidden links written plainly (for texts that passed a hint above)."""
    return _HXXP.sub(r"http\1", _DOT_IN_LINK.sub(".", text))


# Cheap tests that every text with a link passes (a link starts with a scheme, www. or
# ends in a listed top-level domain); only those texts go through _URL.
_LINK_HINTS = (
    re.compile("://"),
    re.compile(r"\.(?<=[wW][wW][wW]\.)"),
    re.compile(r"\.(?=[^\W\d_])(?:" + _TLDS + r")\b", re.IGNORECASE),
)


def normalize_many(texts: Sequence[object]) -> list[str]:
    """Lowercase, accent-free texts with placeholders for links, e-mails and numbers.

    The whole batch is joined and goes through each step once: per-call overhead dominates
    for short comments. The costly regexes (e-mails, links, mentions) only see the texts
    that pass a cheap test for them; the character-level steps run in numpy on the batch's
    code points, or as regexes when the input is short.
    """
    out = _normalize_joined(texts)
    if len(out) != len(texts):
        # A text that still produced a separator: redo the batch one text at a time.
        out = [(one[0] if len(one := _normalize_joined([t])) == 1 else "") for t in texts]
    return out


def _normalize_joined(texts: Sequence[object]) -> list[str]:
    if not texts:
        return []
    parts = [_as_str(t)[:MAX_RAW_CHARS] for t in texts]
    joined = _SEP.join([t.replace(_SEP, " ") if _SEP in t else t for t in parts])
    joined = _CONTROL.sub(" ", joined)
    for literal, pattern in _CORPUS_ARTIFACTS:
        if literal in joined:
            joined = pattern.sub(" ", joined)
    joined = html.unescape(joined)
    parts = joined.split(_SEP)
    if len(parts) != len(texts):
        return parts
    # Before links are looked for: "𝐡𝐭𝐭𝐩𝐬://" and "pаypal.com" are links too.
    joined = _undisguise(joined, parts)
    # E-mails, links and @mentions: only texts that can hold one meet those regexes, which
    # cost far more per character than the cheap tests that pick the texts.
    obfuscated = _texts_matching(joined, parts, _OBFUSCATION_HINTS)
    if obfuscated:
        for i in obfuscated:
            parts[i] = _deobfuscate_links(parts[i])
        joined = _SEP.join(parts)
    # Each regex sees only the texts it can match: e-mails and handles need an "@", links a
    # link hint. The order per text stays e-mails, links, handles (an address's domain is not
    # a link; a link's "@" is not a handle).
    linked = _texts_matching(joined, parts, _LINK_HINTS)
    at = [i for i, t in enumerate(parts) if "@" in t]
    for idx, pattern, placeholder in (
        (at, _EMAIL, " xemail "),
        (linked, _URL, " xurl "),
        (at, _HANDLE, " "),
    ):
        if idx:
            sub = pattern.sub(placeholder, _SEP.join([parts[i] for i in idx]))
            for i, t in zip(idx, sub.split(_SEP), strict=True):
                parts[i] = t
    if linked or at:
        joined = _SEP.join(parts)
    joined = joined.casefold()
    if not joined.isascii():
        joined = unicodedata.normalize("NFKD", joined)
    if len(joined) < _SMALL:
        out = [t.strip()[:MAX_CHARS] for t in _normalize_chars(joined).split(_SEP)]
    else:
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        codes = _normalize_codes(codes)
        out = codes.tobytes().decode("utf-32-le", "surrogatepass").split(_SEP)
    if len(out) == len(texts):
        for i in _texts_matching(_SEP.join(out), out, (_MASK_HINT,)):
            out[i] = _MASKED_WORD.sub(_unmasked, out[i])
        for i in _texts_matching(_SEP.join(out), out, _SPACED_HINTS):
            out[i] = _SPACED_LETTERS.sub(_unspaced, out[i])
        out = _GENERIC.sub(GENERIC_MARK, _SEP.join(out)).split(_SEP)
    return out


# Letters written to slip past word filters, read as the plain letters they show:
# - invisible characters (zero-width space and joiners, soft hyphen, direction marks, word
#   joiner, byte-order mark) are deleted, not spaced: "id\u200biot" is "idiot" to a reader;
# - styled letters and digits (mathematical bold or script "𝐁𝐮𝐲", fullwidth "ｂｕｙ",
#   circled "ⓑⓤⓨ", superscript "ᴳᵉᵗ"), each through its Unicode compatibility form;
# - Cyrillic and Greek letters drawn like Latin ones ("сheap" with a Cyrillic "с", "vіagra"
#   with a Ukrainian "і"). The table is Unicode's confusables (UTS #39) through
#   `confusable_homoglyphs`, kept to letters whose look-alike is one ASCII letter. A text is
#   read through it when its Latin letters outnumber its Cyrillic and Greek ones, or when
#   every Cyrillic or Greek letter in it is a look-alike; a Russian or Greek comment uses
#   letters that are not ("д", "л", "и", "λ"), and stays as written.
_STYLED_RANGES = ((0x1D400, 0x1D800), (0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B))
_STYLED_RANGES += ((0x24B6, 0x24EA), (0x1D2C, 0x1D6B), (0x1D9B, 0x1DC0), (0x2070, 0x20A0))
_STYLED_RANGES += ((0x02B0, 0x02E5),)
_STYLED = {
    c: plain
    for start, end in _STYLED_RANGES
    for c in range(start, end)
    if len(plain := unicodedata.normalize("NFKC", chr(c))) == 1 and plain.isascii()
}
_INVISIBLE_RANGES = "\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_RANGES}]")
_CYRILLIC_OR_GREEK = re.compile("[\u0370-\u03ff\u0400-\u052f\u1f00-\u1fff]")
# The texts that may hold any of them, found by one scan for ranges (a set of single letters
# scans twice as slowly).
_DISGUISE_HINT = re.compile(
    _CYRILLIC_OR_GREEK.pattern[:-1]
    + _INVISIBLE_RANGES
    + "".join(f"{chr(a)}-{chr(b - 1)}" for a, b in _STYLED_RANGES)
    + "]"
)


def _lookalike_table() -> dict[int, str]:
    from confusable_homoglyphs import categories, confusables

    table: dict[int, str] = {}
    for ch, entries in confusables.confusables_data.items():
        if len(ch) != 1 or categories.alias(ch) not in ("CYRILLIC", "GREEK"):
            continue
        for entry in entries:
            c = entry["c"]
            if len(c) == 1 and c.isascii() and c.isalpha():
                table[ord(ch)] = c
                break
    return table


_LOOKALIKE_TABLE = _lookalike_table()
_LATIN_LETTER = re.compile("[A-Za-z]")


def _undisguise(joined: str, parts: list[str]) -> str:
    """Read the disguised letters of the texts in `parts` plainly, in place; `joined` is
    those texts joined by _SEP, returned joined again if any changed."""
    if joined.isascii():
        return joined
    disguised = _texts_matching(joined, parts, (_DISGUISE_HINT,))
    for i in disguised:
        parts[i] = _plain_letters(parts[i])
    return _SEP.join(parts) if disguised else joined


def _plain_letters(text: str) -> str:
    text = _INVISIBLE.sub("", text).translate(_STYLED)
    foreign = _CYRILLIC_OR_GREEK.findall(text)
    if foreign and (
        len(_LATIN_LETTER.findall(text)) > len(foreign)
        or all(ord(c) in _LOOKALIKE_TABLE for c in foreign)
    ):
        return text.translate(_LOOKALIKE_TABLE)
    return text


# A word spelled out in single letters, "s t u p i d", "v.i.a.g.r.a", "i-d-i-o-t": four
# letters or more, one kind of separator, written as one word. Fewer are left alone
# ("u.s.a", "a y b"); so is a run of single digits or placeholders. Every such run holds a
# letter between two separators twice in a row: three patterns that start with their
# separator find those faster than one that starts with a letter.
_SPACED_HINTS = tuple(re.compile(f"{sep}[a-z]{sep}[a-z]{sep}") for sep in (" ", r"\.", "-"))
_SPACED_LETTERS = re.compile(r"(?<![\w.-])[a-z](?:([ .-])[a-z])(?:\1[a-z]){2,}(?![\w])")


def _unspaced(m: re.Match[str]) -> str:
    return m.group(0).replace(m.group(1), "")


# Words that only say how many or which ones. The seed's attacks on groups lean on them
# ("send them all back", "los X son todos..."), so the model gave each one to two logits of
# abuse, and in a comment of a few words they are most of the text: "Ni unos ni otros, todos
# prometen lo mismo." scored abuse 0.83, and civil Spanish sentences that only name a group
# were held for their "los" (8 of the group probe's 114). Each becomes one mark, so the model
# still sees that such a word stood there, not which one: 0.38 and 2 of 114 with 2026.11.28-14
# (models/MODEL_CARD.md). A longer list (articles, "que", "de", "y"...) was measured too: it
# also blocked a short legitimate comment and held two that swear.
GENERIC_WORDS = ("all", "them", "they", "these", "those", "todos", "todas", "los", "las")
GENERIC_WORDS += ("unos", "otros")
GENERIC_MARK = "_"


def _whole_words(words: Sequence[str]) -> re.Pattern[str]:
    """The pattern r"\b(?:word|...)\b", written to start with a character set so that the
    scan skips ahead to the listed first letters (as written, it cost 1.8 us a comment)."""
    firsts = "".join(sorted({w[0] for w in words}))
    rests = {f: "|".join(w[1:] for w in words if w[0] == f) for f in firsts}
    alternatives = "|".join(f"(?<={f})(?:{rest})" for f, rest in rests.items())
    return re.compile(f"[{firsts}](?<!\\w[{firsts}])(?:{alternatives})\\b")


_GENERIC = _whole_words(GENERIC_WORDS)


# Swear words with letters masked ("f*ck", "sh!t", "p*ta", "f**king"), written plainly when
# the mask fits a listed word of lexicon.py, so that they count as the word does. Only runs
# of these marks inside a word, or stars ending one: "*so*" (emphasis), "wow!" and "a*b"
# are left as they are. Runs are already at most two long ("f***" is "f**").
# The hint starts with the marks, which are rare, so the scan skips ahead to them; starting
# with a letter it cost a sixth of normalization's time.
_MASK_HINT = re.compile(r"[*!$@](?<=[a-z].)(?:(?<=\*)|(?=[*!$@]*[a-z]))")
_MASKED_WORD = re.compile(
    r"(?<![\w*])[a-z]+(?:[*!$@]+[a-z]+)+(?![\w*])|(?<![\w*])[a-z]+(?:[*!$@]+[a-z]+)*\*+(?![\w*])"
)
_MASK_RUN = re.compile(r"[*!$@]+")
# The listed words by first letter (a masked word starts with a letter), shortest first.
_MASKABLE: dict[str, list[str]] = {}
for _w in sorted(INSULT | PROFANITY | SLUR, key=lambda w: (len(w), w)):
    _MASKABLE.setdefault(_w[0], []).append(_w)
_UNMASKED: dict[str, str] = {}


def _unmasked(m: re.Match[str]) -> str:
    """The listed word a masked word stands for (each mark one letter, or failing that a run
    one to four), the shortest first; the word itself when none fits."""
    word = m.group(0)
    found = _UNMASKED.get(word)
    if found is None:
        pieces = [re.escape(p) for p in _MASK_RUN.split(word)]
        runs = [len(r) for r in _MASK_RUN.findall(word)]
        exact = "".join(
            p + (f"[a-z]{{{n}}}" if n else "") for p, n in zip(pieces, [*runs, 0], strict=True)
        )
        patterns = (re.compile(exact), re.compile("[a-z]{1,4}".join(pieces)))
        candidates = _MASKABLE.get(word[0], ())
        found = next((w for p in patterns for w in candidates if p.fullmatch(w)), word)
        if len(_UNMASKED) < _TOKEN_CACHE_SIZE:
            _UNMASKED[word] = found
    return found


# Below this many characters, numpy's per-call cost outweighs the regexes' per-character
# cost; both give the same text (tests/classifier/test_classifier_features.py holds them together).
_SMALL = 400
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "#": " "})
_LEET_WORD = re.compile(r"\b(?=\w*[a-z])(?=\w*[013457])[a-z013457]{3,}\b")
_LEET = str.maketrans(dict(zip("013457", "oieast", strict=True)))
_REPEATS = re.compile(r"([^\x00])\1{2,}")
_NUMBER = re.compile(r"\d+")
_SPACES = re.compile(r"[^\S\x00]+")


def _number_placeholder(m: re.Match[str]) -> str:
    n = len(m.group(0))
    return "0" if n <= 2 else "00" if n <= 4 else "000"


def _normalize_chars(text: str) -> str:
    """The character-level steps of `_normalize_codes`, with regexes, for short input."""
    if not text.isascii():
        text = _COMBINING.sub("", text)
    text = text.translate(_QUOTES)
    text = _LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), text)
    text = _REPEATS.sub(r"\1\1", text)
    text = _NUMBER.sub(_number_placeholder, text)
    return _SPACES.sub(" ", text)


def _texts_matching(
    joined: str, parts: list[str], patterns: Sequence[re.Pattern | str]
) -> list[int]:
    """Indices of the texts of `joined` (texts joined by _SEP) in which any pattern matches
    (a str pattern: where it occurs)."""
    if len(parts) == 1:  # one comment, as the service scores them: any match will do
        return [0] if _has_hint(joined, patterns) else []
    found: list[int] = []
    for p in patterns:
        if isinstance(p, str):
            at = joined.find(p)
            while at != -1:
                found.append(at)
                at = joined.find(p, at + 1)
        else:
            found.extend(m.start() for m in p.finditer(joined))
    if not found:
        return []
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)) + 1
    ends = np.cumsum(lengths)
    return np.unique(np.searchsorted(ends, np.asarray(found), side="right")).tolist()


# Character classes of code points, as bit flags: ASCII from a table, the rest asked of
# Python once per distinct code point in a batch (same answers as `re`'s \w, \d and \s).
_W, _D, _S = 1, 2, 4


def _flags_of(code: int) -> int:
    ch = chr(code)
    return (
        (_W if ch.isalnum() or ch == "_" else 0)
        | (_D if ch.isdecimal() else 0)
        | (_S if ch.isspace() else 0)
    )


_ASCII_FLAGS = np.array([_flags_of(c) for c in range(128)], dtype=np.uint8)


def _char_flags(codes: np.ndarray) -> np.ndarray:
    flags = _ASCII_FLAGS[np.minimum(codes, 127)]
    high = codes >= 128
    if high.any():
        distinct, inverse = np.unique(codes[high], return_inverse=True)
        table = np.fromiter(map(_flags_of, distinct.tolist()), dtype=np.uint8, count=len(distinct))
        flags[high] = table[inverse]
    return flags


def _ranges_mask(codes: np.ndarray, ranges: Sequence[tuple[int, int]]) -> np.ndarray:
    mask = (codes >= ranges[0][0]) & (codes <= ranges[0][1])
    for lo, hi in ranges[1:]:
        mask |= (codes >= lo) & (codes <= hi)
    return mask


_COMBINING_RANGES = ((0x300, 0x36F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF))
_COMBINING_RANGES += ((0xFE20, 0xFE2F),)
_QUOTE_CODES = {0x2019: ord("'"), 0x2018: ord("'"), 0x201C: ord('"'), 0x201D: ord('"')}
_LEET_CODES = np.arange(128, dtype=np.uint32)
for _digit, _letter in zip("013457", "oieast", strict=True):
    _LEET_CODES[ord(_digit)] = ord(_letter)
_IS_LEET_DIGIT = np.zeros(128, dtype=bool)
_IS_LEET_DIGIT[[ord(c) for c in "013457"]] = True
_IS_LOWER = np.zeros(128, dtype=bool)
_IS_LOWER[ord("a") : ord("z") + 1] = True
_ZERO, _SPACE = ord("0"), ord(" ")


def _normalize_codes(c: np.ndarray) -> np.ndarray:
    """The character-level steps of normalization on a batch's code points, in order:
    combining marks dropped, quotes unified, leetspeak read, repeats cut to two, numbers
    replaced, whitespace collapsed, each text stripped and capped. 0 separates texts."""
    if c.shape[0] == 0:
        return c
    c = c.copy()
    c[c == ord("#")] = _SPACE
    high = np.flatnonzero(c >= 0x300)  # combining marks and curly quotes are up there
    if high.shape[0]:
        chars = c[high]
        for code, to in _QUOTE_CODES.items():
            chars[chars == code] = to
        c[high] = chars
        marks = _ranges_mask(chars, _COMBINING_RANGES)
        if marks.any():
            keep = np.ones(c.shape[0], dtype=bool)
            keep[high[marks]] = False
            c = c[keep]
            if c.shape[0] == 0:
                return c
    flags = _char_flags(c)
    low = np.minimum(c, 127)
    # Leetspeak: a word (a maximal run of \w) of 3+ characters, all in [a-z013457], with a
    # letter and one of those digits, has its digits read as letters ("1d10t" -> "idiot").
    at = np.flatnonzero(_IS_LEET_DIGIT[low] & (c < 128))
    if at.shape[0]:
        word = (flags & _W) != 0
        starts = np.flatnonzero(word[1:] & ~word[:-1]) + 1
        if word[0]:
            starts = np.concatenate(([0], starts))
        ends = np.flatnonzero(word[:-1] & ~word[1:]) + 1
        if word[-1]:
            ends = np.concatenate((ends, [word.shape[0]]))
        # Only the words holding such a digit are looked at, character by character.
        runs = np.unique(np.searchsorted(starts, at, side="right") - 1)
        lo, size = starts[runs], ends[runs] - starts[runs]
        runs, lo, size = runs[size >= 3], lo[size >= 3], size[size >= 3]
        if runs.shape[0]:
            offsets = np.cumsum(size) - size
            index = np.repeat(lo - offsets, size) + np.arange(int(size.sum()))
            chars = c[index]
            small = np.minimum(chars, 127)
            lower = _IS_LOWER[small] & (chars < 128)
            ok = (lower | _IS_LEET_DIGIT[small]) & (chars < 128)
            eligible = (np.add.reduceat(ok, offsets) == size) & np.logical_or.reduceat(
                lower, offsets
            )
            index = index[np.repeat(eligible, size) & ~lower]
            c[index] = _LEET_CODES[c[index]]
            flags[index] = _W
    # A run of three or more of one character keeps two.
    if c.shape[0] > 2:
        same = c[1:] == c[:-1]
        drop = np.zeros(c.shape[0], dtype=bool)
        drop[2:] = same[1:] & same[:-1] & (c[2:] != 0)
        if drop.any():
            keep = ~drop
            c, flags = c[keep], flags[keep]
    # Numbers: a run of digits becomes 0 (1-2 digits), 00 (3-4) or 000 (more); whitespace
    # runs become one space, and spaces at either end of a text go. Neither step changes
    # what the other sees, so both only mark what to drop, and one pass drops it.
    drop = np.zeros(c.shape[0], dtype=bool)
    at = np.flatnonzero(flags & _D)
    if at.shape[0]:
        new = np.ones(at.shape[0], dtype=bool)
        new[1:] = at[1:] != at[:-1] + 1
        firsts = np.flatnonzero(new)
        lengths = np.diff(np.append(firsts, at.shape[0]))
        width = np.where(lengths <= 2, 1, np.where(lengths <= 4, 2, 3))
        rank = np.arange(at.shape[0]) - np.repeat(firsts, lengths)
        c[at] = _ZERO
        drop[at[rank >= np.repeat(width, lengths)]] = True
    space = (flags & _S) != 0
    at = np.flatnonzero(space)
    if at.shape[0]:
        c[at] = _SPACE
        new = np.ones(at.shape[0], dtype=bool)
        new[1:] = at[1:] != at[:-1] + 1
        firsts = at[new]
        lasts = at[np.append(new[1:], True)]
        drop[at[~new]] = True
        n = c.shape[0]
        before = np.where(firsts > 0, c[np.maximum(firsts - 1, 0)], 0)
        after = np.where(lasts < n - 1, c[np.minimum(lasts + 1, n - 1)], 0)
        drop[firsts[(before == 0) | (after == 0)]] = True
    if drop.any():
        c = c[~drop]
    sep = c == 0
    bounds = np.concatenate(([-1], np.flatnonzero(sep), [c.shape[0]]))
    if np.diff(bounds).max() > MAX_CHARS + 1:
        pos = np.arange(c.shape[0])
        start = np.repeat(bounds[:-1] + 1, np.diff(bounds))[: c.shape[0]]
        c = c[sep | (pos - start < MAX_CHARS)]
    return c


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


_LENGTH_EDGES = np.array([1, 20, 80, 300, 1500])
_LENGTH_TOKENS = tuple("shape:length:" + name for name in _LENGTHS)
_CAPS_EDGES = np.array([0.3, 0.7])
_CAPS_TOKENS = tuple("shape:capitals:" + name for name in ("low", "some", "most"))
_LINK_TOKENS = tuple("shape:links:" + name for name in ("0", "1", "2", "3+"))
_REPEATED = "shape:repeated-characters"
_SHOUTING = "shape:repeated-punctuation"
_SPINTAX_TOKEN = "shape:spintax"
_HIDDEN_LINK = "shape:hidden-link"
# A phone number: nine to fifteen digits in groups ("+1 (844) 555-0123", "612 345 678",
# "0800.555.014"), not part of a link, a handle, a word or a longer number. Readers seldom
# post one under a blog post; scams live by them (fake support lines, loans, psychics,
# "call me on WhatsApp"), and normalization keeps only the lengths of its digit groups.
_PHONE = re.compile(r"(?<![\w.,/@#&+])(?:\+|00)?\d(?:[ .()-]{0,2}\d){8,14}(?![\w/])")
# ... but not an amount written with thousands separators ("2.100.000.000 views").
_THOUSANDS = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})+")
_PHONE_NUMBER = "shape:phone-number"
# What every phone number holds: nine digits in groups. A pattern that starts with a digit is
# scanned for fast; the one above, starting with its look-behind, cost a fifth of the shape
# tokens' time when every text met it.
_PHONE_HINT = re.compile(r"\d(?:[ .()-]{0,2}\d){8}")


def _is_letter(code: int) -> bool:
    ch = chr(code)  # what [^\W\d_] matches
    return ch.isalnum() and not ch.isdecimal()


def shape_tokens(texts: Sequence[object]) -> list[list[str]]:
    """Tokens for what normalization erases: length, capitals, repeated characters, links,
    phone numbers.

    They are model features with value TOKEN_VALUE outside the text's norm, learned by the
    base model from every training source (links and capitals from YouTube and SMS spam,
    shouting from the abuse sets), so they count even before a site retrains. Only what
    stands out gets a token (a very long text, many capitals, links): tokens for the usual
    case ("no link", "normal length") acted as a per-source prior and hurt across sources.
    """
    raw = [_as_str(t)[:MAX_RAW_CHARS] for t in texts]
    n = len(raw)
    if n == 0:
        return []
    # Disguised letters read as normalization reads them (a link in "𝐛𝐢𝐭.𝐥𝐲" is a link;
    # capitals in "𝐁𝐔𝐘" are capitals).
    joined = _undisguise(_SEP.join(raw), raw)
    if sum(map(len, raw)) < _SMALL:
        return [_shape_tokens_one(t) for t in raw]
    # The whole batch at once: one code array, each text followed by a separator and told
    # apart by its offsets (a text may hold any character, the separator included).
    c = np.frombuffer((joined + _SEP).encode("utf-32-le", "surrogatepass"), np.uint32)
    sizes = np.fromiter(map(len, raw), dtype=np.int64, count=n)
    starts = np.cumsum(sizes + 1) - (sizes + 1)
    gap = np.zeros(c.shape[0], dtype=bool)
    gap[starts + sizes] = True
    letter = (c | 0x20) - 97 < 26  # a-z, A-Z (wraps around below 97)
    high = c >= 128
    if high.any():
        distinct, inverse = np.unique(c[high], return_inverse=True)
        table = np.fromiter(map(_is_letter, distinct.tolist()), dtype=bool, count=len(distinct))
        letter[high] = table[inverse]
    ends = starts + sizes
    letters = _counts_between(letter, starts, ends)
    upper = (c - 65 < 26) | (c - 0xC0 <= 0xDE - 0xC0)
    uppers = _counts_between(upper, starts, ends)
    run = np.zeros(c.shape[0], dtype=bool)  # (.)\1{3,} starts here
    same = (c[1:] == c[:-1]) & ~gap[1:]
    run[:-3] = same[2:] & same[1:-1] & same[:-2] & (c[:-3] != 10) & ~gap[:-3]
    mark = (c == 33) | (c == 63)
    shout = np.zeros(c.shape[0], dtype=bool)  # [!?]{3,} starts here
    shout[:-2] = mark[2:] & mark[1:-1] & mark[:-2]
    lengths = np.fromiter((len(t.strip()) for t in raw), dtype=np.int64, count=n)
    kind = np.searchsorted(_LENGTH_EDGES, lengths, side="right") * 16
    with np.errstate(divide="ignore", invalid="ignore"):
        caps = np.searchsorted(_CAPS_EDGES, uppers / np.maximum(letters, 1), side="right")
    kind += np.where(letters >= 12, caps + 1, 0) * 4
    kind += np.logical_or.reduceat(run, starts) * 2 + np.logical_or.reduceat(shout, starts)
    out = [list(_SHAPES[k]) for k in kind.tolist()]
    # The texts that may hide a link are known from one scan of the batch; the others are
    # not tested again one by one.
    hiding = set(_texts_matching(joined, raw, _OBFUSCATION_HINTS))
    for i in sorted(hiding.union(_texts_matching(joined, raw, _MARKUP_HINTS))):
        _markup_tokens(raw[i], out[i], may_hide_links=i in hiding)
    for i in _texts_matching(joined, raw, (_PHONE_HINT,)):
        if _has_phone_number(raw[i]):
            out[i].append(_PHONE_NUMBER)
    return out


def _counts_between(mask: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    at = np.flatnonzero(mask)
    return np.searchsorted(at, ends) - np.searchsorted(at, starts)


def _shape_tokens_one(text: str) -> list[str]:
    n = len(text.strip())
    tokens = [_LENGTH_TOKENS[-1]] if n >= _LENGTH_EDGES[-1] else []
    letters = len(_LETTER.findall(text)) if n else 0
    if letters >= 12:
        caps = len(_UPPER.findall(text)) / letters
        if caps >= 0.3:
            tokens.append("shape:capitals:" + _bin(caps, (0.3, 0.7), ["low", "some", "most"]))
    if _RUN.search(text):
        tokens.append(_REPEATED)
    if _SHOUT.search(text):
        tokens.append(_SHOUTING)
    _markup_tokens(text, tokens, may_hide_links=_has_hint(text, _OBFUSCATION_HINTS))
    if _PHONE_HINT.search(text) and _has_phone_number(text):
        tokens.append(_PHONE_NUMBER)
    return tokens


def _has_phone_number(text: str) -> bool:
    """Whether `text` holds a phone number outside its links."""
    if _has_hint(text, _LINK_HINTS):
        text = _URL.sub(" ", text)
    return any(not _THOUSANDS.fullmatch(m.group(0)) for m in _PHONE.finditer(text))


# Spintax: the "{Hi|Hello} {great|nice} post" templates of comment-spam tools, posted
# unexpanded when the tool misfires. Readers do not write it; two groups are required, so
# a line of code quoted in a comment ("{a|b}") does not pass for it.
_SPIN_GROUP = r"\{[^{}|\n]{1,80}(?:\|[^{}|\n]{0,80})+\}"
_SPINTAX = re.compile(_SPIN_GROUP + r"[\s\S]{0,300}?" + _SPIN_GROUP)
_MARKUP_HINTS = (*_LINK_HINTS, re.compile(r"\{[^{}|\n]{1,80}\|"))


def _markup_tokens(text: str, tokens: list[str], *, may_hide_links: bool) -> None:
    """Tokens for links (how many, their domains) and for spam-tool markup."""
    if "{" in text and _SPINTAX.search(text):
        tokens.append(_SPINTAX_TOKEN)
    links = _link_hosts(text, may_hide_links=may_hide_links)
    if may_hide_links and len(links) > len(_URL.findall(text)):
        tokens.append(_HIDDEN_LINK)
    if links:
        tokens.append(_LINK_TOKENS[min(len(links), 3)])
    domains = {_registered_domain(h) for h in links}
    for domain in sorted(d for d in domains if not _is_placeholder(d))[:5]:
        tokens.append("link:domain:" + domain)
        tokens.append("link:tld:" + domain.rsplit(".", 1)[-1][:12])
    if any(_is_public_reference(h) for h in links):
        tokens.append(_REFERENCE_LINK)


def _link_hosts(text: str, *, may_hide_links: bool) -> list[str]:
    """The hosts of a text's links, hidden ones included where it `may_hide_links`."""
    plain = _deobfuscate_links(text) if may_hide_links else text
    return [_host(m.group(0)) for m in _URL.finditer(plain)]


def link_hosts(text: str) -> tuple[str, ...]:
    """The hosts of a text's links (hidden ones included) and e-mail addresses, in order:
    what normalization folds into `xurl` and `xemail`."""
    hosts = _link_hosts(text, may_hide_links=_has_hint(text, _OBFUSCATION_HINTS))
    return (*hosts, *(m.group(0).rsplit("@", 1)[-1].casefold() for m in _EMAIL.finditer(text)))


# Placeholder names ("example.com" and the other RFC 2606 names, "example.es"...): no real
# comment links there, so a domain token for them would learn only which corpus rows were
# written with them (the seed's invented spam sites are "shop.example.com"). They still
# count as links.
_RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost"})


def _is_placeholder(domain: str) -> bool:
    first, _, tld = domain.partition(".")
    return first == "example" or tld.rsplit(".", 1)[-1] in _RESERVED_TLDS or not tld


# Links to public institutions and reference works: what readers cite, and what a spammer
# has no reason to link. One token for all of them, so that what the model learns from the
# few it saw ("census.gov", "es.wikipedia.org") carries to the many it did not
# ("sanidad.gob.es", any country's ministries). Suffixes, not a list of sites: a
# government or university domain is public by how it is registered, not by our say.
_REFERENCE_LINK = "link:public-reference"
_PUBLIC_SUFFIXES = frozenset({"gov", "gob", "gouv", "govt", "gv", "edu", "ac", "mil", "int"})
_REFERENCE_SITES = frozenset(
    {
        "wikipedia.org",
        "wikimedia.org",
        "wikisource.org",
        "wiktionary.org",
        "archive.org",
        "doi.org",
        "arxiv.org",
        "europa.eu",
        "un.org",
    }
)


def _is_public_reference(host: str) -> bool:
    """A host under a public-institution label (`.gov`, `.gob.es`, `.ac.uk`, `.edu.ar`...)
    or on one of the reference works above."""
    labels = host.split(".")
    if len(labels) < 2:
        return False
    if labels[-1] in _PUBLIC_SUFFIXES or (len(labels[-1]) == 2 and labels[-2] in _PUBLIC_SUFFIXES):
        return True
    return ".".join(labels[-2:]) in _REFERENCE_SITES


def _shape_template(kind: int) -> tuple[str, ...]:
    length, caps, rep, shout = kind // 16, kind // 4 % 4, kind // 2 % 2, kind % 2
    tokens = [_LENGTH_TOKENS[length]] if length == len(_LENGTHS) - 1 else []
    if caps > 1:  # "low" capitals is how most text is written: no token
        tokens.append(_CAPS_TOKENS[caps - 1])
    if rep:
        tokens.append(_REPEATED)
    if shout:
        tokens.append(_SHOUTING)
    return tuple(tokens)


# Every combination of length, capitals, repeats and !!!, as `shape_tokens` numbers it.
_SHAPES = tuple(_shape_template(kind) for kind in range(16 * len(_LENGTHS)))


def _bin(value: float, edges: Sequence[float], names: Sequence[str]) -> str:
    for edge, name in zip(edges, names, strict=False):
        if value < edge:
            return name
    return names[-1]


# How explanations name the tokens above (prefix -> words a moderator reads).
TOKEN_NAMES = {
    "shape:length:": "(very long text)",
    "shape:capitals:": "(capital letters: {})",
    "shape:repeated-characters": "(repeated characters)",
    "shape:repeated-punctuation": "(!!! or ???)",
    "shape:links:": "(links: {})",
    "shape:spintax": "(spam-template markup {{a|b}})",
    "shape:hidden-link": "(link written to get past filters)",
    "shape:phone-number": "(phone number)",
    "link:domain:": "(link to {})",
    "link:tld:": "(link ending .{})",
    "link:public-reference": "(link to a public institution or reference work)",
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
    parts directly, which spares concatenating millions of entries for a large batch. Within
    each part (and in `meta`) documents come in ascending order; scoring relies on it.
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
    pair = w_hash[:-1] * _BIGRAM_SALT + w_hash[1:]  # each word with the next
    for k in WORD_NGRAMS:
        if k == 1:
            docs.append(w_docs)
            buckets.append(unigrams := _bucket(w_hash, _WORD_SALT))
            if spans:
                offs.append(w_start)
                lens.append(w_len)
        elif w_docs.shape[0] > 1:
            same = w_docs[:-1] == w_docs[1:]
            docs.append(w_docs[:-1][same])
            buckets.append(_bucket(pair[same], _BIGRAM_SALT))
            if spans:
                offs.append(w_start[:-1][same])
                lens.append((w_start[1:] + w_len[1:] - w_start[:-1])[same])
    # A word of a class (lexicon.py) also counts as its class's pseudo-word; its unigram
    # bucket picks the few candidates, their full hashes decide. The part comes last: the
    # word n-grams keep their places (site retraining learns over those parts only).
    in_class = _CLASS_WORD_CANDIDATES[unigrams]
    word_classes = np.zeros(0, dtype=np.int64)
    if in_class.any():
        at = np.flatnonzero(in_class)
        pos = _lookup(at, w_hash, _CLASS_WORD_HASHES)
        hit = pos >= 0
        in_class[at[~hit]] = False
        word_classes = _CLASS_WORD_BUCKETS[pos[hit]]
    # A phrase of a class also counts as the class's pseudo-phrase, in the part after that,
    # then an insult aimed at "you", a group called vermin, harm wished on someone and a
    # group told to leave the country as pseudo-words of their own, each in a part after that.
    found = [
        (w_docs[in_class], w_start[in_class], w_len[in_class], word_classes),
        _phrase_matches(w_docs, w_hash, pair, w_start, w_len),
    ]
    maybe = np.flatnonzero(_PAIRED_CANDIDATES[unigrams])  # one gather for every pairing
    for pairing in _PAIRINGS if maybe.shape[0] else ():  # most comments hold none
        at = _paired(codes, w_docs, w_hash, w_start, unigrams, pairing, maybe)
        found.append((w_docs[at], w_start[at], w_len[at], np.full_like(at, pairing.bucket)))
    for class_docs, class_start, class_len, class_buckets in found:
        if class_docs.shape[0]:
            docs.append(np.repeat(class_docs, CLASS_COUNT))
            buckets.append(np.repeat(class_buckets, CLASS_COUNT))
            if spans:
                offs.append(np.repeat(class_start, CLASS_COUNT))
                lens.append(np.repeat(class_len, CLASS_COUNT))
    meta = None
    if metas is not None:
        counts = np.fromiter(map(len, metas), dtype=np.int64, count=len(metas))
        if counts.sum():
            get = _TOKEN_BUCKETS.get
            meta = (
                np.repeat(np.arange(len(metas), dtype=np.int64), counts),
                np.fromiter(
                    (get(t) or _hash_token(t) for ts in metas for t in ts),
                    dtype=np.int64,
                    count=int(counts.sum()),
                ),
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


def _word_hash(word: str) -> int:
    """A string's rolling hash: a word's as _word_hashes computes it within a text."""
    h = 0
    for ch in word:
        h = (h * _BASE + ord(ch)) & _MASK64
    return h


# The class's pseudo-word: a bucket of the text's n-gram space, weighted by idf and by the
# text's norm like any word, and counted CLASS_COUNT times per occurrence. Counted once, it
# was one feature among a comment's few hundred n-grams and moved unseen threats by 0.04 to
# 0.08; counted three times, by 0.12 to 0.22, with the seed's cross-validated figures no worse
# (models/MODEL_CARD.md, "Features and model").
CLASS_COUNT = 3


def _class_bucket(name: str) -> int:
    return int(_bucket(np.array([_word_hash(name)], dtype=np.uint64), _CLASS_SALT)[0])


VIOLENCE_BUCKET = _class_bucket("violent act or weapon")
INSULT_BUCKET = _class_bucket("insult")
SLUR_BUCKET = _class_bucket("slur")
INTIMIDATION_BUCKET = _class_bucket("words of intimidation")
AIMED_INSULT_BUCKET = _class_bucket("insult aimed at you")
CALLED_VERMIN_BUCKET = _class_bucket("group called vermin")
WISHED_HARM_BUCKET = _class_bucket("harm wished on someone")
TOLD_TO_LEAVE_BUCKET = _class_bucket("group told to leave the country")
WORD_CLASSES = {
    VIOLENCE_BUCKET: VIOLENCE,
    INSULT_BUCKET: INSULT,
    SLUR_BUCKET: SLUR,
    WISHED_HARM_BUCKET: HARM_URGED_WORDS,
}
# Every listed word's hash, sorted, with its class's bucket; its unigram buckets pick the
# candidates in a text (one gather), and a binary search in the hashes decides.
_class_words = sorted(
    {_word_hash(w): b for b, words in WORD_CLASSES.items() for w in words}.items()
)
_CLASS_WORD_HASHES = np.array([h for h, _ in _class_words], dtype=np.uint64)
_CLASS_WORD_BUCKETS = np.array([b for _, b in _class_words], dtype=np.int64)


def _hashes(words: frozenset[str]) -> np.ndarray:
    """The words' hashes, sorted, for `_lookup`."""
    return np.array(sorted({_word_hash(w) for w in words}), dtype=np.uint64)


def _candidates(hashes: np.ndarray) -> np.ndarray:
    """A mask over unigram buckets: one gather picks the words that may have these hashes."""
    mask = np.zeros(N_TEXT_FEATURES, dtype=bool)
    mask[_bucket(hashes, _WORD_SALT)] = True
    return mask


def _lookup(at: np.ndarray, w_hash: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """Where each word at `at` is in the sorted `hashes`, or -1 for a word not listed."""
    pos = np.searchsorted(hashes, w_hash[at])
    pos[pos == hashes.shape[0]] = 0
    return np.where(hashes[pos] == w_hash[at], pos, -1)


_CLASS_WORD_CANDIDATES = _candidates(_CLASS_WORD_HASHES)
_NEGATION_HASHES = _hashes(NEGATION)
_SENTENCE_END = np.array([ord(c) for c in ".!?"], dtype=np.uint64)


@dataclass(frozen=True)
class _Pairing:
    """A listed word that counts only with a word of another list near it (`_paired`).

    `offsets`: where the other word may stand, in words from the listed one. `apart`: words
    that part the two when they stand between them (besides the negations and conjunctions).
    `not_after`: words that, just before the other word, undo the match; `not_before`: words
    that undo it in the two words after the listed one. `also`: a second pairing the listed
    word must match too. A match counts as the pseudo-word `bucket`.
    """

    bucket: int
    hashes: np.ndarray
    candidates: np.ndarray
    near_hashes: np.ndarray
    near_candidates: np.ndarray
    offsets: np.ndarray
    parted_by: np.ndarray
    not_after: np.ndarray
    not_before: np.ndarray
    also: _Pairing | None = None

    @classmethod
    def of(
        cls,
        bucket,
        words,
        near,
        offsets,
        apart=frozenset(),
        not_after=frozenset(),
        not_before=frozenset(),
        also=None,
    ) -> _Pairing:
        hashes, near_hashes = _hashes(words), _hashes(near)
        return cls(
            bucket,
            hashes,
            _candidates(hashes),
            near_hashes,
            _candidates(near_hashes),
            np.array([d for d in offsets if d], dtype=np.int64),
            _hashes(CONJUNCTION | apart),
            _hashes(not_after),
            _hashes(not_before),
            None if also is None else cls.of(bucket, words, *also),
        )


# An insult within AIM_WINDOW words of "you", on either side; a group called vermin: a word
# of DEHUMANIZING up to AIM_WINDOW words after "are" or "son", with no "like" or "como"
# between ("they treat refugees like animals" condemns) and no animal just before the verb
# ("squirrels are vermin in my garden"); harm wished on someone: a word of HARM_WISHED up to
# WISH_WINDOW words after "hope" or "ojalá", in English with "you" up to AIM_WINDOW words
# before it too ("I hope you die"; "I hope the bill dies in committee" wishes a thing dead);
# a group told to leave the country: a homeland with "your" or "su" at most two words before
# it and a verb of leaving or sending back at most EXPEL_WINDOW words before it, not just after
# a verb of one's own journey ("moved back to my country").
_PAIRINGS = (
    _Pairing.of(
        AIMED_INSULT_BUCKET,
        INSULT | MILD_INSULT,
        SECOND_PERSON,
        range(-AIM_WINDOW, AIM_WINDOW + 1),
    ),
    _Pairing.of(
        CALLED_VERMIN_BUCKET,
        DEHUMANIZING,
        BEING_PLURAL,
        range(-AIM_WINDOW, 0),
        frozenset({"like", "como", "as"}),
        ANIMALS,
    ),
    _Pairing.of(
        WISHED_HARM_BUCKET,
        HARM_WISHED_EN,
        WISHING,
        range(-WISH_WINDOW, 0),
        not_before=HARMLESS_AFTER,
        also=(ADDRESSEE, range(-AIM_WINDOW, 0)),
    ),
    _Pairing.of(
        WISHED_HARM_BUCKET,
        HARM_WISHED_ES_YOU,
        WISHING,
        range(-WISH_WINDOW, 0),
        not_before=HARMLESS_AFTER,
    ),
    _Pairing.of(
        WISHED_HARM_BUCKET,
        HARM_WISHED_ES,
        WISHING,
        range(-WISH_WINDOW, 0),
        not_before=HARMLESS_AFTER,
        also=(ADDRESSEE_ES, (-1,)),
    ),
    _Pairing.of(
        TOLD_TO_LEAVE_BUCKET,
        HOMELAND,
        EXPELLING,
        range(-EXPEL_WINDOW, 0),
        not_after=COMING_BACK,
        also=(WHOSE, (-2, -1)),
    ),
)

# Every pairing's listed words: one gather over a batch's words picks what any of them may hold.
_PAIRED_CANDIDATES = np.logical_or.reduce([p.candidates for p in _PAIRINGS])


def _paired(codes, w_docs, w_hash, w_start, unigrams, pairing: _Pairing, maybe) -> np.ndarray:
    """Indices of the words of `pairing` that have one of its near words at one of its
    offsets, in one sentence of one text, with no negation, conjunction or parting word
    between them, no negation in the two words before the listed word, none of its
    `not_after` words just before the near word, none of its `not_before` words in the two
    after the listed word, and, with `also`, that pairing's match too.

    `maybe`: the words whose unigram bucket any pairing lists (one gather per batch for all
    pairings); the pairing's own buckets, then its hashes, pick its words among them.
    """
    found = _paired_once(codes, w_docs, w_hash, w_start, unigrams, pairing, maybe)
    if pairing.also is not None and found.shape[0]:
        found = _paired_once(codes, w_docs, w_hash, w_start, unigrams, pairing.also, found)
    if pairing.not_before.shape[0] and found.shape[0]:
        after = np.minimum(found[:, None] + np.arange(1, 3)[None, :], w_hash.shape[0] - 1)
        same = (after > found[:, None]) & (w_docs[after] == w_docs[found][:, None])
        found = found[~(same & np.isin(w_hash[after], pairing.not_before)).any(axis=1)]
    return found


def _paired_once(codes, w_docs, w_hash, w_start, unigrams, pairing: _Pairing, maybe):
    at = maybe[pairing.candidates[unigrams[maybe]]]
    if at.shape[0]:
        at = at[_lookup(at, w_hash, pairing.hashes) >= 0]
    if not at.shape[0]:
        return at
    near = at[:, None] + pairing.offsets[None, :]
    np.clip(near, 0, w_hash.shape[0] - 1, out=near)
    same = w_docs[near] == w_docs[at][:, None]
    rows, cols = np.nonzero(same & pairing.near_candidates[unigrams[near]])
    word, other = at[rows], near[rows, cols]
    listed = _lookup(other, w_hash, pairing.near_hashes) >= 0
    if pairing.not_after.shape[0]:
        before = np.maximum(other - 1, 0)
        adjacent = (other > 0) & (w_docs[before] == w_docs[other])
        listed &= ~(adjacent & np.isin(w_hash[before], pairing.not_after))
    word, other = word[listed], other[listed]
    if not word.shape[0]:
        return word
    # No sentence ends between the two words, no conjunction or negation stands between
    # them, and no negation in the two words before the listed word.
    a = np.minimum(w_start[word], w_start[other])
    gap = np.maximum(w_start[word], w_start[other]) - a
    between = a[:, None] + np.arange(int(gap.max()))[None, :]
    inside = between < (a + gap)[:, None]
    ends = np.isin(codes[np.where(inside, between, 0)], _SENTENCE_END) & inside
    lo, hi = np.minimum(word, other)[:, None], np.maximum(word, other)[:, None]
    reach = int(np.abs(pairing.offsets).max())
    span = np.minimum(word - 2, other)[:, None] + np.arange(reach + 3)[None, :]
    inside = (span >= 0) & (span <= hi)
    span = np.clip(span, 0, w_hash.shape[0] - 1)
    inside &= w_docs[span] == w_docs[word][:, None]
    words = w_hash[span]
    negated = inside & np.isin(words, _NEGATION_HASHES)
    negated |= (span > lo) & (span < hi) & np.isin(words, pairing.parted_by)
    return np.unique(word[~ends.any(axis=1) & ~negated.any(axis=1)])


def _phrase_matches(w_docs, w_hash, pair, w_start, w_len) -> tuple[np.ndarray, ...]:
    """Documents, starts, lengths and buckets of the listed phrases in a batch's words, in
    order.

    A word pair picks the few candidates (vectorized); the rest of each candidate phrase is
    compared word by word. Matches do not overlap: "we're coming for you" counts once.
    """
    empty = np.zeros(0, dtype=np.int64)
    n = w_hash.shape[0]
    if n < 2:
        return empty, empty, empty, empty
    candidates = np.flatnonzero(_PHRASE_STARTS[(pair >> _PAIR_SHIFT).view(np.int64)])
    found: list[tuple[int, int, int]] = []
    for i in candidates.tolist():
        if found and i < found[-1][1]:
            continue
        for words, bucket in _PHRASE_TABLE.get(int(pair[i]), ()):
            end = i + len(words)
            if (
                end <= n
                and w_docs[i] == w_docs[end - 1]
                and all(int(w_hash[i + k]) == words[k] for k in range(2, len(words)))
            ):
                found.append((i, end, bucket))
                break
    if not found:
        return empty, empty, empty, empty
    first = np.array([i for i, _, _ in found], dtype=np.int64)
    last = np.array([end - 1 for _, end, _ in found], dtype=np.int64)
    buckets = np.array([b for _, _, b in found], dtype=np.int64)
    return w_docs[first], w_start[first], w_start[last] + w_len[last] - w_start[first], buckets


def _word_hashes(codes: np.ndarray, doc_of: np.ndarray):
    is_word = np.where(codes < 128, _WORD_TABLE[np.minimum(codes, 127).astype(np.int64)], True)
    edges = np.diff(np.concatenate(([False], is_word, [False])).astype(np.int8))
    w_start = np.flatnonzero(edges == 1)
    w_end = np.flatnonzero(edges == -1)
    if w_start.shape[0] == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, np.zeros(0, dtype=np.uint64), e, e
    total = codes.shape[0]
    powers, inv = _powers(total + 1)
    # prefix[k] = sum_{j<k} c[j] B^-(j+1), so sum_{s<=j<e} c[j] B^(e-1-j) = B^e (p[e] - p[s]):
    # a word's hash does not depend on where it sits.
    prefix = np.empty(total + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum(np.multiply(codes, inv[1 : total + 1], out=prefix[1:]), out=prefix[1:])
    w_hash = powers[w_end] * (prefix[w_end] - prefix[w_start])
    return doc_of[w_start], w_hash, w_start, w_end - w_start


# Token -> bucket, for the tokens seen most (shape tokens come from a few dozen strings).
# Bounded; dict reads and writes are atomic, so threads can share it.
_TOKEN_BUCKETS: dict[str, int] = {}
_TOKEN_CACHE_SIZE = 50_000


# Powers of _BASE and of its inverse, computed once for batches up to this many characters
# (read-only; a longer batch gets its own).
_POWERS_CACHED = 1 << 19
_POWER_TABLES: tuple[np.ndarray, np.ndarray] | None = None


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    global _POWER_TABLES
    if n <= _POWERS_CACHED and _POWER_TABLES is not None:
        return _POWER_TABLES
    size = max(n, _POWERS_CACHED)
    tables = []
    for b in (_BASE, _BASE_INV):
        t = np.full(size, b, dtype=np.uint64)
        t[0] = 1
        t = np.cumprod(t, dtype=np.uint64)
        t.flags.writeable = False
        tables.append(t)
    if size == _POWERS_CACHED:
        _POWER_TABLES = (tables[0], tables[1])
    return tables[0], tables[1]


def _phrase_table(
    classes: dict[int, Sequence[str]],
) -> dict[int, list[tuple[tuple[int, ...], int]]]:
    """Each class's phrases as word hashes with the class's bucket, keyed by the hash of
    their first word pair, longest first.

    Each phrase is normalized and its words hashed by the same code as a comment's, so a
    phrase matches exactly where a comment holds its words."""
    table: dict[int, list[tuple[tuple[int, ...], int]]] = {}
    for bucket, phrases in classes.items():
        for phrase in phrases:
            codes = np.frombuffer(normalize(phrase).encode("utf-32-le"), dtype=np.uint32)
            _, hashes, _, _ = _word_hashes(codes.astype(np.uint64), np.zeros(len(codes), np.int64))
            assert hashes.shape[0] >= 2, phrase
            pair = hashes[:-1] * _BIGRAM_SALT + hashes[1:]
            table.setdefault(int(pair[0]), []).append((tuple(hashes.tolist()), bucket))
    for candidates in table.values():
        candidates.sort(key=lambda entry: len(entry[0]), reverse=True)
    return table


# Intimidation, phrases that tell someone to die and phrases that send people back where they
# came from, each counted as its class's pseudo-word.
PHRASE_CLASSES = {
    INTIMIDATION_BUCKET: INTIMIDATION,
    WISHED_HARM_BUCKET: HARM_URGED,
    TOLD_TO_LEAVE_BUCKET: EXPELLED,
}
_PHRASE_TABLE = _phrase_table(PHRASE_CLASSES)
# A word pair's top 16 bits pick the few pairs that can start a phrase: one gather per
# batch, where np.isin cost 20 microseconds a comment.
_PAIR_SHIFT = np.uint64(48)
_PHRASE_STARTS = np.zeros(1 << 16, dtype=bool)
_PHRASE_STARTS[np.array(sorted(_PHRASE_TABLE), dtype=np.uint64) >> _PAIR_SHIFT] = True


def _hash_token(token: str) -> int:
    h = _word_hash(token)
    x = (((h ^ int(_META_SALT)) * int(_FIB)) & _MASK64) >> (64 - TOKEN_BITS)
    bucket = N_TEXT_FEATURES + x
    if len(_TOKEN_BUCKETS) < _TOKEN_CACHE_SIZE:
        _TOKEN_BUCKETS[token] = bucket
    return bucket


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
    norms = text_norms(np.bincount(doc, weights=w * w, minlength=hashed.n_docs))
    data = w / norms[doc]
    if hashed.meta is not None:
        doc = np.concatenate((doc, hashed.meta[0]))
        bucket = np.concatenate((bucket, hashed.meta[1]))
        data = np.concatenate((data, np.full(hashed.meta[0].shape[0], TOKEN_VALUE)))
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
