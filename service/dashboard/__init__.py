"""The moderators' dashboard: sign in, work the queues, decide on comments one by one or many."""

from __future__ import annotations

from collections.abc import Iterable

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from service import audit, comments
from service.classifier import Scores, context
from service.dashboard import access, admin, reports, rules_views
from service.dashboard.forms import (
    ActionForm,
    LoginForm,
    ModerateForm,
    PostSettingsForm,
    require_valid,
)
from service.dashboard.queue import (
    COUNT_CAP,
    FilterError,
    Queue,
    QueueFilter,
    Sort,
    pending_count,
    queue_of,
)
from service.dashboard.queue import page as queue_page
from service.extensions import db, limiter, login_manager
from service.models import Comment, Post, User
from service.moderation import ALLOWED_ACTIONS, Action, Status
from service.scoring import get_scorer

bp = Blueprint(
    "dashboard",
    __name__,
    url_prefix="/dashboard",
    template_folder="templates",
    static_folder="static",
)
bp.register_blueprint(admin.bp)
bp.register_blueprint(rules_views.bp)
bp.register_blueprint(reports.bp)

AUTHOR_PAGE_LIMIT = 500
BUTTONS = {Action.APPROVE: "Approve", Action.REJECT: "Reject (abuse)", Action.SPAM: "Spam"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    # A deactivated account loses its open sessions too, not only the next sign-in.
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None


def init_app(app: Flask) -> None:
    login_manager.login_view = "dashboard.login"
    login_manager.login_message = "Please sign in to moderate."
    login_manager.session_protection = "strong"


def safe_next(target: str | None, default: str | None = None) -> str:
    # Only local paths: an open redirect after sign-in would be a phishing aid.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default or url_for("dashboard.get_queue")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login() -> Response | str:
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.execute(
            select(User).where(User.username == form.username.data)
        ).scalar_one_or_none()
        if user is not None and user.check_password(form.password.data or ""):
            if login_user(user):
                return redirect(safe_next(request.args.get("next")))
            flash("This account is deactivated; ask an admin.", "error")
        else:
            flash("Wrong user name or password.", "error")
    return render_template("dashboard/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    logout_user()
    return redirect(url_for("dashboard.login"))


def _filter() -> QueueFilter:
    try:
        return QueueFilter.from_args(request.args)
    except FilterError as exc:
        abort(400, description=str(exc))


@bp.get("/")
@login_required
def get_queue() -> str:
    """One queue, filtered and sorted, a keyset page at a time."""
    flt = _filter()
    if flt.site is not None:
        access.require_site(flt.site)
    scope = access.in_scope()
    result = queue_page(flt, scope, current_app.config["MODERATO_THRESHOLDS"])
    return render_template(
        "dashboard/queue.html",
        flt=flt,
        page=result,
        queues=list(Queue),
        sorts=list(Sort),
        counts={Queue.PENDING: pending_count(scope)},
        count_cap=COUNT_CAP,
        sites=access.sites(),
        allowed=ALLOWED_ACTIONS,
        buttons=BUTTONS,
        form=ActionForm(),
        scorer=get_scorer(),
    )


def _get_comment(comment_id: int) -> Comment:
    """The comment, if it exists (404) and the current user moderates its site (403)."""
    comment = db.get_or_404(Comment, comment_id, description=f"There is no comment {comment_id}.")
    access.require_site(comment.post.site_id)
    return comment


def rescore(comment: Comment) -> Scores | None:
    """The comment scored again with explanations, when the model that scored it is loaded."""
    scorer = get_scorer()
    if scorer.classifier is None or scorer.version != comment.model_version:
        return None
    (scores,) = scorer.classifier.score([comments.sample_of(comment)], explain=True)
    return scores


def explanation(scores: Scores | None) -> dict[str, list[tuple[str, float]]] | None:
    """The words that moved each score most."""
    if scores is None:
        return None
    words = {"spam": list(scores.spam_explanation), "abuse": list(scores.abuse_explanation)}
    return words if any(words.values()) else None


def abuse_kinds(scores: Scores | None) -> list[tuple[str, float]]:
    """Each kind of abuse with its probability, as a moderator reads it ("identity attack")."""
    if scores is None:
        return []
    return [(kind.replace("_", " "), p) for kind, p in (scores.kinds or {}).items()]


@bp.get("/comments/<int:comment_id>")
@login_required
def get_comment(comment_id: int) -> str:
    comment = _get_comment(comment_id)
    parent = db.session.get(Comment, comment.parent_id) if comment.parent_id else None
    scores = rescore(comment)
    return render_template(
        "dashboard/comment.html",
        comment=comment,
        parent=parent,
        queue=queue_of(comment),
        form=ModerateForm(),
        post_form=PostSettingsForm(obj=comment.post),
        allowed=ALLOWED_ACTIONS,
        buttons=BUTTONS,
        explanation=explanation(scores),
        kinds=abuse_kinds(scores),
        signals=None if comment.signals is None else context.describe(comment.signals),
    )


def decide(comment: Comment, action: Action, expected: Status) -> str | None:
    """Apply one decision and log it; return why it was refused, or None when it was applied."""
    actor = current_user._get_current_object()
    try:
        comments.moderate(comment, action, actor, expected=expected)
    except comments.ConflictError as exc:
        db.session.rollback()  # release the row lock taken to check the state
        return str(exc)
    audit.record(
        actor,
        f"{action.value}_comment",
        f"comment {comment.id}",
        site_id=comment.post.site_id,
        previous=expected.value,
        status=comment.status.value,
    )
    return None


def decide_all(items: Iterable[tuple[Comment, Status]], action: Action) -> None:
    """Decide each comment in turn and flash one summary; refusals are named, not hidden."""
    done, refused = 0, []
    for comment, expected in items:
        error = decide(comment, action, expected)
        if error is None:
            done += 1
        else:
            refused.append(error)
    if done:
        flash(f"{action.value.capitalize()}: {done} comment{'s' if done != 1 else ''} done.", "ok")
    for error in refused:
        flash(error, "error")
    if not done and not refused:
        flash("Nothing to do: no comment could take that action.", "error")


def _action_form() -> Action:
    form = ActionForm()
    require_valid(form)
    return Action(form.action.data)


@bp.post("/comments/<int:comment_id>/moderate")
@login_required
def moderate_comment(comment_id: int) -> Response:
    """Approve, reject or mark as spam; refused if another moderator decided first."""
    comment = _get_comment(comment_id)
    form = ModerateForm()
    require_valid(form)
    expected = Status(form.expected.data)
    decide_all([(comment, expected)], Action(form.action.data))
    return redirect(safe_next(request.form.get("next"), url_for("dashboard.get_queue")))


def _selection() -> list[tuple[int, Status]]:
    selection = []
    for raw in request.form.getlist("selected"):
        comment_id, _, status = raw.partition(":")
        if not comment_id.isdigit() or status not in Status.__members__.values():
            abort(400, description=f"selected: malformed item {raw[:40]!r}")
        selection.append((int(comment_id), Status(status)))
    return selection


@bp.post("/comments/moderate")
@login_required
def moderate_comments() -> Response:
    """One action on a selection. Every comment is checked before any is changed."""
    action = _action_form()
    back = safe_next(request.form.get("next"))
    selection = _selection()
    if not selection:
        flash("Select at least one comment first (x, or the checkboxes).", "error")
        return redirect(back)
    found = {
        c.id: c
        for c in db.session.execute(
            select(Comment).where(Comment.id.in_([i for i, _ in selection]))
        ).scalars()
    }
    missing = sorted({i for i, _ in selection} - found.keys())
    if missing:
        listed = ", ".join(map(str, missing))
        abort(404, description=f"There is no comment {listed}; nothing was changed.")
    for comment in found.values():
        access.require_site(comment.post.site_id)
    decide_all(((found[i], expected) for i, expected in selection), action)
    return redirect(back)


def _author_comments() -> tuple[dict[str, str], list[Comment]]:
    """The author named by `email` (preferred) or `name` in the query, and their comments."""
    email = (request.args.get("email") or "").strip()
    name = (request.args.get("name") or "").strip()
    if email:
        key, match = {"email": email}, func.lower(Comment.email) == email.lower()
    elif name:
        key, match = {"name": name}, (Comment.author == name) & Comment.email.is_(None)
    else:
        abort(400, description="Name an author with ?email= or ?name=.")
    rows = (
        db.session.execute(
            select(Comment)
            .join(Comment.post)
            .where(access.in_scope(), match)
            .order_by(Comment.created_at.desc(), Comment.id.desc())
            .limit(AUTHOR_PAGE_LIMIT)
        )
        .scalars()
        .all()
    )
    return key, list(rows)


@bp.get("/authors")
@login_required
def get_author() -> str:
    key, rows = _author_comments()
    by_status = {status: sum(c.status is status for c in rows) for status in Status}
    return render_template(
        "dashboard/author.html",
        key=key,
        comments=rows,
        by_status=by_status,
        form=ActionForm(),
        allowed=ALLOWED_ACTIONS,
        buttons=BUTTONS,
        queue_of=queue_of,
    )


@bp.post("/authors")
@login_required
def moderate_author() -> Response:
    """Approve, reject or mark as spam everything by one author that can take that action."""
    action = _action_form()
    key, rows = _author_comments()
    decide_all(((c, c.status) for c in rows if action in ALLOWED_ACTIONS[c.status]), action)
    return redirect(url_for("dashboard.get_author", **key))


@bp.post("/posts/<int:post_id>")
@login_required
def update_post(post_id: int) -> Response:
    """Close a post's comments, or hold every comment on it for a moderator."""
    post = db.get_or_404(Post, post_id, description=f"There is no post {post_id}.")
    access.require_site(post.site_id)
    form = PostSettingsForm()
    require_valid(form)
    post.closed, post.require_moderation = form.closed.data, form.require_moderation.data
    audit.record(
        current_user,
        "update_post",
        post.url,
        site_id=post.site_id,
        closed=post.closed,
        require_moderation=post.require_moderation,
    )
    flash(f"Saved the settings of “{post.title or post.url}”.", "ok")
    return redirect(safe_next(request.form.get("next")))


@bp.app_template_filter("score")
def format_score(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


@bp.app_context_processor
def _inject() -> dict[str, object]:
    return {"app_name": current_app.config.get("MODERATO_NAME", "Moderato")}
