"""Shared fixtures: an app on a fresh database (SQLite, or PostgreSQL when asked), its clients."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from service import create_app
from service.extensions import db
from service.models import Site, User

REPO = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("MODERATO_TEST_DATABASE_URL", "")


def _check_postgres(url: str) -> None:
    """Skip when PostgreSQL is unreachable, except under CI, where that is a failure."""
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except OperationalError as exc:
        reason = f"PostgreSQL at {url} is unreachable: {exc.orig}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str | None:
    if POSTGRES_URL:
        _check_postgres(POSTGRES_URL)
        return POSTGRES_URL
    return None


@pytest.fixture
def app_config(tmp_path: Path, database_url: str | None) -> dict[str, object]:
    """The configuration each test's app starts from; tests may change it before `app` is built."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "RATELIMIT_ENABLED": False,
        # Tests post straight to the API; the form token's own tests turn it back on.
        "MODERATO_REQUIRE_FORM_TOKEN": False,
        "MODERATO_MODELS_DIR": str(REPO / "models"),
    }


@pytest.fixture
def app(
    app_config: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    monkeypatch.setenv("MODERATO_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(app_config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.add(Site(slug="default", name="Default site"))
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def empty_app(app: Flask) -> Flask:
    """The app with no tables at all, as on a first install."""
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def moderator(app: Flask) -> User:
    with app.app_context():
        user = User(username="mod", is_admin=False)
        user.set_password("correct horse battery")
        db.session.add(user)
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
        return user
