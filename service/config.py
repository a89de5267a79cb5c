"""Configuration: defaults, then the instance folder's `config.py`, then `MODERATO_*` variables."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from service.moderation import Thresholds

PREFIX = "MODERATO_"

DEFAULTS: dict[str, Any] = {
    "MODERATO_MAX_BODY_LENGTH": 10_000,
    "MODERATO_MAX_AUTHOR_LENGTH": 80,
    "MODERATO_MAX_URL_LENGTH": 500,
    "MODERATO_MAX_POST_URL_LENGTH": 2000,
    "MODERATO_RATELIMIT_STORAGE_URI": "memory://",
    "MODERATO_RATELIMIT_POST": "10 per minute;100 per hour",
    "MODERATO_RATELIMIT_POST_PER_POST": "20 per minute;200 per hour",
    "MODERATO_RATELIMIT_EDIT": "30 per minute",  # edits, deletes and previews per client address
    "MODERATO_ALLOWED_ORIGINS": [],
    # Cheap checks before the classifier (service/guards.py).
    "MODERATO_REQUIRE_FORM_TOKEN": True,
    "MODERATO_MIN_SUBMIT_SECONDS": 3,
    "MODERATO_MAX_FORM_AGE_SECONDS": 2 * 3600,
    "MODERATO_MAX_LINKS": 3,
    "MODERATO_DUPLICATE_WINDOW_SECONDS": 24 * 3600,
    "MODERATO_THREAD_MAX_AGE": 15,  # seconds browsers may reuse a thread before revalidating
    "MODERATO_MODELS_DIR": None,
    "MODERATO_LOAD_MODEL": True,
    "MODERATO_PROXIES": 0,  # reverse proxies in front whose X-Forwarded-* headers are trusted
    "MODERATO_SECURE_COOKIES": False,  # true when served over https: cookies never sent in clear
    "MAX_CONTENT_LENGTH": 256 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "JSON_SORT_KEYS": False,
}


def _parse(value: str) -> Any:
    """Environment values are JSON when they parse as JSON (numbers, lists, booleans), else text."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill `app.config` in order of precedence; nothing here runs at import time."""
    app.config.from_mapping(DEFAULTS)
    app.config["SECRET_KEY"] = None
    app.config.from_pyfile("config.py", silent=True)
    for key, value in os.environ.items():
        if key.startswith(PREFIX):
            app.config[key] = _parse(value)
    if "MODERATO_SECRET_KEY" in os.environ:
        app.config["SECRET_KEY"] = os.environ["MODERATO_SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(os.environ["DATABASE_URL"])
    if test_config:
        app.config.from_mapping(test_config)

    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI", f"sqlite:///{Path(app.instance_path) / 'moderato.sqlite3'}"
    )
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if app.config["MODERATO_RATELIMIT_STORAGE_URI"]:
        app.config["RATELIMIT_STORAGE_URI"] = app.config["MODERATO_RATELIMIT_STORAGE_URI"]
    app.config["MODERATO_THRESHOLDS"] = _thresholds(app.config)
    secure = app.config["MODERATO_SECURE_COOKIES"] in (True, 1, "true", "yes", "1")
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = secure
    origins = app.config["MODERATO_ALLOWED_ORIGINS"]
    if isinstance(origins, str):  # "https://a.example, https://b.example"
        app.config["MODERATO_ALLOWED_ORIGINS"] = [o for o in origins.replace(",", " ").split() if o]


def _thresholds(config: dict[str, Any]) -> Thresholds:
    value = config.get("MODERATO_THRESHOLDS")
    if isinstance(value, Thresholds):
        return value
    return Thresholds.from_mapping(config, prefix=PREFIX)


def normalize_database_url(url: str) -> str:
    """Accept `postgres://` and `postgresql://` spellings; use the psycopg 3 driver."""
    for scheme in ("postgres://", "postgresql://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def _instance_secret(instance: Path) -> str:
    """A random secret kept in the instance folder, so sessions survive restarts without setup."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    path.write_text(secret)
    path.chmod(0o600)
    return secret
