"""The blog side of the API: origins per site, checks before the classifier, the author's edits,
and the read path (threads, counts, feed, caching, preview)."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import func, select
from support import HOLD_ALL, POST, PUBLISH_ALL, comment, stored

from service import guards
from service.extensions import db
from service.models import Comment, Post, Site, Transition
from service.moderation import Status

BLOG = "https://blog.example.org"


@pytest.fixture
def publish_all(app):
    app.config["MODERATO_THRESHOLDS"] = PUBLISH_ALL


@pytest.fixture
def sites(app):
    """Two blogs: `default` allows BLOG, `other` allows only https://other.example."""
    with app.app_context():
        db.session.execute(select(Site)).scalar_one().allowed_origins = [BLOG]
        db.session.add(Site(slug="other", name="Other", allowed_origins=["https://other.example"]))
        db.session.commit()


# ---- Origins ----


def test_preflight_is_answered_for_the_sites_origins_only(sites, client):
    ok = client.options(
        "/api/v1/comments?site=default",
        headers={
            "Origin": BLOG,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert ok.status_code == 200 and ok.headers["Access-Control-Allow-Origin"] == BLOG
    assert "PUT" in ok.headers["Access-Control-Allow-Methods"]
    assert "Moderato-Edit-Token" in ok.headers["Access-Control-Allow-Headers"]
    foreign = client.options(
        "/api/v1/comments?site=default",
        headers={"Origin": "https://other.example", "Access-Control-Request-Method": "POST"},
    )
    assert foreign.status_code == 403 and foreign.get_json()["error"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in foreign.headers
    # Without a site named, any configured site's origin may ask.
    anywhere = client.options(
        "/api/v1/comments",
        headers={"Origin": "https://other.example", "Access-Control-Request-Method": "POST"},
    )
    assert anywhere.headers["Access-Control-Allow-Origin"] == "https://other.example"
    evil = client.options(
        "/api/v1/comments",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert evil.status_code == 403


def test_post_from_an_origin_the_site_does_not_allow_is_403_and_stores_nothing(
    sites, publish_all, client, app
):
    refused = client.post("/api/v1/comments", json=comment(site="other"), headers={"Origin": BLOG})
    assert refused.status_code == 403 and refused.get_json()["error"] == "origin_not_allowed"
    assert refused.get_json()["field"] == "origin"
    assert stored(app) == 0
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Post)).scalar_one() == 0
    ok = client.post("/api/v1/comments", json=comment(), headers={"Origin": BLOG})
    assert ok.status_code == 201 and ok.headers["Access-Control-Allow-Origin"] == BLOG


def test_instance_wide_origins_and_the_services_own_pages_are_allowed(
    sites, publish_all, client, app
):
    app.config["MODERATO_ALLOWED_ORIGINS"] = ["https://everywhere.example"]
    assert (
        client.post(
            "/api/v1/comments",
            json=comment(site="other"),
            headers={"Origin": "https://everywhere.example"},
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/v1/comments",
            json=comment(body="From the demo page."),
            headers={"Origin": "http://localhost"},
        ).status_code
        == 201
    )


def test_origins_typed_with_a_trailing_slash_or_capitals_still_match(publish_all, client, app):
    with app.app_context():
        site = db.session.execute(select(Site)).scalar_one()
        site.allowed_origins = [" HTTPS://Blog.Example.org/ "]
        db.session.commit()
    assert (
        client.post("/api/v1/comments", json=comment(), headers={"Origin": BLOG}).status_code == 201
    )
    assert (
        client.post(
            "/api/v1/comments",
            json=comment(body="again"),
            headers={"Origin": "https://blog.example.org.evil.example"},
        ).status_code
        == 403
    )


def test_reading_from_a_foreign_origin_gets_no_cors_header(sites, client):
    response = client.get(f"/api/v1/comments?post={POST}&site=other", headers={"Origin": BLOG})
    assert response.status_code == 200 and "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in response.headers["Vary"]


# ---- Checks before the classifier ----


def test_honeypot_is_refused_with_nothing_stored(client, app):
    response = client.post("/api/v1/comments", json=comment(homepage="https://spam.example"))
    assert response.status_code == 400 and response.get_json()["error"] == "honeypot"
    assert stored(app) == 0


@pytest.fixture
def require_token(app):
    app.config.update(MODERATO_REQUIRE_FORM_TOKEN=True, MODERATO_MIN_SUBMIT_SECONDS=3)


def form_token(client, post=POST, site="default") -> str:
    response = client.get("/api/v1/form-token", query_string={"post": post, "site": site})
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    return response.get_json()["token"]


def test_form_token_is_required_and_refuses_fast_posts(require_token, publish_all, client, app):
    missing = client.post("/api/v1/comments", json=comment())
    assert missing.status_code == 400 and missing.get_json()["error"] == "form_token_missing"
    token = form_token(client)
    fast = client.post("/api/v1/comments", json=comment(form_token=token))
    assert fast.status_code == 429 and fast.get_json()["error"] == "too_fast"
    assert 1 <= int(fast.headers["Retry-After"]) <= 3
    assert stored(app) == 0
    app.config["MODERATO_MIN_SUBMIT_SECONDS"] = 0.2
    time.sleep(0.3)
    assert client.post("/api/v1/comments", json=comment(form_token=token)).status_code == 201


@pytest.mark.parametrize("kind", ["forged", "other post", "expired"])
def test_forged_foreign_or_expired_form_token_is_400(kind, require_token, client, app):
    app.config["MODERATO_MIN_SUBMIT_SECONDS"] = 0
    token = {
        "forged": guards.issue_form_token("not the app secret", "default", POST),
        "other post": form_token(client, post=POST + "?page=2"),
        "expired": form_token(client),
    }[kind]
    if kind == "expired":
        app.config["MODERATO_MAX_FORM_AGE_SECONDS"] = -1
    response = client.post("/api/v1/comments", json=comment(form_token=token))
    expected = "form_token_expired" if kind == "expired" else "form_token_invalid"
    assert response.status_code == 400 and response.get_json()["error"] == expected
    assert response.get_json()["field"] == "form_token"
    assert stored(app) == 0


def test_form_token_for_an_unknown_site_is_404(client):
    response = client.get("/api/v1/form-token", query_string={"post": POST, "site": "nope"})
    assert response.status_code == 404 and response.get_json()["error"] == "unknown_site"


def test_too_many_links_is_422_on_the_body(client, app):
    app.config["MODERATO_MAX_LINKS"] = 2
    body = "see https://a.example https://b.example https://c.example"
    response = client.post("/api/v1/comments", json=comment(body=body))
    assert response.status_code == 422 and response.get_json()["error"] == "too_many_links"
    assert response.get_json()["field"] == "body" and stored(app) == 0


def test_exact_duplicate_on_the_same_post_is_409(publish_all, client, app):
    assert client.post("/api/v1/comments", json=comment()).status_code == 201
    again = client.post("/api/v1/comments", json=comment(body="  i ride the 14 BUS every day. "))
    assert again.status_code == 409 and again.get_json()["error"] == "duplicate"
    elsewhere = client.post("/api/v1/comments", json=comment(post=POST + "?other"))
    assert elsewhere.status_code == 201
    assert stored(app) == 2


@pytest.fixture
def limits(app_config):
    app_config.update(
        RATELIMIT_ENABLED=True,
        MODERATO_RATELIMIT_POST="100 per minute",
        MODERATO_RATELIMIT_POST_PER_POST="2 per minute",
    )


def test_per_post_rate_limit_counts_stored_comments_only(limits, publish_all, client, app):
    for _ in range(3):  # refused attempts do not use up the post's allowance
        assert client.post("/api/v1/comments", json=comment(body="")).status_code == 422
    codes = [
        client.post("/api/v1/comments", json=comment(body=f"n{i}")).status_code for i in range(3)
    ]
    assert codes == [201, 201, 429]
    # Another post is not affected.
    assert (
        client.post("/api/v1/comments", json=comment(post=POST + "?2", body="n9")).status_code
        == 201
    )
    assert stored(app) == 3


@pytest.fixture
def redis_limits(app_config):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379").ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis on 127.0.0.1:6379: {exc}")
    app_config.update(
        RATELIMIT_ENABLED=True,
        MODERATO_RATELIMIT_POST="2 per minute",
        MODERATO_RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
        RATELIMIT_KEY_PREFIX=f"moderato-test-{time.time_ns()}",
    )


def test_address_rate_limit_with_redis_storage(redis_limits, publish_all, client, app):
    codes = [
        client.post("/api/v1/comments", json=comment(body=f"r{i}")).status_code for i in range(3)
    ]
    assert codes == [201, 201, 429]
    assert stored(app) == 2


# ---- The author's edits ----


def post_own(client, **fields):
    response = client.post("/api/v1/comments", json=comment(**fields))
    assert response.status_code in (201, 202)
    body = response.get_json()
    return body["id"], body["edit_token"]


def test_only_the_hash_of_the_edit_token_is_stored(publish_all, client, app):
    cid, token = post_own(client)
    assert len(token) >= 40
    with app.app_context():
        c = db.session.get(Comment, cid)
        assert c.edit_token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_author_edits_within_the_window_and_the_text_is_rendered_again(publish_all, client, app):
    cid, token = post_own(client)
    response = client.put(
        f"/api/v1/comments/{cid}",
        json={"body": "Now *edited*."},
        headers={"Moderato-Edit-Token": token},
    )
    assert response.status_code == 200
    assert response.get_json()["html"] == "<p>Now <em>edited</em>.</p>"
    assert response.get_json()["edited"] is not None
    listed = client.get(f"/api/v1/comments?post={POST}").get_json()["comments"]
    assert listed[0]["html"] == "<p>Now <em>edited</em>.</p>"


def test_edit_scored_as_held_goes_back_to_pending_with_a_transition(publish_all, client, app):
    cid, token = post_own(client)
    app.config["MODERATO_THRESHOLDS"] = HOLD_ALL
    response = client.put(
        f"/api/v1/comments/{cid}", json={"body": "Changed."}, headers={"Moderato-Edit-Token": token}
    )
    assert response.status_code == 202 and response.get_json()["status"] == "pending"
    with app.app_context():
        c = db.session.get(Comment, cid)
        assert c.status is Status.PENDING and c.reason.startswith("after edit")
        assert [t.to_status for t in c.transitions] == [Status.PUBLISHED, Status.PENDING]
    assert client.get(f"/api/v1/comments?post={POST}").get_json()["total"] == 0


def test_a_held_comment_stays_held_after_a_clean_edit(app, client):
    app.config["MODERATO_THRESHOLDS"] = HOLD_ALL
    cid, token = post_own(client)
    app.config["MODERATO_THRESHOLDS"] = PUBLISH_ALL
    response = client.put(
        f"/api/v1/comments/{cid}",
        json={"body": "Clean now."},
        headers={"Moderato-Edit-Token": token},
    )
    assert response.status_code == 202


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_edit_without_the_right_token_is_403(token, publish_all, client, app):
    cid, _ = post_own(client)
    headers = {} if token is None else {"Moderato-Edit-Token": token}
    response = client.put(f"/api/v1/comments/{cid}", json={"body": "Hijacked."}, headers=headers)
    assert response.status_code == 403 and response.get_json()["error"] == "forbidden"
    assert client.delete(f"/api/v1/comments/{cid}", headers=headers).status_code == 403
    with app.app_context():
        assert db.session.get(Comment, cid).body == "I ride the 14 bus every day."


def test_edit_after_the_window_is_403(publish_all, client, app):
    cid, token = post_own(client)
    with app.app_context():
        c = db.session.get(Comment, cid)
        c.created_at = c.created_at - timedelta(seconds=c.post.site.edit_window_seconds + 1)
        db.session.commit()
    response = client.put(
        f"/api/v1/comments/{cid}",
        json={"body": "Too late."},
        headers={"Moderato-Edit-Token": token},
    )
    assert response.status_code == 403 and response.get_json()["error"] == "edit_window_closed"


def test_bad_edits_are_refused(publish_all, client, app):
    cid, token = post_own(client)
    headers = {"Moderato-Edit-Token": token}
    assert (
        client.put("/api/v1/comments/9999", json={"body": "x"}, headers=headers).status_code == 404
    )
    empty = client.put(f"/api/v1/comments/{cid}", json={"body": " "}, headers=headers)
    assert empty.status_code == 422 and empty.get_json()["field"] == "body"
    extra = client.put(
        f"/api/v1/comments/{cid}", json={"body": "x", "author": "Eve"}, headers=headers
    )
    assert extra.status_code == 422 and extra.get_json()["field"] == "author"
    with app.app_context():
        assert db.session.get(Comment, cid).edited_at is None


def test_delete_without_replies_removes_the_comment(publish_all, client, app):
    cid, token = post_own(client)
    response = client.delete(f"/api/v1/comments/{cid}", headers={"Moderato-Edit-Token": token})
    assert response.status_code == 204 and stored(app) == 0
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Transition)).scalar_one() == 0


