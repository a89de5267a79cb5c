"""Writing, listing and moderating comments: the operations the API, dashboard and CLI share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select

from service import rules, signals
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
from service.scoring import Scorer, Verdict

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


def create_comment(
    data: CommentIn,
    scorer: Scorer,
    thresholds: Thresholds,
    address_hash: str | None = None,
    edit_token_hash: str | None = None,
) -> Comment:
    """Validate the thread, score the comment, store it with its first transition, commit.

    `thresholds` are the instance-wide defaults; the site may override each of them.
    """
    site = get_site(data.site)
    post = find_post(site, data.post)
    if post is not None and post.closed:
        raise APIError(403, "closed", "post: comments are closed on this post", "post")
    if data.parent is not None:
        parent = db.session.get(Comment, data.parent)
        if parent is None or parent.status is not Status.PUBLISHED or parent.deleted:
            raise APIError(422, "invalid_field", "parent: no such comment", "parent")
        if post is None or parent.post_id != post.id:
            raise APIError(422, "invalid_field", "parent: belongs to another post", "parent")
    if post is None:
        post = Post(site=site, url=data.post, title=data.title)
        db.session.add(post)
    elif data.title and not post.title:
        post.title = data.title

    found = signals.compute(site, data.body, data.email, address_hash)
    sample = Sample(
        text=data.body,
        author=data.author,
        email=data.email or "",
        url=data.url or "",
        context=tuple(found.tokens),
    )
    verdict, ruling, decision = _judge(sample, site, post, scorer, thresholds, address_hash)
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
        edit_token_hash=edit_token_hash,
        fingerprint=found.fingerprint,
        signals=found.tokens,
    )
    db.session.add(comment)
    db.session.flush()
    db.session.add(
        Transition(
            comment_id=comment.id,
            from_status=None,
            to_status=comment.status,
            action=None,
            actor_id=None,
            reason=comment.reason,
        )
    )
    db.session.commit()
    return comment


def _judge(
    sample: Sample,
    site: Site,
    post: Post,
    scorer: Scorer,
    thresholds: Thresholds,
    address_hash: str | None,
) -> tuple[Verdict, rules.Ruling, Decision]:
    """Score a text, then apply the moderators' rules and the site's and post's settings."""
    verdict = scorer.judge(sample, site.thresholds(thresholds))
    bans = (
        db.session.execute(select(Ban).where(or_(Ban.site_id.is_(None), Ban.site_id == site.id)))
        .scalars()
        .all()
    )
    ruling = rules.evaluate(
        verdict.decision,
        rules.Author(sample.email or None, sample.url or None, address_hash),
        sample.text,
        bans,
        site.banned_words,
        site.suspect_words,
        utcnow(),
    )
    decision = ruling.decision
    if decision.status is Status.PUBLISHED and (site.require_moderation or post.require_moderation):
        decision = Decision(Status.PENDING, "held: every comment here is moderated first")
    return verdict, ruling, decision


class ConflictError(Exception):
    """The comment changed since the moderator saw it, or the action is not allowed now."""


def moderate(
    comment: Comment, action: Action, actor: User, *, expected: Status | None = None, note: str = ""
) -> Transition:
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
    transition = Transition(
        comment_id=comment.id,
        from_status=comment.status,
        to_status=new_status,
        action=action,
        actor_id=actor.id,
        reason=reason,
    )
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


def sample_of(comment: Comment, body: str | None = None) -> Sample:
    """What the model sees of a comment, with the context stored when it was judged.

    Comments stored before context existed have none: the model reads that as unknown.
    """
    return Sample(
        text=comment.body if body is None else body,
        author=comment.author,
        email=comment.email or "",
        url=comment.website or "",
        context=tuple(comment.signals or ()),
    )


# ---- What authors do to their own comments, and what readers' pages ask for ----


