"""Rules pages: bans with an optional expiry, and each site's banned and suspect words."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from service import audit
from service.dashboard import access
from service.dashboard.forms import BanForm, EmptyForm, WordsForm, require_valid
from service.extensions import db
from service.models import Ban, Site, utcnow
from service.moderation import BanKind
from service.rules import normalize_ban_value, parse_words

bp = Blueprint("rules", __name__, url_prefix="/rules")

ALL_SITES = 0  # the ban form's choice for an instance-wide ban (admins only)


def _ban_form() -> BanForm:
    form = BanForm(formdata=request.form if request.method == "POST" else request.args or None)
    choices = [SelectChoice(str(site.id), site.name) for site in access.sites()]
    if current_user.is_admin:
        choices.insert(0, SelectChoice(str(ALL_SITES), "All sites"))
    form.site.choices = choices
    return form


@bp.get("/")
@login_required
def list_rules(ban_form: BanForm | None = None) -> str:
    """Bans in force or expired, and the word lists of each site the moderator looks after."""
    sites = access.sites()
    bans = (
        db.session.execute(
            select(Ban)
            .where(
                or_(
                    Ban.site_id.in_([s.id for s in sites]),
                    Ban.site_id.is_(None) if current_user.is_admin else False,
                )
            )
            .order_by(Ban.created_at.desc(), Ban.id.desc())
        )
        .scalars()
        .all()
    )
    words = {
        site.id: WordsForm(
            formdata=None,
            banned_words="\n".join(site.banned_words or []),
            suspect_words="\n".join(site.suspect_words or []),
        )
        for site in sites
    }
    return render_template(
        "dashboard/rules.html",
        sites=sites,
        bans=bans,
        words=words,
        ban_form=ban_form or _ban_form(),
        delete_form=EmptyForm(),
        now=utcnow(),
        site_names={s.id: s.name for s in sites},
    )


@bp.post("/bans")
@login_required
def create_ban() -> Response | tuple[str, int]:
    form = _ban_form()
    if not form.validate_on_submit():
        return list_rules(form), 400
    site_id = form.site.data or None
    access.require_site(site_id)
    kind = BanKind(form.kind.data)
    try:
        value = normalize_ban_value(kind, form.value.data or "")
    except ValueError as exc:
        form.value.errors = [str(exc)]
        return list_rules(form), 400
    expires = datetime.combine(form.expires.data, time.min, UTC) if form.expires.data else None
    if expires is not None and expires <= utcnow():
        form.expires.errors = ["must be in the future"]
        return list_rules(form), 400
    ban = Ban(
        site_id=site_id,
        kind=kind,
        value=value,
        reason=form.reason.data or "",
        expires_at=expires,
        created_by_id=current_user.id,
    )
    db.session.add(ban)
    db.session.flush()
    audit.record(
        current_user,
        "create_ban",
        f"{kind.value} {value}",
        site_id=site_id,
        expires=expires.isoformat() if expires else None,
        reason=ban.reason or None,
    )
    flash(
        f"Banned {kind.value.replace('_', ' ')} {value}"
        f"{' until ' + expires.date().isoformat() if expires else ''}.",
        "ok",
    )
    return redirect(url_for("dashboard.rules.list_rules"))


@bp.post("/bans/<int:ban_id>/delete")
@login_required
def delete_ban(ban_id: int) -> Response:
    ban = db.get_or_404(Ban, ban_id, description=f"There is no ban {ban_id}.")
    access.require_site(ban.site_id)
    require_valid(EmptyForm())
    audit.record(
        current_user,
        "delete_ban",
        f"{ban.kind.value} {ban.value}",
        site_id=ban.site_id,
        commit=False,
    )
    db.session.delete(ban)
    db.session.commit()
    flash(f"Lifted the ban on {ban.kind.value.replace('_', ' ')} {ban.value}.", "ok")
    return redirect(url_for("dashboard.rules.list_rules"))


@bp.post("/sites/<int:site_id>/words")
@login_required
def update_words(site_id: int) -> Response:
    site = db.get_or_404(Site, site_id, description=f"There is no site {site_id}.")
    access.require_site(site.id)
    form = WordsForm()
    require_valid(form)
    site.banned_words = parse_words(form.banned_words.data or "")
    site.suspect_words = parse_words(form.suspect_words.data or "")
    audit.record(
        current_user,
        "update_words",
        site.slug,
        site_id=site.id,
        banned=site.banned_words,
        suspect=site.suspect_words,
    )
    flash(
        f"Saved the word lists of {site.name}: {len(site.banned_words)} banned, "
        f"{len(site.suspect_words)} suspect.",
        "ok",
    )
    return redirect(url_for("dashboard.rules.list_rules") + f"#site-{site.id}")
