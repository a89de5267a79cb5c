"""Admin pages: accounts (create, deactivate, assign sites, reset password) and sites."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from service import audit
from service.dashboard.access import admin_required
from service.dashboard.forms import (
    PasswordResetForm,
    SiteForm,
    UserCreateForm,
    UserEditForm,
    require_valid,
)
from service.extensions import db
from service.models import Site, User

bp = Blueprint("admin", __name__, url_prefix="/admin")

THRESHOLDS = ("spam_hold", "spam_block", "abuse_hold", "abuse_block")


def _all_sites() -> list[Site]:
    return list(db.session.execute(select(Site).order_by(Site.name)).scalars())


@bp.get("/users")
@admin_required
def list_users(form: UserCreateForm | None = None) -> str:
    users = db.session.execute(select(User).order_by(User.username)).scalars().all()
    return render_template("dashboard/users.html", users=users, form=form or UserCreateForm())


@bp.post("/users")
@admin_required
def create_user() -> Response | tuple[str, int]:
    form = UserCreateForm()
    if not form.validate_on_submit():
        return list_users(form), 400
    taken = db.session.execute(select(User).where(User.username == form.username.data)).scalar()
    if taken is not None:
        form.username.errors.append("is already taken")
        return list_users(form), 400
    user = User(username=form.username.data, is_admin=form.is_admin.data)
    user.set_password(form.password.data or "")
    db.session.add(user)
    db.session.flush()
    audit.record(current_user, "create_user", user.username, admin=user.is_admin)
    flash(f"Created {user.username}. Now assign the sites they moderate.", "ok")
    return redirect(url_for("dashboard.admin.get_user", user_id=user.id))


def _user_form(user: User) -> UserEditForm:
    # Filled from `data`, not `obj`: `user.sites` holds Site rows where the form wants ids.
    form = UserEditForm(
        data={
            "active": user.is_active_account,
            "is_admin": user.is_admin,
            "sites": [site.id for site in user.sites],
        }
    )
    form.sites.choices = [SelectChoice(str(site.id), site.name) for site in _all_sites()]
    return form


@bp.get("/users/<int:user_id>")
@admin_required
def get_user(user_id: int) -> str:
    user = db.get_or_404(User, user_id, description=f"There is no account {user_id}.")
    form = _user_form(user)
    return render_template(
        "dashboard/user.html", user=user, form=form, password_form=PasswordResetForm()
    )


@bp.post("/users/<int:user_id>")
@admin_required
def update_user(user_id: int) -> Response:
    user = db.get_or_404(User, user_id, description=f"There is no account {user_id}.")
    form = _user_form(user)
    require_valid(form)
    if user.id == current_user.id and not (form.active.data and form.is_admin.data):
        flash("You cannot deactivate yourself or remove your own admin role.", "error")
        return redirect(url_for("dashboard.admin.get_user", user_id=user.id))
    user.is_admin, user.is_active_account = form.is_admin.data, form.active.data
    user.sites = [site for site in _all_sites() if site.id in (form.sites.data or [])]
    audit.record(
        current_user,
        "update_user",
        user.username,
        admin=user.is_admin,
        active=user.is_active_account,
        sites=[s.slug for s in user.sites],
    )
    flash(f"Saved {user.username}.", "ok")
    return redirect(url_for("dashboard.admin.get_user", user_id=user.id))


@bp.post("/users/<int:user_id>/password")
@admin_required
def reset_password(user_id: int) -> Response:
    user = db.get_or_404(User, user_id, description=f"There is no account {user_id}.")
    form = PasswordResetForm()
    if not form.validate_on_submit():
        flash("; ".join(f"{k}: {', '.join(v)}" for k, v in form.errors.items()), "error")
    else:
        user.set_password(form.password.data or "")
        audit.record(current_user, "reset_password", user.username)
        flash(f"Set a new password for {user.username}; tell them through a private channel.", "ok")
    return redirect(url_for("dashboard.admin.get_user", user_id=user.id))


@bp.get("/sites")
@admin_required
def list_sites() -> str:
    return render_template("dashboard/sites.html", sites=_all_sites())


def _site_or_404(site_id: int | None) -> Site | None:
    if site_id is None:
        return None
    return db.get_or_404(Site, site_id, description=f"There is no site {site_id}.")


def _site_form(site: Site | None) -> SiteForm:
    form = SiteForm(obj=site)
    if site is not None and not form.is_submitted():
        form.allowed_origins.data = "\n".join(site.allowed_origins or [])
    return form


def _render_site(site: Site | None, form: SiteForm, status: int = 200) -> tuple[str, int]:
    return render_template("dashboard/site.html", site=site, form=form), status


@bp.get("/sites/new")
@bp.get("/sites/<int:site_id>")
@admin_required
def get_site(site_id: int | None = None) -> tuple[str, int]:
    site = _site_or_404(site_id)
    return _render_site(site, _site_form(site))


@bp.post("/sites/new")
@bp.post("/sites/<int:site_id>")
@admin_required
def save_site(site_id: int | None = None) -> Response | tuple[str, int]:
    """Create a site, or change its name, slug, origins, thresholds and moderation setting."""
    site = _site_or_404(site_id)
    form = _site_form(site)
    if not form.validate_on_submit():
        return _render_site(site, form, 400)
    values = {name: getattr(form, name).data for name in THRESHOLDS}
    for label in ("spam", "abuse"):
        hold, block = values[f"{label}_hold"], values[f"{label}_block"]
        if hold is not None and block is not None and hold > block:
            getattr(form, f"{label}_block").errors.append("must be at least the hold threshold")
            return _render_site(site, form, 400)
    clash = db.session.execute(select(Site).where(Site.slug == form.slug.data)).scalar()
    if clash is not None and clash is not site:
        form.slug.errors.append("another site uses this slug")
        return _render_site(site, form, 400)
    if site is None:
        site = Site(banned_words=[], suspect_words=[])
        db.session.add(site)
    site.name, site.slug = form.name.data, form.slug.data
    site.allowed_origins = (form.allowed_origins.data or "").split()
    site.require_moderation = form.require_moderation.data
    for name, value in values.items():
        setattr(site, name, value)
    db.session.flush()
    audit.record(
        current_user,
        "save_site",
        site.slug,
        site_id=site.id,
        **values,
        origins=site.allowed_origins,
        require_moderation=site.require_moderation,
    )
    flash(f"Saved site {site.name}.", "ok")
    return redirect(url_for("dashboard.admin.get_site", site_id=site.id))
