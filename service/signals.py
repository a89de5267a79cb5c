"""What the site already knows about a new comment: its author's record and similar recent posts.

Computed when a comment is posted (and again when its author edits it), stored with it, and
handed to the model as context tokens, so the score, the dashboard's explanation and site
retraining all see the context as it was when the comment was judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from service.classifier import context
from service.extensions import db
from service.models import Comment, Post, Site, utcnow
from service.moderation import Status

# How far back, and at most how many of the site's latest comments, a spam wave is looked for:
# bounded so the look-up costs the same on a site with millions of comments.
WAVE_WINDOW = timedelta(days=7)
WAVE_LIMIT = 1000

# What each state says about the author: published (by the model or a moderator) counts as
# approved, rejected or blocked as rejected; pending says nothing yet.
APPROVED = (Status.PUBLISHED,)
REJECTED = (Status.REJECTED, Status.BLOCKED)


@dataclass(frozen=True, slots=True)
class Signals:
    fingerprint: int
    tokens: list[str]


def compute(
    site: Site,
    body: str,
    email: str | None,
    address_hash: str | None,
    *,
    exclude: int | None = None,
    now: datetime | None = None,
) -> Signals:
    """Fingerprint `body` and derive its context tokens on `site`.

    `exclude` is the comment's own id when it is recomputed after an edit. The author is
    matched by e-mail when given, else by address hash; with neither, history is unknown and
    no history token is emitted.
    """
    fingerprint = context.fingerprint(body)
    tokens: list[str] = []
    approved_rejected = author_record(site, email, address_hash, exclude=exclude)
    if approved_rejected is not None:
        tokens += context.history_tokens(*approved_rejected)
    tokens += context.wave_tokens(
        context.count_near(fingerprint, recent_fingerprints(site, now, exclude=exclude))
    )
    return Signals(fingerprint, tokens)


def author_record(
    site: Site, email: str | None, address_hash: str | None, *, exclude: int | None = None
) -> tuple[int, int] | None:
    """(approved, rejected) counts of the author's comments on the site; None if unidentified."""
    if email:
        match = Comment.email == email
    elif address_hash:
        match = Comment.address_hash == address_hash
    else:
        return None
    # No filter on the state: it would tempt SQLite into scanning a state index instead of the
    # author's few rows; pending ones are simply not counted below.
    query = (
        select(Comment.status, func.count())
        .join(Post, Post.id == Comment.post_id)
        .where(Post.site_id == site.id, match)
        .group_by(Comment.status)
    )
    if exclude is not None:
        query = query.where(Comment.id != exclude)
    counts: dict[Status, int] = {status: n for status, n in db.session.execute(query)}
    return (
        sum(counts.get(s, 0) for s in APPROVED),
        sum(counts.get(s, 0) for s in REJECTED),
    )


def recent_fingerprints(
    site: Site, now: datetime | None = None, *, exclude: int | None = None
) -> list[int]:
    """Fingerprints of the site's latest comments (any state, any post) within the window."""
    since = (now or utcnow()) - WAVE_WINDOW
    # The site is checked per comment (EXISTS on the posts' primary key) rather than joined:
    # the only table to scan is then comments, newest first on ix_comments_created_fingerprint,
    # stopping at the limit. A join let both SQLite and PostgreSQL (before its statistics were
    # gathered) read every comment of the site's posts and sort them.
    on_site = select(Post.id).where(Post.id == Comment.post_id, Post.site_id == site.id).exists()
    query = (
        select(Comment.fingerprint)
        .where(on_site, Comment.created_at >= since, Comment.fingerprint.is_not(None))
        .order_by(Comment.created_at.desc())
        .limit(WAVE_LIMIT)
    )
    if exclude is not None:
        query = query.where(Comment.id != exclude)
    return list(db.session.execute(query).scalars())
