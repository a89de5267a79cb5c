"""The embeddable widget: the script and stylesheet a blog loads with one tag."""

import re

from flask import Blueprint, Response, abort, send_from_directory

# The assets are served by the routes below at fixed root URLs; the blueprint's own
# static route gets a path of its own so it never shadows the application's /static.
bp = Blueprint("embed", __name__, static_folder="static", static_url_path="/embed/static")

# Blogs reference these by a fixed URL, so they cannot be fingerprinted; an hour
# keeps repeat page views cheap while letting a new release reach readers the same day.
ASSET_MAX_AGE = 3600


def _send_asset(filename: str, mimetype: str) -> Response:
    """Serve one widget asset publicly cacheable, with ETag and conditional requests."""
    assert bp.static_folder is not None
    return send_from_directory(bp.static_folder, filename, mimetype=mimetype, max_age=ASSET_MAX_AGE)


@bp.get("/embed.js")
def get_script() -> Response:
    """Serve the widget script."""
    return _send_asset("embed.js", "text/javascript")


@bp.get("/embed.css")
def get_stylesheet() -> Response:
    """Serve the widget stylesheet."""
    return _send_asset("embed.css", "text/css")


@bp.get("/embed/i18n/<lang>.js")
def get_strings(lang: str) -> Response:
    """Serve the widget's strings for one language: one file per language."""
    if not re.fullmatch(r"[a-z]{2,3}", lang):
        abort(404)
    return _send_asset(f"i18n/{lang}.js", "text/javascript")
