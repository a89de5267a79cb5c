"""A comment's situation on its site as model tokens: its author's record and spam waves.

Pure functions shared by the service (at posting time) and the data loaders (public sets that
record authors and dates), so both produce the very same tokens. Tokens are evidence only: an
author with nothing decided yet, or a message seen nowhere else, gets no token, exactly like a
comment whose context is unknown (public data without authors or dates, comments stored before
context existed). Tokens for "nothing found" were tried and dropped: present on every row of
the one public source that records context, the base model learned them as that source's
marker (for YouTube: spam, never abuse) and would have applied it to every comment here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np

# Words per shingle: pairs keep word order without making one changed word (a link, a name)
# move too many of a short comment's shingles.
SHINGLE_WORDS = 2
# Differing bits out of 64 up to which two fingerprints are "the same message". One changed
# word in a 15-word comment moves 6 to 12 bits; two unrelated texts differ in about 32, and
# chance alone brings a pair within 10 bits about once in 10^8 comparisons.
NEAR_BITS = 10
# Only the start of an enormous text is fingerprinted: enough to recognise a repeat.
MAX_WORDS = 2000

_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")
_MASK = (1 << 64) - 1
_BITS = np.arange(64, dtype=np.uint64)


def _shingles(text: str) -> set[str]:
    # Numbers are the part of a spam wave that varies most (prices, phone numbers, counts).
    folded = _DIGITS.sub("0", unicodedata.normalize("NFKC", text).casefold())
    words = _WORD.findall(folded)[:MAX_WORDS]
    if not words:
        # Emoji or punctuation only: the text itself is the one shingle.
        stripped = " ".join(folded.split())
        return {stripped} if stripped else set()
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)}
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def fingerprint(text: str) -> int:
    """A 64-bit simhash of the text's word shingles, as a signed int64 (fits a BIGINT).

    Texts that differ in a few words get fingerprints that differ in few bits; case, spacing,
    punctuation and the value of numbers do not count. An empty text has the fingerprint 0.
    """
    shingles = _shingles(text)
    if not shingles:
        return 0
    hashes = np.array(
        [
            int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")
            for s in shingles
        ],
        dtype=np.uint64,
    )
    ones = ((hashes[:, None] >> _BITS) & np.uint64(1)).sum(axis=0, dtype=np.int64)
    # A bit is set where more shingles have it set than not.
    value = int(np.sum(np.left_shift(np.uint64(1), _BITS[2 * ones > len(hashes)])))
    return value - (1 << 64) if value >= 1 << 63 else value


def distance(a: int, b: int) -> int:
    """How many of the 64 bits differ."""
    return ((a ^ b) & _MASK).bit_count()


def near(a: int, b: int, max_bits: int = NEAR_BITS) -> bool:
    """Whether two fingerprints are those of (almost) the same message."""
    return distance(a, b) <= max_bits


def count_near(target: int, others: Iterable[int | None], max_bits: int = NEAR_BITS) -> int:
    """How many of `others` (None: not fingerprinted) are near `target`."""
    return sum(1 for other in others if other is not None and near(target, other, max_bits))


def history_tokens(approved: int, rejected: int) -> list[str]:
    """The author's earlier decided comments on this site, binned: 1 or 2+ of each kind."""
    tokens = []
    if approved > 0:
        tokens.append(f"history:approved:{_bin(approved)}")
    if rejected > 0:
        tokens.append(f"history:rejected:{_bin(rejected)}")
    return tokens


def wave_tokens(similar_recent: int) -> list[str]:
    """How many recent comments carry (almost) the same message, binned; none: no token."""
    if similar_recent <= 0:
        return []
    if similar_recent == 1:
        return ["wave:1"]
    if similar_recent <= 4:
        return ["wave:2-4"]
    return ["wave:5+"]


def _bin(count: int) -> str:
    return "1" if count == 1 else "2+"


def describe(tokens: Sequence[str]) -> dict[str, str]:
    """Plain words for stored tokens, e.g. {"history": "2+ rejected", "wave": "none"}."""
    words: dict[str, list[str]] = {"history": [], "wave": []}
    for token in tokens:
        kind, _, rest = token.partition(":")
        if kind in words:
            state, _, count = rest.partition(":")
            words[kind].append(f"{count} {state}" if count else rest)
    return {kind: ", ".join(parts) or "none" for kind, parts in words.items()}
