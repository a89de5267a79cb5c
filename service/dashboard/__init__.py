"""The moderators' dashboard: sign in, see the queues, decide."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from service import comments
from service.dashboard.forms import LoginForm, ModerateForm
from service.extensions import db, limiter, login_manager
from service.models import Comment, Post, User
from service.moderation import ALLOWED_ACTIONS, Action, Status
from service.scoring import get_scorer

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates",
               static_folder="static")

QUEUES: tuple[Status, ...] = (Status.PENDING, Status.BLOCKED, Status.PUBLISHED, Status.REJECTED)
PAGE_SIZE = 50


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def init_app(app: Flask) -> None:
    login_manager.login_view = "dashboard.login"
    login_manager.login_message = "Please sign in to moderate."


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect after sign-in would be a phishing aid.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.get_queue")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login() -> Response | str:
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.execute(
            select(User).where(User.username == form.username.data)
        ).scalar_one_or_none()
        if user is not None and user.check_password(form.password.data or ""):
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        flash("Wrong user name or password.", "error")
    return render_template("dashboard/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    logout_user()
    return redirect(url_for("dashboard.login"))


@bp.get("/")
@login_required
def get_queue() -> str:
    """One queue (pending by default), newest first, with keyset pagination on the comment id."""
    try:
        status = Status(request.args.get("status", Status.PENDING.value))
    except ValueError:
        abort(400, description=f"unknown queue {request.args.get('status')!r}")
    before = request.args.get("before", type=int)
    query = (
        select(Comment).join(Post).where(Comment.status == status)
        .order_by(Comment.id.desc()).limit(PAGE_SIZE + 1)
    )
    if before is not None:
        query = query.where(Comment.id < before)
    rows = db.session.execute(query).scalars().all()
    page, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
    return render_template(
        "dashboard/queue.html",
        status=status,
        queues=QUEUES,
        counts=comments.count_by_status(QUEUES),
        comments=page,
        next_before=page[-1].id if more else None,
        allowed=ALLOWED_ACTIONS,
        form=ModerateForm(),
        scorer=get_scorer(),
        labels=len(comments.moderator_labels()),
    )


@bp.get("/comments/<int:comment_id>")
@login_required
def get_comment(comment_id: int) -> str:
    comment = db.get_or_404(Comment, comment_id, description="No such comment.")
    return render_template("dashboard/comment.html", comment=comment, form=ModerateForm(),
                           allowed=ALLOWED_ACTIONS)


@bp.post("/comments/<int:comment_id>/moderate")
@login_required
def moderate_comment(comment_id: int) -> Response:
    """Approve, reject or mark as spam; refused if another moderator decided first."""
    comment = db.get_or_404(Comment, comment_id, description="No such comment.")
    form = ModerateForm()
    if not form.validate_on_submit():
        abort(400, description="; ".join(f"{k}: {', '.join(v)}" for k, v in form.errors.items()))
    action, expected = Action(form.action.data), Status(form.expected.data)
    try:
        comments.moderate(comment, action, current_user, expected=expected)
    except comments.ConflictError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Comment {comment.id} is now {comment.status.value}.", "ok")
    return redirect(_safe_next(request.form.get("next")) if request.form.get("next")
                    else url_for("dashboard.get_queue", status=expected.value))


@bp.app_template_filter("score")
def format_score(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


@bp.app_context_processor
def _inject() -> dict[str, object]:
    return {"app_name": current_app.config.get("MODERATO_NAME", "Moderato")}
