"""The whole loop: comments arrive, moderators decide, retrain learns, the app reloads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from support import HOLD_ALL, POST

from service import create_app
from service.classifier import Sample
from service.comments import moderate
from service.extensions import db
from service.models import Comment, User
from service.moderation import Action
from service.scoring import get_scorer

REPO = Path(__file__).resolve().parents[1]

CIVIL = [
    "Will the tram run on Sundays?",
    "The bridge photos are lovely.",
    "I think the budget is too optimistic, honestly.",
    "Thanks for the clear summary.",
    "Could the council publish the traffic study?",
    "My kids take the bus, this would help.",
    "I oppose the route through the old town, it is too narrow.",
    "Good article, but the map is outdated.",
    "Is there a plan for bicycles on board?",
    "We had a tram here until 1962, my grandfather drove it.",
    "The noise concerns are real, look at other cities.",
    "Who pays for the maintenance?",
    "I changed my mind after reading this.",
    "Great turnout at the meeting yesterday.",
    "Please fix the typo in the second paragraph.",
    "Finally some good news for commuters.",
]
# This blog's moderators reject this put-down, which a general model lets through.
PUT_DOWN = [
    "log off, doomposter",
    "lol log off, doomposter",
    "Nobody asked. Log off, doomposter.",
    "log off, doomposter!!",
    "ok doomposter, log off",
    "again? log off, doomposter",
    "log off doomposter, seriously",
    "Typical doomposter. Log off.",
]


@pytest.fixture
def models_copy(app_config, tmp_path: Path) -> Path:
    target = tmp_path / "models"
    shutil.copytree(REPO / "models", target)
    app_config["MODERATO_MODELS_DIR"] = str(target)
    return target


def decide_all(client, app, moderator: User) -> None:
    """Post every comment (all held); a moderator approves the civil ones, rejects the rest."""
    app.config["MODERATO_THRESHOLDS"] = HOLD_ALL
    for body, author in [(b, "Ana") for b in CIVIL] + [(b, "Troll") for b in PUT_DOWN]:
        response = client.post(
            "/api/v1/comments", json={"post": POST, "author": author, "body": body}
        )
        assert response.status_code == 202
    with app.app_context():
        actor = db.session.get(User, moderator.id)
        for comment in db.session.execute(select(Comment)).scalars().all():
            action = Action.REJECT if comment.author == "Troll" else Action.APPROVE
            moderate(comment, action, actor)


def test_retrain_learns_the_decisions_and_the_next_start_uses_it(
    models_copy, client, app, runner, moderator, app_config
):
    before = json.loads((models_copy / "current.json").read_text())["version"]
    probe = "Honestly, log off, doomposter."
    with app.app_context():
        old = get_scorer().classifier.score([Sample(text=probe)])[0].abuse

    decide_all(client, app, moderator)
    result = runner.invoke(args=["retrain"])
    assert result.exit_code == 0, result.output
    assert f"{len(CIVIL) + len(PUT_DOWN)} comments decided by moderators" in result.output

    after = json.loads((models_copy / "current.json").read_text())["version"]
    assert after != before
    meta = json.loads((models_copy / f"moderato-{after}.json").read_text())
    assert meta["parent"] == before

    restarted = create_app(
        app_config
    )  # "the service uses the newest promoted model on its next start"
    with restarted.app_context():
        scorer = get_scorer()
        assert scorer.version == after
        assert scorer.classifier.score([Sample(text=probe)])[0].abuse > old + 0.2


def test_retrain_with_too_few_decisions_changes_nothing(
    models_copy, client, app, runner, moderator
):
    before = (models_copy / "current.json").read_text()
    app.config["MODERATO_THRESHOLDS"] = HOLD_ALL
    client.post("/api/v1/comments", json={"post": POST, "author": "Ana", "body": "Nice!"})
    with app.app_context():
        moderate(
            db.session.execute(select(Comment)).scalar_one(),
            Action.APPROVE,
            db.session.get(User, moderator.id),
        )
    result = runner.invoke(args=["retrain"])
    assert result.exit_code != 0 and "not retrained" in result.output
    assert (models_copy / "current.json").read_text() == before