def test_delete_with_replies_keeps_the_thread(publish_all, client, app):
    cid, token = post_own(client)
    reply, _ = post_own(client, parent=cid, body="A reply.", author="Bo")
    assert (
        client.delete(f"/api/v1/comments/{cid}", headers={"Moderato-Edit-Token": token}).status_code
        == 204
    )
    listed = client.get(f"/api/v1/comments?post={POST}").get_json()
    assert listed["total"] == 1
    first, second = listed["comments"]
    assert first["id"] == cid and first["deleted"] and first["author"] == "" and not first["html"]
    assert second["parent"] == cid
    with app.app_context():
        assert db.session.get(Comment, cid).body == ""
    # Deleted: gone for editing too, and no longer a parent for new replies.
    assert (
        client.delete(f"/api/v1/comments/{cid}", headers={"Moderato-Edit-Token": token}).status_code
        == 404
    )


def test_reply_to_a_deleted_comment_is_refused(publish_all, client, app):
    cid, token = post_own(client)
    post_own(client, parent=cid, body="A reply.")
    client.delete(f"/api/v1/comments/{cid}", headers={"Moderato-Edit-Token": token})
    response = client.post("/api/v1/comments", json=comment(parent=cid, body="Another."))
    assert response.status_code == 422 and response.get_json()["field"] == "parent"
    assert stored(app) == 2


