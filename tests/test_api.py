"""The public JSON API, through the Flask test client, with the shipped model."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select
from support import BLOCK_ALL, HOLD_ALL, POST, PUBLISH_ALL, comment, stored

from service.extensions import db
from service.models import Comment, Post, Site, Transition
from service.moderation import Status, Thresholds


@pytest.fixture
def thresholds(app):
    """Set the thresholds the app decides with: `thresholds(PUBLISH_ALL)`."""

    def use(value: Thresholds) -> None:
        app.config["MODERATO_THRESHOLDS"] = value

    return use


def test_published_comment_answers_201_and_is_listed(thresholds, client, app):
    thresholds(PUBLISH_ALL)
    response = client.post("/api/v1/comments", json=comment(body="Nice *post*, thanks!"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "published" and body["author"] == "Ana" and body["parent"] is None
    assert body["html"] == "<p>Nice <em>post</em>, thanks!</p>"
    assert datetime.fromisoformat(body["created"]).utcoffset().total_seconds() == 0

    listed = client.get("/api/v1/comments", query_string={"post": POST}).get_json()
    assert listed["total"] == 1 and listed["comments"][0]["id"] == body["id"]


def test_comment_keeps_scores_model_version_reason_and_first_transition(thresholds, client, app):
    thresholds(PUBLISH_ALL)
    client.post(
        "/api/v1/comments", json=comment(email="ana@example.org", url="https://ana.example")
    )
    with app.app_context():
        c = db.session.execute(select(Comment)).scalar_one()
        assert 0.0 <= c.spam_score <= 1.0 and 0.0 <= c.abuse_score <= 1.0
        assert c.model_version and c.reason.startswith("published")
        assert (c.email, c.website) == ("ana@example.org", "https://ana.example")
        (t,) = c.transitions
        assert (t.from_status, t.to_status, t.actor_id) == (None, Status.PUBLISHED, None)


@pytest.mark.parametrize("rule", [HOLD_ALL, BLOCK_ALL])
def test_held_and_blocked_both_answer_202_pending_and_reveal_nothing(rule, thresholds, client, app):
    thresholds(rule)
    response = client.post("/api/v1/comments", json=comment())
    assert response.status_code == 202
    assert set(response.get_json()) == {"id", "status", "edit_token", "editable_until"}
    assert response.get_json()["status"] == "pending"
    assert client.get("/api/v1/comments", query_string={"post": POST}).get_json()["total"] == 0
    with app.app_context():
        expected = Status.PENDING if rule is HOLD_ALL else Status.BLOCKED
        assert db.session.execute(select(Comment.status)).scalar_one() is expected


def test_default_thresholds_publish_civil_and_stop_obvious_spam(client):
    civil = client.post(
        "/api/v1/comments",
        json=comment(
            body="I disagree strongly with the council on this tram line; the cost estimate "
            "looks optimistic and nobody asked the shop owners on Main Street."
        ),
    )
    assert civil.status_code == 201
    spam = client.post(
        "/api/v1/comments",
        json=comment(
            author="Best Casino",
            url="https://cheap-pills.example",
            body="WIN $$$ NOW!!! Free bonus casino spins, click http://win-big.example/promo "
            "and claim your prize, limited offer, visit http://win-big.example/now",
        ),
    )
    assert spam.status_code == 202


def test_replies_come_in_thread_order(thresholds, client):
    thresholds(PUBLISH_ALL)
    first = client.post("/api/v1/comments", json=comment(body="first")).get_json()["id"]
    second = client.post("/api/v1/comments", json=comment(body="second")).get_json()["id"]
    reply = client.post("/api/v1/comments", json=comment(body="reply", parent=first)).get_json()
    nested = client.post("/api/v1/comments", json=comment(body="deeper", parent=reply["id"]))
    order = [c["id"] for c in client.get(f"/api/v1/comments?post={POST}").get_json()["comments"]]
    assert order == [first, reply["id"], nested.get_json()["id"], second]
    assert reply["parent"] == first


def test_unicode_is_stored_and_served_intact(thresholds, client):
    thresholds(PUBLISH_ALL)
    text = "Estoy de acuerdo 👍🏽 — مرحبا e\u0301 שלום"
    body = client.post("/api/v1/comments", json=comment(author="Zoë ☕", body=text)).get_json()
    assert body["author"] == "Zoë ☕" and text in body["html"]


def test_html_in_fields_is_never_served_as_markup(thresholds, client):
    thresholds(PUBLISH_ALL)
    body = client.post(
        "/api/v1/comments",
        json=comment(author="<img src=x onerror=alert(1)>", body="<script>alert(1)</script>"),
    ).get_json()
    assert "<script>" not in body["html"] and "&lt;script&gt;" in body["html"]
    # Names are plain text in JSON; the widget inserts them with textContent.
    assert body["author"] == "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        (comment(body=""), "body", "must not be empty"),
        (comment(body="   \n "), "body", "must not be empty"),
        (comment(body="x" * 10_001), "body", "at most 10000"),
        ({"post": POST, "author": "Ana"}, "body", "required"),
        (comment(author=""), "author", "at least 1"),
        (comment(email="not-an-email"), "email", "not a valid email"),
        (comment(url="javascript:alert(1)"), "url", "http"),
        (comment(post="not a url"), "post", "http"),
        (comment(nickname="x"), "nickname", "unknown field"),
        (comment(parent="abc"), "parent", "integer"),
        (comment(body=12), "body", "string"),
    ],
)
def test_bad_fields_get_422_naming_the_field_and_store_nothing(payload, field, words, client, app):
    response = client.post("/api/v1/comments", json=payload)
    assert response.status_code == 422
    error = response.get_json()
    assert error["field"] == field and words in error["message"]
    assert any(e["field"] == field for e in error["errors"])
    assert stored(app) == 0


def test_parent_must_exist_and_belong_to_the_same_post(thresholds, client, app):
    thresholds(PUBLISH_ALL)
    other = client.post(
        "/api/v1/comments", json=comment(post="https://blog.example.org/other")
    ).get_json()["id"]
    missing = client.post("/api/v1/comments", json=comment(parent=9999))
    assert missing.status_code == 422 and missing.get_json()["field"] == "parent"
    foreign = client.post("/api/v1/comments", json=comment(parent=other))
    assert foreign.status_code == 422 and "another post" in foreign.get_json()["message"]
    assert stored(app) == 1
    with app.app_context():  # the refused comment did not create its post either
        assert db.session.execute(select(func.count()).select_from(Post)).scalar_one() == 1


def test_replying_to_a_held_comment_is_refused(thresholds, client, app):
    thresholds(HOLD_ALL)
    held = client.post("/api/v1/comments", json=comment()).get_json()["id"]
    response = client.post("/api/v1/comments", json=comment(parent=held, body="A reply."))
    assert response.status_code == 422 and response.get_json()["field"] == "parent"


@pytest.mark.parametrize(
    ("kwargs", "status", "error"),
    [
        (
            {"data": "author=Ana&body=hi", "content_type": "application/x-www-form-urlencoded"},
            415,
            "unsupported_media_type",
        ),
        ({"data": "{not json", "content_type": "application/json"}, 400, "invalid_json"),
        ({"json": ["a", "list"]}, 400, "invalid_json"),
        (
            {"data": "x" * 300_000, "content_type": "application/json"},
            413,
            "request_entity_too_large",
        ),
    ],
)
def test_malformed_requests_get_a_json_error(kwargs, status, error, client, app):
    response = client.post("/api/v1/comments", **kwargs)
    assert response.status_code == status
    assert response.get_json()["error"] == error and response.get_json()["message"]
    assert stored(app) == 0


def test_listing_needs_a_post(client):
    response = client.get("/api/v1/comments")
    assert response.status_code == 400 and response.get_json()["field"] == "post"


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_openapi_document_describes_the_endpoints_from_the_schemas(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    post = doc["paths"]["/api/v1/comments"]["post"]
    assert set(post["responses"]) >= {"201", "202", "415", "422"}
    props = doc["components"]["schemas"]["CommentIn"]["properties"]
    assert set(props) == {
        "site",
        "post",
        "title",
        "author",
        "email",
        "url",
        "body",
        "parent",
        "homepage",
        "form_token",
    }
    assert doc["components"]["schemas"]["CommentIn"]["additionalProperties"] is False


@pytest.fixture
def rate_limited(app_config):
    app_config.update(RATELIMIT_ENABLED=True, MODERATO_RATELIMIT_POST="2 per minute")


def test_rate_limit_answers_429_in_json_and_stores_nothing_more(rate_limited, client, app):
    codes = [
        client.post("/api/v1/comments", json=comment(body=f"n{i}")).status_code for i in range(3)
    ]
    assert codes[0] in (201, 202) and codes[1] in (201, 202) and codes[2] == 429
    refused = client.post("/api/v1/comments", json=comment())
    assert refused.get_json()["error"] == "too_many_requests"
    assert stored(app) == 2


def test_transition_rows_record_the_classifier_decision(thresholds, client, app):
    thresholds(HOLD_ALL)
    client.post("/api/v1/comments", json=comment())
    with app.app_context():
        t = db.session.execute(select(Transition)).scalar_one()
        assert t.to_status is Status.PENDING and t.reason.startswith("held")


@pytest.fixture
def blog_origin(app_config):
    app_config["MODERATO_ALLOWED_ORIGINS"] = ["https://blog.example.org"]


def test_cors_allows_only_configured_origins(blog_origin, client):
    preflight = client.options(
        "/api/v1/comments",
        headers={"Origin": "https://blog.example.org", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://blog.example.org"
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    other = client.get(f"/api/v1/comments?post={POST}", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_unknown_site_is_a_404_naming_the_field(client, app):
    response = client.post("/api/v1/comments", json=comment(site="nope"))
    assert response.status_code == 404 and response.get_json()["field"] == "site"
    assert client.get(f"/api/v1/comments?post={POST}&site=nope").status_code == 404
    assert stored(app) == 0


def test_closed_post_refuses_new_comments(thresholds, client, app):
    thresholds(PUBLISH_ALL)
    client.post("/api/v1/comments", json=comment())
    with app.app_context():
        db.session.execute(select(Post)).scalar_one().closed = True
        db.session.commit()
    response = client.post("/api/v1/comments", json=comment(body="still open?"))
    assert response.status_code == 403 and response.get_json()["error"] == "closed"
    assert stored(app) == 1


def test_site_requiring_moderation_holds_what_the_model_would_publish(thresholds, client, app):
    thresholds(PUBLISH_ALL)
    with app.app_context():
        db.session.execute(select(Site)).scalar_one().require_moderation = True
        db.session.commit()
    assert client.post("/api/v1/comments", json=comment()).status_code == 202


def test_site_thresholds_override_the_instance_defaults(thresholds, client, app):
    thresholds(PUBLISH_ALL)
    with app.app_context():
        site = db.session.execute(select(Site)).scalar_one()
        site.spam_hold = site.abuse_hold = 0.0
        db.session.commit()
    assert client.post("/api/v1/comments", json=comment()).status_code == 202
