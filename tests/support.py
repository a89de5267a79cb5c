"""Helpers shared by test modules: thresholds that force a state, a valid comment, a row count."""

from __future__ import annotations

from sqlalchemy import func, select

from service.extensions import db
from service.models import Comment
from service.moderation import Thresholds

POST = "https://blog.example.org/2026/11/tram-line.html"
# Decide a comment's state regardless of what the model thinks of it.
PUBLISH_ALL = Thresholds(spam_hold=1.0, spam_block=1.0, abuse_hold=1.0, abuse_block=1.0)
HOLD_ALL = Thresholds(spam_hold=0.0, spam_block=1.0, abuse_hold=0.0, abuse_block=1.0)
BLOCK_ALL = Thresholds(spam_hold=0.0, spam_block=0.0, abuse_hold=0.0, abuse_block=0.0)


def comment(**fields: object) -> dict[str, object]:
    """A valid API payload; keyword arguments replace or add fields."""
    return {"post": POST, "author": "Ana", "body": "I ride the 14 bus every day.", **fields}


def stored(app) -> int:
    """How many comments the database holds."""
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Comment)).scalar_one()
