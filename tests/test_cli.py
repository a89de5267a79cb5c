"""The `moderato` commands that touch the database: init, create-moderator, retrain."""

from __future__ import annotations

from sqlalchemy import select

from service.extensions import db
from service.models import User


def users(app) -> list[User]:
    with app.app_context():
        return list(db.session.execute(select(User)).scalars())


def test_init_creates_the_admin_once_with_a_printed_password(runner, empty_app, monkeypatch):
    app = empty_app
    monkeypatch.delenv("MODERATO_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("MODERATO_ADMIN_USER", "owner")
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    assert "Created admin 'owner' with password: " in first.output
    password = first.output.split("with password: ")[1].split()[0]
    (owner,) = users(app)
    assert owner.is_admin and owner.check_password(password)

    again = runner.invoke(args=["init"])
    assert again.exit_code == 0 and "password" not in again.output
    assert len(users(app)) == 1


def test_init_uses_the_password_from_the_environment(runner, empty_app, monkeypatch):
    app = empty_app
    monkeypatch.setenv("MODERATO_ADMIN_PASSWORD", "s3cret-enough")
    result = runner.invoke(args=["init"])
    assert "s3cret-enough" not in result.output
    (admin,) = users(app)
    assert admin.username == "admin" and admin.check_password("s3cret-enough")


def test_create_moderator_refuses_duplicates_and_short_passwords(runner, app):
    ok = runner.invoke(args=["create-moderator", "lena", "--password", "long enough"])
    assert ok.exit_code == 0 and "Created moderator 'lena'" in ok.output
    again = runner.invoke(args=["create-moderator", "lena", "--password", "long enough"])
    assert again.exit_code != 0 and "already exists" in again.output
    short = runner.invoke(args=["create-moderator", "max", "--password", "short"])
    assert short.exit_code != 0 and "at least 8" in short.output
    assert [u.username for u in users(app)] == ["lena"]
