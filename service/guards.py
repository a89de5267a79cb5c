"""Cheap checks a comment must pass before the classifier sees it.

Plain Python with no Flask import: honeypot, the signed form token and its timing, the link cap
and exact duplicates. Each refusal is a `Refusal` with a stable code the widget translates.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from itsdangerous import BadSignature, URLSafeTimedSerializer

FORM_TOKEN_SALT = "moderato.form-token"
# Bare domains count too: spam often leaves out the scheme to slip past link filters. A label
# has at most 63 characters (as in DNS): unbounded, each word of a "a-a-a-..." comment
# started a scan to the end of the run (0.3 s for 10,000 characters).
LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[a-z0-9-]{2,63}\.(?:com|net|org|info|biz|ru|xyz|top|io|co)\b\S*",
    re.IGNORECASE,
)


class Refusal(Exception):
    """A comment refused before scoring: HTTP status, stable code, readable message, field."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.retry_after = retry_after


def check_honeypot(value: str | None) -> None:
    """The hidden field people never see: anything in it means a form-filling robot."""
    if value:
        raise Refusal(400, "honeypot", "homepage: this field must be left empty", "homepage")


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=FORM_TOKEN_SALT)


def _post_key(site: str, post: str) -> str:
    return hashlib.sha256(f"{site}\n{post}".encode()).hexdigest()[:16]


def issue_form_token(secret: str, site: str, post: str) -> str:
    """A token saying "this form for this post was shown at this time", signed with `secret`."""
    return _serializer(secret).dumps(_post_key(site, post))


def check_form_token(
    token: str | None,
    secret: str,
    site: str,
    post: str,
    *,
    now: float,
    min_seconds: float,
    max_seconds: float,
) -> None:
    """Refuse a missing, forged, foreign, too fresh or too old form token."""
    if not token:
        raise Refusal(
            400, "form_token_missing", "form_token: reload the page and try again", "form_token"
        )
    try:
        key, issued = _serializer(secret).loads(token, return_timestamp=True)
    except BadSignature:
        raise Refusal(
            400, "form_token_invalid", "form_token: not a token this server issued", "form_token"
        ) from None
    if key != _post_key(site, post):
        raise Refusal(
            400, "form_token_invalid", "form_token: issued for another post", "form_token"
        )
    age = now - issued.timestamp()
    if age > max_seconds:
        raise Refusal(
            400,
            "form_token_expired",
            "form_token: the form was open too long; post again",
            "form_token",
        )
    if age < min_seconds:
        wait = max(1, round(min_seconds - age + 0.5))
        raise Refusal(
            429,
            "too_fast",
            f"posted {age:.1f} s after the form appeared; wait a moment",
            None,
            retry_after=wait,
        )


def count_links(body: str) -> int:
    return len(LINK.findall(body))


def check_links(body: str, max_links: int) -> None:
    """A few links are conversation; many are advertising."""
    found = count_links(body)
    if found > max_links:
        raise Refusal(
            422,
            "too_many_links",
            f"body: at most {max_links} links per comment (found {found})",
            "body",
        )


def fingerprint(body: str) -> str:
    """Equal for bodies that differ only in case, spacing or Unicode form."""
    normal = " ".join(unicodedata.normalize("NFKC", body).casefold().split())
    return hashlib.sha256(normal.encode()).hexdigest()


def check_duplicate(body: str, recent_bodies: Iterable[str]) -> None:
    """Refuse a body already posted on the same post recently (a double click, a replaying bot)."""
    mine = fingerprint(body)
    if any(fingerprint(other) == mine for other in recent_bodies):
        raise Refusal(409, "duplicate", "body: the same comment was just posted here", "body")
