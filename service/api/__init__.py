"""The public JSON API that the embedded widget and other clients talk to."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import OrderedDict
from datetime import timedelta
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, g, jsonify, request
from pydantic import BaseModel
from sqlalchemy import select, text

from service import comments, guards
from service.api.feed import atom_feed
from service.api.openapi import openapi_document
from service.errors import APIError
from service.extensions import csrf, db, limiter
from service.models import Comment, Site, utcnow
from service.moderation import Status
from service.rendering import render
from service.rules import address_hash
from service.schemas import (
    BodyIn,
    CommentIn,
    CommentList,
    CommentOut,
    CountsOut,
    CountsQuery,
    CreatedOut,
    FormTokenOut,
    Health,
    HeldOut,
    ListQuery,
    PendingOut,
    PreviewOut,
)
from service.scoring import get_scorer
from service.threads import Placed, arrange

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # the widget runs on other origins and authenticates nothing; no session cookies

EDIT_TOKEN_HEADER = "Moderato-Edit-Token"
WRITE_METHODS = frozenset({"POST", "PUT", "DELETE"})
# Rendered threads by ETag, so a busy post is rendered once per change, not once per view.
_rendered: OrderedDict[str, bytes] = OrderedDict()
RENDERED_CACHE_SIZE = 512


# ---- Origins: which blogs may call the API from a browser ----


def _listed(origin: str, origins: list[str] | None) -> bool:
    # Owners type origins by hand: "https://blog.example.org/" means the same origin.
    return any(origin == listed.strip().rstrip("/").lower() for listed in origins or [])


def _origin_allowed(origin: str, site: Site | None) -> bool:
    """The service's own pages, instance-wide origins, then the site's (any site's if unknown)."""
    origin = origin.lower()
    if urlsplit(origin).netloc == request.host.lower() or _listed(
        origin, current_app.config["MODERATO_ALLOWED_ORIGINS"]
    ):
        return True
    if site is not None:
        return _listed(origin, site.allowed_origins)
    return any(
        _listed(origin, origins)
        for origins in db.session.execute(select(Site.allowed_origins)).scalars()
    )


def _site_named() -> Site | None:
    """The site this request is about, once known (or named in the query), else None."""
    if "site" not in g:
        slug = request.args.get("site")
        g.site = (
            db.session.execute(select(Site).where(Site.slug == slug)).scalar_one_or_none()
            if slug
            else None
        )
    return g.site


def _use_site(slug: str) -> Site:
    """Look the site up (404 if unknown) and refuse writes from origins it does not allow."""
    site = g.site = comments.get_site(slug)
    origin = request.headers.get("Origin")
    # Requests without an Origin are not from a browser page; CORS cannot protect against them.
    if origin and request.method in WRITE_METHODS and not _origin_allowed(origin, site):
        raise APIError(
            403,
            "origin_not_allowed",
            f"origin: {origin} may not post to site {site.slug!r}",
            "origin",
        )
    return site


@bp.before_request
def refuse_foreign_preflight() -> None:
    origin = request.headers.get("Origin")
    if request.method == "OPTIONS" and origin and not _origin_allowed(origin, _site_named()):
        raise APIError(403, "origin_not_allowed", f"origin: {origin} is not allowed here", "origin")


@bp.after_request
def allow_configured_origins(response: Response) -> Response:
    """CORS for blogs served from another origin: only the origins allowed for the site."""
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    try:
        allowed = bool(origin) and _origin_allowed(origin, _site_named())
    except Exception:  # noqa: BLE001 - an error response must still go out, just without CORS
        allowed = False
    if allowed:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, DELETE"
        response.headers["Access-Control-Allow-Headers"] = f"Content-Type, {EDIT_TOKEN_HEADER}"
        response.headers["Access-Control-Expose-Headers"] = "Retry-After"
        response.headers["Access-Control-Max-Age"] = "600"
    return response


# ---- Rate limits ----


def _post_rate_limit() -> str:
    return current_app.config["MODERATO_RATELIMIT_POST"]


def _per_post_rate_limit() -> str:
    return current_app.config["MODERATO_RATELIMIT_POST_PER_POST"]


def _edit_rate_limit() -> str:
    return current_app.config["MODERATO_RATELIMIT_EDIT"]


def _post_key() -> str:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return "post:?"
    return f"post:{payload.get('site', 'default')}\n{payload.get('post', '')}"


def _stored(response: Response) -> bool:
    # Only comments actually stored count towards a post's limit: refused attempts by one
    # client must not lock everyone else out of the post.
    return response.status_code in (201, 202)


# ---- Helpers ----


def _limits() -> dict[str, int]:
    config = current_app.config
    return {
        "max_body": config["MODERATO_MAX_BODY_LENGTH"],
        "max_author": config["MODERATO_MAX_AUTHOR_LENGTH"],
        "max_url": config["MODERATO_MAX_URL_LENGTH"],
        "max_post_url": config["MODERATO_MAX_POST_URL_LENGTH"],
    }


M = TypeVar("M", bound=BaseModel)


def _json_body(model: type[M]) -> M:
    if not request.is_json:
        raise APIError(
            415,
            "unsupported_media_type",
            "send the body as JSON with Content-Type: application/json",
        )
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise APIError(400, "invalid_json", "the request body must be a JSON object")
    return model.model_validate(payload, context=_limits())


def _query(model: type[M], *lists: str) -> M:
    values: dict[str, object] = request.args.to_dict()
    for name in lists:
        values[name] = request.args.getlist(name)
    return model.model_validate(values)


@bp.errorhandler(guards.Refusal)
def refused(refusal: guards.Refusal) -> tuple[Response, int]:
    """A guard's refusal in the API's error shape; `too_fast` says when to try again."""
    response, status = APIError(
        refusal.status, refusal.code, refusal.message, refusal.field
    ).to_response()
    if refusal.retry_after:
        response.headers["Retry-After"] = str(refusal.retry_after)
    return response, status


def _comment_out(
    comment: Comment, placed: Placed[Comment] | None = None, authors: dict[int, str] | None = None
) -> CommentOut:
    return CommentOut(
        id=comment.id,
        parent=placed.parent if placed else comment.parent_id,
        author=comment.author,
        url=comment.website,
        html=comment.body_html,
        created=comment.created_at,
        edited=comment.edited_at,
        deleted=comment.deleted,
        reply_to=(authors or {}).get(placed.reply_to) if placed and placed.reply_to else None,
    )


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _dump(model: BaseModel, status: int = 200) -> tuple[Response, int]:
    return jsonify(model.model_dump(mode="json")), status


# ---- Writing ----


def _check_guards(data: CommentIn, site: Site) -> None:
    """Honeypot, form token, links, duplicates: refused before the classifier, nothing stored."""
    config = current_app.config
    guards.check_honeypot(data.homepage)
    if data.form_token or config["MODERATO_REQUIRE_FORM_TOKEN"]:
        guards.check_form_token(
            data.form_token,
            config["SECRET_KEY"],
            site.slug,
            data.post,
            now=time.time(),
            min_seconds=float(config["MODERATO_MIN_SUBMIT_SECONDS"]),
            max_seconds=float(config["MODERATO_MAX_FORM_AGE_SECONDS"]),
        )
    guards.check_links(data.body, int(config["MODERATO_MAX_LINKS"]))
    since = utcnow() - timedelta(seconds=int(config["MODERATO_DUPLICATE_WINDOW_SECONDS"]))
    guards.check_duplicate(data.body, comments.recent_bodies(site, data.post, since))


@bp.post("/comments")
@limiter.limit(_post_rate_limit, error_message="too many comments from this address; wait a minute")
@limiter.limit(
    _per_post_rate_limit,
    key_func=_post_key,
    deduct_when=_stored,
    error_message="this post is receiving too many comments; wait a minute",
)
def create_comment() -> tuple[Response, int]:
    """Accept a comment: 201 with it when published, 202 with only its id when held or blocked.

    Both carry the edit token, once: the server keeps only its hash.
    """
    data = _json_body(CommentIn)
    site = _use_site(data.site)
    _check_guards(data, site)
    token = secrets.token_urlsafe(32)
    comment = comments.create_comment(
        data,
        get_scorer(),
        current_app.config["MODERATO_THRESHOLDS"],
        address_hash=address_hash(request.remote_addr, current_app.config["SECRET_KEY"]),
        edit_token_hash=_hash_token(token),
    )
    until = comments.editable_until(comment)
    if comment.status is Status.PUBLISHED:
        out = CreatedOut(
            **_comment_out(comment).model_dump(), edit_token=token, editable_until=until
        )
        return _dump(out, 201)
    # Held and blocked look the same from outside: a spammer learns nothing about the verdict.
    return _dump(HeldOut(id=comment.id, edit_token=token, editable_until=until), 202)


def _own_comment(comment_id: int) -> Comment:
    """The comment the edit token proves authorship of, still inside its edit window."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.deleted:
        raise APIError(404, "not_found", "no such comment")
    _use_site(comment.post.site.slug)
    token = request.headers.get(EDIT_TOKEN_HEADER, "")
    if (
        not token
        or not comment.edit_token_hash
        or not hmac.compare_digest(_hash_token(token), comment.edit_token_hash)
    ):
        raise APIError(403, "forbidden", f"{EDIT_TOKEN_HEADER}: not the token of this comment")
    if utcnow() > comments.editable_until(comment):
        raise APIError(403, "edit_window_closed", "the time to edit or delete this comment is over")
    if comment.status is Status.REJECTED:
        raise APIError(409, "not_editable", "a moderator has already decided on this comment")
    return comment


@bp.put("/comments/<int:comment_id>")
@limiter.limit(_edit_rate_limit)
def update_comment(comment_id: int) -> tuple[Response, int]:
    """The author's edit: rendered and scored again; 200 if still published, else 202."""
    comment = _own_comment(comment_id)
    data = _json_body(BodyIn)
    guards.check_links(data.body, int(current_app.config["MODERATO_MAX_LINKS"]))
    comment = comments.edit_comment(
        comment, data.body, get_scorer(), current_app.config["MODERATO_THRESHOLDS"]
    )
    if comment.status is Status.PUBLISHED:
        return _dump(_comment_out(comment))
    return _dump(PendingOut(id=comment.id), 202)


@bp.delete("/comments/<int:comment_id>")
@limiter.limit(_edit_rate_limit)
def delete_comment(comment_id: int) -> tuple[str, int]:
    """The author's delete: gone, or emptied and marked deleted when it has replies."""
    comments.delete_comment(_own_comment(comment_id))
    return "", 204


@bp.get("/form-token")
def get_form_token() -> Response:
    """A signed, timed token for the form of one post; posting too soon or too late is refused."""
    query = _query(ListQuery)
    site = comments.get_site(query.site)
    config = current_app.config
    out = FormTokenOut(
        token=guards.issue_form_token(config["SECRET_KEY"], site.slug, query.post),
        min_seconds=float(config["MODERATO_MIN_SUBMIT_SECONDS"]),
        max_seconds=float(config["MODERATO_MAX_FORM_AGE_SECONDS"]),
    )
    response = jsonify(out.model_dump())
    response.cache_control.no_store = True
    return response


@bp.post("/preview")
@limiter.limit(_edit_rate_limit)
def preview_comment() -> tuple[Response, int]:
    """Render a body exactly as a published comment would show; nothing is stored."""
    return _dump(PreviewOut(html=render(_json_body(BodyIn).body)))


# ---- Reading ----


def _thread_etag(site: Site, query: ListQuery) -> str:
    version = comments.post_version(site, query.post)
    key = f"{site.id}|{site.max_depth}|{query.sort}|{query.post}|{version}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _render_thread(site: Site, query: ListQuery) -> bytes:
    rows = comments.published_comments(site, query.post)
    authors = {c.id: c.author for c in rows}
    placed = arrange(rows, site.max_depth, query.sort)
    body = CommentList(
        post=query.post,
        total=sum(not p.node.deleted for p in placed),
        sort=query.sort,
        comments=[_comment_out(p.node, p, authors) for p in placed],
    )
    return body.model_dump_json().encode()


@bp.get("/comments")
def list_comments() -> Response:
    """The published comments of one post, threaded; conditional requests get 304.

    The ETag comes from one aggregate query over the post's comments, so a view whose copy is
    current costs no rendering, and a rendered thread is reused until the post changes.
    """
    if not request.args.get("post", "").strip():
        raise APIError(400, "invalid_field", "post: the post URL is required", "post")
    query = _query(ListQuery)
    site = g.site = comments.get_site(query.site)
    etag = _thread_etag(site, query)
    if etag in request.if_none_match:
        response = Response(status=304)
    else:
        body = _rendered.get(etag)
        if body is None:
            body = _rendered[etag] = _render_thread(site, query)
            while len(_rendered) > RENDERED_CACHE_SIZE:
                _rendered.popitem(last=False)
        response = Response(body, mimetype="application/json")
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = int(current_app.config["MODERATO_THREAD_MAX_AGE"])
    return response


@bp.get("/counts")
def count_comments() -> Response:
    """Comment counts of several posts at once, for a blog's index page."""
    query = _query(CountsQuery, "post")
    site = g.site = comments.get_site(query.site)
    response = jsonify(CountsOut(counts=comments.count_published(site, query.post)).model_dump())
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response


@bp.get("/feed")
def get_feed() -> Response:
    """An Atom feed of one post's published comments, newest first."""
    query = _query(ListQuery)
    site = g.site = comments.get_site(query.site)
    post = comments.find_post(site, query.post)
    if post is None:
        raise APIError(404, "unknown_post", "post: no comments have been posted there yet", "post")
    rows = [c for c in comments.published_comments(site, query.post) if not c.deleted]
    document = atom_feed(post, rows[::-1][:50], self_url=request.url)
    response = Response(document, mimetype="application/atom+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


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
    body = Health(
        status="ok" if ok else "degraded", database=database, model=scorer.version, detail=detail
    )
    return jsonify(body.model_dump()), 200 if database else 503
