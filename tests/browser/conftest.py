"""Real-browser fixtures: the app on a free port, a Chromium page that fails on script errors."""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from service.comments import moderate
from service.extensions import db
from service.models import Comment, Site, User
from service.moderation import Action, Status

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("MODERATO_CHROMIUM", "/usr/bin/chromium")
# Without the networking flags Chromium tries to reach outside hosts, which are refused here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def app_config(app_config: dict[str, object]) -> dict[str, object]:
    """As a real blog runs: the widget's form token is required, but tests need not wait for it."""
    app_config.update(MODERATO_REQUIRE_FORM_TOKEN=True, MODERATO_MIN_SUBMIT_SECONDS=0)
    return app_config


@contextmanager
def _serve(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """Serve `app` on a free loopback port for the length of one test; yield its base URL."""
    with _serve(app) as url:
        yield url


@pytest.fixture
def blog_server(app: Flask, live_server: str) -> Iterator[str]:
    """The demo blog on a second port (another origin), loading the widget from `live_server`.

    The blog's origin is allowed for the default site, as its owner would configure it.
    """
    with _serve(app) as url:
        app.config["MODERATO_DEMO_SERVICE_URL"] = live_server
        with app.app_context():
            site = db.session.execute(select(Site).where(Site.slug == "default")).scalar_one()
            site.allowed_origins = [url]
            db.session.commit()
        yield url


def _screenshot(page: Page, name: str, *, full_page: bool = False, viewport: bool = False) -> None:
    folder = os.environ.get("MODERATO_SCREENSHOTS")
    if not folder:
        return
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    if full_page or viewport:
        page.screenshot(path=str(path), full_page=full_page)
    else:
        page.locator(".moderato").screenshot(path=str(path), animations="disabled")


@pytest.fixture
def screenshot() -> Callable[..., None]:
    """`screenshot(page, name, full_page=False, viewport=False)`: save the widget (or the whole
    page, or what the window shows) as a PNG when MODERATO_SCREENSHOTS names a folder."""
    return _screenshot


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session; skipped when Playwright or Chromium is missing."""
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("Playwright for Python is not installed (pip install -e '.[test]')")
    if not os.path.exists(CHROMIUM):
        pytest.skip(
            f"no Chromium at {CHROMIUM}; install Debian's chromium or set MODERATO_CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh context (own storage); an uncaught script error fails the test."""
    context = browser.new_context(viewport={"width": 900, "height": 1000})
    page = context.new_page()
    errors: list[Exception] = []
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    context.close()
    if errors:
        pytest.fail(f"script errors on the page: {errors}")


@pytest.fixture
def approve_held(app: Flask, moderator: User) -> Callable[[], int]:
    """Approve every comment the model held or blocked, as a moderator would; return how many.

    Readers cannot tell held from blocked (both answer 202), so both are approved: tests then
    see the server's own rendering whatever the model thought of the text.
    """

    def approve() -> int:
        with app.app_context():
            held = (
                db.session.execute(
                    select(Comment).where(Comment.status.in_([Status.PENDING, Status.BLOCKED]))
                )
                .scalars()
                .all()
            )
            actor = db.session.get(User, moderator.id)
            assert actor is not None
            for comment in held:
                moderate(comment, Action.APPROVE, actor, expected=comment.status)
            return len(held)

    return approve
