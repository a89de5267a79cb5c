"""Without a usable model the service keeps every comment and holds it for a person."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Comment
from service.moderation import MODEL_UNAVAILABLE, Status

POST = "https://blog.example.org/p"


@pytest.fixture
def no_model(app_config, tmp_path):
    (tmp_path / "models").mkdir()
    app_config["MODERATO_MODELS_DIR"] = str(tmp_path / "models")


def test_missing_model_holds_every_comment_and_says_so(no_model, client, app):
    response = client.post(
        "/api/v1/comments", json={"post": POST, "author": "Ana", "body": "Lovely photos!"}
    )
    assert response.status_code == 202
    with app.app_context():
        c = db.session.execute(select(Comment)).scalar_one()
        assert (c.status, c.reason, c.spam_score, c.model_version) == (
            Status.PENDING,
            MODEL_UNAVAILABLE,
            None,
            None,
        )
    health = client.get("/healthz")
    assert health.status_code == 200
    body = health.get_json()
    assert body["status"] == "degraded" and body["model"] is None and body["detail"]


def test_missing_model_is_logged_at_startup(app_config, tmp_path, caplog, monkeypatch):
    from service import create_app

    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("MODERATO_INSTANCE_PATH", str(tmp_path / "instance"))
    with caplog.at_level(logging.ERROR, logger="service.scoring"):
        create_app({**app_config, "MODERATO_MODELS_DIR": str(tmp_path / "empty")})
    assert "every comment will be held" in caplog.text


def test_shipped_model_scores_and_health_names_it(client):
    body = client.get("/healthz").get_json()
    assert body == {"status": "ok", "database": True, "model": body["model"], "detail": None}
    assert body["model"]


def test_a_bare_comment_the_model_calls_spam_is_held_with_the_reason(client, app):
    # The shipped model reads the YouTube set's "subscribe to my channel" into every form of
    # the word; a reader's one-word comment must still reach a person, not be blocked.
    response = client.post(
        "/api/v1/comments", json={"post": POST, "author": "Ana", "body": "Subscribed!"}
    )
    assert response.status_code == 202
    with app.app_context():
        c = db.session.execute(select(Comment)).scalar_one()
        assert c.status is not Status.BLOCKED
        assert c.spam_score is not None and c.model_version
        if c.spam_score >= 0.98:  # what the shipped model says today (1.00)
            assert c.status is Status.PENDING and "too short to block" in c.reason
