"""The public JSON API that the embedded widget and other clients talk to."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import text

from service.api.openapi import openapi_document
from service import comments
from service.errors import APIError
from service.extensions import csrf, db, limiter
from service.models import Comment
from service.moderation import Status
from service.rules import address_hash
from service.schemas import CommentIn, CommentList, CommentOut, Health, PendingOut
from service.scoring import get_scorer

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # the widget runs on other origins and authenticates nothing; no session cookies


@bp.after_request
def allow_configured_origins(response: Response) -> Response:
    """CORS for blogs served from another origin: only the origins listed in the configuration."""
    origin = request.headers.get("Origin")
    if origin and origin in current_app.config["MODERATO_ALLOWED_ORIGINS"]:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "600"
        response.vary.add("Origin")
    return response


def _post_rate_limit() -> str:
    return current_app.config["MODERATO_RATELIMIT_POST"]


def _comment_out(comment: Comment, visible_ids: set[int] | None = None) -> CommentOut:
    parent = comment.parent_id
    if visible_ids is not None and parent not in visible_ids:
        parent = None
    return CommentOut(id=comment.id, parent=parent, author=comment.author, url=comment.website,
                      html=comment.body_html, created=comment.created_at)


def _limits() -> dict[str, int]:
    config = current_app.config
    return {
        "max_body": config["MODERATO_MAX_BODY_LENGTH"],
        "max_author": config["MODERATO_MAX_AUTHOR_LENGTH"],
        "max_url": config["MODERATO_MAX_URL_LENGTH"],
        "max_post_url": config["MODERATO_MAX_POST_URL_LENGTH"],
    }


@bp.post("/comments")
@limiter.limit(_post_rate_limit)
def create_comment() -> tuple[Response, int]:
    """Accept a comment: 201 with it when published, 202 with only its id when held or blocked."""
    if not request.is_json:
        raise APIError(415, "unsupported_media_type",
                       "send the comment as JSON with Content-Type: application/json")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise APIError(400, "invalid_json", "the request body must be a JSON object")
    data = CommentIn.model_validate(payload, context=_limits())
    comment = comments.create_comment(
        data, get_scorer(), current_app.config["MODERATO_THRESHOLDS"],
        address_hash=address_hash(request.remote_addr, current_app.config["SECRET_KEY"]))
    if comment.status is Status.PUBLISHED:
        return jsonify(_comment_out(comment).model_dump(mode="json")), 201
    # Held and blocked look the same from outside: a spammer learns nothing about the verdict.
    return jsonify(PendingOut(id=comment.id).model_dump(mode="json")), 202


@bp.get("/comments")
def list_comments() -> Response:
    """The published comments of one post, in thread order."""
    post = request.args.get("post", "").strip()
    if not post:
        raise APIError(400, "invalid_field", "post: the post URL is required", "post")
    site = comments.get_site(request.args.get("site", comments.DEFAULT_SITE))
    thread = comments.published_thread(site, post)
    visible = {c.id for c in thread}
    body = CommentList(post=post, total=len(thread),
                       comments=[_comment_out(c, visible) for c in thread])
    return jsonify(body.model_dump(mode="json"))


@bp.get("/openapi.json")
def get_openapi() -> Response:
    return jsonify(openapi_document())


def health() -> tuple[Response, int]:
    """Liveness and readiness: the database answers, and which model (if any) is loaded."""
    try:
        db.session.execute(text("SELECT 1"))
        database = True
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        database = False
    scorer = get_scorer()
    ok = database and scorer.classifier is not None
    detail = None if ok else (scorer.error if database else "database unreachable")
    body = Health(status="ok" if ok else "degraded", database=database, model=scorer.version,
                  detail=detail)
    return jsonify(body.model_dump()), 200 if database else 503
