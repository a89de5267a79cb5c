"""The moderation queues: which comments, in which order, one keyset page at a time.

Pages are found by the last row's sort key, never by OFFSET, so page 1,000 opens as fast as page 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, Float, Select, and_, func, literal, not_, or_, select
from sqlalchemy.orm import contains_eager

from service.extensions import db
from service.models import Comment, Post
from service.moderation import Status, Thresholds

PAGE_SIZE = 50
ABUSE_PREFIX = "blocked as abuse"


class Queue(StrEnum):
    PENDING = "pending"
    SPAM = "spam"  # blocked as spam, or blocked by a rule
    ABUSE = "abuse"  # blocked as abuse
    PUBLISHED = "published"
    REJECTED = "rejected"

    @property
    def title(self) -> str:
        return QUEUE_TITLES[self]


QUEUE_TITLES = {
    Queue.PENDING: "Pending",
    Queue.SPAM: "Blocked as spam",
    Queue.ABUSE: "Blocked as abuse",
    Queue.PUBLISHED: "Published",
    Queue.REJECTED: "Rejected",
}


class Sort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    UNCERTAIN = "uncertain"  # closest to a threshold first: these teach the model most


class FilterError(ValueError):
    """A queue filter that cannot be understood; the message names the parameter."""


def queue_of(comment: Comment) -> Queue:
    if comment.status is Status.BLOCKED:
        return Queue.ABUSE if comment.reason.startswith(ABUSE_PREFIX) else Queue.SPAM
    return Queue(comment.status.value)


def queue_condition(queue: Queue) -> ColumnElement[bool]:
    abuse = Comment.reason.startswith(ABUSE_PREFIX, autoescape=True)
    if queue is Queue.SPAM:
        return and_(Comment.status == Status.BLOCKED, not_(abuse))
    if queue is Queue.ABUSE:
        return and_(Comment.status == Status.BLOCKED, abuse)
    return Comment.status == Status(queue.value)


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the moderator asked for, parsed from the query string."""

    queue: Queue = Queue.PENDING
    sort: Sort = Sort.NEWEST
    site: int | None = None
    post: str = ""  # a post id, or words of its title or URL
    author: str = ""  # part of the author's name or email
    q: str = ""  # words of the comment's text
    after: str = ""  # the cursor: the sort key of the last row already shown

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> QueueFilter:
        def choice(name: str, enum: type[StrEnum], default: StrEnum) -> StrEnum:
            raw = args.get(name) or default.value
            try:
                return enum(raw)
            except ValueError:
                options = ", ".join(member.value for member in enum)
                raise FilterError(f"{name}: unknown value {raw!r}; use one of {options}") from None

        site = (args.get("site") or "").strip()
        if site and not site.isdigit():
            raise FilterError(f"site: expected a site id, got {site!r}")
        texts = {name: (args.get(name) or "").strip()[:200] for name in ("post", "author", "q")}
        flt = cls(
            queue=choice("queue", Queue, Queue.PENDING),  # type: ignore[arg-type]
            sort=choice("sort", Sort, Sort.NEWEST),  # type: ignore[arg-type]
            site=int(site) if site else None,
            after=(args.get("after") or "").strip(),
            **texts,
        )
        if flt.after:
            flt.cursor()  # fail now, with a readable message, rather than in the query
        return flt

    def cursor(self) -> tuple[float | datetime, int]:
        key, sep, last_id = self.after.rpartition("_")
        try:
            if not sep or not last_id.isdigit():
                raise ValueError
            value = float(key) if self.sort is Sort.UNCERTAIN else datetime.fromisoformat(key)
            if isinstance(value, datetime) and value.tzinfo is None:
                raise ValueError
        except ValueError:
            raise FilterError(f"after: malformed page cursor {self.after!r}") from None
        return value, int(last_id)

    def args(self, **changes: object) -> dict[str, str]:
        """Query-string arguments for a link to this view with `changes`; empty ones left out."""
        flt = replace(self, **changes)  # type: ignore[arg-type]
        values = {
            "queue": flt.queue.value,
            "sort": flt.sort.value,
            "site": flt.site,
            "post": flt.post,
            "author": flt.author,
            "q": flt.q,
            "after": flt.after,
        }
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    @property
    def is_filtered(self) -> bool:
        return bool(self.site or self.post or self.author or self.q)


