"""Behind a reverse proxy, the client's address comes from X-Forwarded-For only when trusted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Comment
from service.rules import address_hash

POST = "https://blog.example.org/p"


def posted_hash(client, app, forwarded_for: str) -> str | None:
    client.post(
        "/api/v1/comments",
        json={"post": POST, "author": "Ana", "body": f"hello from {forwarded_for}"},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    with app.app_context():
        return (
            db.session.execute(select(Comment.address_hash).order_by(Comment.id.desc()))
            .scalars()
            .first()
        )


@pytest.fixture
def one_proxy(app_config):
    app_config["MODERATO_PROXIES"] = 1


def test_forwarded_address_is_ignored_by_default(client, app):
    assert posted_hash(client, app, "203.0.113.7") == address_hash("10.0.0.1", "test-secret")


def test_forwarded_address_is_used_behind_a_trusted_proxy(one_proxy, client, app):
    assert posted_hash(client, app, "203.0.113.7") == address_hash("203.0.113.7", "test-secret")