def test_edit_from_a_foreign_origin_is_refused(sites, publish_all, client, app):
    cid, token = post_own(client)
    response = client.put(
        f"/api/v1/comments/{cid}",
        json={"body": "x"},
        headers={"Moderato-Edit-Token": token, "Origin": "https://other.example"},
    )
    assert response.status_code == 403 and response.get_json()["error"] == "origin_not_allowed"


# ---- Reading ----


def test_thread_is_flattened_below_the_sites_max_depth(publish_all, client, app):
    with app.app_context():
        db.session.execute(select(Site)).scalar_one().max_depth = 1
        db.session.commit()
    top, _ = post_own(client, body="top")
    one, _ = post_own(client, body="one", parent=top, author="Bo")
    two, _ = post_own(client, body="two", parent=one)
    listed = client.get(f"/api/v1/comments?post={POST}").get_json()["comments"]
    assert [(c["id"], c["parent"], c["reply_to"]) for c in listed] == [
        (top, None, None),
        (one, top, None),
        (two, top, "Bo"),
    ]


def test_sort_order_is_a_query_option(publish_all, client):
    first, _ = post_own(client, body="first")
    second, _ = post_own(client, body="second")
    newest = client.get(f"/api/v1/comments?post={POST}&sort=newest").get_json()
    assert [c["id"] for c in newest["comments"]] == [second, first] and newest["sort"] == "newest"
    bad = client.get(f"/api/v1/comments?post={POST}&sort=random")
    assert bad.status_code == 422 and bad.get_json()["field"] == "sort"