def _least(*exprs: ColumnElement[float]) -> ColumnElement[float]:
    # LEAST on PostgreSQL; SQLite's MIN with several arguments is the same function.
    name = "least" if db.engine.dialect.name == "postgresql" else "min"
    return getattr(func, name)(*exprs, type_=Float)


def uncertainty(thresholds: Thresholds) -> ColumnElement[float]:
    """Distance of the nearer score to its nearest threshold; unscored comments count as 0."""
    parts = []
    limits = (
        (Comment.spam_score, thresholds.spam_hold, thresholds.spam_block),
        (Comment.abuse_score, thresholds.abuse_hold, thresholds.abuse_block),
    )
    for column, hold, block in limits:
        for limit in (hold, block):
            parts.append(func.abs(func.coalesce(column, literal(limit)) - literal(limit)))
    return _least(*parts)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filter_conditions(flt: QueueFilter) -> list[ColumnElement[bool]]:
    conditions = [queue_condition(flt.queue)]
    if flt.site is not None:
        conditions.append(Post.site_id == flt.site)
    if flt.post.isdigit():
        conditions.append(Comment.post_id == int(flt.post))
    elif flt.post:
        conditions.append(
            or_(
                Post.title.ilike(_like(flt.post), escape="\\"),
                Post.url.ilike(_like(flt.post), escape="\\"),
            )
        )
    if flt.author:
        conditions.append(
            or_(
                Comment.author.ilike(_like(flt.author), escape="\\"),
                Comment.email.ilike(_like(flt.author), escape="\\"),
            )
        )
    if flt.q:
        conditions.append(Comment.body.ilike(_like(flt.q), escape="\\"))
    return conditions


@dataclass(frozen=True, slots=True)
class Row:
    comment: Comment
    uncertainty: float


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Row]
    next_after: str | None  # the cursor of the next page, None on the last one


def page(
    flt: QueueFilter, scope: ColumnElement[bool], thresholds: Thresholds, size: int = PAGE_SIZE
) -> Page:
    """One page of the queue `flt` asks for, within `scope` (the moderator's sites)."""
    margin = uncertainty(thresholds)
    # Keys first, rows second: the sort then carries ids and margins, not whole comments.
    query: Select = (
        select(Comment.id, margin)
        .join(Comment.post)
        .where(scope, *filter_conditions(flt))
        .limit(size + 1)
    )
    key: ColumnElement = margin if flt.sort is Sort.UNCERTAIN else Comment.created_at
    descending = flt.sort is Sort.NEWEST
    if flt.after:
        value, last_id = flt.cursor()
        if descending:
            query = query.where(or_(key < value, and_(key == value, Comment.id < last_id)))
        else:
            query = query.where(or_(key > value, and_(key == value, Comment.id > last_id)))
    order = (key.desc(), Comment.id.desc()) if descending else (key.asc(), Comment.id.asc())
    keys = db.session.execute(query.order_by(*order)).all()
    comments = {
        c.id: c
        for c in db.session.execute(
            select(Comment)
            .join(Comment.post)
            .options(contains_eager(Comment.post))
            .where(Comment.id.in_([comment_id for comment_id, _ in keys[:size]]))
        ).scalars()
    }
    rows = [Row(comments[comment_id], float(m)) for comment_id, m in keys[:size]]
    next_after = None
    if len(keys) > size:
        last = rows[-1]
        value = (
            repr(last.uncertainty)
            if flt.sort is Sort.UNCERTAIN
            else last.comment.created_at.isoformat()
        )
        next_after = f"{value}_{last.comment.id}"
    return Page(rows, next_after)


COUNT_CAP = 1000  # beyond this the tab says "1000+": an exact count would scan the whole queue


def pending_count(scope: ColumnElement[bool]) -> int:
    """How many comments wait for a moderator, counted up to COUNT_CAP + 1.

    Only the pending queue is counted on every page: it is the work to do, and its rows are
    found through the status index, whereas splitting blocked comments by verdict reads each row.
    """
    capped = (
        select(Comment.id)
        .join(Comment.post)
        .where(scope, queue_condition(Queue.PENDING))
        .limit(COUNT_CAP + 1)
        .subquery()
    )
    return db.session.execute(select(func.count()).select_from(capped)).scalar_one()
