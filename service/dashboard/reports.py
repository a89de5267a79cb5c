"""The audit log and the statistics pages."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, distinct, func, select, true

from service.dashboard import access
from service.dashboard.stats import (
    AGE_BUCKETS,
    Agreement,
    Series,
    age_histogram,
    bar_chart,
    histogram,
)
from service.extensions import db
from service.models import AuditEntry, Comment, Transition, User, utcnow
from service.moderation import ACTION_LABEL, Label, Status
from service.scoring import get_scorer

bp = Blueprint("reports", __name__)

AUDIT_PAGE_SIZE = 100
DAYS = 30
OUTCOMES = (
    (Status.PUBLISHED, "bar-published"),
    (Status.PENDING, "bar-pending"),
    (Status.BLOCKED, "bar-blocked"),
    (Status.REJECTED, "bar-rejected"),
)


def _int_arg(name: str) -> int | None:
    raw = (request.args.get(name) or "").strip()
    if raw and not raw.isdigit():
        abort(400, description=f"{name}: expected a number, got {raw[:40]!r}")
    return int(raw) if raw else None


@bp.get("/audit")
@login_required
def list_audit() -> str:
    """Who did what, when: newest first, filterable by person, action and site."""
    actor, site, before = _int_arg("actor"), _int_arg("site"), _int_arg("before")
    action = (request.args.get("action") or "").strip()
    if site is not None:
        access.require_site(site)
    ids = access.site_ids()
    query = select(AuditEntry).where(true() if ids is None else AuditEntry.site_id.in_(ids))
    if actor is not None:
        query = query.where(AuditEntry.actor_id == actor)
    if site is not None:
        query = query.where(AuditEntry.site_id == site)
    if action:
        query = query.where(AuditEntry.action == action)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    rows = (
        db.session.execute(query.order_by(AuditEntry.id.desc()).limit(AUDIT_PAGE_SIZE + 1))
        .scalars()
        .all()
    )
    entries, more = rows[:AUDIT_PAGE_SIZE], len(rows) > AUDIT_PAGE_SIZE
    actions = (
        db.session.execute(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
        .scalars()
        .all()
    )
    users = db.session.execute(select(User).order_by(User.username)).scalars().all()
    filters = {"actor": actor, "site": site, "action": action}
    older = {k: v for k, v in filters.items() if v} | {"before": entries[-1].id} if more else None
    return render_template(
        "dashboard/audit.html",
        entries=entries,
        actions=actions,
        users=users,
        sites=access.sites(),
        filters=filters,
        older=older,
    )


def _model_created() -> datetime | None:
    classifier = get_scorer().classifier
    created = (classifier.metadata or {}).get("created") if classifier is not None else None
    try:
        value = datetime.fromisoformat(created) if isinstance(created, str) else None
    except ValueError:
        return None
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # metadata times are written in UTC
    return value


def new_labels(since: datetime | None) -> int:
    """Comments decided by a moderator since `since` (every decided comment when None)."""
    query = select(func.count(distinct(Transition.comment_id))).where(
        Transition.actor_id.is_not(None)
    )
    if since is not None:
        query = query.where(Transition.created_at > since)
    return db.session.execute(query).scalar_one()


def _per_day(scope: ColumnElement[bool]) -> tuple[list[str], list[Series]]:
    start = (utcnow() - timedelta(days=DAYS - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    days = [(start + timedelta(days=i)).date() for i in range(DAYS)]
    counts: dict[Status, list[int]] = {status: [0] * DAYS for status, _ in OUTCOMES}
    rows = db.session.execute(
        select(Comment.created_at, Comment.status)
        .join(Comment.post)
        .where(scope, Comment.created_at >= start)
    ).all()
    for created, status in rows:
        counts[status][(created.date() - days[0]).days] += 1
    labels = [day.strftime("%d %b") for day in days]
    return labels, [Series(s.value, counts[s], css) for s, css in OUTCOMES]


def _decisions(
    scope: ColumnElement[bool],
) -> tuple[dict[str, Agreement], dict[Label, list[Comment]]]:
    """Per model version, agreement with moderators; and the decided comments by label."""
    decided = select(Transition.comment_id).where(Transition.actor_id.is_not(None))
    rows = db.session.execute(
        select(Comment, Transition)
        .join(Comment.post)
        .join(Transition, Transition.comment_id == Comment.id)
        .where(scope, Comment.id.in_(decided))
        .order_by(Comment.id, Transition.id)
    ).all()
    first: dict[int, Status] = {}
    last: dict[int, tuple[Comment, Label]] = {}
    for comment, transition in rows:
        first.setdefault(comment.id, transition.to_status)
        if transition.actor_id is not None and transition.action is not None:
            last[comment.id] = (comment, ACTION_LABEL[transition.action])
    versions: dict[str, Agreement] = defaultdict(Agreement)
    by_label: dict[Label, list[Comment]] = defaultdict(list)
    for comment_id, (comment, label) in last.items():
        versions[comment.model_version or "none (no model)"].add(first[comment_id], label)
        by_label[label].append(comment)
    return dict(sorted(versions.items())), by_label


@bp.get("/stats")
@login_required
def get_stats() -> str:
    scope = access.in_scope()
    day_labels, day_series = _per_day(scope)
    versions, by_label = _decisions(scope)
    now = utcnow()
    waiting = (
        db.session.execute(
            select(Comment.created_at)
            .join(Comment.post)
            .where(scope, Comment.status.in_([Status.PENDING, Status.BLOCKED]))
        )
        .scalars()
        .all()
    )
    ages = age_histogram(now - created for created in waiting)
    approved = by_label.get(Label.HAM, [])
    rejected = by_label.get(Label.SPAM, []) + by_label.get(Label.ABUSE, [])
    bins = [f"{i / 10:.1f}" for i in range(10)]
    charts = {
        "per_day": bar_chart(
            f"Comments per day by current state, last {DAYS} days",
            day_labels,
            day_series,
            stacked=True,
        ),
        "overturned": bar_chart(
            "Share of the model's decisions that moderators overturned, per model version",
            list(versions),
            [
                Series(
                    "overturned", [a.overturned or 0.0 for a in versions.values()], "bar-rejected"
                )
            ],
            percent=True,
        ),
        "age": bar_chart(
            "Age of comments waiting for a moderator (pending and blocked)",
            [name for name, _ in AGE_BUCKETS],
            [Series("waiting", ages, "bar-pending")],
        ),
    }
    for label in ("spam", "abuse"):
        charts[label] = bar_chart(
            f"{label.capitalize()} scores of comments moderators approved and rejected",
            bins,
            [
                Series(
                    "approved",
                    histogram(getattr(c, f"{label}_score") for c in approved),
                    "bar-published",
                ),
                Series(
                    "rejected",
                    histogram(getattr(c, f"{label}_score") for c in rejected),
                    "bar-rejected",
                ),
            ],
        )
    created = _model_created()
    return render_template(
        "dashboard/stats.html",
        charts=charts,
        versions=versions,
        waiting=len(waiting),
        scorer=get_scorer(),
        model_created=created,
        new_labels=new_labels(created),
        is_admin=current_user.is_admin,
    )
