"""Moderato: self-hosted blog comments with a built-in spam and abuse classifier."""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, the model, then one blueprint per surface."""
    from service import api, cli, config, dashboard, demo, embed, errors, scoring
    from service.extensions import MIGRATIONS_DIR, csrf, db, limiter, login_manager, migrate

    app = Flask(__name__, instance_relative_config=True, instance_path=_instance_path())
    config.load(app, test_config)
    app.json.sort_keys = False  # keep fields in schema order: easier for people to read
    if proxies := int(app.config["MODERATO_PROXIES"]):
        # Behind nginx or a load balancer: rate limits and address hashes need the client's
        # address, not the proxy's; trust exactly as many forwarding hops as configured.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    db.init_app(app)
    with app.app_context():
        _tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    errors.init_app(app)
    scoring.init_app(app)

    app.register_blueprint(api.bp)
    app.add_url_rule("/healthz", "health", api.health)
    app.register_blueprint(embed.bp)
    app.register_blueprint(demo.bp)
    app.register_blueprint(dashboard.bp)
    dashboard.init_app(app)
    cli.init_app(app)
    return app


def _instance_path() -> str | None:
    path = os.environ.get("MODERATO_INSTANCE_PATH")
    return os.path.abspath(path) if path else None


def _tune_sqlite(engine: Engine) -> None:
    """SQLite: write-ahead log for concurrent readers, a busy timeout, foreign keys enforced."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
