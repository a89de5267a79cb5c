"""Writing, listing and moderating comments: the operations the API, dashboard and CLI share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, or_, select

from service import rules
from service.classifier import Sample
from service.errors import APIError
from service.extensions import db
from service.models import Ban, Comment, Post, Site, Transition, User, utcnow
from service.moderation import (
    ACTION_LABEL,
    Action,
    Decision,
    Label,
    Status,
    Thresholds,
    target_status,
)
from service.rendering import render
from service.schemas import CommentIn
from service.scoring import Scorer


DEFAULT_SITE = "default"


def get_site(slug: str) -> Site:
    """The site a request names; 404 in the API's words when there is none."""
    site = db.session.execute(select(Site).where(Site.slug == slug)).scalar_one_or_none()
    if site is None:
        raise APIError(404, "unknown_site", f"site: no site {slug!r} is configured here", "site")
    return site


def find_post(site: Site, url: str) -> Post | None:
    return db.session.execute(
        select(Post).where(Post.site_id == site.id, Post.url == url)
    ).scalar_one_or_none()


def create_comment(data: CommentIn, scorer: Scorer, thresholds: Thresholds,
                   address_hash: str | None = None) -> Comment:
    """Validate the thread, score the comment, store it with its first transition, commit.

    `thresholds` are the instance-wide defaults; the site may override each of them.
    """
    site = get_site(data.site)
    post = find_post(site, data.post)
    if post is not None and post.closed:
        raise APIError(403, "closed", "post: comments are closed on this post", "post")
    if data.parent is not None:
        parent = db.session.get(Comment, data.parent)
        if parent is None or parent.status is not Status.PUBLISHED:
            raise APIError(422, "invalid_field", "parent: no such comment", "parent")
        if post is None or parent.post_id != post.id:
            raise APIError(422, "invalid_field", "parent: belongs to another post", "parent")
    if post is None:
        post = Post(site=site, url=data.post, title=data.title)
        db.session.add(post)
    elif data.title and not post.title:
        post.title = data.title

    verdict = scorer.judge(
        Sample(text=data.body, author=data.author, email=data.email or "", url=data.url or ""),
        site.thresholds(thresholds),
    )
    bans = db.session.execute(
        select(Ban).where(or_(Ban.site_id.is_(None), Ban.site_id == site.id))).scalars().all()
    ruling = rules.evaluate(verdict.decision, rules.Author(data.email, data.url, address_hash),
                            data.body, bans, site.banned_words, site.suspect_words, utcnow())
    decision = ruling.decision
    if decision.status is Status.PUBLISHED and (site.require_moderation or post.require_moderation):
        decision = Decision(Status.PENDING, "held: every comment here is moderated first")
    comment = Comment(
        post=post,
        parent_id=data.parent,
        author=data.author,
        email=data.email,
        website=data.url,
        body=data.body,
        body_html=render(data.body),
        status=decision.status,
        reason=decision.reason,
        spam_score=verdict.spam,
        abuse_score=verdict.abuse,
        model_version=verdict.model_version,
        rule=ruling.rule,
        address_hash=address_hash,
    )
    db.session.add(comment)
    db.session.flush()
    db.session.add(Transition(comment_id=comment.id, from_status=None, to_status=comment.status,
                              action=None, actor_id=None, reason=comment.reason))
    db.session.commit()
    return comment


def published_thread(site: Site, post_url: str) -> list[Comment]:
    """The post's published comments, depth first: each reply follows its parent, oldest first.

    A reply whose parent is no longer published is listed as a top-level comment.
    """
    rows = db.session.execute(
        select(Comment)
        .join(Post)
        .where(Post.site_id == site.id, Post.url == post_url, Comment.status == Status.PUBLISHED)
        .order_by(Comment.created_at, Comment.id)
    ).scalars().all()
    ids = {c.id for c in rows}
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in rows:
        children[comment.parent_id if comment.parent_id in ids else None].append(comment)

    ordered: list[Comment] = []
    stack = list(reversed(children[None]))
    while stack:
        comment = stack.pop()
        ordered.append(comment)
        stack.extend(reversed(children[comment.id]))
    return ordered


class ConflictError(Exception):
    """The comment changed since the moderator saw it, or the action is not allowed from its state."""


def moderate(comment: Comment, action: Action, actor: User, *, expected: Status | None = None,
             note: str = "") -> Transition:
    """Apply a moderator's action and record who did what, when, from which state to which.

    `expected` is the state the moderator saw; if another moderator decided first, the action is
    refused rather than recorded twice.
    """
    # Lock the row (PostgreSQL) so two moderators cannot both pass the check below.
    db.session.refresh(comment, with_for_update=True)
    if expected is not None and comment.status is not expected:
        raise ConflictError(
            f"comment {comment.id} is already {comment.status.value}; nothing was changed"
        )
    try:
        new_status = target_status(comment.status, action)
    except ValueError as exc:
        raise ConflictError(str(exc)) from None
    reason = note or f"{action.value} by {actor.username}"
    transition = Transition(comment_id=comment.id, from_status=comment.status, to_status=new_status,
                            action=action, actor_id=actor.id, reason=reason)
    comment.status = new_status
    comment.reason = reason
    comment.updated_at = utcnow()
    db.session.add(transition)
    db.session.commit()
    return transition


def moderator_labels() -> list[tuple[Comment, Label]]:
    """Each comment a moderator decided, with the label of the latest decision, oldest first."""
    rows = db.session.execute(
        select(Comment, Transition.action)
        .join(Transition, Transition.comment_id == Comment.id)
        .where(Transition.actor_id.is_not(None), Transition.action.is_not(None))
        .order_by(Comment.id, Transition.id)
    ).all()
    latest: dict[int, tuple[Comment, Label]] = {}
    for comment, action in rows:
        latest[comment.id] = (comment, ACTION_LABEL[action])
    return list(latest.values())


def sample_of(comment: Comment) -> Sample:
    return Sample(text=comment.body, author=comment.author, email=comment.email or "",
                  url=comment.website or "")


def count_by_status(statuses: Sequence[Status]) -> dict[Status, int]:
    counts = dict(
        db.session.execute(
            select(Comment.status, func.count()).where(Comment.status.in_(statuses))
            .group_by(Comment.status)
        ).all()
    )
    return {status: counts.get(status, 0) for status in statuses}
