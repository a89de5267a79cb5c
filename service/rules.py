"""Moderators' rules applied to a new comment: bans, banned and suspect words.

Plain Python with no Flask import: the caller loads the bans and the site's word lists, this
module only decides what they say about one comment.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from service.moderation import BanKind, Decision, Status


class BanLike(Protocol):
    """What a stored ban must offer to be matched (the `Ban` model does)."""

    kind: BanKind
    value: str
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class Author:
    """What a comment says about who wrote it."""

    email: str | None = None
    website: str | None = None
    address_hash: str | None = None


# How strict each state is: a rule never makes a comment's first state more lenient.
SEVERITY: dict[Status, int] = {
    Status.PUBLISHED: 0,
    Status.PENDING: 1,
    Status.BLOCKED: 2,
    Status.REJECTED: 3,
}


def address_hash(address: str | None, key: str) -> str | None:
    """A keyed hash of a client address: equal for equal addresses, useless without the key."""
    if not address:
        return None
    digest = hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def email_domain(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower().rstrip(".") or None


def website_domain(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    return host.lower().rstrip(".") if host else None


def normalize_ban_value(kind: BanKind, value: str) -> str:
    """The form a ban's value is stored and compared in; raises ValueError when unusable."""
    value = value.strip()
    if kind is BanKind.EMAIL:
        value = value.lower()
        if email_domain(value) is None:
            raise ValueError("an email ban needs a full address like name@example.org")
    elif kind in (BanKind.EMAIL_DOMAIN, BanKind.WEBSITE_DOMAIN):
        value = website_domain(value.removeprefix("@")) or ""
        if "." not in value:
            raise ValueError("a domain ban needs a domain like example.org")
    elif not re.fullmatch(r"[0-9a-f]{8,64}", value.lower()):
        raise ValueError("an address hash is 8 to 64 hexadecimal characters")
    return value.lower()


def _domain_matches(domain: str | None, banned: str) -> bool:
    # A domain ban covers its subdomains: banning example.org also bans mail.example.org.
    return domain is not None and (domain == banned or domain.endswith("." + banned))


def ban_matches(ban: BanLike, author: Author, now: datetime) -> bool:
    """Whether `ban` is in force at `now` and names this author."""
    if ban.expires_at is not None and ban.expires_at <= now:
        return False
    value = ban.value.lower()
    match ban.kind:
        case BanKind.EMAIL:
            return (author.email or "").strip().lower() == value
        case BanKind.EMAIL_DOMAIN:
            return _domain_matches(email_domain(author.email), value)
        case BanKind.WEBSITE_DOMAIN:
            return _domain_matches(website_domain(author.website), value)
        case BanKind.ADDRESS_HASH:
            return author.address_hash is not None and author.address_hash.lower() == value
    return False


def parse_words(text: str) -> list[str]:
    """A word list as moderators type it (one per line or comma-separated), cleaned and unique."""
    words: list[str] = []
    for raw in re.split(r"[,\n]", text):
        word = raw.strip().casefold()
        if word and word not in words:
            words.append(word)
    return words


def find_words(text: str, words: Iterable[str]) -> list[str]:
    """The listed words or phrases that occur in `text` as whole words, ignoring case."""
    folded = text.casefold()
    return [w for w in words if w and re.search(rf"(?<!\w){re.escape(w.casefold())}(?!\w)", folded)]


@dataclass(frozen=True, slots=True)
class Ruling:
    """The comment's first state after the rules, and the rule that set it (None if none did)."""

    decision: Decision
    rule: str | None


def evaluate(
    decision: Decision,
    author: Author,
    text: str,
    bans: Sequence[BanLike],
    banned_words: Sequence[str],
    suspect_words: Sequence[str],
    now: datetime,
) -> Ruling:
    """Apply bans (block), banned words (block) and suspect words (hold) on top of the model.

    A rule only ever makes the decision stricter; the first rule that does so is recorded.
    """
    candidates: list[tuple[Status, str, str]] = []
    for ban in bans:
        if ban_matches(ban, author, now):
            rule = f"ban: {ban.kind.value} {ban.value}"
            candidates.append((Status.BLOCKED, rule, f"blocked by a rule ({rule})"))
            break
    if banned := find_words(text, banned_words):
        rule = f"banned word: {banned[0]}"
        candidates.append((Status.BLOCKED, rule, f"blocked by a rule ({rule})"))
    if suspect := find_words(text, suspect_words):
        rule = f"suspect word: {suspect[0]}"
        candidates.append((Status.PENDING, rule, f"held by a rule ({rule})"))
    for status, rule, reason in candidates:
        if SEVERITY[status] > SEVERITY[decision.status]:
            return Ruling(Decision(status, reason), rule)
    return Ruling(decision, None)
