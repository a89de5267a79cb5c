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
