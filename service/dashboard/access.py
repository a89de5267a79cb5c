"""Who may see and do what: admins everything, moderators only the sites assigned to them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, select, true

from service.extensions import db
from service.models import Post, Site

P = ParamSpec("P")
R = TypeVar("R")

NOT_YOURS = "You do not moderate this site; ask an admin to assign it to you."


def admin_required(view: Callable[P, R]) -> Callable[P, R]:
    """Signed in and an admin, or 403."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.is_admin:
            abort(403, description="Only admins can manage accounts and sites.")
        return view(*args, **kwargs)

    return login_required(wrapped)


def site_ids() -> list[int] | None:
    """The ids of the sites the current user moderates; None means every site (an admin)."""
    if current_user.is_admin:
        return None
    return [site.id for site in current_user.sites]


def sites() -> list[Site]:
    """The sites the current user moderates, by name."""
    query = select(Site).order_by(Site.name)
    ids = site_ids()
    if ids is not None:
        query = query.where(Site.id.in_(ids))
    return list(db.session.execute(query).scalars())


def in_scope(site_column: ColumnElement[int] = Post.site_id) -> ColumnElement[bool]:
    """A WHERE clause limiting rows to the current user's sites."""
    ids = site_ids()
    return true() if ids is None else site_column.in_(ids)


def require_site(site_id: int | None) -> None:
    """403 unless the current user moderates `site_id` (None: instance-wide, admins only)."""
    allowed = current_user.is_admin if site_id is None else current_user.can_moderate(site_id)
    if not allowed:
        abort(403, description=NOT_YOURS)