def published_comments(site: Site, post_url: str) -> list[Comment]:
    """The post's published comments, including deleted ones that hold replies, oldest first."""
    return list(
        db.session.execute(
            select(Comment)
            .join(Post)
            .where(
                Post.site_id == site.id, Post.url == post_url, Comment.status == Status.PUBLISHED
            )
            .order_by(Comment.created_at, Comment.id)
        )
        .scalars()
        .all()
    )


def post_version(site: Site, post_url: str) -> tuple[int, int, datetime | None]:
    """Changes whenever a comment of the post is added, removed, edited or moderated.

    One aggregate over an index: cheap enough to answer conditional requests without rendering.
    """
    count, last_id, last_update = db.session.execute(
        select(func.count(Comment.id), func.max(Comment.id), func.max(Comment.updated_at))
        .join(Post)
        .where(Post.site_id == site.id, Post.url == post_url)
    ).one()
    return count, last_id or 0, last_update


def count_published(site: Site, post_urls: Sequence[str]) -> dict[str, int]:
    """Published, undeleted comments per post URL; 0 for posts without any."""
    rows = db.session.execute(
        select(Post.url, func.count(Comment.id))
        .join(Comment)
        .where(
            Post.site_id == site.id,
            Post.url.in_(post_urls),
            Comment.status == Status.PUBLISHED,
            Comment.deleted_at.is_(None),
        )
        .group_by(Post.url)
    ).all()
    found = dict(rows)
    return {url: found.get(url, 0) for url in post_urls}


def recent_bodies(site: Site, post_url: str, since: datetime) -> list[str]:
    """Bodies posted on the post since `since`, in any state: for duplicate detection."""
    return list(
        db.session.execute(
            select(Comment.body)
            .join(Post)
            .where(Post.site_id == site.id, Post.url == post_url, Comment.created_at >= since)
        )
        .scalars()
        .all()
    )


def editable_until(comment: Comment) -> datetime:
    return comment.created_at + timedelta(seconds=comment.post.site.edit_window_seconds)


def edit_comment(comment: Comment, body: str, scorer: Scorer, thresholds: Thresholds) -> Comment:
    """Replace the body, render and score it again; the state never becomes more lenient.

    A published comment whose new text the model or rules would hold goes back to pending.
    """
    post, site = comment.post, comment.post.site
    # The context is looked up again, as of now and without the comment itself: the stored
    # tokens are always the ones behind the stored scores.
    found = signals.compute(site, body, comment.email, comment.address_hash, exclude=comment.id)
    comment.fingerprint, comment.signals = found.fingerprint, found.tokens
    sample = sample_of(comment, body)
    verdict, ruling, decision = _judge(sample, site, post, scorer, thresholds, comment.address_hash)
    comment.body, comment.body_html = body, render(body)
    comment.spam_score, comment.abuse_score = verdict.spam, verdict.abuse
    comment.model_version, comment.edited_at = verdict.model_version, utcnow()
    if rules.SEVERITY[decision.status] > rules.SEVERITY[comment.status]:
        reason = f"after edit: {decision.reason}"
        db.session.add(
            Transition(
                comment_id=comment.id,
                from_status=comment.status,
                to_status=decision.status,
                action=None,
                actor_id=None,
                reason=reason,
            )
        )
        comment.status, comment.reason, comment.rule = decision.status, reason, ruling.rule
    db.session.commit()
    return comment


def delete_comment(comment: Comment) -> bool:
    """Remove the author's comment; one with replies is emptied instead, to keep the thread.

    Returns True when the row was kept (emptied), False when it was removed.
    """
    has_replies = (
        db.session.execute(
            select(func.count()).select_from(Comment).where(Comment.parent_id == comment.id)
        ).scalar_one()
        > 0
    )
    if has_replies:
        comment.body = comment.body_html = ""
        comment.author, comment.email, comment.website = "", None, None
        comment.deleted_at = comment.updated_at = utcnow()
    else:
        # Core delete: the database cascades the transitions with it.
        db.session.execute(delete(Comment).where(Comment.id == comment.id))
        db.session.expire_all()
    db.session.commit()
    return has_replies