def test_thread_answers_etag_and_cache_control_and_304_when_unchanged(publish_all, client):
    post_own(client)
    first = client.get(f"/api/v1/comments?post={POST}")
    etag = first.headers["ETag"]
    assert (
        "public" in first.headers["Cache-Control"]
        and "max-age=15" in first.headers["Cache-Control"]
    )
    again = client.get(f"/api/v1/comments?post={POST}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    post_own(client, body="Something new.")
    changed = client.get(f"/api/v1/comments?post={POST}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["total"] == 2
    other_sort = client.get(
        f"/api/v1/comments?post={POST}&sort=newest",
        headers={"If-None-Match": changed.headers["ETag"]},
    )
    assert other_sort.status_code == 200


def test_moderation_changes_the_etag(app, client, moderator):
    from service.comments import moderate
    from service.models import User
    from service.moderation import Action

    app.config["MODERATO_THRESHOLDS"] = HOLD_ALL
    cid, _ = post_own(client)
    etag = client.get(f"/api/v1/comments?post={POST}").headers["ETag"]
    with app.app_context():
        moderate(db.session.get(Comment, cid), Action.APPROVE, db.session.get(User, moderator.id))
    response = client.get(f"/api/v1/comments?post={POST}", headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.get_json()["total"] == 1


def test_counts_for_several_posts(publish_all, client, app):
    post_own(client)
    post_own(client, body="Second.")
    post_own(client, post=POST + "?b")
    app.config["MODERATO_THRESHOLDS"] = HOLD_ALL
    post_own(client, post=POST + "?b", body="Held, not counted.")
    response = client.get(
        "/api/v1/counts",
        query_string=[
            ("post", POST),
            ("post", POST + "?b"),
            ("post", "https://blog.example.org/none"),
        ],
    )
    assert response.status_code == 200
    assert response.get_json()["counts"] == {
        POST: 2,
        POST + "?b": 1,
        "https://blog.example.org/none": 0,
    }
    assert client.get("/api/v1/counts").status_code == 422
    too_many = [("post", f"{POST}?{i}") for i in range(101)]
    assert client.get("/api/v1/counts", query_string=too_many).status_code == 422


def test_atom_feed_escapes_everything(publish_all, client):
    post_own(
        client,
        author="Eve <script>&\x07",
        body="<b>bold?</b> & **strong**",
        title="Trams & <bridges>",
    )
    response = client.get("/api/v1/feed", query_string={"post": POST})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.data)  # well-formed, or this raises
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.find("a:title", ns).text == "Comments on Trams & <bridges>"
    entry = root.find("a:entry", ns)
    assert entry.find("a:author/a:name", ns).text == "Eve <script>&"
    content = entry.find("a:content", ns)
    assert content.get("type") == "html"
    assert content.text == "<p>&lt;b&gt;bold?&lt;/b&gt; &amp; <strong>strong</strong></p>"
    assert b"<script>" not in response.data


def test_feed_of_an_unknown_post_or_site_is_404(client):
    response = client.get("/api/v1/feed", query_string={"post": POST})
    assert response.status_code == 404 and response.get_json()["error"] == "unknown_post"
    assert client.get("/api/v1/feed", query_string={"post": POST, "site": "x"}).status_code == 404


def test_preview_renders_and_stores_nothing(client, app):
    response = client.post("/api/v1/preview", json={"body": "*hi* <script>alert(1)</script>"})
    assert response.status_code == 200
    assert response.get_json()["html"] == "<p><em>hi</em> &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert client.post("/api/v1/preview", json={"body": ""}).status_code == 422
    assert stored(app) == 0


def test_openapi_covers_every_public_endpoint(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.static":
            path = rule.rule.replace("<int:comment_id>", "{comment_id}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method) in documented, f"{method} {path} is not documented"
    schemas = doc["components"]["schemas"]
    assert {"CreatedOut", "HeldOut", "BodyIn", "CountsOut", "FormTokenOut"} <= set(schemas)
    assert "edit_token" in schemas["CreatedOut"]["properties"]
    params = {p["name"] for p in doc["paths"]["/api/v1/comments"]["get"]["parameters"]}
    assert params == {"site", "post", "sort"}


# ---- Bad input on the new endpoints: a 4xx JSON error, nothing stored or changed ----


@pytest.mark.parametrize(
    ("kwargs", "status", "error"),
    [
        (
            {"data": "body=x", "content_type": "application/x-www-form-urlencoded"},
            415,
            "unsupported_media_type",
        ),
        ({"data": "{oops", "content_type": "application/json"}, 400, "invalid_json"),
        ({"json": "just a string"}, 400, "invalid_json"),
        (
            {"data": "x" * 300_000, "content_type": "application/json"},
            413,
            "request_entity_too_large",
        ),
        ({"json": {"body": "x" * 10_001}}, 422, "invalid_field"),
    ],
)
def test_malformed_edits_change_nothing(kwargs, status, error, publish_all, client, app):
    cid, token = post_own(client)
    response = client.put(
        f"/api/v1/comments/{cid}", headers={"Moderato-Edit-Token": token}, **kwargs
    )
    assert response.status_code == status and response.get_json()["error"] == error
    with app.app_context():
        c = db.session.get(Comment, cid)
        assert c.body == "I ride the 14 bus every day." and c.edited_at is None


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        ("/api/v1/form-token", 422, "post"),
        ("/api/v1/form-token?post=" + POST + "&site=nope", 404, "site"),
        ("/api/v1/counts?post=" + POST + "&site=nope", 404, "site"),
        ("/api/v1/comments?post=" + "x" * 2001, 422, "post"),
        ("/api/v1/feed", 422, "post"),
    ],
)
def test_bad_queries_name_the_field(path, status, field, client):
    response = client.get(path)
    assert response.status_code == status and response.get_json()["field"] == field


def test_preview_refuses_non_json_and_unknown_fields(client):
    assert client.post("/api/v1/preview", data="x", content_type="text/plain").status_code == 415
    extra = client.post("/api/v1/preview", json={"body": "x", "html": "<b>"})
    assert extra.status_code == 422 and extra.get_json()["field"] == "html"


def test_a_post_without_comments_lists_an_empty_thread(client, app):
    # The widget asks before the first comment exists; that is not an error, and creates nothing.
    response = client.get("/api/v1/comments", query_string={"post": POST})
    assert response.status_code == 200 and response.get_json()["comments"] == []
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Post)).scalar_one() == 0
